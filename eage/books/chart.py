"""The chart of accounts in the database: seeded from the default chart
(accounting/chart.py) with a 706 sub-account per service, then edited by the accountant.
Entries copy an account's number and label when they are posted, so editing the chart never
rewrites history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting import ledger
from accounting.chart import DEFAULT_ACCOUNTS, DEFAULT_SERVICE_ACCOUNTS, service_account
from eage import audit
from eage.books.errors import BooksError
from eage.extensions import db
from eage.filters import tr
from eage.models import Service
from eage.models.books import LedgerAccount


def _seed_default_accounts(existing: dict[str, LedgerAccount]) -> None:
    """The default accounts whose purpose and number are both still free."""
    purposes = {a.purpose for a in existing.values() if a.purpose}
    for acc in DEFAULT_ACCOUNTS:
        if acc.purpose not in purposes and acc.number not in existing:
            row = LedgerAccount(number=acc.number, label=acc.label, purpose=acc.purpose)
            db.session.add(row)
            existing[acc.number] = row


def _seed_service_accounts(existing: dict[str, LedgerAccount]) -> None:
    """A 706 sub-account for every service that has none yet."""
    mapped = {a.service_id for a in existing.values() if a.service_id is not None}
    unknown = 0
    for svc in db.session.scalars(select(Service).order_by(Service.id)).all():
        if svc.id in mapped:
            continue
        number = DEFAULT_SERVICE_ACCOUNTS.get(svc.code.upper())
        if number is None:
            number = service_account(svc.code, unknown)
            unknown += 1
        while number in existing:  # taken by hand: next free 706 sub-account
            number = f"{int(number) + 100:06d}"
        row = LedgerAccount(
            number=number, label=f"Mises à disposition — {svc.label}"[:200], service=svc
        )
        db.session.add(row)
        existing[number] = row


def ensure_chart() -> None:
    """Seed the default chart (accounting/chart.py) and a 706 sub-account per service, once;
    the accountant's edits are kept."""
    existing = {a.number: a for a in db.session.scalars(select(LedgerAccount))}
    _seed_default_accounts(existing)
    _seed_service_accounts(existing)
    db.session.flush()


def posting_accounts() -> ledger.Accounts:
    """The accounts the posting rules look up, by purpose and by service code."""
    ensure_chart()
    rows = db.session.scalars(select(LedgerAccount).options(selectinload(LedgerAccount.service)))
    by_purpose: dict[str, ledger.AccountRef] = {}
    by_service: dict[str, ledger.AccountRef] = {}
    for row in rows:
        ref = ledger.AccountRef(row.number, row.label)
        if row.purpose:
            by_purpose[row.purpose] = ref
        if row.service is not None:
            by_service[row.service.code] = ref
    return ledger.Accounts(by_purpose, by_service)


def chart_of_accounts() -> list[LedgerAccount]:
    """Every account by number, the chart seeded first (and kept)."""
    ensure_chart()
    db.session.commit()
    return list(
        db.session.scalars(
            select(LedgerAccount)
            .options(selectinload(LedgerAccount.service))
            .order_by(LedgerAccount.number)
        )
    )


def active_accounts() -> list[LedgerAccount]:
    """The accounts offered when typing an entry, the chart seeded first (and kept)."""
    ensure_chart()
    rows = list(
        db.session.scalars(
            select(LedgerAccount)
            .where(LedgerAccount.active.is_(True))
            .order_by(LedgerAccount.number)
        )
    )
    db.session.commit()
    return rows


def _account_problems(
    account: LedgerAccount | None, number: str, label: str, active: bool
) -> list[str]:
    errors: list[str] = []
    if not ledger._ACCOUNT.match(number):
        errors.append(
            tr("numéro de compte invalide : de 3 à 20 caractères, commençant par la classe 1 à 8")
        )
    if not label:
        errors.append(tr("indiquez l'intitulé du compte"))
    other = db.session.scalar(select(LedgerAccount).where(LedgerAccount.number == number))
    if other is not None and other is not account:
        errors.append(tr("le compte %(number)s existe déjà", number=number))
    if account is not None and account.purpose and not active:
        errors.append(tr("ce compte sert aux écritures générées : il ne peut pas être désactivé"))
    return errors


def save_account(
    account: LedgerAccount | None,
    *,
    number: str,
    label: str,
    active: bool = True,
    user_id: int | None = None,
) -> LedgerAccount:
    """Create or edit an account of the chart. Entries already posted keep the number and
    label they were posted with. Every error at once."""
    number = (number or "").strip().upper()
    label = (label or "").strip()
    errors = _account_problems(account, number, label, active)
    if errors:
        raise BooksError(errors)
    before = audit.snapshot(account) if account is not None else None
    if account is None:
        account = LedgerAccount(number=number, label=label, active=active)
        db.session.add(account)
    else:
        account.number, account.label, account.active = number, label, active
    db.session.flush()
    audit.record(
        "create" if before is None else "update",
        "ledger_account",
        account.id,
        before=before,
        after=audit.snapshot(account),
        user_id=user_id,
    )
    db.session.commit()
    return account
