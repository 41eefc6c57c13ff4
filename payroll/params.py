"""Yearly payroll parameters: loaded from ``payroll/params/<year>.toml``, never hard-coded.

Each value carries its legal source. A value that changes during the year (the SMIC of
1 June 2026, the unemployment rate of 1 May 2025…) is a list of dated values; the one in
force on a day is :meth:`Param.at`. Numbers are read straight into :class:`~decimal.Decimal`
(``tomllib`` with ``parse_float=Decimal``); percentages (unit ``"%"``) become fractions.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from accounting.money import D

__all__ = [
    "PARAMS_DIR",
    "REQUIRED_PARAMS",
    "REQUIRED_REDUCTION_PARAMS",
    "BaseKind",
    "CodeList",
    "ContributionRule",
    "DatedValue",
    "Param",
    "ParamsError",
    "ReductionParams",
    "YearParams",
    "load_params",
    "load_params_file",
]

PARAMS_DIR = Path(__file__).parent / "params"

BaseKind = Literal["total", "T1", "T2", "4PSS", "CET"]
AppliesTo = Literal["all", "cadre", "non_cadre"]
_BASES: tuple[str, ...] = ("total", "T1", "T2", "4PSS", "CET")
_APPLIES: tuple[str, ...] = ("all", "cadre", "non_cadre")
_HUNDRED = Decimal(100)

# What payroll/compute.py reads: a file lacking any of them is refused at load time, every
# missing name listed at once (tests/payroll/test_params.py checks this list against compute.py).
REQUIRED_PARAMS: tuple[str, ...] = (
    "smic_hourly",
    "pmss",
    "legal_weekly_hours",
    "weeks_per_year",
    "days_per_month_for_ceiling",
    "agirc_arrco_limit_pss",
    "chomage_base_limit_pss",
    "overtime_first_tier_hours",
    "overtime_first_tier_rate",
    "overtime_second_tier_rate",
    "complementary_first_tier_fraction",
    "complementary_first_tier_rate",
    "complementary_second_tier_rate",
    "overtime_employee_reduction_cap",
    "overtime_employer_deduction_small",
    "overtime_employer_deduction_large",
    "overtime_employer_deduction_headcount",
    "overtime_tax_exempt_yearly",
    "csg_base_ratio",
    "csg_base_ratio_limit_pss",
    "csg_deductible",
    "csg_non_deductible",
    "crds",
    "cadre_prevoyance_min_employer_rate",
    "prevoyance_social_exemption_pss",
    "prevoyance_social_exemption_gross",
    "prevoyance_social_exemption_cap_pss",
)
# By kind of general reduction; "reduced_rates_smic_hourly" (2025's reduced maladie and
# allocations familiales rates) is optional.
REQUIRED_REDUCTION_PARAMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "rgdu": (
            "tmin",
            "tdelta_small",
            "tdelta_large",
            "exponent",
            "smic_multiple",
            "coefficient_decimals",
            "large_employer_headcount",
        ),
        "fillon": (
            "t_small",
            "t_large",
            "smic_multiple",
            "divisor",
            "coefficient_decimals",
            "large_employer_headcount",
        ),
    }
)


class ParamsError(ValueError):
    """A parameter file that is missing, malformed or lacks a value for a date."""


@dataclass(frozen=True)
class DatedValue:
    """A value in force from ``start`` (inclusive) until the next one."""

    start: date
    value: Decimal
    source: str


@dataclass(frozen=True)
class Param:
    """One named parameter of the year: its values over time, its unit and its source."""

    name: str
    unit: str
    source: str
    values: tuple[DatedValue, ...]

    def at(self, day: date) -> Decimal:
        """The value in force on ``day``."""
        found: Decimal | None = None
        for dated in self.values:
            if dated.start <= day:
                found = dated.value
        if found is None:
            raise ParamsError(f"{self.name}: no value in force on {day.isoformat()}")
        return found

    def source_at(self, day: date) -> str:
        """The legal source of the value in force on ``day``."""
        found = self.source
        for dated in self.values:
            if dated.start <= day and dated.source:
                found = dated.source
        return found


@dataclass(frozen=True)
class CodeList:
    """Contribution codes that a rule of law names (e.g. the pension contributions of the
    overtime reduction), in the order the file gives them, with that rule's source."""

    codes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ContributionRule:
    """One line of the contribution table (rates are fractions: 0.069 for 6.90 %)."""

    code: str
    heading: str
    label: str
    base: BaseKind
    employee_rate: Decimal
    employer_rate: Decimal
    source: str
    employer_rate_setting: str | None = None
    applies_to: AppliesTo = "all"
    valid_from: date | None = None
    valid_until: date | None = None
    min_headcount: int | None = None
    max_headcount: int | None = None
    nonprofit_from: date | None = None
    reduced_employer_rate: Decimal | None = None
    reduced_below_smic: Decimal | None = None

    def applies(self, *, day: date, cadre: bool, headcount: int, nonprofit: bool) -> bool:
        """Whether the line is due for this employee, employer and month."""
        if self.applies_to == "cadre" and not cadre:
            return False
        if self.applies_to == "non_cadre" and cadre:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        if self.min_headcount is not None and headcount < self.min_headcount:
            return False
        if self.max_headcount is not None and headcount > self.max_headcount:
            return False
        return not (nonprofit and self.nonprofit_from is not None and day < self.nonprofit_from)


