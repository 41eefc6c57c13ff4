"""Settling a closed month's payroll (SPEC §5: 421 / 431 / 437 / 4421 → 512): the net pay to
the staff, the contributions to the URSSAF, the Agirc-Arrco institution and the health /
prévoyance insurer, the withheld income tax to the tax office, each paid once from the bank
on a date the accountant gives.

What a month owes on an account is the credit of that month's ``PA`` entries on it (the
payslips of the month). A settlement pays exactly that (partial payments are the bank
reconciliation's job, later): it records a :class:`Settlement` and posts a ``BQ`` entry
(origin ``settlement``) in the same transaction. Every error at once, nothing written on
error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounting import ledger
from accounting.formats import money
from accounting.money import ZERO, D
from accounting.months import Month
from eage import audit
from eage.books.chart import posting_accounts
from eage.books.errors import BooksError
from eage.books.posting import month_end, persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.locks import take_issuing_lock
from eage.models import FiscalYear, MonthLock, Organisation
from eage.models.books import JournalEntry, JournalLine, Settlement
from eage.models.payroll import Payslip

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = tuple(ledger.SETTLEMENT_KINDS)
KIND_LABELS = {
    "net_pay": _l("Salaires nets"),
    "urssaf": _l("URSSAF"),
    "retirement": _l("Retraite complémentaire (Agirc-Arrco)"),
    "health": _l("Mutuelle et prévoyance"),
    "withholding_tax": _l("Prélèvement à la source"),
}
# Default payment days in the next month: net pay on the 5th, the bodies and the tax office
# on the 15th (DSN and payment date of employers under 50 staff, art. R243-6 CSS).
DEFAULT_DAY = {"net_pay": 5}
DEFAULT_CHARGES_DAY = 15


@dataclass(frozen=True)
class Owed:
    """One payroll debt of a month and its settlement, if any."""

    kind: str
    account: str
    account_label: str
    amount: Decimal
    default_day: date
    settlement: Settlement | None
    entry_number: str | None


def default_day(month: str, kind: str) -> date:
    """The default payment date: the 5th (net pay) or the 15th (charges) of the next month."""
    nxt = Month.parse(month).next().start
    return nxt.replace(day=DEFAULT_DAY.get(kind, DEFAULT_CHARGES_DAY))


def owed_by_account(month: str) -> dict[str, Decimal]:
    """Credit − debit of the month's validated ``PA`` entries, by account number."""
    rows = db.session.execute(
        select(
            JournalLine.account_number,
            func.coalesce(func.sum(JournalLine.credit), 0),
            func.coalesce(func.sum(JournalLine.debit), 0),
        )
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .join(Payslip, JournalEntry.payslip_id == Payslip.id)
        .where(
            Payslip.month == month,
            JournalEntry.journal == "PA",
            JournalEntry.validated_at.is_not(None),
        )
        .group_by(JournalLine.account_number)
    ).all()
    return {number: D(credit) - D(debit) for number, credit, debit in rows}


def month_settlements(month: str) -> list[Owed]:
    """The five debts of ``month`` (YYYY-MM): what is owed and how it was settled."""
    accounts = posting_accounts()
    owed = owed_by_account(month)
    settled = {
        s.kind: s for s in db.session.scalars(select(Settlement).where(Settlement.month == month))
    }
    numbers = dict(
        db.session.execute(
            select(JournalEntry.settlement_id, JournalEntry.number).where(
                JournalEntry.settlement_id.in_([s.id for s in settled.values()])
            )
        ).all()
    )
    out = []
    for kind, (purpose, _what) in ledger.SETTLEMENT_KINDS.items():
        ref = accounts[purpose]
        row = settled.get(kind)
        out.append(
            Owed(
                kind=kind,
                account=ref.number,
                account_label=ref.label,
                amount=owed.get(ref.number, ZERO),
                default_day=default_day(month, kind),
                settlement=row,
                entry_number=numbers.get(row.id) if row else None,
            )
        )
    return out


def _name(kind: str) -> str:
    """The debt's name in the refusals, in the reader's language (French in the CLI)."""
    return str(KIND_LABELS[kind]) if has_request_context() else ledger.SETTLEMENT_KINDS[kind][1]


def _lock_problems(day: date) -> list[str]:
    """The date's year closed or the period locked (persist_entry checks it again)."""
    problems = []
    year = db.session.get(FiscalYear, day.year)
    if year is not None and year.is_closed:
        problems.append(
            tr(
                "l'exercice %(year)s est clôturé : aucune écriture ne peut y être datée",
                year=day.year,
            )
        )
    org = db.session.scalar(select(Organisation).limit(1))
    if org is not None and org.books_locked_until is not None and day <= org.books_locked_until:
        problems.append(
            tr(
                "la période est verrouillée jusqu'au %(day)s : choisissez une date postérieure",
                day=format(org.books_locked_until, "%d/%m/%Y"),
            )
        )
    return problems


