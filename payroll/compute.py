"""The monthly payslip: pure functions over the year's parameter table.

:func:`compute_payslip` is the list of its steps, each a function returning a frozen value:

1. :func:`check_inputs`, :func:`month_frame` (days under contract, monthly hours, hourly rate)
   and :func:`gross_pay`: base salary (prorated for an incomplete month), unpaid absence, extra
   hours per ISO week with their mark-ups (:func:`split_extra_hours`) → gross;
2. :func:`ceiling_and_smic`: the social security ceiling of the month (prorated for part-time
   and incomplete months) and the SMIC reference of the general reduction (adjusted for hours);
3. contribution lines: :func:`health_and_prevoyance` from the employer settings,
   :func:`contribution_bases` (pay subject to contributions, the ceiling's slices),
   :func:`contribution_lines` from the rate table, :func:`csg_crds` on 98.25 % of gross plus
   the employer's health/prévoyance;
4. reductions: :func:`general_reduction` (RGDU in 2026, « Fillon » in 2025) with the
   progressive yearly regularisation on cumulative figures, :func:`overtime_reductions`;
5. :func:`sorted_lines` and :func:`payslip_totals`: net before tax, net social amount, net
   taxable, withholding tax, net paid, employer cost.

Every line amount is rounded half-up to the cent; totals add rounded lines. The official
computation to agree with is URSSAF's modele-social (see tests/payroll/golden/README.md).
Legal thresholds and rates come from the year's parameter file (payroll/params/<year>.toml).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from accounting.money import ROUND_HALF_UP, ZERO, D, round_cents

from .model import (
    HEADING_CSG_DEDUCTIBLE,
    HEADING_CSG_NON_DEDUCTIBLE,
    HEADING_EXONERATIONS,
    HEADING_SANTE,
    HEADINGS,
    ContractTerms,
    EarningLine,
    EmployerSettings,
    PayslipLine,
    PayslipResult,
    RgduYtd,
    WorkedTime,
)
from .params import ContributionRule, YearParams, load_params

__all__ = [
    "ContributionBases",
    "Contributions",
    "CsgCrds",
    "ExtraHours",
    "GeneralReduction",
    "MonthFrame",
    "MonthPeriod",
    "OvertimeReductions",
    "Pay",
    "PayrollError",
    "References",
    "Totals",
    "Welfare",
    "cadre_prevoyance",
    "ceiling_and_smic",
    "check_inputs",
    "compute_payslip",
    "contribution_bases",
    "contribution_lines",
    "csg_crds",
    "extra_hours_earnings",
    "fillon_coefficient",
    "general_reduction",
    "gross_pay",
    "health_and_prevoyance",
    "month_frame",
    "month_period",
    "overtime_reductions",
    "payslip_totals",
    "presence_ratio",
    "prorated_ceiling",
    "rgdu_coefficient",
    "simulate",
    "sorted_lines",
    "split_extra_hours",
]

_ONE = Decimal(1)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)


class PayrollError(ValueError):
    """Inputs the payslip computation refuses (not under contract, negative hours…)."""


# ------------------------------------------------------------------------------------------
# Rules used by the steps: the month under contract, the extra hours
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthPeriod:
    """The part of the month under contract."""

    month_start: date
    month_end: date
    start: date
    end: date

    @property
    def complete(self) -> bool:
        return self.start == self.month_start and self.end == self.month_end

    @property
    def calendar_days(self) -> int:
        return (self.end - self.start).days + 1


def month_period(month: date, contract: ContractTerms) -> MonthPeriod:
    """The days of ``month`` under ``contract`` (refuses a month without any)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = max(first, contract.start) if contract.start else first
    end = min(last, contract.end) if contract.end else last
    if start > end:
        raise PayrollError(f"not under contract in {first:%Y-%m}")
    return MonthPeriod(month_start=first, month_end=last, start=start, end=end)


def _working_days(start: date, end: date) -> int:
    """Monday-to-Friday days between two dates, inclusive."""
    count = 0
    day = start
    while day <= end:
        if day.weekday() < 5:
            count += 1
        day += timedelta(days=1)
    return count


def presence_ratio(period: MonthPeriod) -> Decimal:
    """Share of the month's base salary due for an incomplete month.

    Working days (Monday to Friday) under contract / working days of the month — the « heures
    réelles » method for a schedule spread evenly over the week (Cass. soc. 13 mars 2013,
    n° 11-20.498 accepts prorating on the hours the month really had). Public holidays are not
    taken out.
    """
    if period.complete:
        return _ONE
    return D(_working_days(period.start, period.end)) / D(
        _working_days(period.month_start, period.month_end)
    )


