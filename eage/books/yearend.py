"""Closing a fiscal year (SPEC §5 "Locks"; `eage close-year YYYY` and the books' page).

Refused, every reason at once, unless: the year exists and is open, every month of it is
closed, its regularisation is issued (every member's real cost − invoiced is 0.00 €), no OD
draft is dated in it, and the next year can receive its opening entries. Then, in one
transaction under the issuing lock: the next fiscal year is created with the year's settings
if missing, the result (classes 7 − 6) is computed from the year's validated entries, the
opening entry of Y+1 (journal ``AN``, 01/01/Y+1) carries forward the balances of classes 1–5
(per member for 411) and the result on 120000 / 129000 (accounting/yearend.py), and the year
is marked closed (``closed_at``, ``closed_by``, ``result``), audit-logged. A closed year is
final: no entry can be dated in it (eage/books/periods.py), none of its months can be closed
or reopened, and there is no command to reopen it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from accounting import yearend
from accounting.chart import member_aux_number
from accounting.money import D, round_cents
from accounting.months import Month
from eage import audit
from eage.books import periods
from eage.books.chart import ensure_chart, posting_accounts
from eage.books.errors import BooksError
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.locks import take_issuing_lock
from eage.models import FiscalYear, Invoice, Member, MonthLock
from eage.models.base import utcnow
from eage.models.books import JournalEntry, JournalLine, LedgerAccount
from eage.regularisation.services import differences

logger = logging.getLogger(__name__)

# What the next year copies of the closed one when it has to be created.
_NOT_SETTINGS = {"year", "closed_at", "closed_by_id", "result"}


@dataclass
class ClosingPreview:
    """What the closing page shows before the accountant confirms."""

    year: int
    problems: list[str]
    end: yearend.YearEnd
    regularisation_documents: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _cents(total: Any) -> Any:
    """A sum read from the database (a float on SQLite), back to an amount at the cent."""
    return round_cents(D(str(total or 0)))


def year_balances(year: int) -> list[yearend.AccountBalance]:
    """Debit and credit totals per account and auxiliary account of the year's validated
    entries (summed in the database), with the chart's labels."""
    rows = db.session.execute(
        select(
            JournalLine.account_number,
            JournalLine.aux_number,
            func.max(JournalLine.account_label),
            func.max(JournalLine.aux_label),
            func.sum(JournalLine.debit),
            func.sum(JournalLine.credit),
        )
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date >= date(year, 1, 1),
            JournalEntry.date <= date(year, 12, 31),
        )
        .group_by(JournalLine.account_number, JournalLine.aux_number)
    ).all()
    labels = dict(db.session.execute(select(LedgerAccount.number, LedgerAccount.label)).all())
    members = {member_aux_number(code): code for code in db.session.scalars(select(Member.code))}
    return [
        yearend.AccountBalance(
            account=number,
            account_label=labels.get(number) or label or "",
            debit=_cents(debit),
            credit=_cents(credit),
            aux_number=aux,
            aux_label=aux_label if aux else None,
            member_code=members.get(aux) if aux else None,
        )
        for number, aux, label, aux_label, debit, credit in rows
    ]


def _open_months(year: int) -> list[str]:
    closed = set(
        db.session.scalars(select(MonthLock.month).where(MonthLock.month.like(f"{year}-%")))
    )
    return [m.key for m in Month(year, 1).through(Month(year, 12)) if m.key not in closed]


def _regularisation_problems(year: int) -> list[str]:
    """The regularisation is issued when every member's real cost of the year equals what
    it was invoiced (SPEC §5 "Year-end regularisation": afterwards the differences are 0)."""
    left = [d for d in differences(year) if d.per_service]
    if not left:
        return []
    total = sum((d.difference for d in left), D(0))
    return [
        f"la régularisation annuelle {year} n'est pas émise : {len(left)} adhérent(s) "
        f"avec un écart coût réel − facturé (total {total} €) ; lancez « eage regularise "
        f"{year} »"
    ]


def _drafts(year: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(JournalEntry.id)).where(
                JournalEntry.validated_at.is_(None),
                JournalEntry.date >= date(year, 1, 1),
                JournalEntry.date <= date(year, 12, 31),
            )
        )
        or 0
    )