@dataclass(frozen=True)
class ReductionParams:
    """The general employer reduction of the year: ``"rgdu"`` (2026) or ``"fillon"`` (2025)."""

    kind: Literal["rgdu", "fillon"]
    source: str
    params: Mapping[str, Param]

    def value(self, name: str, day: date) -> Decimal:
        try:
            return self.params[name].at(day)
        except KeyError as exc:
            raise ParamsError(f"reduction parameter {name!r} missing") from exc


@dataclass(frozen=True)
class YearParams:
    """Everything the payslip computation needs for one calendar year."""

    year: int
    reference_model: str
    params: Mapping[str, Param]
    contributions: tuple[ContributionRule, ...]
    reduction: ReductionParams
    overtime_reduction_contributions: CodeList
    path: Path | None = None

    def value(self, name: str, day: date) -> Decimal:
        """The value of parameter ``name`` in force on ``day`` (a fraction for percentages)."""
        try:
            return self.params[name].at(day)
        except KeyError as exc:
            raise ParamsError(f"parameter {name!r} missing for {self.year}") from exc

    def source(self, name: str, day: date) -> str:
        """The legal source of parameter ``name`` as in force on ``day``."""
        return self.params[name].source_at(day)

    def rules_for(
        self, *, day: date, cadre: bool, headcount: int, nonprofit: bool
    ) -> tuple[ContributionRule, ...]:
        """The contribution lines due on ``day`` for such an employee and employer."""
        return tuple(
            rule
            for rule in self.contributions
            if rule.applies(day=day, cadre=cadre, headcount=headcount, nonprofit=nonprofit)
        )


# ------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------


def _number(raw: object, where: str) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return D(raw)
    raise ParamsError(f"{where}: expected a number, got {raw!r}")


def _scaled(raw: object, unit: str, where: str) -> Decimal:
    value = _number(raw, where)
    return value / _HUNDRED if unit == "%" else value


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    raw = table.get(key)
    if not isinstance(raw, str) or not raw.strip():
        raise ParamsError(f"{where}: a non-empty {key!r} is required")
    return raw


def _day(raw: object, where: str) -> date:
    if isinstance(raw, date):
        return raw
    raise ParamsError(f"{where}: expected a TOML date, got {raw!r}")


def _param(name: str, table: object, year: int) -> Param:
    if not isinstance(table, dict):
        raise ParamsError(f"{name}: expected a table")
    unit = str(table.get("unit", ""))
    source = _text(table, "source", name)
    if "values" in table:
        raw_values = table["values"]
        if not isinstance(raw_values, list) or not raw_values:
            raise ParamsError(f"{name}: 'values' must be a non-empty list")
        dated: list[DatedValue] = []
        for i, item in enumerate(raw_values):
            where = f"{name}.values[{i}]"
            if not isinstance(item, dict):
                raise ParamsError(f"{where}: expected an inline table")
            dated.append(
                DatedValue(
                    start=_day(item.get("from"), where),
                    value=_scaled(item.get("value"), unit, where),
                    source=_text(item, "source", where),
                )
            )
        dated.sort(key=lambda d: d.start)
    elif "value" in table:
        dated = [DatedValue(date(year, 1, 1), _scaled(table["value"], unit, name), source)]
    else:
        raise ParamsError(f"{name}: 'value' or 'values' is required")
    return Param(name=name, unit=unit, source=source, values=tuple(dated))


def _optional_int(table: Mapping[str, Any], key: str, where: str) -> int | None:
    raw = table.get(key)
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise ParamsError(f"{where}: {key!r} must be an integer")


def _optional_day(table: Mapping[str, Any], key: str, where: str) -> date | None:
    raw = table.get(key)
    return None if raw is None else _day(raw, f"{where}.{key}")


def _optional_rate(table: Mapping[str, Any], key: str, where: str) -> Decimal | None:
    raw = table.get(key)
    return None if raw is None else _scaled(raw, "%", f"{where}.{key}")