@dataclass(frozen=True)
class ExtraHours:
    """Hours beyond the contract, split by mark-up tier."""

    first_tier_hours: Decimal
    second_tier_hours: Decimal
    first_tier_rate: Decimal
    second_tier_rate: Decimal
    overtime: bool  # True: heures supplémentaires (full-time); False: complémentaires

    @property
    def hours(self) -> Decimal:
        return self.first_tier_hours + self.second_tier_hours


def split_extra_hours(
    weekly_hours: Decimal, extra_by_week: dict[str, Decimal] | None, params: YearParams, day: date
) -> ExtraHours:
    """Split each ISO week's extra hours between the two mark-up tiers.

    Full-time: heures supplémentaires, +25 % for the first 8 h of the week, +50 % beyond
    (art. L3121-36 C. trav.). Part-time: heures complémentaires, +10 % within one tenth of the
    weekly contract hours, +25 % beyond (art. L3123-29 and L3123-21 C. trav.).
    """
    legal = params.value("legal_weekly_hours", day)
    overtime = weekly_hours >= legal
    if overtime:
        limit = params.value("overtime_first_tier_hours", day)
        rate1 = params.value("overtime_first_tier_rate", day)
        rate2 = params.value("overtime_second_tier_rate", day)
    else:
        limit = weekly_hours * params.value("complementary_first_tier_fraction", day)
        rate1 = params.value("complementary_first_tier_rate", day)
        rate2 = params.value("complementary_second_tier_rate", day)
    first = ZERO
    second = ZERO
    for week, hours in sorted((extra_by_week or {}).items()):
        if hours < 0:
            raise PayrollError(f"negative extra hours in week {week}")
        in_first = min(hours, limit)
        first += in_first
        second += hours - in_first
    return ExtraHours(first, second, rate1, rate2, overtime)


# ------------------------------------------------------------------------------------------
# Rules used by the steps: the ceiling, the general reduction's coefficient
# ------------------------------------------------------------------------------------------


def prorated_ceiling(
    *,
    pmss: Decimal,
    contract_monthly_hours: Decimal,
    legal_monthly_hours: Decimal,
    complementary_hours: Decimal,
    period: MonthPeriod,
    days_per_month: Decimal,
) -> Decimal:
    """The social security ceiling of the month for this employee.

    Part-time: PMSS × (contract hours + heures complémentaires) / legal hours, never above the
    PMSS (art. R242-7 CSS; modele-social `temps de travail . plafond sécurité sociale`).
    Full-time: the PMSS — overtime never raises it. (modele-social 11.1.0 multiplies the PMSS
    by an uncapped quotity that grows with overtime hours; we keep the legal rule, see
    tests/payroll/golden/README.md.) Entry or exit in the month: × calendar days / 30, capped
    at 1 (art. R242-2 CSS). Unpaid absence does not reduce it here.
    """
    quotity = min(_ONE, (contract_monthly_hours + complementary_hours) / legal_monthly_hours)
    ceiling = pmss * quotity
    if not period.complete:
        ceiling = ceiling * min(_ONE, D(period.calendar_days) / days_per_month)
    return ceiling


def rgdu_coefficient(
    assiette: Decimal,
    smic_reference: Decimal,
    *,
    tmin: Decimal,
    tdelta: Decimal,
    exponent: Decimal,
    smic_multiple: Decimal,
    decimals: int,
) -> Decimal:
    """RGDU coefficient (art. D241-7 CSS, 2026).

    ``Tmin + Tdelta × [½ × (3 × SMIC / pay − 1)]^P``, at most ``Tmin + Tdelta``, rounded to
    ``decimals``; zero when pay is nil or reaches 3 SMIC.
    """
    if assiette <= 0 or assiette >= smic_multiple * smic_reference:
        return ZERO
    ratio = (smic_multiple * smic_reference / assiette - _ONE) / _TWO
    coefficient = min(tmin + tdelta * ratio**exponent, tmin + tdelta)
    return coefficient.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fillon_coefficient(
    assiette: Decimal,
    smic_reference: Decimal,
    *,
    t: Decimal,
    smic_multiple: Decimal,
    divisor: Decimal,
    decimals: int,
) -> Decimal:
    """Réduction générale coefficient of 2025 (art. D241-7 CSS, version 2025).

    ``T / 0.6 × (1.6 × SMIC / pay − 1)``, between 0 and T, rounded to ``decimals``.
    """
    if assiette <= 0:
        return ZERO
    raw = t / divisor * (smic_multiple * smic_reference / assiette - _ONE)
    coefficient = max(ZERO, min(raw, t))
    return coefficient.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _reduction_coefficient(
    params: YearParams, day: date, headcount: int, assiette: Decimal, smic: Decimal
) -> Decimal:
    reduction = params.reduction
    decimals = int(reduction.value("coefficient_decimals", day))
    small = headcount < reduction.value("large_employer_headcount", day)
    if reduction.kind == "rgdu":
        return rgdu_coefficient(
            assiette,
            smic,
            tmin=reduction.value("tmin", day),
            tdelta=reduction.value("tdelta_small" if small else "tdelta_large", day),
            exponent=reduction.value("exponent", day),
            smic_multiple=reduction.value("smic_multiple", day),
            decimals=decimals,
        )
    return fillon_coefficient(
        assiette,
        smic,
        t=reduction.value("t_small" if small else "t_large", day),
        smic_multiple=reduction.value("smic_multiple", day),
        divisor=reduction.value("divisor", day),
        decimals=decimals,
    )