def closing_problems(year: int, today: date | None = None) -> list[str]:
    """Every reason the year cannot be closed (empty: it can)."""
    today = today or date.today()
    fiscal_year = db.session.get(FiscalYear, year)
    if fiscal_year is None:
        return [f"l'exercice {year} n'existe pas"]
    if fiscal_year.is_closed:
        return [f"l'exercice {year} est déjà clôturé (le {fiscal_year.closed_at:%d/%m/%Y})"]
    problems = []
    if today <= date(year, 12, 31):
        problems.append(
            tr("l'exercice %(year)s n'est pas terminé (il se termine le 31/12/%(year)s)", year=year)
        )
    missing = _open_months(year)
    if missing:
        problems.append(
            tr(
                "tous les mois de %(year)s doivent être clôturés ; encore ouverts : %(items)s",
                year=year,
                items=", ".join(missing),
            )
        )
    else:
        problems += _regularisation_problems(year)
    drafts = _drafts(year)
    if drafts:
        problems.append(
            tr(
                "%(drafts)s écriture(s) OD en brouillon datée(s) de %(year)s : validez-les ou "
                "supprimez-les",
                drafts=drafts,
                year=year,
            )
        )
    next_year = db.session.get(FiscalYear, year + 1)
    if next_year is not None and next_year.is_closed:
        problems.append(tr("l'exercice %(year)s est déjà clôturé", year=year + 1))
    locked = periods.lock_date()
    if locked is not None and locked >= date(year + 1, 1, 1):
        problems.append(
            tr(
                "la période est verrouillée jusqu'au %(locked)s : les à-nouveaux du "
                "01/01/%(next_year)s ne peuvent pas être passés",
                locked=format(locked, "%d/%m/%Y"),
                next_year=year + 1,
            )
        )
    return problems


def compute(year: int) -> yearend.YearEnd:
    """The result of the year and its opening entry of Y+1, from the books as they are."""
    ensure_chart()
    accounts = posting_accounts()
    return yearend.close_year(
        year,
        year_balances(year),
        profit=accounts["result_profit"],
        loss=accounts["result_loss"],
    )


def preview(year: int, today: date | None = None) -> ClosingPreview:
    documents = db.session.scalars(
        select(Invoice.number)
        .where(
            Invoice.origin == "regularisation",
            Invoice.period_end >= date(year, 1, 1),
            Invoice.period_end <= date(year, 12, 31),
        )
        .order_by(Invoice.number)
    ).all()
    return ClosingPreview(year, closing_problems(year, today), compute(year), list(documents))


def _next_fiscal_year(closing: FiscalYear, user_id: int | None) -> FiscalYear:
    """Y+1's fiscal year, created with Y's settings when it does not exist yet."""
    following = db.session.get(FiscalYear, closing.year + 1)
    if following is not None:
        return following
    settings = {
        column.key: getattr(closing, column.key)
        for column in FiscalYear.__table__.columns
        if column.key not in _NOT_SETTINGS
    }
    following = FiscalYear(year=closing.year + 1, **settings)
    db.session.add(following)
    db.session.flush()
    audit.record(
        "create",
        "fiscal_year",
        following.year,
        user_id=user_id,
        summary=f"{following.year}, paramètres repris de {closing.year} (clôture)",
    )
    return following


def close_year(
    year: int, *, user_id: int | None = None, today: date | None = None
) -> yearend.YearEnd:
    """Close ``year`` (see the module); :class:`BooksError` with every reason when refused,
    nothing written."""
    take_issuing_lock()  # first: no document, entry or close of a month meanwhile
    problems = closing_problems(year, today)
    if problems:
        db.session.rollback()
        raise BooksError(problems)
    fiscal_year = db.session.get(FiscalYear, year)
    assert fiscal_year is not None
    _next_fiscal_year(fiscal_year, user_id)
    end = compute(year)
    opening = None
    if end.opening is not None:
        opening = persist_entry(end.opening, origin="opening", user_id=user_id, validated=True)
    fiscal_year.closed_at = utcnow()
    fiscal_year.closed_by_id = user_id
    fiscal_year.result = end.result
    audit.record(
        "close",
        "fiscal_year",
        year,
        user_id=user_id,
        summary=(
            f"exercice {year} clôturé : produits {end.income} €, charges {end.expenses} €, "
            f"résultat {end.result} € ; à-nouveaux {opening.number if opening else 'aucun'}"
        ),
    )
    db.session.commit()
    logger.info("year %d closed by user %s: result %s €", year, user_id, end.result)
    return end
