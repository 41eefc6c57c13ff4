"""The dashboard's figures on the hand-computable dataset of conftest.two_months.

January and February 2026 (the last issued payslips are February's, so that is the
reporting month; March's time and rent are not counted yet):

* payroll: KBENALI 2 400 gross + 600 employer = 3 000 a month; CMARTIN 800 + 200 − 50
  reductions = 950 a month → 641: 6 400.00, 645: 1 500.00, employer cost 7 900.00;
* expenses: rent 613200 300 + 300, 606400 (no budget line) 50; subsidy 740000 100;
* time: KBENALI LEFIL PAIE 60 h + 40 h, GAGA GESTION 30 h, internal GESTION 2 h, CP 10 h;
  CMARTIN GAGA GESTION 20 h, LEFIL GESTION 10 h;
* invoiced: LEFIL PAIE 2 000 − 100 credit note (+ a 3 120 fee, never counted), GAGA 1 000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from eage.allocation import services as allocation_services
from eage.dashboard import services
from eage.dashboard.figures import run_rate
from eage.dashboard.period import reporting_month
from eage.dashboard.table import Table
from eage.models import Contract, Employee, FiscalYear
from tests.eage.dashboard.factories import JANUARY, add_expense, add_invoice

D = Decimal
TODAY = date(2026, 11, 28)


@pytest.fixture()
def board(two_months):  # type: ignore[no-untyped-def]
    return services.dashboard(2026, today=TODAY)


def _row(table: Table[Any], **match: object) -> Any:
    found = [r for r in table.all_rows() if all(r.cell(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_reporting_month_is_the_last_month_with_payslips(board) -> None:  # type: ignore[no-untyped-def]
    assert board.through == 2
    assert board.through_label == "février 2026"


def test_reporting_month_without_payslips(demo) -> None:  # type: ignore[no-untyped-def]
    assert reporting_month(2026, TODAY) == 11  # months elapsed
    assert reporting_month(2025, TODAY) == 12
    assert reporting_month(2027, TODAY) == 0  # not begun: budget only
    future = services.dashboard(2027, today=TODAY)
    assert future.tables["repartition"].rows == []


def test_budget_vs_actual_by_hand(board) -> None:  # type: ignore[no-untyped-def]
    t = board.tables["budget"]
    salaries = _row(t, account="641100")
    # 79 200 / 12 = 6 600 a month; two months.
    assert (salaries.budget, salaries.budget_to_date, salaries.actual) == (
        D("79200.00"),
        D("13200.00"),
        D("6400.00"),
    )
    assert salaries.variance == D("-6800.00")
    assert salaries.forecast == D("38400.00")  # 6 400 × 12 / 2
    assert salaries.forecast_variance == D("-40800.00")
    assert salaries.status_code == "under" and "Sous-consommation" in salaries.status
    contributions = _row(t, account="645100")
    # 20 300 / 12 by largest remainder: 1 691.67 for January…August, 1 691.66 after.
    assert contributions.budget_to_date == D("3383.34")
    assert contributions.actual == D("1500.00")  # (600 + 200 − 50) × 2
    rent = _row(t, account="613200")
    assert (rent.actual, rent.forecast, rent.status_code) == (D("600.00"), D("3600.00"), "ok")
    assert rent.consumed == D("0.1667")
    unbudgeted = _row(t, account="606400")
    assert (unbudgeted.budget, unbudgeted.actual, unbudgeted.forecast) == (
        D("0"),
        D("50.00"),
        D("300.00"),
    )
    assert unbudgeted.status_code == "unbudgeted" and "hors budget" in unbudgeted.status
    subsidy = _row(t, account="740000")
    assert (subsidy.kind, subsidy.actual, subsidy.status_code) == (
        "Produits",
        D("100.00"),
        "income_extra",
    )
    charges = _row(t, label="Total des charges")
    assert (charges.budget, charges.actual, charges.forecast) == (
        D("115000.00"),
        D("8550.00"),
        D("51300.00"),
    )
    net = _row(t, label="Coût net (charges − produits)")
    # The net actual is exactly what the allocation distributes: employer cost + overheads − income.
    assert net.actual == D("8450.00") == board.summary.allocated
    assert net.forecast == D("50700.00")


def test_budget_by_month(board) -> None:  # type: ignore[no-untyped-def]
    t = board.tables["budget_mois"]
    assert [c.key for c in t.columns] == ["account", "label", "m01", "m02", "actual"]
    salaries = _row(t, account="641100")
    assert (salaries.cell("m01"), salaries.cell("m02")) == (D("3200.00"), D("3200.00"))
    net = _row(t, label="Coût net (charges − produits)")
    assert (net.cell("m01"), net.cell("m02"), net.actual) == (
        D("4250.00"),
        D("4200.00"),
        D("8450.00"),
    )
    cumulative = board.charts.budget.cumulative
    assert cumulative.actual == [D("4250.00"), D("8450.00")]
    assert cumulative.budget[-1] == D("115000.00")
    assert cumulative.forecast[1] == D("8450.00") and cumulative.forecast[11] == D("50700.00")


def test_allocation_by_hand(board) -> None:  # type: ignore[no-untyped-def]
    """Step 1: KBENALI's 6 000 € over 8 520 min → LEFIL PAIE 4 225.35, GAGA GESTION
    1 267.61, CP 422.53, internal GESTION 84.51 (the two extra cents to the largest
    remainders); CMARTIN's 1 900 € → GAGA 1 266.67, LEFIL GESTION 633.33. Step 2: structure
    507.04 + 650 − 100 = 1 057.04 over 9 600 billable minutes → GAGA 330.33 (tie won on the
    member code), LEFIL GESTION 66.06, LEFIL PAIE 660.65."""
    t = board.tables["repartition"]
    gaga, lefil = _row(t, member="GAGA"), _row(t, member="LEFIL")
    assert (gaga.direct_cost, gaga.structure_cost, gaga.total_cost) == (
        D("2534.28"),
        D("330.33"),
        D("2864.61"),
    )
    assert (lefil.cell("cost_GESTION"), lefil.cell("cost_PAIE")) == (D("699.39"), D("4886.00"))
    assert (lefil.cell("hours_GESTION"), lefil.cell("hours_PAIE"), lefil.hours) == (
        D("10.00"),
        D("100.00"),
        D("110.00"),
    )
    assert gaga.cell("hours_PAIE") is None and gaga.cell("cost_PAIE") is None
    assert (gaga.invoiced, lefil.invoiced) == (D("1000.00"), D("1900.00"))  # fee excluded
    assert (gaga.share, lefil.share) == (D("0.3390"), D("0.6610"))
    total = _row(t, name="Total")
    assert total.total_cost == D("8450.00") and total.invoiced == D("2900.00")


def test_allocation_is_the_services_not_a_copy(board) -> None:  # type: ignore[no-untyped-def]
    rows = allocation_services.allocation("2026-01", "2026-02")
    t = board.tables["repartition"]
    for r in rows:
        line = _row(t, member=r.member)
        assert line.cell(f"cost_{r.service}") == sum(
            (x.total_cost for x in rows if x.member == r.member and x.service == r.service), D(0)
        )


def test_monthly_allocation(board) -> None:  # type: ignore[no-untyped-def]
    """Each month's own allocation: February has LEFIL's time only, so LEFIL carries all of
    February's 4 200.00 (3 000 + 950 + 300 + 50 − 100); January splits 4 250.00."""
    t = board.tables["repartition_mois"]
    assert _row(t, member="LEFIL").cell("m02") == D("4200.00")
    assert _row(t, member="GAGA").cell("m02") == D("0.00")
    total = _row(t, name="Total")
    assert (total.cell("m01"), total.cell("m02"), total.total) == (
        D("4250.00"),
        D("4200.00"),
        D("8450.00"),
    )
    january = allocation_services.compute("2026-01", "2026-01").result.per_member()
    assert _row(t, member="GAGA").cell("m01") == january["GAGA"]