# ------------------------------------------------------------------------------------------
# The payslip, as the list of its steps
# ------------------------------------------------------------------------------------------


# The engine's entry point keeps its positional signature: eage/payslips and the tests call it
# so (keyword-only arguments, the house style, everywhere else).
def compute_payslip(  # noqa: PLR0917
    contract: ContractTerms,
    month: date,
    worked_time: WorkedTime,
    settings: EmployerSettings,
    params: YearParams,
    ytd: RgduYtd | None = None,
) -> PayslipResult:
    """Compute the payslip of ``month`` (any day of it) for ``contract``.

    ``ytd`` holds the cumulative figures of the previous months of the same calendar year for
    the general reduction (``None`` in January or for a one-month simulation); the payslip's
    ``rgdu_ytd`` gives the figures to pass to next month's computation.
    """
    day = month.replace(day=1)
    check_inputs(contract, day, worked_time, params)
    frame = month_frame(contract, day, params)
    pay = gross_pay(contract, frame, worked_time, params)
    references = ceiling_and_smic(contract, frame, pay, params)
    welfare = health_and_prevoyance(
        contract, pay.gross, references.pmss, settings, params=params, day=day
    )
    bases = contribution_bases(
        pay.gross, welfare.employer_total, references, params=params, day=day
    )
    contributions = contribution_lines(
        contract, bases, references, settings, params=params, day=day
    )
    csg = csg_crds(pay, bases.ceiling, welfare.employer_total, params=params, day=day)
    general = general_reduction(
        bases.assiette, references.smic_reference, ytd, settings.headcount, params=params, day=day
    )
    overtime = overtime_reductions(
        pay, bases.assiette, contributions, settings, params=params, day=day
    )
    lines = sorted_lines(
        welfare.lines, contributions.lines, csg.lines, general.lines, overtime.lines
    )
    totals = payslip_totals(
        pay.gross, lines, welfare.employer_total, csg.tax_exempt_extra, contract.pas_rate
    )
    return PayslipResult(
        month=day,
        earnings=pay.earnings,
        lines=lines,
        gross=pay.gross,
        employee_contributions=totals.employee_contributions,
        employer_contributions=totals.employer_contributions,
        rgdu=general.amount,
        reductions=totals.reductions,
        net_social=totals.net_social,
        net_before_tax=totals.net_before_tax,
        net_taxable=totals.net_taxable,
        tax_withheld=totals.tax_withheld,
        net_paid=totals.net_paid,
        employer_cost=totals.employer_cost,
        ceiling=round_cents(references.ceiling),
        smic_reference=round_cents(references.smic_reference),
        rgdu_coefficient=general.coefficient,
        rgdu_ytd=general.cumulative,
        reference_model=params.reference_model,
    )


def check_inputs(
    contract: ContractTerms, day: date, worked_time: WorkedTime, params: YearParams
) -> None:
    """Refuse what the computation cannot handle (the year's parameters of another year,
    hours that are not positive, pay below zero, hours above the legal week)."""
    if params.year != day.year:
        raise PayrollError(f"parameters of {params.year} cannot compute {day:%Y-%m}")
    if contract.weekly_hours <= 0 or contract.monthly_gross < 0:
        raise PayrollError("contract hours must be positive and gross pay not negative")
    legal_weekly = params.value("legal_weekly_hours", day)
    if contract.weekly_hours > legal_weekly:
        raise PayrollError(f"weekly hours above the legal {legal_weekly} h are not supported")
    if worked_time.unpaid_absence_hours < 0:
        raise PayrollError("negative absence hours")


# ------------------------------------------------------------------------------------------
# Step 1: the month's hours and the pay (gross)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFrame:
    """The month for this contract: its first day, the days under contract, the monthly
    contract and legal hours (weekly hours × 52 / 12) and the hourly rate of the base salary."""

    day: date
    period: MonthPeriod
    contract_hours: Decimal
    legal_hours: Decimal
    hourly: Decimal


