"""Every golden case from URSSAF's modele-social: each total within 0.10 € of the reference.

The only allowed difference is per-line rounding: eage rounds every line half-up to the cent
(SPEC §5), modele-social keeps unrounded values. See golden/README.md for what the cases are
and how they were generated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import pytest

from payroll import EmployerSettings, compute_payslip, load_params
from payroll.params import DatedValue, Param

from .golden_cases import GoldenCase, golden_cases, golden_file

TOLERANCE = Decimal("0.10")
TOTALS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "rgdu",
    "reductions",
    "net_social",
    "net_before_tax",
    "employer_cost",
)
AGREEING = [c for c in golden_cases() if c.known_divergence is None]
DIVERGING = [c for c in golden_cases() if c.known_divergence is not None]


def _ids(cases: list[GoldenCase]) -> list[str]:
    return [f"{c.id}[{c.model}]" for c in cases]


def test_enough_cases_from_the_latest_model() -> None:
    meta = golden_file()["models"]
    assert meta["2026"] == "modele-social 11.1.0"
    assert meta["2025"] == "modele-social 9.0.0"
    assert len(AGREEING) >= 25
    assert load_params(2026).reference_model == meta["2026"]
    assert load_params(2025).reference_model == meta["2025"]


@pytest.mark.parametrize("case", AGREEING, ids=_ids(AGREEING))
def test_totals_match_modele_social(case: GoldenCase) -> None:
    payslip = case.compute()
    deviations = {
        name: getattr(payslip, name) - case.expected[name]
        for name in TOTALS
        if abs(getattr(payslip, name) - case.expected[name]) > TOLERANCE
    }
    assert deviations == {}, case.description


@pytest.mark.parametrize("case", AGREEING, ids=_ids(AGREEING))
def test_reduction_coefficient_and_smic_reference(case: GoldenCase) -> None:
    payslip = case.compute()
    assert payslip.rgdu_coefficient == case.expected["rgdu_coefficient"]
    assert abs(payslip.smic_reference - case.expected["smic_reference"]) <= Decimal("0.01")


@pytest.mark.parametrize("case", AGREEING, ids=_ids(AGREEING))
def test_ceiling_matches_where_the_law_and_the_model_agree(case: GoldenCase) -> None:
    payslip = case.compute()
    full_time_overtime = case.contract.weekly_hours >= 35 and case.has_extra_hours
    if full_time_overtime:
        # modele-social raises the ceiling with overtime; the law does not (README.md).
        assert payslip.ceiling == load_params(case.month.year).value("pmss", case.month)
    else:
        assert abs(payslip.ceiling - case.expected["ceiling"]) <= Decimal("0.01")


@pytest.mark.parametrize("case", AGREEING, ids=_ids(AGREEING))
def test_net_taxable(case: GoldenCase) -> None:
    # modele-social rounds the tax-exempt overtime pay to the euro (`heures supplémentaires
    # et complémentaires défiscalisées`, arrondi: oui); eage keeps it to the cent.
    tolerance = Decimal("0.50") if case.has_extra_hours else TOLERANCE
    assert abs(case.compute().net_taxable - case.expected["net_taxable"]) <= tolerance


def test_legal_facts_reference_case() -> None:
    """LEGAL-FACTS.md: 2 400 € gross in November 2026, association of 3 staff."""
    (case,) = [c for c in golden_cases() if c.id == "ref-2400-2026-11"]
    payslip = case.compute()
    assert abs(payslip.employee_contributions - Decimal("522.11")) <= Decimal("0.01")
    assert abs(payslip.net_before_tax - Decimal("1877.89")) <= Decimal("0.01")
    assert payslip.rgdu == Decimal("494.64")
    assert payslip.employer_cost == Decimal("2954.86")


@pytest.mark.parametrize("case", DIVERGING, ids=_ids(DIVERGING))
def test_known_divergence_is_only_the_overtime_ceiling(case: GoldenCase) -> None:
    """modele-social 11.1.0 multiplies the PMSS by (contract + overtime hours) / legal hours
    for a full-time employee; eage keeps the PMSS (art. R242-2 CSS). Everything else agrees:
    given modele-social's ceiling as the PMSS, the engine lands on its totals."""
    params = load_params(case.month.year)
    payslip = case.compute()
    assert payslip.ceiling == params.value("pmss", case.month) < case.expected["ceiling"]
    assert payslip.employee_contributions != case.expected["employee_contributions"]

    model_ceiling = Param(
        "pmss",
        "EUR",
        "modele-social ceiling",
        (DatedValue(date(case.month.year, 1, 1), case.expected["ceiling"], "test"),),
    )
    as_model = replace(params, params=MappingProxyType({**params.params, "pmss": model_ceiling}))
    payslip = compute_payslip(
        case.contract, case.month, case.worked_time, EmployerSettings(), as_model
    )
    for name in TOTALS:
        assert abs(getattr(payslip, name) - case.expected[name]) <= TOLERANCE, name