def test_capacity_by_hand(board) -> None:  # type: ignore[no-untyped-def]
    """1 607 h a year per FTE (FiscalYear.hours_denominator); to date: 59 days of 365."""
    t = board.tables["capacite"]
    kb = _row(t, employee="KBENALI")
    assert (kb.fte, kb.available_year, kb.available) == (
        D("1.00"),
        D("1607.00"),
        D("259.76"),
    )
    assert (kb.worked, kb.billable, kb.internal, kb.absences) == (
        D("132.00"),
        D("130.00"),
        D("2.00"),
        D("10.00"),
    )
    assert kb.occupation == D("0.5082")  # 132 / 259.76
    assert kb.billable_rate == D("0.9848")  # 7 800 / 7 920 min
    jf = _row(t, employee="JFOURNIER")
    assert (jf.fte, jf.available_year, jf.worked) == (D("0.50"), D("803.50"), D("0.00"))
    total = _row(t, name="Total")
    assert (total.fte, total.available_year, total.available) == (
        D("2.50"),
        D("4017.50"),
        D("649.40"),
    )
    assert (total.worked, total.billable) == (D("162.00"), D("160.00"))
    s = board.tables["capacite_services"]
    assert (_row(s, service="GESTION").worked, _row(s, service="GESTION").billable) == (
        D("62.00"),
        D("60.00"),
    )
    assert _row(s, service="PAIE").share == D("0.6250")