def month_frame(contract: ContractTerms, day: date, params: YearParams) -> MonthFrame:
    weeks_per_month = params.value("weeks_per_year", day) / 12
    contract_hours = contract.weekly_hours * weeks_per_month
    return MonthFrame(
        day=day,
        period=month_period(day, contract),
        contract_hours=contract_hours,
        legal_hours=params.value("legal_weekly_hours", day) * weeks_per_month,
        hourly=contract.monthly_gross / contract_hours,
    )


@dataclass(frozen=True)
class Pay:
    """The pay elements of the month and the gross pay they add up to."""

    earnings: tuple[EarningLine, ...]
    base_pay: Decimal
    absence_pay: Decimal  # positive: what the unpaid absence takes off the base salary
    extra: ExtraHours
    extra_pay: Decimal
    gross: Decimal

    @property
    def overtime_pay(self) -> Decimal:
        return self.extra_pay if self.extra.overtime else ZERO

    @property
    def overtime_hours(self) -> Decimal:
        return self.extra.hours if self.extra.overtime else ZERO

    @property
    def complementary_hours(self) -> Decimal:
        return ZERO if self.extra.overtime else self.extra.hours


def gross_pay(
    contract: ContractTerms, frame: MonthFrame, worked_time: WorkedTime, params: YearParams
) -> Pay:
    """Base salary (prorated for an incomplete month), unpaid absence, extra hours → gross."""
    base_pay = round_cents(contract.monthly_gross * presence_ratio(frame.period))
    base = EarningLine(
        "base",
        "Salaire de base",
        frame.contract_hours if frame.period.complete else None,
        frame.hourly,
        base_pay,
    )
    absence_hours = worked_time.unpaid_absence_hours
    absence_pay = round_cents(frame.hourly * absence_hours)
    if absence_pay > base_pay:
        raise PayrollError("unpaid absence exceeds the base salary of the month")
    absence = (
        (
            EarningLine(
                "absence", "Absence non rémunérée", absence_hours, frame.hourly, -absence_pay
            ),
        )
        if absence_hours > 0
        else ()
    )
    extra = split_extra_hours(
        contract.weekly_hours, dict(worked_time.extra_hours_by_week), params, frame.day
    )
    extra_earnings = extra_hours_earnings(extra, frame.hourly)
    extra_pay = sum((line.amount for line in extra_earnings), ZERO)
    return Pay(
        earnings=(base, *absence, *extra_earnings),
        base_pay=base_pay,
        absence_pay=absence_pay,
        extra=extra,
        extra_pay=extra_pay,
        gross=base_pay - absence_pay + extra_pay,
    )


def extra_hours_earnings(extra: ExtraHours, hourly: Decimal) -> tuple[EarningLine, ...]:
    """One pay line per mark-up tier that has hours, each rounded to the cent."""
    kind = "Heures supplémentaires" if extra.overtime else "Heures complémentaires"
    code = "overtime" if extra.overtime else "complementary"
    lines: list[EarningLine] = []
    for tier, hours, rate in (
        (1, extra.first_tier_hours, extra.first_tier_rate),
        (2, extra.second_tier_hours, extra.second_tier_rate),
    ):
        if hours > 0:
            pct = (rate * _HUNDRED).normalize()
            lines.append(
                EarningLine(
                    f"{code}_{tier}",
                    f"{kind} majorées à {pct:f} %",
                    hours,
                    hourly * (_ONE + rate),
                    round_cents(hours * hourly * (_ONE + rate)),
                )
            )
    return tuple(lines)


# ------------------------------------------------------------------------------------------
# Step 2: the ceiling and the SMIC reference
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class References:
    """The month's social security ceiling (PMSS, and prorated for this employee) and the
    SMIC reference of the general reduction (hours it counts, and their SMIC value)."""

    pmss: Decimal
    ceiling: Decimal
    reference_hours: Decimal
    smic_reference: Decimal


def ceiling_and_smic(
    contract: ContractTerms, frame: MonthFrame, pay: Pay, params: YearParams
) -> References:
    day = frame.day
    pmss = params.value("pmss", day)
    ceiling = prorated_ceiling(
        pmss=pmss,
        contract_monthly_hours=frame.contract_hours,
        legal_monthly_hours=frame.legal_hours,
        complementary_hours=pay.complementary_hours,
        period=frame.period,
        days_per_month=params.value("days_per_month_for_ceiling", day),
    )
    # SMIC adjusted for hours (art. D241-7 CSS; BOSS « mois incomplet »): contract hours ×
    # share of the base salary actually paid, plus extra hours without their mark-up.
    paid_share = (
        (pay.base_pay - pay.absence_pay) / contract.monthly_gross
        if contract.monthly_gross
        else _ONE
    )
    reference_hours = frame.contract_hours * paid_share + pay.extra.hours
    return References(
        pmss=pmss,
        ceiling=ceiling,
        reference_hours=reference_hours,
        smic_reference=params.value("smic_hourly", day) * reference_hours,
    )


