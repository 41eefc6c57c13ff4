"""The allocation of a period read from the database (SPEC §5 "Allocation")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.allocation import services
from eage.extensions import db
from eage.models import Expense, OperatingIncome, Payslip
from tests.eage.allocation.conftest import add_expense, add_income

D = Decimal


def test_allocation_by_hand(october) -> None:
    """October 2026, computed by hand (SPEC §5, three steps).

    Payslips of October: KBENALI 3 000.00, CMARTIN 1 000.00, JFOURNIER 500.00 (no time in
    October: the structure carries it). November's payslip, time, expense and invoice are
    outside the period.
    Time: KBENALI LEFIL/PAIE 3 600 min, GAGA/GESTION 1 800 min, internal CP 600 min;
    CMARTIN GAGA/GESTION 1 200 min.
    Step 1: KBENALI 3 000 × 3 600/6 000 = 1 800.00 (LEFIL/PAIE), × 1 800/6 000 = 900.00
    (GAGA/GESTION), × 600/6 000 = 300.00 internal; CMARTIN 1 000.00 to GAGA/GESTION.
    Step 2: structure = 300.00 + 500.00 (JFOURNIER) + 400.00 expense − 200.00 subsidy =
    1 000.00 over billable minutes 3 600 (LEFIL/PAIE) and 3 000 (GAGA/GESTION):
    545.4545… → 545.45 and 454.5454… → 454.54, the leftover cent to the larger fraction
    (.5454, GAGA) → 454.55.
    Step 3: LEFIL/PAIE 2 345.45, GAGA/GESTION 2 354.55; Σ 4 700.00 = 4 500.00 + 400.00 − 200.00.
    Invoiced: LEFIL/PAIE 1 500.00 − credit note 100.00 = 1 400.00 (the fee line is excluded);
    GAGA's invoice is for November.
    """
    period = services.compute("2026-10", "2026-10")
    rows = {(r.member, r.service): r for r in period.rows}
    assert list(rows) == [("GAGA", "GESTION"), ("LEFIL", "PAIE")]
    lefil, gaga = rows["LEFIL", "PAIE"], rows["GAGA", "GESTION"]
    assert (lefil.minutes, lefil.hours) == (3600, D("60.00"))
    assert (lefil.direct_cost, lefil.structure_cost, lefil.total_cost) == (
        D("1800.00"),
        D("545.45"),
        D("2345.45"),
    )
    assert (gaga.direct_cost, gaga.structure_cost, gaga.total_cost) == (
        D("1900.00"),
        D("454.55"),
        D("2354.55"),
    )
    assert lefil.invoiced == D("1400.00") and gaga.invoiced == D("0.00")
    assert lefil.difference == D("945.45")
    r = period.result
    assert (r.employer_cost, r.overheads, r.income, r.internal_cost, r.structure_cost) == (
        D("4500.00"),
        D("400.00"),
        D("200.00"),
        D("800.00"),
        D("1000.00"),
    )
    assert period.total_cost == D("4700.00") and r.unallocated == D("0.00")


def test_dates_or_month_strings_and_member_filter(october) -> None:
    by_date = services.allocation(date(2026, 10, 1), date(2026, 10, 17))
    assert by_date == services.allocation("2026-10", "2026-10")
    assert [r.member for r in services.allocation("2026-10", "2026-10", member="LEFIL")] == [
        "LEFIL"
    ]


def test_two_months_include_november(october) -> None:
    rows = {(r.member, r.service): r for r in services.allocation("2026-10", "2026-11")}
    assert rows["LEFIL", "GESTION"].minutes == 420
    assert rows["GAGA", "GESTION"].invoiced == D("77.00")
    # 4 500 + 3 000 (Nov. payslip) + 400 + 999 − 200
    assert sum(r.total_cost for r in rows.values()) == D("8699.00")


def test_invoiced_without_time_still_shows(october) -> None:
    rows = {(r.member, r.service): r for r in services.allocation("2026-11", "2026-11")}
    assert rows["GAGA", "GESTION"].minutes == 0 and rows["GAGA", "GESTION"].total_cost == D("0.00")
    assert rows["GAGA", "GESTION"].invoiced == D("77.00")


def test_bad_periods_are_refused(demo) -> None:
    with pytest.raises(services.PeriodError, match="before it starts"):
        services.compute("2026-11", "2026-10")
    with pytest.raises(services.PeriodError, match="YYYY-MM"):
        services.compute("2026-13", "2026-10")


def test_no_billable_time_is_unallocated_not_an_error(demo) -> None:
    add_expense("2026-03-02", "120.00")
    period = services.compute("2026-03", "2026-03")
    assert period.rows == [] and period.result.unallocated == D("120.00")


def test_reads_only_grouped_sums(october) -> None:
    """ARCHITECTURE §8: no timesheet row is loaded — every statement on timesheet_entry
    aggregates."""
    from sqlalchemy import event

    statements: list[str] = []

    def _log(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _log)
    try:
        services.compute("2026-01", "2026-12")
    finally:
        event.remove(engine, "before_cursor_execute", _log)
    on_time = [s for s in statements if "timesheet_entry" in s]
    assert on_time and all("GROUP BY" in s and "sum(" in s.lower() for s in on_time)


def test_totals_invariant_with_issued_payslips(app) -> None:
    """November 2026 of the demo group, payslips issued by the payroll service: the members'
    costs add up to the employer cost + overheads − income, to the cent (SPEC §5)."""
    from eage.demo import load_demo
    from eage.payslips import services as payslips
    from tests.conftest import TODAY

    load_demo(2026, today=TODAY, with_time=True)
    payslips.issue_month_payslips(date(2026, 11, 1), user_id=None, issue_date=TODAY)
    db.session.commit()
    add_expense("2026-11-03", "1234.57")
    add_expense("2026-11-20", "-34.56", account="626000")
    add_income("2026-11-10", "333.33")
    period = services.compute("2026-11", "2026-11")
    payroll = db.session.scalar(
        select(func.sum(Payslip.employer_cost)).where(Payslip.month == "2026-11")
    )
    overheads = db.session.scalar(select(func.sum(Expense.amount)))
    income = db.session.scalar(select(func.sum(OperatingIncome.amount)))
    assert payroll > 0
    assert period.total_cost == payroll + overheads - income
    assert len({r.member for r in period.rows}) == 12
    assert all(r.total_cost > 0 for r in period.rows)
