"""Balance invariants on every payslip: golden cases and random ones (Hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll import (
    ContractTerms,
    EmployerSettings,
    PayslipResult,
    RgduYtd,
    WorkedTime,
    compute_payslip,
    load_params,
)
from payroll.model import HEADING_EXONERATIONS, HEADINGS

from .golden_cases import GoldenCase, golden_cases

CENT = Decimal("0.01")


def assert_balanced(slip: PayslipResult) -> None:
    assert slip.gross - slip.employee_contributions == slip.net_before_tax
    assert slip.gross + slip.employer_contributions - slip.reductions == slip.employer_cost
    assert slip.net_before_tax - slip.tax_withheld == slip.net_paid
    assert slip.gross == sum((e.amount for e in slip.earnings), Decimal(0))
    assert slip.employee_contributions == sum((x.employee_amount for x in slip.lines), Decimal(0))
    assert slip.employer_contributions == sum(
        (x.employer_amount for x in slip.lines if x.heading != HEADING_EXONERATIONS), Decimal(0)
    )
    for line in slip.lines:
        assert line.heading in HEADINGS
        assert line.employee_amount == line.employee_amount.quantize(CENT)
        assert line.employer_amount == line.employer_amount.quantize(CENT)
        if line.heading != HEADING_EXONERATIONS:
            assert line.employee_amount >= 0 and line.employer_amount >= 0
    headings = [HEADINGS.index(x.heading) for x in slip.lines]
    assert headings == sorted(headings)
    for amount in (
        slip.gross,
        slip.employee_contributions,
        slip.employer_contributions,
        slip.net_before_tax,
        slip.tax_withheld,
        slip.net_paid,
        slip.employer_cost,
        slip.rgdu,
        slip.reductions,
    ):
        assert amount == amount.quantize(CENT)


@pytest.mark.parametrize("case", golden_cases(), ids=[c.id for c in golden_cases()])
def test_golden_payslips_balance(case: GoldenCase) -> None:
    assert_balanced(case.compute())


months = st.builds(
    date,
    st.sampled_from([2025, 2026]),
    st.integers(min_value=1, max_value=12),
    st.just(1),
)
hours = st.sampled_from([Decimal(h) for h in ("10", "17.5", "24", "28", "32", "34.5", "35")])
money = st.decimals(min_value=Decimal("300"), max_value=Decimal("20000"), places=2)
extra = st.dictionaries(
    st.sampled_from([f"W{i}" for i in range(1, 6)]),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("14"), places=2),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(
    month=months,
    weekly=hours,
    gross=money,
    cadre=st.booleans(),
    extra_hours=extra,
    absence=st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=2),
    start_day=st.integers(min_value=1, max_value=28),
    pas=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.3"), places=3),
    headcount=st.sampled_from([1, 3, 10, 15, 30, 60]),
)
def test_random_payslips_balance(
    month: date,
    weekly: Decimal,
    gross: Decimal,
    cadre: bool,
    extra_hours: dict[str, Decimal],
    absence: Decimal,
    start_day: int,
    pas: Decimal,
    headcount: int,
) -> None:
    contract = ContractTerms(weekly, gross, cadre, month.replace(day=start_day), None, pas)
    if start_day > 1:  # an entry month: no absence on top (it could exceed the pay due)
        absence = Decimal(0)
    slip = compute_payslip(
        contract,
        month,
        WorkedTime(extra_hours, absence),
        EmployerSettings(headcount=headcount),
        load_params(month.year),
    )
    assert_balanced(slip)
    reduction = load_params(month.year).reduction
    cap = (
        reduction.value("tmin", month)
        + reduction.value("tdelta_small" if headcount < 50 else "tdelta_large", month)
        if reduction.kind == "rgdu"
        else reduction.value("t_small" if headcount < 50 else "t_large", month)
    )
    assert Decimal(0) <= slip.rgdu_coefficient <= cap
    assert slip.ceiling <= load_params(month.year).value("pmss", month)


@settings(max_examples=40, deadline=None)
@given(pays=st.lists(money, min_size=2, max_size=12))
def test_yearly_regularisation_adds_up(pays: list[Decimal]) -> None:
    """The reductions applied month by month always add up to the cumulative reduction."""
    ytd: RgduYtd | None = None
    applied = Decimal(0)
    params = load_params(2026)
    for index, pay in enumerate(pays):
        slip = compute_payslip(
            ContractTerms(Decimal(35), pay),
            date(2026, index + 1, 1),
            WorkedTime(),
            EmployerSettings(),
            params,
            ytd,
        )
        assert_balanced(slip)
        applied += slip.rgdu
        ytd = slip.rgdu_ytd
        assert applied == ytd.reduction
    assert ytd is not None and ytd.assiette == sum(pays, Decimal(0))
