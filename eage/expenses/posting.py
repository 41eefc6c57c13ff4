"""Posting the overheads and the operating income (SPEC §5 "Accounting entries"): an expense
to the purchases journal ``HA`` (6xx / 44566 / 401 or 512), an operating income to the bank
journal ``BQ`` (512 / 74x-75x…). The rules live in accounting/ledger.py.

When: the month close posts the month's rows not posted yet, in its transaction
(:func:`post_month`); a row entered for a month already closed is posted at once
(:func:`post_if_closed`). A posted row is frozen (eage/immutability.py): it is corrected by a
negative expense (a supplier credit note), never edited.

The functions only add and flush; the caller holds the issuing lock (the close) or takes it
here (entry in a closed month), and commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from accounting import ledger
from accounting.chart import DEFAULT_ACCOUNTS
from accounting.money import D
from accounting.months import Month
from eage.books.chart import posting_accounts
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.locks import take_issuing_lock
from eage.models import Expense, MonthLock, OperatingIncome
from eage.models.books import JournalEntry, LedgerAccount

Row = Expense | OperatingIncome
R = TypeVar("R", Expense, OperatingIncome)


def _link(model: type[Expense] | type[OperatingIncome]) -> InstrumentedAttribute[int | None]:
    """The entry's column naming a row of ``model``."""
    return JournalEntry.expense_id if model is Expense else JournalEntry.income_id


def posted_numbers(
    model: type[Expense] | type[OperatingIncome], ids: Iterable[int]
) -> dict[int, str]:
    """The number of the validated entry of each posted row, by row id."""
    ids = list(ids)
    if not ids:
        return {}
    column = _link(model)
    return {
        int(cast(int, row_id)): str(number)
        for row_id, number in db.session.execute(
            select(column, JournalEntry.number).where(
                column.in_(ids), JournalEntry.validated_at.is_not(None)
            )
        )
    }


def entry_of(row: Row) -> JournalEntry | None:
    """The row's validated entry, None while it is not posted."""
    if row.id is None:
        return None
    return db.session.scalar(
        select(JournalEntry).where(
            _link(type(row)) == row.id, JournalEntry.validated_at.is_not(None)
        )
    )


def is_month_closed(day: date) -> bool:
    return db.session.get(MonthLock, Month.of(day).key) is not None


def _nearest_label(number: str) -> str | None:
    """The label of the default account sharing the longest prefix (at least 3 digits)."""
    best: tuple[int, str] | None = None
    for acc in DEFAULT_ACCOUNTS:
        common = 0
        for a, b in zip(acc.number, number, strict=False):
            if a != b:
                break
            common += 1
        if common >= 3 and (best is None or common > best[0]):
            best = (common, acc.label)
    return best[1] if best else None


def account_ref(number: str, fallback_label: str) -> ledger.AccountRef:
    """The chart's account ``number``; one the entry checks let through but the chart lacks
    (an account deleted since) is added with the label of its nearest default parent."""
    row = db.session.scalar(select(LedgerAccount).where(LedgerAccount.number == number))
    if row is None:
        label = _nearest_label(number) or fallback_label
        row = LedgerAccount(number=number, label=label[:200])
        db.session.add(row)
        db.session.flush()
    return ledger.AccountRef(row.number, row.label)


def _service_code(row: Row) -> str | None:
    return row.service.code if row.service is not None else None


def post_expense(
    row: Expense, *, user_id: int | None, accounts: ledger.Accounts | None = None
) -> JournalEntry:
    """The ``HA`` entry of an expense, validated now."""
    accounts = accounts or posting_accounts()
    purchase = ledger.PurchaseData(
        reference=f"DEP-{row.id:06d}",
        day=row.date,
        account=account_ref(row.account, row.label),
        label=row.label,
        amount=D(row.amount),
        vat=D(row.vat or 0),
        paid_by=row.paid_by or "supplier",
        supplier=row.supplier,
        service_code=_service_code(row),
    )
    entry = ledger.purchase_entry(purchase, accounts)
    return persist_entry(
        entry, origin="expense", user_id=user_id, validated=True, expense_id=row.id
    )


def post_income(
    row: OperatingIncome, *, user_id: int | None, accounts: ledger.Accounts | None = None
) -> JournalEntry:
    """The ``BQ`` entry of an operating income, validated now."""
    accounts = accounts or posting_accounts()
    entry = ledger.income_entry(
        reference=f"PRD-{row.id:06d}",
        day=row.date,
        account=account_ref(row.account, row.label),
        label=row.label,
        amount=D(row.amount),
        accounts=accounts,
        service_code=_service_code(row),
    )
    return persist_entry(entry, origin="income", user_id=user_id, validated=True, income_id=row.id)


def _unposted(model: type[R], start: date, end: date) -> Sequence[R]:
    column = _link(model)
    posted = select(column).where(column.is_not(None))
    return db.session.scalars(
        select(model)
        .where(model.date >= start, model.date < end, model.id.not_in(posted))
        .order_by(model.date, model.id)
    ).all()


def post_month(month: date, user_id: int | None) -> list[JournalEntry]:
    """Post the month's expenses and operating income not posted yet (the month close calls
    it in its transaction, under the issuing lock)."""
    start, end = Month.of(month).start, Month.of(month).end
    expenses = _unposted(Expense, start, end)
    incomes = _unposted(OperatingIncome, start, end)
    if not expenses and not incomes:
        return []
    accounts = posting_accounts()
    out = [post_expense(e, user_id=user_id, accounts=accounts) for e in expenses]
    out += [post_income(i, user_id=user_id, accounts=accounts) for i in incomes]
    return out


def post_if_closed(rows: Iterable[Row], *, user_id: int | None) -> list[JournalEntry]:
    """Post at once the rows dated in a month already closed (the close will not come back
    to them); the others wait for their month's close."""
    due = [r for r in rows if is_month_closed(r.date) and entry_of(r) is None]
    if not due:
        return []
    take_issuing_lock()
    accounts = posting_accounts()
    return [
        post_expense(r, user_id=user_id, accounts=accounts)
        if isinstance(r, Expense)
        else post_income(r, user_id=user_id, accounts=accounts)
        for r in due
    ]