# ------------------------------------------------------------------------------------------
# Step 3: contribution lines — health and prévoyance, the rate table, CSG/CRDS
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Welfare:
    """Health insurance and prévoyance: their lines, and the employer's part of them (rounded
    line by line), which CSG and, above its exemption, the contribution base include."""

    lines: tuple[PayslipLine, ...]
    employer_total: Decimal


def health_and_prevoyance(
    contract: ContractTerms,
    gross: Decimal,
    pmss: Decimal,
    settings: EmployerSettings,
    *,
    params: YearParams,
    day: date,
) -> Welfare:
    health_total = settings.health_insurance_monthly
    health_employer = round_cents(health_total * settings.health_employer_share)
    health = _line(
        "complementaire_sante",
        HEADING_SANTE,
        "Complémentaire santé",
        base=health_total,
        employee_raw=health_total - health_employer,
        employer_raw=health_employer,
        source="Art. L911-7 CSS (part employeur ≥ 50 %)",
    )
    prevoyance = _line(
        "prevoyance",
        HEADING_SANTE,
        "Complémentaire Incapacité Invalidité Décès",
        base=gross,
        employee_rate=settings.prevoyance_employee_rate,
        employee_raw=gross * settings.prevoyance_employee_rate,
        employer_rate=settings.prevoyance_employer_rate,
        employer_raw=gross * settings.prevoyance_employer_rate,
        source="Contrat de prévoyance de l'employeur",
    )
    cadre = (
        cadre_prevoyance(gross, pmss, settings, params=params, day=day) if contract.cadre else None
    )
    lines = []
    if health_total > 0:
        lines.append(health)
    if settings.prevoyance_employee_rate > 0 or settings.prevoyance_employer_rate > 0:
        lines.append(prevoyance)
    if cadre is not None:
        lines.append(cadre)
    employer_total = (
        health_employer
        + prevoyance.employer_amount
        + (cadre.employer_amount if cadre is not None else ZERO)
    )
    return Welfare(lines=tuple(lines), employer_total=employer_total)


def cadre_prevoyance(
    gross: Decimal, pmss: Decimal, settings: EmployerSettings, *, params: YearParams, day: date
) -> PayslipLine:
    """The employer's prévoyance of cadres, at least the legal rate, on tranche 1 of the full
    monthly ceiling, as modele-social `prévoyances . employeur . cadres` (its `plafond
    sécurité sociale` there is not prorated)."""
    rate = max(
        settings.cadre_prevoyance_employer_rate,
        params.value("cadre_prevoyance_min_employer_rate", day),
    )
    return _line(
        "prevoyance_cadre",
        HEADING_SANTE,
        "Prévoyance cadres (tranche 1)",
        base=min(gross, pmss),
        employer_rate=rate,
        employer_raw=min(gross, pmss) * rate,
        source=params.source("cadre_prevoyance_min_employer_rate", day),
    )


@dataclass(frozen=True)
class ContributionBases:
    """Pay subject to contributions (« assiette ») and the ceiling that slices it."""

    assiette: Decimal
    ceiling: Decimal
    agirc_arrco_limit_pss: Decimal
    chomage_limit_pss: Decimal

    def base(self, kind: str) -> Decimal:
        """The base of a contribution line of the rate table (see its ``base`` key)."""
        assiette, ceiling = self.assiette, self.ceiling
        if kind == "total":
            return assiette
        if kind == "T1":
            return min(assiette, ceiling)
        if kind == "T2":
            return min(max(assiette - ceiling, ZERO), (self.agirc_arrco_limit_pss - 1) * ceiling)
        if kind == "4PSS":
            return min(assiette, self.chomage_limit_pss * ceiling)
        if kind == "CET":
            return (
                min(assiette, self.agirc_arrco_limit_pss * ceiling) if assiette > ceiling else ZERO
            )
        raise PayrollError(f"unknown base {kind!r}")  # pragma: no cover - validated at load


def contribution_bases(
    gross: Decimal,
    employer_welfare: Decimal,
    references: References,
    *,
    params: YearParams,
    day: date,
) -> ContributionBases:
    """Employer health/prévoyance above 6 % PMSS + 1.5 % of pay (≤ 12 % PMSS) is pay subject
    to contributions (art. D242-1 CSS)."""
    pmss = references.pmss
    exempt_limit = min(
        params.value("prevoyance_social_exemption_pss", day) * pmss
        + params.value("prevoyance_social_exemption_gross", day) * gross,
        params.value("prevoyance_social_exemption_cap_pss", day) * pmss,
    )
    return ContributionBases(
        assiette=gross + max(ZERO, employer_welfare - exempt_limit),
        ceiling=references.ceiling,
        agirc_arrco_limit_pss=params.value("agirc_arrco_limit_pss", day),
        chomage_limit_pss=params.value("chomage_base_limit_pss", day),
    )