def test_capacity_uses_the_years_denominator_and_contract_dates(board, db) -> None:  # type: ignore[no-untyped-def]
    db.session.get(FiscalYear, 2026).hours_denominator = 1820
    jf = db.session.query(Employee).filter_by(code="JFOURNIER").one()
    jf.contracts[0].end_date = date(2026, 1, 31)  # half-time until 31 January…
    jf.contracts.append(
        Contract(
            kind="CDD",
            start_date=date(2026, 2, 1),
            end_date=date(2026, 12, 31),
            weekly_hours=D("35"),
            monthly_gross=D("2500.00"),
        )
    )  # …then full time
    db.session.commit()
    row = _row(services.dashboard(2026, today=TODAY).tables["capacite"], employee="JFOURNIER")
    # 0.5 × 31/365 + 1 × 334/365 = 0.957534 FTE; × 1 820 h = 1 742.71 h.
    assert row.fte == D("0.96")
    assert row.available_year == D("1742.71")
    # To the end of February: (0.5 × 31 + 1 × 28) / 365 × 1 820 = 216.90 h.
    assert row.available == D("216.90")


def test_planned_hours_and_alerts(board) -> None:  # type: ignore[no-untyped-def]
    t = board.tables["heures_prevues"]
    gaga = _row(t, member="GAGA", service="GESTION")
    assert (gaga.planned, gaga.consumed, gaga.share) == (
        D("52.00"),
        D("50.00"),
        D("0.9615"),
    )
    assert gaga.status_code == "alert" and "90 %" in gaga.status
    lefil_paie = _row(t, member="LEFIL", service="PAIE")
    assert (lefil_paie.planned, lefil_paie.consumed, lefil_paie.projection) == (
        D("230"),
        D("100.00"),
        D("600.00"),
    )
    assert lefil_paie.status_code == "trend"  # 600 h by December at this pace
    assert _row(t, member="LEFIL", service="GESTION").status_code == "ok"
    assert _row(t, member="CD1D", service="RESEAU").consumed == D("0.00")
    assert [(a.member, a.service) for a in board.summary.alerts] == [("GAGA", "GESTION")]
    # Consumed hours are the allocation's billable hours, member by member.
    for r in allocation_services.allocation("2026-01", "2026-02"):
        assert _row(t, member=r.member, service=r.service).consumed == r.hours


def test_regularisation_if_the_year_ended_now(board) -> None:  # type: ignore[no-untyped-def]
    t = board.tables["regularisation"]
    gaga, lefil = _row(t, member="GAGA"), _row(t, member="LEFIL")
    assert (gaga.total_cost, gaga.invoiced, gaga.difference) == (
        D("2864.61"),
        D("1000.00"),
        D("1864.61"),
    )
    assert gaga.outcome == "Facture complémentaire"
    assert (lefil.total_cost, lefil.invoiced, lefil.difference) == (
        D("5585.39"),
        D("1900.00"),
        D("3685.39"),
    )
    total = _row(t, name="Total")
    assert total.difference == D("5550.00")  # 8 450 real − 2 900 invoiced


def test_over_invoiced_member_gets_a_credit(two_months) -> None:  # type: ignore[no-untyped-def]
    add_invoice("GAGA", "invoice", "monthly", JANUARY, [("service", "GESTION", "2000.00")])
    row = _row(services.dashboard(2026, today=TODAY).tables["regularisation"], member="GAGA")
    assert row.difference == D("-135.39") and row.outcome == "Avoir"


def test_forecast_over_budget_is_flagged(two_months, db) -> None:  # type: ignore[no-untyped-def]
    add_expense("2026-02-20", "1000.00", "616000")  # insurance: 900 budgeted for the year
    board = services.dashboard(2026, today=TODAY)
    row = _row(board.tables["budget"], account="616000")
    assert row.forecast == D("6000.00") and row.status_code == "over"
    assert row.status == "▲ Dépassement prévu"
    assert row in board.summary.over_lines


@pytest.mark.parametrize(
    ("value", "months", "expected"),
    [
        (D("100.00"), 3, D("400.00")),
        (D("10.00"), 7, D("17.14")),
        (D("0.00"), 5, D("0.00")),
        (D("1.00"), 12, D("1.00")),
    ],
)
def test_run_rate(value, months, expected) -> None:  # type: ignore[no-untyped-def]
    assert run_rate(value, months) == expected