def check_settlement(month: str, kind: str, day: date | None, amount: Decimal | None) -> list[str]:
    """Every reason to refuse settling ``kind`` for ``month`` on ``day`` at once."""
    if kind not in KINDS:
        return [f"nature de règlement inconnue : {kind}"]
    problems = []
    if db.session.get(MonthLock, month) is None:
        problems.append(
            tr("le mois %(month)s n'est pas clôturé : sa paie n'est pas définitive", month=month)
        )
    if db.session.scalar(
        select(Settlement.id).where(Settlement.month == month, Settlement.kind == kind)
    ):
        problems.append(tr("%(debt)s de %(month)s : déjà réglé", debt=_name(kind), month=month))
    owed = next(o for o in month_settlements(month) if o.kind == kind)
    if owed.amount <= 0:
        problems.append(
            tr(
                "%(debt)s de %(month)s : rien n'est dû au compte %(account)s",
                debt=_name(kind),
                month=month,
                account=owed.account,
            )
        )
    elif amount is not None and D(amount) != owed.amount:
        problems.append(
            tr(
                "%(debt)s de %(month)s : le montant %(amount)s diffère de ce qui est dû "
                "(%(owed)s) ; les règlements partiels ne sont pas encore gérés",
                debt=_name(kind),
                month=month,
                amount=money(D(amount)),
                owed=money(owed.amount),
            )
        )
    if day is None:
        problems.append(tr("indiquez la date du paiement"))
    else:
        if day <= month_end(month):
            problems.append(
                tr(
                    "le paiement du %(day)s précède la fin du mois payé (%(end)s)",
                    day=format(day, "%d/%m/%Y"),
                    end=format(month_end(month), "%d/%m/%Y"),
                )
            )
        problems.extend(_lock_problems(day))
    return problems


def settle(
    month: str,
    kind: str,
    day: date | None,
    amount: Decimal | None = None,
    reference: str | None = None,
    *,
    user_id: int | None = None,
    commit: bool = True,
) -> Settlement:
    """Record that ``kind`` of ``month`` was paid on ``day`` and post its ``BQ`` entry (debit
    the payroll debt, credit 512). ``amount`` defaults to what the month owes; another
    amount is refused. Raises :class:`BooksError` with every problem."""
    take_issuing_lock()
    problems = check_settlement(month, kind, day, amount)
    if problems:
        raise BooksError(problems)
    assert day is not None
    owed = next(o for o in month_settlements(month) if o.kind == kind).amount
    ref = (reference or "").strip() or f"PAIE-{month}-{kind.upper()}"
    row = Settlement(
        month=month, kind=kind, date=day, amount=owed, reference=ref[:100], created_by_id=user_id
    )
    db.session.add(row)
    db.session.flush()
    entry = ledger.settlement_entry(
        kind=kind,
        month=month,
        day=day,
        amount=owed,
        reference=ref[:60],
        accounts=posting_accounts(),
    )
    posted = persist_entry(
        entry, origin="settlement", user_id=user_id, validated=True, settlement_id=row.id
    )
    audit.record(
        "create",
        "settlement",
        row.id,
        user_id=user_id,
        summary=f"{month} {kind} {owed} € le {day.isoformat()} ({posted.number})",
    )
    if commit:  # the bank reconciliation books a statement line in its own transaction
        db.session.commit()
    logger.info("payroll %s of %s settled: %s € on %s (%s)", kind, month, owed, day, posted.number)
    return row


def settle_month(
    month: str, day: date, kinds: tuple[str, ...] | None = None, *, user_id: int | None = None
) -> tuple[list[Settlement], list[str]]:
    """Settle every kind (or ``kinds``) of ``month`` still owed on ``day``: the settlements
    made and, per kind refused, its messages (nothing owed and already settled are skipped
    silently when settling all kinds)."""
    done: list[Settlement] = []
    problems: list[str] = []
    for owed in month_settlements(month):
        if kinds is not None and owed.kind not in kinds:
            continue
        if kinds is None and (owed.settlement is not None or owed.amount <= 0):
            continue
        try:
            done.append(settle(month, owed.kind, day, user_id=user_id))
        except BooksError as exc:
            db.session.rollback()
            problems.extend(exc.messages())
    return done, problems