@dataclass(frozen=True)
class Contributions:
    """The lines of the year's rate table due for this employee, and each line's employee
    amount before rounding (the overtime reduction takes the pension ones)."""

    lines: tuple[PayslipLine, ...]
    raw_employee: Mapping[str, Decimal]


def contribution_lines(
    contract: ContractTerms,
    bases: ContributionBases,
    references: References,
    settings: EmployerSettings,
    *,
    params: YearParams,
    day: date,
) -> Contributions:
    rules = params.rules_for(
        day=day,
        cadre=contract.cadre,
        headcount=settings.headcount,
        nonprofit=settings.nonprofit_association,
    )
    reduced_smic = None
    if "reduced_rates_smic_hourly" in params.reduction.params:
        reduced_smic = (
            params.reduction.value("reduced_rates_smic_hourly", day) * references.reference_hours
        )
    lines: list[PayslipLine] = []
    raw_employee: dict[str, Decimal] = {}
    for rule in rules:
        base = bases.base(rule.base)
        if base <= 0:
            continue
        employer_rate = _rule_employer_rate(rule, settings, bases.assiette, reduced_smic)
        raw_employee[rule.code] = base * rule.employee_rate
        lines.append(
            _line(
                rule.code,
                rule.heading,
                rule.label,
                base=base,
                employee_rate=rule.employee_rate or None,
                employee_raw=raw_employee[rule.code],
                employer_rate=employer_rate or None,
                employer_raw=base * employer_rate,
                source=rule.source,
            )
        )
    return Contributions(lines=tuple(lines), raw_employee=MappingProxyType(raw_employee))


def _rule_employer_rate(
    rule: ContributionRule,
    settings: EmployerSettings,
    assiette: Decimal,
    reduced_smic: Decimal | None,
) -> Decimal:
    """The line's employer rate: the table's or the employer's setting; the reduced rate
    when pay is below its SMIC multiple (2025's maladie and allocations familiales)."""
    rate = rule.employer_rate
    if rule.employer_rate_setting is not None:
        setting = getattr(settings, rule.employer_rate_setting, None)
        if not isinstance(setting, Decimal):
            raise PayrollError(
                f"{rule.code}: unknown employer setting {rule.employer_rate_setting}"
            )
        rate = setting
    if (
        rule.reduced_employer_rate is not None
        and rule.reduced_below_smic is not None
        and reduced_smic is not None
        and assiette < rule.reduced_below_smic * reduced_smic
    ):
        return rule.reduced_employer_rate
    return rate


@dataclass(frozen=True)
class CsgCrds:
    """CSG/CRDS lines, and the extra hours' pay exempt from income tax (art. 81 quater CGI)."""

    lines: tuple[PayslipLine, ...]
    tax_exempt_extra: Decimal


def csg_crds(
    pay: Pay, ceiling: Decimal, employer_welfare: Decimal, *, params: YearParams, day: date
) -> CsgCrds:
    """CSG/CRDS: 98.25 % of gross up to 4 ceilings, 100 % beyond, plus the employer's
    health/prévoyance contributions (art. L136-1-1 CSS). Overtime and complementary hours
    exempt from income tax (art. 81 quater CGI) carry a CSG that is not deductible."""
    ratio = params.value("csg_base_ratio", day)
    limit = params.value("csg_base_ratio_limit_pss", day) * ceiling
    csg_base = ratio * min(pay.gross, limit) + max(ZERO, pay.gross - limit) + employer_welfare
    csg_ded = params.value("csg_deductible", day)
    csg_nd = params.value("csg_non_deductible", day)
    exempt_cap = params.value("overtime_tax_exempt_yearly", day) / 12 / (_ONE - ratio * csg_ded)
    tax_exempt_extra = min(pay.extra_pay, exempt_cap)
    extra_base = ratio * tax_exempt_extra
    taxable_base = csg_base - extra_base
    crds = params.value("crds", day)
    lines = [
        _employee_line(
            "csg_deductible",
            HEADING_CSG_DEDUCTIBLE,
            "CSG déductible de l'impôt sur le revenu",
            base=taxable_base,
            rate=csg_ded,
            source=params.source("csg_deductible", day),
        ),
        _employee_line(
            "csg_non_deductible",
            HEADING_CSG_NON_DEDUCTIBLE,
            "CSG non déductible de l'impôt sur le revenu",
            base=taxable_base,
            rate=csg_nd,
            source=params.source("csg_non_deductible", day),
        ),
        _employee_line(
            "crds",
            HEADING_CSG_NON_DEDUCTIBLE,
            "CRDS non déductible de l'impôt sur le revenu",
            base=csg_base,
            rate=crds,
            source=params.source("crds", day),
        ),
    ]
    if extra_base > 0:
        lines.append(
            _employee_line(
                "csg_extra_hours",
                HEADING_CSG_NON_DEDUCTIBLE,
                "CSG sur heures supplémentaires et complémentaires exonérées d'impôt",
                base=extra_base,
                rate=csg_ded + csg_nd,
                source="Art. L136-1-1 CSS et art. 81 quater CGI",
            )
        )
    return CsgCrds(lines=tuple(lines), tax_exempt_extra=tax_exempt_extra)


