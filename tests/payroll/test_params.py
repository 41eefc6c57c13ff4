"""Yearly parameter files: every value sourced, dated values, one line to change a rate."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payroll import ParamsError, compute, load_params, load_params_file, simulate
from payroll.params import PARAMS_DIR, REQUIRED_PARAMS, REQUIRED_REDUCTION_PARAMS


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_value_and_line_cites_its_source(year: int) -> None:
    params = load_params(year)
    assert params.year == year
    for param in params.params.values():
        assert param.source.strip(), param.name
        assert all(v.source.strip() for v in param.values), param.name
    for param in params.reduction.params.values():
        assert param.source.strip(), param.name
    for rule in params.contributions:
        assert rule.source.strip(), rule.code


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 1, 1), "12.02", id="decret-2025-1228-smic-jan-2026"),
        pytest.param(date(2026, 5, 31), "12.02", id="decret-2025-1228-smic-may-2026"),
        pytest.param(date(2026, 6, 1), "12.31", id="modele-social-11.1.0-smic-june-2026"),
        pytest.param(date(2026, 12, 1), "12.31", id="modele-social-11.1.0-smic-dec-2026"),
    ],
)
def test_smic_value_in_force_on_a_date(day: date, expected: str) -> None:
    assert load_params(2026).value("smic_hourly", day) == Decimal(expected)


def test_percentages_become_fractions() -> None:
    params = load_params(2026)
    assert params.value("csg_base_ratio", date(2026, 1, 1)) == Decimal("0.9825")
    assert params.value("csg_deductible", date(2026, 1, 1)) == Decimal("0.0680")
    ags = next(r for r in params.contributions if r.code == "ags")
    assert ags.employer_rate == Decimal("0.0025")


def test_a_2025_month_uses_2025_values() -> None:
    nov_2025 = simulate("2400", "2025-11")
    nov_2026 = simulate("2400", "2026-11")
    assert nov_2025.ceiling == Decimal("3925.00")
    assert nov_2026.ceiling == Decimal("4005.00")
    assert nov_2025.line("vieillesse_deplafonnee").employer_rate == Decimal("0.0202")
    assert nov_2026.line("vieillesse_deplafonnee").employer_rate == Decimal("0.0211")
    assert nov_2025.smic_reference == Decimal("1801.80")  # 11.88 × 151.67
    assert nov_2025.line("rgdu").label == "Réduction générale des cotisations patronales"
    assert nov_2026.line("rgdu").label == "Réduction générale dégressive unique (RGDU)"


def test_parameters_of_another_year_are_refused() -> None:
    with pytest.raises(ValueError, match="2025"):
        simulate("2400", "2026-11", params=load_params(2025))


def test_changing_a_rate_is_one_line_in_one_data_file(tmp_path: Path) -> None:
    text = (PARAMS_DIR / "2026.toml").read_text(encoding="utf-8")
    assert text.count("employer = 0.25\n") == 1
    modified = tmp_path / "2026.toml"
    modified.write_text(text.replace("employer = 0.25\n", "employer = 0.30\n"), encoding="utf-8")

    before = simulate("2400", "2026-11")
    after = simulate("2400", "2026-11", params=load_params_file(modified))
    assert after.line("ags").employer_amount - before.line("ags").employer_amount == Decimal("1.20")
    assert after.employer_cost - before.employer_cost == Decimal("1.20")
    assert after.employee_contributions == before.employee_contributions


def test_a_value_without_its_source_is_refused(tmp_path: Path) -> None:
    text = (PARAMS_DIR / "2026.toml").read_text(encoding="utf-8")
    broken = tmp_path / "2026.toml"
    start = text.index("[params.pmss]")
    end = text.index("[params.legal_weekly_hours]")
    broken.write_text(
        text[:start] + '[params.pmss]\nvalue = 4005\nunit = "EUR"\n\n' + text[end:],
        encoding="utf-8",
    )
    with pytest.raises(ParamsError, match="source"):
        load_params_file(broken)


def test_a_missing_year_is_refused() -> None:
    with pytest.raises(ParamsError):
        load_params(1999)


def test_every_parameter_compute_reads_is_required_at_load() -> None:
    """The names compute.py passes to ``value(…)`` are the ones load_params_file insists on."""
    tree = ast.parse(Path(compute.__file__).read_text(encoding="utf-8"))
    read = {
        name.value  # value("x", day) or value("x" if … else "y", day)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "value"
        and node.args
        for name in ast.walk(node.args[0])
        if isinstance(name, ast.Constant) and isinstance(name.value, str)
    }
    required = set(REQUIRED_PARAMS) | {
        name for names in REQUIRED_REDUCTION_PARAMS.values() for name in names
    }
    assert read - {"reduced_rates_smic_hourly"} <= required  # 2025's reduced rates: optional
    assert read >= set(REQUIRED_PARAMS)


def _without(text: str, *headers: str) -> str:
    """The file's text without the tables that start with these headers."""
    for header in headers:
        start = text.index(header)
        end = text.index("\n[", start + 1)
        text = text[:start] + text[end + 1 :]
    return text


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_missing_parameter_is_reported_at_once(year: int, tmp_path: Path) -> None:
    text = (PARAMS_DIR / f"{year}.toml").read_text(encoding="utf-8")
    broken = tmp_path / f"{year}.toml"
    broken.write_text(
        _without(
            text,
            "[params.overtime_employer_deduction_headcount]",
            "[params.agirc_arrco_limit_pss]",
            "[reduction.large_employer_headcount]",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ParamsError) as raised:
        load_params_file(broken)
    message = str(raised.value)
    for name in (
        "overtime_employer_deduction_headcount",
        "agirc_arrco_limit_pss",
        "large_employer_headcount",
    ):
        assert name in message


def test_overtime_reduction_codes_must_be_contributions(tmp_path: Path) -> None:
    text = (PARAMS_DIR / "2026.toml").read_text(encoding="utf-8")
    broken = tmp_path / "2026.toml"
    broken.write_text(text.replace('  "ceg_t2",\n', '  "ceg_t3",\n'), encoding="utf-8")
    with pytest.raises(ParamsError, match="unknown contribution 'ceg_t3'"):
        load_params_file(broken)


@pytest.mark.parametrize("year", [2025, 2026])
def test_thresholds_and_pension_codes_are_data_with_their_source(year: int) -> None:
    params = load_params(year)
    day = date(year, 1, 1)
    assert params.value("overtime_employer_deduction_headcount", day) == 20
    assert params.reduction.value("large_employer_headcount", day) == 50
    assert params.value("agirc_arrco_limit_pss", day) == 8
    assert params.value("chomage_base_limit_pss", day) == 4
    codes = params.overtime_reduction_contributions
    assert codes.codes[:2] == ("vieillesse_plafonnee", "vieillesse_deplafonnee")
    assert "D241-21" in codes.source
    for name in ("overtime_employer_deduction_headcount", "agirc_arrco_limit_pss"):
        assert "http" in params.source(name, day)
    assert "http" in params.reduction.params["large_employer_headcount"].source
