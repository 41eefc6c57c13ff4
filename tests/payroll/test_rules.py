"""Table-driven unit tests of the payroll rules; each id names its legal source."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from payroll import (
    ContractTerms,
    EmployerSettings,
    PayrollError,
    PayslipResult,
    WorkedTime,
    compute_payslip,
    fillon_coefficient,
    load_params,
    rgdu_coefficient,
    simulate,
    split_extra_hours,
)

P2026 = load_params(2026)
P2025 = load_params(2025)
NOV = date(2026, 11, 1)
SETTINGS = EmployerSettings()
D = Decimal


def payslip(
    gross: str = "2400",
    month: date = NOV,
    hours: str = "35",
    *,
    cadre: bool = False,
    start: date | None = None,
    end: date | None = None,
    extra: dict[str, str] | None = None,
    absence: str = "0",
    settings: EmployerSettings = SETTINGS,
    pas_rate: str = "0",
) -> PayslipResult:
    contract = ContractTerms(D(hours), D(gross), cadre, start, end, D(pas_rate))
    worked = WorkedTime({w: D(h) for w, h in (extra or {}).items()}, D(absence))
    return compute_payslip(contract, month, worked, settings, load_params(month.year))


# --- extra hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly", "weeks", "first", "second", "rate1", "rate2"),
    [
        pytest.param("35", {"W1": "8"}, "8", "0", "0.25", "0.50", id="L3121-36-first-8h-at-25pct"),
        pytest.param(
            "35", {"W1": "10"}, "8", "2", "0.25", "0.50", id="L3121-36-beyond-8h-at-50pct"
        ),
        pytest.param(
            "35", {"W1": "6", "W2": "12"}, "14", "4", "0.25", "0.50", id="L3121-36-counted-per-week"
        ),
        pytest.param(
            "24", {"W1": "2.4"}, "2.4", "0", "0.10", "0.25", id="L3123-29-within-tenth-at-10pct"
        ),
        pytest.param(
            "24", {"W1": "3"}, "2.4", "0.6", "0.10", "0.25", id="L3123-21-beyond-tenth-at-25pct"
        ),
        pytest.param(
            "17.5",
            {"W1": "1", "W2": "2"},
            "2.75",
            "0.25",
            "0.10",
            "0.25",
            id="L3123-28-tenth-per-week",
        ),
    ],
)
def test_extra_hours_tiers(
    weekly: str, weeks: dict[str, str], first: str, second: str, rate1: str, rate2: str
) -> None:
    split = split_extra_hours(D(weekly), {w: D(h) for w, h in weeks.items()}, P2026, NOV)
    assert (split.first_tier_hours, split.second_tier_hours) == (D(first), D(second))
    assert (split.first_tier_rate, split.second_tier_rate) == (D(rate1), D(rate2))


def test_overtime_pay_lines_L3121_36() -> None:
    slip = payslip(extra={"2026-W46": "10"})
    amounts = {e.code: e.amount for e in slip.earnings}
    # hourly rate 2 400 / (35 × 52 / 12) = 15.824175…
    assert amounts == {"base": D("2400.00"), "overtime_1": D("158.24"), "overtime_2": D("47.47")}
    assert slip.gross == D("2605.71")


def test_complementary_hours_pay_lines_L3123_29() -> None:
    slip = payslip("1500", hours="24", extra={"2026-W46": "3"})
    amounts = {e.code: e.amount for e in slip.earnings}
    hourly = D(1500) / (D(24) * 52 / 12)
    assert amounts["complementary_1"] == (D("2.4") * hourly * D("1.10")).quantize(
        D("0.01"), ROUND_HALF_UP
    )
    assert amounts["complementary_2"] == (D("0.6") * hourly * D("1.25")).quantize(
        D("0.01"), ROUND_HALF_UP
    )


def test_negative_extra_hours_are_refused() -> None:
    with pytest.raises(PayrollError):
        payslip(extra={"2026-W46": "-1"})


# --- ceiling ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, "4005.00", id="D242-17-pmss-2026-full-time"),
        pytest.param({"hours": "24"}, "2746.29", id="R242-7-part-time-24h-prorated"),
        pytest.param({"hours": "17.5", "gross": "1000"}, "2002.50", id="R242-7-part-time-half"),
        pytest.param(
            {"hours": "24", "gross": "1500", "extra": {"W1": "2", "W2": "2", "W3": "2", "W4": "2"}},
            "2957.54",
            id="R242-7-part-time-with-heures-complementaires",
        ),
        pytest.param(
            {"hours": "34", "extra": {"W1": "3.4", "W2": "3.4", "W3": "3.4", "W4": "3.4"}},
            "4005.00",
            id="R242-7-never-above-pmss",
        ),
        pytest.param({"start": date(2026, 11, 16)}, "2002.50", id="R242-2-entry-15-days-of-30"),
        pytest.param(
            {"month": date(2026, 3, 1), "start": date(2026, 3, 2)},
            "4005.00",
            id="R242-2-30-days-in-a-31-day-month",
        ),
        pytest.param(
            {"hours": "24", "gross": "1500", "month": date(2026, 2, 1), "start": date(2026, 2, 9)},
            "1830.86",
            id="R242-2-and-R242-7-part-time-entry",
        ),
        pytest.param(
            {"extra": {"W1": "8", "W2": "8"}}, "4005.00", id="R242-2-overtime-never-raises-it"
        ),
        pytest.param({"month": date(2025, 6, 1)}, "3925.00", id="D242-17-pmss-2025"),
    ],
)
def test_ceiling(kwargs: dict[str, object], expected: str) -> None:
    assert payslip(**kwargs).ceiling == D(expected)


# --- incomplete month, absence ---------------------------------------------------------


def test_entry_mid_month_prorates_pay_on_working_days() -> None:
    slip = payslip(start=date(2026, 11, 16))
    # 11 working days from 16 to 30 November out of 21.
    assert slip.gross == D("1257.14")
    # SMIC of the reduction × share of the base salary paid (BOSS, mois incomplet).
    assert slip.smic_reference == (D("12.31") * D(35 * 52) / 12 * D("1257.14") / 2400).quantize(
        D("0.01"), ROUND_HALF_UP
    )


def test_unpaid_absence_reduces_pay() -> None:
    slip = payslip(absence="14")
    assert slip.gross == D("2178.46")
    assert [e.amount for e in slip.earnings if e.code == "absence"] == [D("-221.54")]
    assert slip.ceiling == D("4005.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"start": date(2026, 12, 1)}, id="not-yet-under-contract"),
        pytest.param({"end": date(2026, 10, 31)}, id="no-longer-under-contract"),
        pytest.param({"hours": "39"}, id="L3121-27-above-legal-hours-unsupported"),
        pytest.param({"absence": "200"}, id="absence-beyond-the-month"),
    ],
)
def test_refused_inputs(kwargs: dict[str, object]) -> None:
    with pytest.raises(PayrollError):
        payslip(**kwargs)


# --- general reduction -----------------------------------------------------------------

RGDU_2026 = {
    "tmin": D("0.02"),
    "tdelta": D("0.3781"),
    "exponent": D("1.75"),
    "smic_multiple": D(3),
    "decimals": 4,
}
SMIC_NOV_2026 = D("12.31") * D(1820) / 12


@pytest.mark.parametrize(
    ("pay", "smic", "expected"),
    [
        pytest.param("1867.02", SMIC_NOV_2026, "0.3981", id="D241-7-at-smic-tmin-plus-tdelta"),
        pytest.param("1000", SMIC_NOV_2026, "0.3981", id="D241-7-capped-below-smic"),
        pytest.param("2400", SMIC_NOV_2026, "0.2061", id="D241-7-2400-nov-2026"),
        pytest.param("5550", SMIC_NOV_2026, "0.0200", id="D241-7-near-3-smic-tmin"),
        pytest.param("5601.06", SMIC_NOV_2026, "0", id="L241-13-nil-from-3-smic"),
        pytest.param("0", SMIC_NOV_2026, "0", id="L241-13-nil-without-pay"),
    ],
)
def test_rgdu_coefficient(pay: str, smic: Decimal, expected: str) -> None:
    assert rgdu_coefficient(D(pay), smic, **RGDU_2026) == D(expected)


@pytest.mark.parametrize("pay", ["1900", "2222.22", "2718.28", "3141.59", "4444.44"])
def test_rgdu_coefficient_is_rounded_half_up_to_4_decimals_D241_7(pay: str) -> None:
    raw = D("0.02") + D("0.3781") * ((3 * SMIC_NOV_2026 / D(pay) - 1) / 2) ** D("1.75")
    coefficient = rgdu_coefficient(D(pay), SMIC_NOV_2026, **RGDU_2026)
    assert coefficient == raw.quantize(D("0.0001"), ROUND_HALF_UP)
    assert coefficient.as_tuple().exponent == -4


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        pytest.param("1801.80", "0.3193", id="D241-7-2025-fillon-at-smic"),
        pytest.param("2400", "0.1071", id="D241-7-2025-fillon-2400"),
        pytest.param("2882.88", "0", id="L241-13-2025-nil-at-1.6-smic"),
    ],
)
def test_fillon_coefficient_2025(pay: str, expected: str) -> None:
    coefficient = fillon_coefficient(
        D(pay), D("1801.80"), t=D("0.3193"), smic_multiple=D("1.6"), divisor=D("0.6"), decimals=4
    )
    assert coefficient == D(expected)


@pytest.mark.parametrize(
    ("month", "smic_reference", "rgdu"),
    [
        pytest.param("2026-05", "1823.03", "629.40", id="decret-2025-1228-may-smic-12.02"),
        pytest.param("2026-06", "1867.02", "669.20", id="june-2026-raise-smic-12.31"),
    ],
)
def test_june_2026_smic_switch(month: str, smic_reference: str, rgdu: str) -> None:
    slip = simulate("2000", month)
    assert slip.smic_reference == D(smic_reference)
    assert slip.rgdu == D(rgdu)


def test_progressive_regularisation_on_cumulative_figures_D241_7() -> None:
    """Each month the reduction is recomputed on the cumulative pay and SMIC of the year, minus
    what was already applied (URSSAF « régularisation progressive »)."""
    jan = payslip("2000", date(2026, 1, 1))
    feb = compute_payslip(
        ContractTerms(D(35), D(4000)), date(2026, 2, 1), WorkedTime(), SETTINGS, P2026, jan.rgdu_ytd
    )
    smic = D("12.02") * D(1820) / 12
    cumulative = rgdu_coefficient(D(6000), 2 * smic, **RGDU_2026)
    assert feb.rgdu_coefficient == cumulative
    assert feb.rgdu_ytd.reduction == (D(6000) * cumulative).quantize(D("0.01"), ROUND_HALF_UP)
    assert feb.rgdu == feb.rgdu_ytd.reduction - jan.rgdu
    assert feb.rgdu != payslip("4000", date(2026, 2, 1)).rgdu
    assert feb.rgdu_ytd.assiette == D(6000)


def test_regularisation_can_take_back_the_reduction() -> None:
    jan = payslip("1823.03", date(2026, 1, 1))
    feb = compute_payslip(
        ContractTerms(D(35), D(10000)),
        date(2026, 2, 1),
        WorkedTime(),
        SETTINGS,
        P2026,
        jan.rgdu_ytd,
    )
    assert feb.rgdu == -jan.rgdu == D("-725.75")
    assert feb.line("rgdu").employer_amount == D("725.75")
    assert feb.employer_cost == feb.gross + feb.employer_contributions + D("725.75")


# --- contributions that depend on dates, status and size ----------------------------------


@pytest.mark.parametrize(
    ("month", "nonprofit", "due"),
    [
        pytest.param(date(2026, 2, 1), True, False, id="L6241-1-association-not-before-march-2026"),
        pytest.param(date(2026, 3, 1), True, True, id="L6241-1-association-from-march-2026"),
        pytest.param(date(2026, 2, 1), False, True, id="L6241-1-other-employers-all-year"),
        pytest.param(date(2025, 11, 1), True, False, id="L6241-1-association-2025"),
    ],
)
def test_taxe_apprentissage(month: date, nonprofit: bool, due: bool) -> None:
    slip = payslip(month=month, settings=replace(SETTINGS, nonprofit_association=nonprofit))
    codes = {line.code for line in slip.lines}
    assert ("taxe_apprentissage" in codes) is due
    assert ("taxe_apprentissage_solde" in codes) is due


@pytest.mark.parametrize(
    ("gross", "month", "code", "rate"),
    [
        pytest.param(
            "2400", date(2025, 7, 1), "maladie", "0.07", id="L241-2-1-2025-below-2.25-smic"
        ),
        pytest.param(
            "4200", date(2025, 7, 1), "maladie", "0.13", id="L241-2-1-2025-above-2.25-smic"
        ),
        pytest.param(
            "4200",
            date(2025, 7, 1),
            "allocations_familiales",
            "0.0345",
            id="L241-6-1-2025-below-3.3-smic",
        ),
        pytest.param(
            "6500",
            date(2025, 7, 1),
            "allocations_familiales",
            "0.0525",
            id="L241-6-1-2025-above-3.3-smic",
        ),
        pytest.param(
            "2400",
            date(2026, 7, 1),
            "maladie",
            "0.13",
            id="LFSS-2025-art18-no-reduced-maladie-2026",
        ),
        pytest.param(
            "2400",
            date(2026, 7, 1),
            "allocations_familiales",
            "0.0525",
            id="LFSS-2025-art18-no-reduced-af-2026",
        ),
        pytest.param(
            "2400", date(2025, 4, 1), "chomage", "0.0405", id="unedic-2025-until-april-4.05"
        ),
        pytest.param("2400", date(2025, 5, 1), "chomage", "0.0400", id="unedic-2025-from-may-4.00"),
        pytest.param("2400", date(2026, 7, 1), "ags", "0.0025", id="AGS-0.25pct-2026"),
        pytest.param("2400", date(2026, 7, 1), "atmp", "0.0208", id="L242-5-atmp-employer-setting"),
        pytest.param(
            "2400", date(2026, 7, 1), "formation_professionnelle", "0.0055", id="L6331-1-under-11"
        ),
        pytest.param("2400", date(2026, 7, 1), "fnal", "0.0010", id="R834-7-fnal-under-50"),
    ],
)
def test_employer_rates(gross: str, month: date, code: str, rate: str) -> None:
    assert payslip(gross, month).line(code).employer_rate == D(rate)


def test_headcount_thresholds() -> None:
    big = payslip(settings=replace(SETTINGS, headcount=60))
    codes = {line.code for line in big.lines}
    assert {"fnal_50", "formation_professionnelle_11"} <= codes
    assert not {"fnal", "formation_professionnelle"} & codes
    large = {**RGDU_2026, "tdelta": D("0.3821")}  # Tdelta from 50 staff
    assert big.rgdu_coefficient == rgdu_coefficient(D(2400), SMIC_NOV_2026, **large)
    assert big.rgdu_coefficient > payslip().rgdu_coefficient


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        pytest.param("0.01", "0.015", id="ANI-2017-art7-cadre-prevoyance-minimum-1.50pct"),
        pytest.param("0.02", "0.02", id="ANI-2017-art7-higher-rate-kept"),
    ],
)
def test_cadre_prevoyance(setting: str, expected: str) -> None:
    slip = payslip(
        "5200", cadre=True, settings=replace(SETTINGS, cadre_prevoyance_employer_rate=D(setting))
    )
    line = slip.line("prevoyance_cadre")
    assert line.employer_rate == D(expected)
    assert line.base == D("4005.00")
    assert line.employer_amount == (D("4005") * D(expected)).quantize(D("0.01"), ROUND_HALF_UP)


def test_apec_and_tranche_2_for_a_cadre_above_the_ceiling() -> None:
    slip = payslip("5200", cadre=True)
    assert slip.line("apec").employee_amount == D("1.25")  # 0.024 % × 5 200
    assert slip.line("agirc_arrco_t2").base == D("1195.00")
    assert slip.line("cet").base == D("5200.00")
    with pytest.raises(KeyError):
        payslip("5200").line("apec")


def test_csg_crds_on_98_25_pct_plus_employer_health_L136_1_1() -> None:
    slip = payslip()
    assert slip.line("csg_deductible").base == D("2378.00")  # 98.25 % × 2 400 + 20
    assert slip.line("csg_deductible").employee_amount == D("161.70")
    assert slip.line("csg_non_deductible").employee_amount == D("57.07")
    assert slip.line("crds").employee_amount == D("11.89")


def test_overtime_reductions_L241_17_and_L241_18() -> None:
    slip = payslip(extra={"W1": "4", "W2": "4", "W3": "4", "W4": "4"})
    assert slip.line("overtime_employee_reduction").employee_amount == D("-35.79")  # 11.31 %
    assert slip.line("overtime_employer_deduction").employer_amount == D("-24.00")  # 16 × 1.50
    assert slip.reductions == slip.rgdu + D("24.00")
    big = payslip(extra={"W1": "4"}, settings=replace(SETTINGS, headcount=25))
    assert big.line("overtime_employer_deduction").employer_amount == D("-2.00")  # 4 × 0.50
    big_2025 = payslip(
        month=date(2025, 6, 1), extra={"W1": "4"}, settings=replace(SETTINGS, headcount=25)
    )
    with pytest.raises(KeyError):
        big_2025.line("overtime_employer_deduction")


def test_withholding_tax_on_net_taxable() -> None:
    slip = payslip(pas_rate="0.05")
    # net before tax + non-deductible CSG/CRDS + employer health insurance
    assert slip.net_taxable == D("1877.90") + D("57.07") + D("11.89") + D("20.00")
    assert slip.tax_withheld == D("98.34")
    assert slip.net_paid == slip.net_before_tax - D("98.34")


def test_simulate_json_for_the_cli() -> None:
    data = simulate("2400", "2026-11").to_json_dict()
    for key in (
        "gross",
        "employee_contributions",
        "employer_contributions",
        "net_social",
        "net_before_tax",
        "tax_withheld",
        "net_paid",
        "employer_cost",
        "rgdu",
    ):
        assert isinstance(data[key], str)
        assert data[key].split(".")[1].isdigit() and len(data[key].split(".")[1]) == 2
    assert data["employer_cost"] == "2954.86"
    line = data["lines"][0]
    assert set(line) == {
        "heading",
        "label",
        "base",
        "employee_rate",
        "employee_amount",
        "employer_rate",
        "employer_amount",
    }
    maladie = [x for x in data["lines"] if x["label"].startswith("Sécurité sociale - Maladie")]
    assert maladie[0]["employer_rate"] == "13.00"
    assert maladie[0]["employer_amount"] == "312.00"