# ------------------------------------------------------------------------------------------
# Step 4: reductions — the general reduction, the overtime reductions
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneralReduction:
    """The month's general reduction (RGDU in 2026, « Fillon » in 2025) with its progressive
    regularisation: the coefficient on the year's cumulative figures, the cumulative figures
    to carry to next month, the month's amount and its line (none when it is nil)."""

    coefficient: Decimal
    cumulative: RgduYtd
    amount: Decimal
    lines: tuple[PayslipLine, ...]


def general_reduction(
    assiette: Decimal,
    smic_reference: Decimal,
    ytd: RgduYtd | None,
    headcount: int,
    *,
    params: YearParams,
    day: date,
) -> GeneralReduction:
    before = ytd or RgduYtd()
    cumulative_assiette = before.assiette + assiette
    cumulative_smic = before.smic_reference + smic_reference
    coefficient = _reduction_coefficient(
        params, day, headcount, cumulative_assiette, cumulative_smic
    )
    cumulative_reduction = round_cents(cumulative_assiette * coefficient)
    amount = cumulative_reduction - before.reduction
    label = (
        "Réduction générale dégressive unique (RGDU)"
        if params.reduction.kind == "rgdu"
        else "Réduction générale des cotisations patronales"
    )
    line = _line(
        "rgdu",
        HEADING_EXONERATIONS,
        label,
        base=assiette,
        employer_rate=-coefficient,
        employer_raw=-amount,
        source=params.reduction.source,
    )
    return GeneralReduction(
        coefficient=coefficient,
        cumulative=RgduYtd(cumulative_assiette, cumulative_smic, cumulative_reduction),
        amount=amount,
        lines=(line,) if amount != 0 else (),
    )


@dataclass(frozen=True)
class OvertimeReductions:
    """The reduction of the employee's contributions on overtime pay and the employer's flat
    deduction per overtime hour (none without heures supplémentaires)."""

    lines: tuple[PayslipLine, ...]


def overtime_reductions(
    pay: Pay,
    assiette: Decimal,
    contributions: Contributions,
    settings: EmployerSettings,
    *,
    params: YearParams,
    day: date,
) -> OvertimeReductions:
    if pay.overtime_hours <= 0:
        return OvertimeReductions(lines=())
    per_hour = params.value(
        "overtime_employer_deduction_small"
        if settings.headcount < params.value("overtime_employer_deduction_headcount", day)
        else "overtime_employer_deduction_large",
        day,
    )
    employer_deduction = round_cents(pay.overtime_hours * per_hour)
    # Reduced employee contributions on overtime pay: the rate of the employee's pension
    # contributions, at most the cap (art. L241-17 and D241-21 CSS).
    pension_employee = sum(
        (
            contributions.raw_employee.get(code, ZERO)
            for code in params.overtime_reduction_contributions.codes
        ),
        ZERO,
    )
    rate = min(pension_employee / assiette, params.value("overtime_employee_reduction_cap", day))
    employee = _line(
        "overtime_employee_reduction",
        HEADING_EXONERATIONS,
        "Réduction de cotisations salariales heures supplémentaires",
        base=pay.overtime_pay,
        employee_rate=-rate,
        employee_raw=-pay.overtime_pay * rate,
        source=params.source("overtime_employee_reduction_cap", day),
    )
    employer = _line(
        "overtime_employer_deduction",
        HEADING_EXONERATIONS,
        "Déduction forfaitaire patronale heures supplémentaires",
        base=pay.overtime_hours,
        employer_raw=-employer_deduction,
        source=params.source("overtime_employer_deduction_small", day),
    )
    return OvertimeReductions(lines=(employee, employer) if employer_deduction > 0 else (employee,))


# ------------------------------------------------------------------------------------------
# Step 5: the lines in the order of the payslip, and the totals
# ------------------------------------------------------------------------------------------