def _contribution(i: int, table: object) -> ContributionRule:
    where = f"contributions[{i}]"
    if not isinstance(table, dict):
        raise ParamsError(f"{where}: expected a table")
    code = _text(table, "code", where)
    where = f"contributions[{i}] ({code})"
    base = _text(table, "base", where)
    if base not in _BASES:
        raise ParamsError(f"{where}: unknown base {base!r}")
    applies_to = str(table.get("applies_to", "all"))
    if applies_to not in _APPLIES:
        raise ParamsError(f"{where}: unknown applies_to {applies_to!r}")
    setting = table.get("employer_setting")
    if setting is None and "employer" not in table:
        raise ParamsError(f"{where}: 'employer' or 'employer_setting' is required")
    reduced_below = table.get("reduced_below_smic")
    return ContributionRule(
        code=code,
        heading=_text(table, "heading", where),
        label=_text(table, "label", where),
        base=cast(BaseKind, base),
        employee_rate=_scaled(table.get("employee", 0), "%", where),
        employer_rate=_scaled(table.get("employer", 0), "%", where),
        source=_text(table, "source", where),
        employer_rate_setting=None if setting is None else str(setting),
        applies_to=cast(AppliesTo, applies_to),
        valid_from=_optional_day(table, "from", where),
        valid_until=_optional_day(table, "until", where),
        min_headcount=_optional_int(table, "min_headcount", where),
        max_headcount=_optional_int(table, "max_headcount", where),
        nonprofit_from=_optional_day(table, "nonprofit_from", where),
        reduced_employer_rate=_optional_rate(table, "reduced_employer", where),
        reduced_below_smic=None if reduced_below is None else _number(reduced_below, where),
    )


def load_params_file(path: Path) -> YearParams:
    """Load one parameter file (used directly by tests on a modified copy).

    Every parameter the computation reads must be there: the missing ones are reported
    together, in one :class:`ParamsError`."""
    data = _read_toml(path)
    year = data.get("year")
    if not isinstance(year, int):
        raise ParamsError(f"{path}: 'year' must be an integer")
    raw_params = data.get("params")
    if not isinstance(raw_params, dict):
        raise ParamsError(f"{path}: a [params] table is required")
    params = {name: _param(name, table, year) for name, table in raw_params.items()}
    reduction = _reduction(data.get("reduction"), path, year)
    raw_contributions = data.get("contributions")
    if not isinstance(raw_contributions, list) or not raw_contributions:
        raise ParamsError(f"{path}: [[contributions]] are required")
    contributions = tuple(_contribution(i, t) for i, t in enumerate(raw_contributions))
    overtime_codes = _code_list(data, "overtime_employee_reduction", "contributions", path)
    problems = [
        *_missing_params(params, reduction),
        *_unknown_codes(overtime_codes, contributions, "overtime_employee_reduction"),
    ]
    if problems:
        raise ParamsError(f"{path}: " + "; ".join(problems))
    return YearParams(
        year=year,
        reference_model=str(data.get("reference_model", "")),
        params=MappingProxyType(params),
        contributions=contributions,
        reduction=reduction,
        overtime_reduction_contributions=overtime_codes,
        path=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError as exc:
        raise ParamsError(f"no payroll parameters file {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ParamsError(f"{path}: {exc}") from exc


def _reduction(raw_reduction: object, path: Path, year: int) -> ReductionParams:
    if not isinstance(raw_reduction, dict):
        raise ParamsError(f"{path}: a [reduction] table is required")
    kind = raw_reduction.get("kind")
    if kind not in ("rgdu", "fillon"):
        raise ParamsError(f"{path}: reduction.kind must be 'rgdu' or 'fillon'")
    return ReductionParams(
        kind=cast(Literal["rgdu", "fillon"], kind),
        source=_text(raw_reduction, "source", "reduction"),
        params=MappingProxyType(
            {
                name: _param(f"reduction.{name}", table, year)
                for name, table in raw_reduction.items()
                if isinstance(table, dict)
            }
        ),
    )


def _code_list(data: Mapping[str, Any], table_name: str, key: str, path: Path) -> CodeList:
    table = data.get(table_name)
    if not isinstance(table, dict):
        raise ParamsError(f"{path}: a [{table_name}] table is required")
    codes = table.get(key)
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ParamsError(f"{path}: {table_name}.{key} must be a list of contribution codes")
    return CodeList(codes=tuple(codes), source=_text(table, "source", table_name))


def _missing_params(params: Mapping[str, Param], reduction: ReductionParams) -> list[str]:
    missing = [f"parameter {name!r} missing" for name in REQUIRED_PARAMS if name not in params]
    missing.extend(
        f"reduction parameter {name!r} missing"
        for name in REQUIRED_REDUCTION_PARAMS[reduction.kind]
        if name not in reduction.params
    )
    return missing


def _unknown_codes(
    codes: CodeList, contributions: tuple[ContributionRule, ...], where: str
) -> list[str]:
    known = {rule.code for rule in contributions}
    return [f"{where}: unknown contribution {code!r}" for code in codes.codes if code not in known]


_CACHE: dict[int, YearParams] = {}


def load_params(year: int) -> YearParams:
    """The parameters of ``year`` from ``payroll/params/<year>.toml`` (cached; immutable)."""
    cached = _CACHE.get(year)
    if cached is None:
        cached = load_params_file(PARAMS_DIR / f"{year}.toml")
        if cached.year != year:
            raise ParamsError(f"{cached.path}: declares year {cached.year}, expected {year}")
        _CACHE[year] = cached
    return cached
