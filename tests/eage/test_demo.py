"""The demo tells the truth (issue 14): `eage load-demo` loads the group as it stands on the
day it is loaded — the months that have ended closed by the real month close (payslips,
invoices, statements, entries), salaries paid, a few weeks of payments received and one
member late, the current month open with its time to date — and `--no-time` the reference
data only.

The invoices' and statements' files are replaced by placeholders here (as in the true-year
test): rendering is the close's own business, tested with the close; what is checked is what
the demo asks of it and what an accountant then reads in the books."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import eage.demo
from accounting.fec_check import audit_fec, summarise_fec
from accounting.months import Month
from eage.books.fec import build_fec
from eage.demo import MEMBERS, load_demo
from eage.demo.history import LATE_MEMBER, close_day, ended_months
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import (
    BudgetLine,
    Expense,
    FiscalYear,
    Invoice,
    JournalEntry,
    JournalLine,
    Member,
    MonthLock,
    Payment,
    Payslip,
    Settlement,
    StoredDocument,
    TimesheetEntry,
    User,
)
from tests.placeholders import use_placeholder_documents

APRIL_15 = date(2026, 4, 15)


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_loaded_on_15_april(app, runner, monkeypatch) -> None:
    """`eage load-demo` run on 15 April 2026, what `make run` does that day: one load (the
    closes are the costly part), then what the accountant checks, one part at a time."""
    use_placeholder_documents(monkeypatch)
    monkeypatch.setattr(eage.demo, "_today", lambda: APRIL_15)
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    _the_months_that_have_ended_are_closed_the_current_one_open(result.output)
    _each_closed_month_has_its_invoices_payslips_and_statements()
    _the_books_of_the_closed_months_balance()
    _members_pay_a_few_weeks_after_issue_but_one_is_late(result.output)
    _a_second_load_changes_nothing_and_says_so(runner)


def _the_months_that_have_ended_are_closed_the_current_one_open(out: str) -> None:
    # progress: one line per month closed, as it is closed
    for key in ("2026-01", "2026-02", "2026-03"):
        assert f"{key} closed: 12 invoices, 3 payslips (" in out
    assert "2026 membership fees: 12 invoices" in out and "Demo users" in out
    assert out.index("2026-01 closed") < out.index("2026-02 closed") < out.index("2026-03 closed")
    assert sorted(db.session.scalars(select(MonthLock.month))) == ["2026-01", "2026-02", "2026-03"]
    # each lock reads as the close it simulates: dated on its close day, not on the load's
    for lock in db.session.scalars(select(MonthLock)):
        assert lock.closed_at.date() == close_day(Month.parse(lock.month), APRIL_15)
    # nobody works on a public holiday (art. L3133-1 C. trav.): 1 January, Easter Monday
    holidays = [date(2026, 1, 1), date(2026, 4, 6)]
    assert not db.session.scalar(
        select(func.count(TimesheetEntry.id)).where(TimesheetEntry.date.in_(holidays))
    )
    # April is open: its time is there up to today, and nothing of it is invoiced
    april = db.session.scalars(
        select(TimesheetEntry.date).where(TimesheetEntry.date >= date(2026, 4, 1))
    ).all()
    assert april and max(april) == APRIL_15
    assert not db.session.scalar(select(func.count(Invoice.id)).where(Invoice.month == "2026-04"))
    assert not db.session.scalar(select(func.count(Payslip.id)).where(Payslip.month == "2026-04"))


def _each_closed_month_has_its_invoices_payslips_and_statements() -> None:
    members = {m.id: m.code for m in db.session.scalars(select(Member))}
    numbers: list[tuple[date, str]] = []
    for n in (1, 2, 3):
        key = f"2026-{n:02d}"
        monthly = db.session.scalars(
            select(Invoice).where(Invoice.month == key, Invoice.kind == "invoice")
        ).all()
        # one invoice per member invoiced (every member had time), issued on the close day
        assert sorted(members[i.member_id] for i in monthly) == sorted(m[0] for m in MEMBERS)
        assert {i.issue_date for i in monthly} == {close_day(Month(2026, n), APRIL_15)}
        assert all(i.total_incl_tax > 0 and i.number.startswith("F-2026-") for i in monthly)
        numbers += [(i.issue_date, i.number) for i in monthly]
        payslips = db.session.scalars(select(Payslip).where(Payslip.month == key)).all()
        assert len(payslips) == 3 and len({p.employee_id for p in payslips}) == 3
        statements = db.session.scalar(
            select(func.count(StoredDocument.id)).where(
                StoredDocument.month == key, StoredDocument.kind == "statement_pdf"
            )
        )
        assert statements == 12
        # the salaries, charges and withholding tax of the month are paid
        assert db.session.scalar(select(func.count(Settlement.id)).where(Settlement.month == key))
    # invoice numbers follow the issue dates without a gap: fees first (15/1), then the months
    fees = db.session.scalars(select(Invoice.number).where(Invoice.origin == "fee")).all()
    all_numbers = sorted(
        [*fees, *(n for _d, n in numbers)], key=lambda number: int(number.rsplit("-", 1)[1])
    )
    assert [int(n.rsplit("-", 1)[1]) for n in all_numbers] == list(range(1, 12 * 4 + 1))
    assert [n for _d, n in sorted(numbers)] == [n for n in all_numbers if n not in fees]


def _the_books_of_the_closed_months_balance() -> None:
    fec = build_fec(2026)
    assert audit_fec(fec.data, fec.filename, 2026) == []
    books = summarise_fec(fec.data)
    assert sum(books.accounts.values(), Decimal("0")) == 0
    for entry_id, debit, credit in db.session.execute(
        select(JournalLine.entry_id, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalLine.entry)
        .where(JournalEntry.validated_at.is_not(None))
        .group_by(JournalLine.entry_id)
    ):
        assert debit == credit, entry_id
    # sales of three months and the fees, payroll of three months, three months of rent
    assert -books.total("706") > 0 and -books.total("756") > 0 and books.total("641") > 0
    assert books.total("6132") == Decimal("900.00")
    # the overheads of April are booked but wait for April's close
    assert count(Expense) == 4 * 3 + 2  # and rent (5/4) and software (10/4) of April


def _members_pay_a_few_weeks_after_issue_but_one_is_late(out: str) -> None:
    assert "payments:" in out and f"{LATE_MEMBER} pays late: 3 invoice(s) unpaid, 2 overdue" in out
    payments = db.session.scalars(select(Payment)).all()
    assert payments and max(p.date for p in payments) <= APRIL_15
    overdue: dict[str, int] = defaultdict(int)
    open_: dict[str, int] = defaultdict(int)
    for inv in db.session.scalars(select(Invoice).where(Invoice.kind == "invoice")):
        for alloc in inv.allocations:
            assert alloc.payment.date > inv.issue_date
        if invoicing.display_status(inv, APRIL_15) == "overdue":
            overdue[inv.member.code] += 1
        elif invoicing.outstanding(inv) > 0:
            open_[inv.member.code] += 1
    # the late member owes its last invoices, two of them past due; the others are up to date
    assert set(overdue) == {LATE_MEMBER} and overdue[LATE_MEMBER] >= 2
    assert set(open_) <= {m[0] for m in MEMBERS} and len(open_) >= 6  # March's, not yet due
    paid = {p.member.code for p in payments}
    assert len(paid) == 12  # the late member too paid its fee and first invoices, late


def _a_second_load_changes_nothing_and_says_so(runner) -> None:  # type: ignore[no-untyped-def]
    snapshot = [
        count(m) for m in (Invoice, Payment, Payslip, JournalEntry, TimesheetEntry, Expense)
    ]
    again = runner.invoke(args=["load-demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded: nothing to do" in again.output and "closed:" not in again.output
    assert [
        count(m) for m in (Invoice, Payment, Payslip, JournalEntry, TimesheetEntry, Expense)
    ] == snapshot


def test_no_time_loads_the_reference_data_only(app, runner, monkeypatch) -> None:
    monkeypatch.setattr(eage.demo, "_today", lambda: APRIL_15)
    result = runner.invoke(args=["load-demo", "--no-time"])
    assert result.exit_code == 0, result.output
    assert "member LEFIL" in result.output and "closed:" not in result.output
    assert count(Member) == 12 and count(User) == 4 and count(BudgetLine) == 10
    assert db.session.get(FiscalYear, 2026) is not None
    for model in (TimesheetEntry, MonthLock, Invoice, Payslip, Payment, JournalEntry, Expense):
        assert count(model) == 0, model.__name__


def test_a_future_year_gets_reference_data_and_nothing_else(app) -> None:
    lines = load_demo(2027, today=APRIL_15, close_past=True)
    assert "fiscal year 2027" in lines
    assert count(TimesheetEntry) == count(MonthLock) == count(Invoice) == 0


@pytest.mark.parametrize(
    ("year", "today", "closed"),
    [
        (2026, date(2026, 12, 1), [f"2026-{n:02d}" for n in range(1, 12)]),
        (2026, date(2026, 11, 30), [f"2026-{n:02d}" for n in range(1, 11)]),
        (2025, date(2026, 12, 1), [f"2025-{n:02d}" for n in range(1, 13)]),
        (2027, date(2026, 12, 1), []),
        (2026, date(2026, 1, 20), []),
    ],
)
def test_which_months_a_load_closes(year: int, today: date, closed: list[str]) -> None:
    assert [m.key for m in ended_months(year, today)] == closed


@pytest.mark.parametrize(
    ("month", "today", "day"),
    [
        # 5 April 2026 is a Sunday, the 6th Easter Monday (art. L3133-1 C. trav.)
        (Month(2026, 3), date(2026, 12, 1), date(2026, 4, 7)),
        (Month(2026, 1), date(2026, 12, 1), date(2026, 2, 5)),
        (Month(2026, 11), date(2026, 12, 1), date(2026, 12, 1)),  # never after today
        (Month(2025, 12), date(2026, 12, 1), date(2026, 1, 5)),
    ],
)
def test_a_month_is_closed_early_in_the_next_one(month: Month, today: date, day: date) -> None:
    assert close_day(month, today) == day


def test_a_demo_loaded_earlier_gets_the_time_of_the_days_since(app) -> None:
    """Loaded on 20 January, loaded again on 30 January: the days between get their time
    (else the months would close empty), the days already there are left alone."""
    load_demo(2026, today=date(2026, 1, 20), close_past=True)
    before = count(TimesheetEntry)
    days = set(db.session.scalars(select(TimesheetEntry.date)))
    assert max(days) == date(2026, 1, 20)
    lines = load_demo(2026, today=date(2026, 1, 30), close_past=True)
    assert any(line.startswith("timesheets 2026 from 21/01: ") for line in lines)
    added = db.session.scalars(
        select(TimesheetEntry.date).where(TimesheetEntry.date > date(2026, 1, 20))
    ).all()
    assert min(added) == date(2026, 1, 21) and max(added) == date(2026, 1, 30)
    assert count(TimesheetEntry) == before + len(added)
    assert load_demo(2026, today=date(2026, 1, 30), close_past=True) == [
        "demo group for 2026 already loaded: nothing to do"
    ]