def sorted_lines(*groups: tuple[PayslipLine, ...]) -> tuple[PayslipLine, ...]:
    """The steps' lines under the headings of the « bulletin clarifié », in its order (a
    stable sort: within a heading, lines keep the order of the steps)."""
    lines = [line for group in groups for line in group]
    lines.sort(key=lambda line: HEADINGS.index(line.heading))
    return tuple(lines)


@dataclass(frozen=True)
class Totals:
    """The payslip's totals, each a sum of rounded lines or a difference of such sums."""

    employee_contributions: Decimal
    employer_contributions: Decimal  # before reductions
    reductions: Decimal
    net_before_tax: Decimal
    net_social: Decimal
    net_taxable: Decimal
    tax_withheld: Decimal
    net_paid: Decimal
    employer_cost: Decimal


def payslip_totals(
    gross: Decimal,
    lines: tuple[PayslipLine, ...],
    employer_welfare: Decimal,
    tax_exempt_extra: Decimal,
    pas_rate: Decimal,
) -> Totals:
    employee_contributions = sum((line.employee_amount for line in lines), ZERO)
    employer_contributions = sum(
        (line.employer_amount for line in lines if line.heading != HEADING_EXONERATIONS), ZERO
    )
    reductions = -sum(
        (line.employer_amount for line in lines if line.heading == HEADING_EXONERATIONS), ZERO
    )
    net_before_tax = gross - employee_contributions
    # Net taxable (modele-social `net . imposable`): net + non-deductible CSG/CRDS + employer
    # health/prévoyance − overtime/complementary pay exempt from income tax.
    non_deductible = sum(
        (line.employee_amount for line in lines if line.heading == HEADING_CSG_NON_DEDUCTIBLE),
        ZERO,
    )
    net_taxable = max(
        ZERO, net_before_tax + non_deductible + employer_welfare - round_cents(tax_exempt_extra)
    )
    tax_withheld = round_cents(net_taxable * pas_rate)
    return Totals(
        employee_contributions=employee_contributions,
        employer_contributions=employer_contributions,
        reductions=reductions,
        net_before_tax=net_before_tax,
        # modele-social 11.1.0 `montant net social` = gross − employee contributions (no
        # benefits in kind or expense allowances here), so it equals the net before tax.
        net_social=net_before_tax,
        net_taxable=net_taxable,
        tax_withheld=tax_withheld,
        net_paid=net_before_tax - tax_withheld,
        employer_cost=gross + employer_contributions - reductions,
    )


# ------------------------------------------------------------------------------------------
# Lines
# ------------------------------------------------------------------------------------------


def _line(
    code: str,
    heading: str,
    label: str,
    *,
    base: Decimal | None,
    employee_rate: Decimal | None = None,
    employee_raw: Decimal = ZERO,
    employer_rate: Decimal | None = None,
    employer_raw: Decimal = ZERO,
    source: str = "",
) -> PayslipLine:
    """A contribution line, its base and amounts rounded half-up to the cent (SPEC §5)."""
    return PayslipLine(
        code=code,
        heading=heading,
        label=label,
        base=None if base is None else round_cents(base),
        employee_rate=employee_rate,
        employee_amount=round_cents(employee_raw),
        employer_rate=employer_rate,
        employer_amount=round_cents(employer_raw),
        source=source,
    )


def _employee_line(
    code: str, heading: str, label: str, *, base: Decimal, rate: Decimal, source: str
) -> PayslipLine:
    """A line the employee alone pays: base × rate."""
    return _line(
        code, heading, label, base=base, employee_rate=rate, employee_raw=base * rate, source=source
    )


def _parse_month(month: date | str) -> date:
    if isinstance(month, date):
        return month.replace(day=1)
    try:
        year_text, month_text = month.split("-")
        return date(int(year_text), int(month_text), 1)
    except ValueError as exc:
        raise PayrollError(f"month must be YYYY-MM, got {month!r}") from exc


# Positional for the same reason as compute_payslip (eage/payslips/services.py calls it so).
def simulate(  # noqa: PLR0917
    gross: Decimal | int | str,
    month: date | str,
    hours_per_week: Decimal | int | str = 35,
    cadre: bool = False,
    settings: EmployerSettings | None = None,
    params: YearParams | None = None,
    pas_rate: Decimal | int | str = 0,
) -> PayslipResult:
    """A one-month hiring-cost simulation (``eage simulate-payslip``): ``gross`` for
    ``hours_per_week``, a complete month, no extra hours, no absence."""
    day = _parse_month(month)
    contract = ContractTerms(
        weekly_hours=D(hours_per_week),
        monthly_gross=D(gross),
        cadre=cadre,
        pas_rate=D(pas_rate),
    )
    return compute_payslip(
        contract,
        day,
        WorkedTime(),
        settings or EmployerSettings(),
        params or load_params(day.year),
    )
