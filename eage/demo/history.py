"""The demo's past, lived through the real services as a group lives it: each month that has
ended is closed early in the next one by the month close itself (payslips, invoices, time
statements, entries: ``eage close-month``), the salaries and charges are paid the same day,
the year's membership fees are invoiced in January, the overheads are booked in their month,
and the members pay their invoices a few weeks after issue — all but one, which pays about
two and a half months late, so some of its invoices are overdue, as in a real group.

Everything is dated on the day it would have happened (never after `today`), in order, so
the books read as a true year. Idempotent: what is already closed, paid or booked is left."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from sqlalchemy import func, select

from accounting.calendar import french_public_holidays
from accounting.months import Month
from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import Expense, Invoice, Member, MonthLock, Payment
from eage.payslips import settlements

CLOSE_DAY = 5  # the month is closed on the first working day from the 5th of the next one
CLOSE_TIME = clock(17, 0)  # at the end of the closing day
FEES_DAY = 15  # the membership fees are invoiced on 15 January
LATE_MEMBER = "YESHT"  # pays about two and a half months after issue
LATE_DELAY = 75
PAID_BY_CHEQUE = {"GAGA", "CD1D"}

# day of the month, account, label, amount, supplier, paid by — the budget's overheads
# month by month (rent, software, telecoms and bank fees of the 2026 budget / 12).
OVERHEADS = [
    (5, "613200", "Loyer — bureau 20 rue Saint-Joseph", Decimal("300.00"), "SCI Saint-Joseph",
     "bank"),
    (10, "651100", "Logiciels de paie et de comptabilité", Decimal("200.00"), "Éditeur logiciel",
     "supplier"),
    (20, "626000", "Téléphone et internet", Decimal("100.00"), "Opérateur", "supplier"),
    (28, "627000", "Frais de tenue de compte", Decimal("40.00"), None, "bank"),
]  # fmt: skip

Progress = Callable[[str], None]


def close_day(month: Month, today: date) -> date:
    """The day `month` is closed: the first working day (not a public holiday) from the 5th
    of the next month, or `today` if that is later than today."""
    day = month.next().start.replace(day=CLOSE_DAY)
    while day.weekday() >= 5 or day in french_public_holidays(day.year):
        day += timedelta(days=1)
    return min(day, today)


def ended_months(year: int, today: date) -> list[Month]:
    """The months of `year` that have ended by `today` (all twelve for a past year)."""
    return [m for m in (Month(year, n) for n in range(1, 13)) if m.next().start <= today]


def load_history(year: int, today: date, report: list[str]) -> None:
    """Close every month of `year` that has ended, with its payments, fees and overheads."""
    paid = 0
    for month in ended_months(year, today):
        if closing.is_closed(month.start):
            continue
        day = close_day(month, today)
        _book_overheads(month, until=today)
        if month.month == 1:
            _invoice_fees(year, today, report)
        paid += _pay_due(year, until=day - timedelta(days=1))
        report.append(_close(month, day))
    if date(year, 1, 1) <= today:
        _book_overheads(Month.of(min(today, date(year, 12, 31))), until=today)
    paid += _pay_due(year, until=today)
    if paid:
        report.append(f"payments: {paid} recorded; {_late_summary(year, today)}")


def _close(month: Month, day: date) -> str:
    started = time.perf_counter()
    result = closing.close_month(month.start, today=day)
    # the lock reads as the close it simulates (issued on `day`), not as the load's clock
    lock = db.session.get(MonthLock, month.key)
    if lock is not None:
        lock.closed_at = datetime.combine(day, CLOSE_TIME)
        db.session.commit()
    # the group pays the month's net salaries, social charges and withholding tax
    settlements.settle_month(month.key, day)
    return (
        f"{month.key} closed: {len(result.invoices)} invoices, {len(result.payslips)} payslips"
        f" ({time.perf_counter() - started:.1f} s)"
    )


def _invoice_fees(year: int, today: date, report: list[str]) -> None:
    """The year's membership fees, issued before January's invoices (numbers follow dates)."""
    day = date(year, 1, FEES_DAY)
    if day > today:
        return
    started = time.perf_counter()
    issued = invoicing.invoice_fees(year, issue_date=day)
    if issued:
        report.append(
            f"{year} membership fees: {len(issued)} invoices"
            f" ({time.perf_counter() - started:.1f} s)"
        )


def _book_overheads(month: Month, *, until: date) -> None:
    """The month's overheads dated up to `until`, once (the month's close posts them)."""
    for day_of_month, account, label, amount, supplier, paid_by in OVERHEADS:
        day = month.start.replace(day=day_of_month)
        if day > until:
            continue
        known = db.session.scalar(
            select(func.count(Expense.id)).where(
                Expense.date == day, Expense.account == account, Expense.label == label
            )
        )
        if not known:
            db.session.add(
                Expense(date=day, account=account, label=label, amount=amount,
                        supplier=supplier, paid_by=paid_by)
            )  # fmt: skip
    db.session.commit()


def _delay(code: str) -> int:
    """Days between an invoice and its payment: 10 to 28 (on time: 30 days' terms)."""
    if code == LATE_MEMBER:
        return LATE_DELAY
    return 10 + (sum(map(ord, code)) * 7) % 19


def _pay_due(year: int, *, until: date) -> int:
    """Each member pays, on its usual day, every invoice of `year` due to be paid by
    `until` and not paid yet; oldest payment first. Returns how many were recorded."""
    unpaid = db.session.scalars(
        select(Invoice)
        .join(Member, Invoice.member_id == Member.id)
        .where(Invoice.kind == "invoice", Invoice.year == year, Invoice.status != "paid")
        .where(~Invoice.allocations.any())
    ).all()
    due = sorted(
        (inv.issue_date + timedelta(days=_delay(inv.member.code)), inv.issue_date, inv.seq, inv)
        for inv in unpaid
        if inv.issue_date + timedelta(days=_delay(inv.member.code)) <= until
    )
    for pay_day, _issued, _seq, inv in due:
        amount = invoicing.outstanding(inv)
        if amount <= 0:
            continue
        cheque = inv.member.code in PAID_BY_CHEQUE
        invoicing.record_payment(
            member=inv.member,
            day=pay_day,
            amount=amount,
            method="cheque" if cheque else "virement",
            reference=f"{'CHQ' if cheque else 'VIR'} {inv.member.code} {inv.number}",
            allocations={inv.id: amount},
        )
    return len(due)


def _late_summary(year: int, today: date) -> str:
    late = db.session.scalar(select(Member).where(Member.code == LATE_MEMBER))
    if late is None:
        return "nobody late"
    owed = [
        inv
        for inv in db.session.scalars(
            select(Invoice).where(
                Invoice.member_id == late.id, Invoice.kind == "invoice", Invoice.year == year
            )
        )
        if invoicing.outstanding(inv) > 0
    ]
    overdue = [inv for inv in owed if inv.due_date < today]
    paid = db.session.scalar(select(func.count(Payment.id)).where(Payment.member_id == late.id))
    return (
        f"{LATE_MEMBER} pays late: {len(owed)} invoice(s) unpaid, {len(overdue)} overdue"
        f" ({paid} paid)"
    )
