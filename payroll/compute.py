"""The monthly payslip: pure functions over the year's parameter table.

Order of the computation (each step a small function below):

1. pay: base salary (prorated for an incomplete month), extra hours per ISO week with their
   mark-ups, unpaid absence → gross;
2. the social security ceiling of the month (prorated for part-time and incomplete months)
   and the SMIC reference of the general reduction (adjusted for hours);
3. contribution lines from the rate table; health insurance and prévoyance from the
   employer settings; CSG/CRDS on 98.25 % of gross plus the employer's health/prévoyance;
4. reductions: the general reduction (RGDU in 2026, « Fillon » in 2025) with the
   progressive yearly regularisation on cumulative figures, overtime reductions;
5. totals: net before tax, net social amount, withholding tax, net paid, employer cost.

Every line amount is rounded half-up to the cent; totals add rounded lines. The official
computation to agree with is URSSAF's modele-social (see tests/payroll/golden/README.md).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

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
    "ExtraHours",
    "MonthPeriod",
    "PayrollError",
    "compute_payslip",
    "fillon_coefficient",
    "month_period",
    "prorated_ceiling",
    "rgdu_coefficient",
    "simulate",
    "split_extra_hours",
]

_ONE = Decimal(1)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)


class PayrollError(ValueError):
    """Inputs the payslip computation refuses (not under contract, negative hours…)."""


# ------------------------------------------------------------------------------------------
# 1. Period and pay
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
# 2. Ceiling and SMIC reference
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
    small = headcount < 50
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
# 3. Lines
# ------------------------------------------------------------------------------------------


def _base_for(kind: str, assiette: Decimal, ceiling: Decimal) -> Decimal:
    if kind == "total":
        return assiette
    if kind == "T1":
        return min(assiette, ceiling)
    if kind == "T2":
        return min(max(assiette - ceiling, ZERO), 7 * ceiling)
    if kind == "4PSS":
        return min(assiette, 4 * ceiling)
    if kind == "CET":
        return min(assiette, 8 * ceiling) if assiette > ceiling else ZERO
    raise PayrollError(f"unknown base {kind!r}")  # pragma: no cover - validated at load


def _line(
    code: str,
    heading: str,
    label: str,
    base: Decimal | None,
    employee_rate: Decimal | None,
    employee_raw: Decimal,
    employer_rate: Decimal | None,
    employer_raw: Decimal,
    source: str = "",
) -> PayslipLine:
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


def _employer_rate(rule: ContributionRule, settings: EmployerSettings) -> Decimal:
    if rule.employer_rate_setting is None:
        return rule.employer_rate
    value = getattr(settings, rule.employer_rate_setting, None)
    if not isinstance(value, Decimal):
        raise PayrollError(f"{rule.code}: unknown employer setting {rule.employer_rate_setting}")
    return value


# ------------------------------------------------------------------------------------------
# The payslip
# ------------------------------------------------------------------------------------------


def compute_payslip(
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
    if params.year != day.year:
        raise PayrollError(f"parameters of {params.year} cannot compute {day:%Y-%m}")
    if contract.weekly_hours <= 0 or contract.monthly_gross < 0:
        raise PayrollError("contract hours must be positive and gross pay not negative")
    legal_weekly = params.value("legal_weekly_hours", day)
    if contract.weekly_hours > legal_weekly:
        raise PayrollError(f"weekly hours above the legal {legal_weekly} h are not supported")
    if worked_time.unpaid_absence_hours < 0:
        raise PayrollError("negative absence hours")

    weeks_per_month = params.value("weeks_per_year", day) / 12
    contract_hours = contract.weekly_hours * weeks_per_month
    legal_hours = legal_weekly * weeks_per_month
    hourly = contract.monthly_gross / contract_hours
    period = month_period(day, contract)

    # --- 1. pay ------------------------------------------------------------------------
    earnings: list[EarningLine] = []
    base_pay = round_cents(contract.monthly_gross * presence_ratio(period))
    earnings.append(
        EarningLine(
            "base",
            "Salaire de base",
            contract_hours if period.complete else None,
            hourly,
            base_pay,
        )
    )
    absence_pay = round_cents(hourly * worked_time.unpaid_absence_hours)
    if absence_pay > base_pay:
        raise PayrollError("unpaid absence exceeds the base salary of the month")
    if worked_time.unpaid_absence_hours > 0:
        earnings.append(
            EarningLine(
                "absence",
                "Absence non rémunérée",
                worked_time.unpaid_absence_hours,
                hourly,
                -absence_pay,
            )
        )
    extra = split_extra_hours(
        contract.weekly_hours, dict(worked_time.extra_hours_by_week), params, day
    )
    kind = "Heures supplémentaires" if extra.overtime else "Heures complémentaires"
    code = "overtime" if extra.overtime else "complementary"
    extra_pay = ZERO
    for tier, hours, rate in (
        (1, extra.first_tier_hours, extra.first_tier_rate),
        (2, extra.second_tier_hours, extra.second_tier_rate),
    ):
        if hours > 0:
            amount = round_cents(hours * hourly * (_ONE + rate))
            extra_pay += amount
            pct = (rate * _HUNDRED).normalize()
            earnings.append(
                EarningLine(
                    f"{code}_{tier}",
                    f"{kind} majorées à {pct:f} %",
                    hours,
                    hourly * (_ONE + rate),
                    amount,
                )
            )
    overtime_pay = extra_pay if extra.overtime else ZERO
    overtime_hours = extra.hours if extra.overtime else ZERO
    complementary_hours = ZERO if extra.overtime else extra.hours
    gross = base_pay - absence_pay + extra_pay

    # --- 2. ceiling and SMIC reference -------------------------------------------------
    pmss = params.value("pmss", day)
    ceiling = prorated_ceiling(
        pmss=pmss,
        contract_monthly_hours=contract_hours,
        legal_monthly_hours=legal_hours,
        complementary_hours=complementary_hours,
        period=period,
        days_per_month=params.value("days_per_month_for_ceiling", day),
    )
    # SMIC adjusted for hours (art. D241-7 CSS; BOSS « mois incomplet »): contract hours ×
    # share of the base salary actually paid, plus extra hours without their mark-up.
    paid_share = (
        (base_pay - absence_pay) / contract.monthly_gross if contract.monthly_gross else _ONE
    )
    reference_hours = contract_hours * paid_share + extra.hours
    smic_reference = params.value("smic_hourly", day) * reference_hours

    # --- 3. contribution lines ---------------------------------------------------------
    lines: list[PayslipLine] = []
    health_total = settings.health_insurance_monthly
    health_employer = round_cents(health_total * settings.health_employer_share)
    health_employee = health_total - health_employer
    prevoyance_employer_raw = gross * settings.prevoyance_employer_rate
    cadre_prevoyance_raw = ZERO
    cadre_rate = ZERO
    if contract.cadre:
        cadre_rate = max(
            settings.cadre_prevoyance_employer_rate,
            params.value("cadre_prevoyance_min_employer_rate", day),
        )
        # Tranche 1 of the full monthly ceiling, as modele-social `prévoyances . employeur .
        # cadres` (its `plafond sécurité sociale` there is not prorated).
        cadre_prevoyance_raw = min(gross, pmss) * cadre_rate
    employer_welfare = (
        health_employer + round_cents(prevoyance_employer_raw) + round_cents(cadre_prevoyance_raw)
    )
    # Employer health/prévoyance above 6 % PMSS + 1.5 % of pay (≤ 12 % PMSS) is pay subject
    # to contributions (art. D242-1 CSS).
    exempt_limit = min(
        params.value("prevoyance_social_exemption_pss", day) * pmss
        + params.value("prevoyance_social_exemption_gross", day) * gross,
        params.value("prevoyance_social_exemption_cap_pss", day) * pmss,
    )
    assiette = gross + max(ZERO, employer_welfare - exempt_limit)

    if health_total > 0:
        lines.append(
            _line(
                "complementaire_sante",
                HEADING_SANTE,
                "Complémentaire santé",
                health_total,
                None,
                health_employee,
                None,
                health_employer,
                "Art. L911-7 CSS (part employeur ≥ 50 %)",
            )
        )
    if settings.prevoyance_employee_rate > 0 or settings.prevoyance_employer_rate > 0:
        lines.append(
            _line(
                "prevoyance",
                HEADING_SANTE,
                "Complémentaire Incapacité Invalidité Décès",
                gross,
                settings.prevoyance_employee_rate,
                gross * settings.prevoyance_employee_rate,
                settings.prevoyance_employer_rate,
                prevoyance_employer_raw,
                "Contrat de prévoyance de l'employeur",
            )
        )
    if contract.cadre:
        lines.append(
            _line(
                "prevoyance_cadre",
                HEADING_SANTE,
                "Prévoyance cadres (tranche 1)",
                min(gross, pmss),
                None,
                ZERO,
                cadre_rate,
                cadre_prevoyance_raw,
                params.source("cadre_prevoyance_min_employer_rate", day),
            )
        )

    rules = params.rules_for(
        day=day,
        cadre=contract.cadre,
        headcount=settings.headcount,
        nonprofit=settings.nonprofit_association,
    )
    raw_employee: dict[str, Decimal] = {}
    reduced_smic = None
    if "reduced_rates_smic_hourly" in params.reduction.params:
        reduced_smic = params.reduction.value("reduced_rates_smic_hourly", day) * reference_hours
    for rule in rules:
        base = _base_for(rule.base, assiette, ceiling)
        if base <= 0:
            continue
        employer_rate = _employer_rate(rule, settings)
        if (
            rule.reduced_employer_rate is not None
            and rule.reduced_below_smic is not None
            and reduced_smic is not None
            and assiette < rule.reduced_below_smic * reduced_smic
        ):
            employer_rate = rule.reduced_employer_rate
        employee_raw = base * rule.employee_rate
        raw_employee[rule.code] = employee_raw
        lines.append(
            _line(
                rule.code,
                rule.heading,
                rule.label,
                base,
                rule.employee_rate or None,
                employee_raw,
                employer_rate or None,
                base * employer_rate,
                rule.source,
            )
        )

    # CSG/CRDS: 98.25 % of gross up to 4 ceilings, 100 % beyond, plus the employer's
    # health/prévoyance contributions (art. L136-1-1 CSS). Overtime and complementary hours
    # exempt from income tax (art. 81 quater CGI) carry a CSG that is not deductible.
    ratio = params.value("csg_base_ratio", day)
    limit = params.value("csg_base_ratio_limit_pss", day) * ceiling
    csg_base = ratio * min(gross, limit) + max(ZERO, gross - limit) + employer_welfare
    exempt_cap = (
        params.value("overtime_tax_exempt_yearly", day)
        / 12
        / (_ONE - ratio * params.value("csg_deductible", day))
    )
    tax_exempt_extra = min(extra_pay, exempt_cap)
    csg_extra_base = ratio * tax_exempt_extra
    csg_taxable_base = csg_base - csg_extra_base
    csg_ded = params.value("csg_deductible", day)
    csg_nd = params.value("csg_non_deductible", day)
    crds = params.value("crds", day)
    csg_source = params.source("csg_deductible", day)
    lines.append(
        _line(
            "csg_deductible",
            HEADING_CSG_DEDUCTIBLE,
            "CSG déductible de l'impôt sur le revenu",
            csg_taxable_base,
            csg_ded,
            csg_taxable_base * csg_ded,
            None,
            ZERO,
            csg_source,
        )
    )
    lines.append(
        _line(
            "csg_non_deductible",
            HEADING_CSG_NON_DEDUCTIBLE,
            "CSG non déductible de l'impôt sur le revenu",
            csg_taxable_base,
            csg_nd,
            csg_taxable_base * csg_nd,
            None,
            ZERO,
            params.source("csg_non_deductible", day),
        )
    )
    lines.append(
        _line(
            "crds",
            HEADING_CSG_NON_DEDUCTIBLE,
            "CRDS non déductible de l'impôt sur le revenu",
            csg_base,
            crds,
            csg_base * crds,
            None,
            ZERO,
            params.source("crds", day),
        )
    )
    if csg_extra_base > 0:
        lines.append(
            _line(
                "csg_extra_hours",
                HEADING_CSG_NON_DEDUCTIBLE,
                "CSG sur heures supplémentaires et complémentaires exonérées d'impôt",
                csg_extra_base,
                csg_ded + csg_nd,
                csg_extra_base * (csg_ded + csg_nd),
                None,
                ZERO,
                "Art. L136-1-1 CSS et art. 81 quater CGI",
            )
        )

    # --- 4. reductions -----------------------------------------------------------------
    before = ytd or RgduYtd()
    cumulative_assiette = before.assiette + assiette
    cumulative_smic = before.smic_reference + smic_reference
    coefficient = _reduction_coefficient(
        params, day, settings.headcount, cumulative_assiette, cumulative_smic
    )
    cumulative_reduction = round_cents(cumulative_assiette * coefficient)
    rgdu = cumulative_reduction - before.reduction
    label = (
        "Réduction générale dégressive unique (RGDU)"
        if params.reduction.kind == "rgdu"
        else "Réduction générale des cotisations patronales"
    )
    if rgdu != 0:
        lines.append(
            _line(
                "rgdu",
                HEADING_EXONERATIONS,
                label,
                assiette,
                None,
                ZERO,
                -coefficient,
                -rgdu,
                params.reduction.source,
            )
        )
    employer_deduction = ZERO
    if overtime_hours > 0:
        per_hour = params.value(
            "overtime_employer_deduction_small"
            if settings.headcount < 20
            else "overtime_employer_deduction_large",
            day,
        )
        employer_deduction = round_cents(overtime_hours * per_hour)
        # Reduced employee contributions on overtime pay: the employee's vieillesse and
        # Agirc-Arrco rate, at most 11.31 % (art. L241-17 and D241-21 CSS).
        pension_employee = sum(
            (
                raw_employee.get(code, ZERO)
                for code in (
                    "vieillesse_plafonnee",
                    "vieillesse_deplafonnee",
                    "agirc_arrco_t1",
                    "agirc_arrco_t2",
                    "ceg_t1",
                    "ceg_t2",
                    "cet",
                )
            ),
            ZERO,
        )
        reduction_rate = min(
            pension_employee / assiette, params.value("overtime_employee_reduction_cap", day)
        )
        lines.append(
            _line(
                "overtime_employee_reduction",
                HEADING_EXONERATIONS,
                "Réduction de cotisations salariales heures supplémentaires",
                overtime_pay,
                -reduction_rate,
                -overtime_pay * reduction_rate,
                None,
                ZERO,
                params.source("overtime_employee_reduction_cap", day),
            )
        )
        if employer_deduction > 0:
            lines.append(
                _line(
                    "overtime_employer_deduction",
                    HEADING_EXONERATIONS,
                    "Déduction forfaitaire patronale heures supplémentaires",
                    overtime_hours,
                    None,
                    ZERO,
                    None,
                    -employer_deduction,
                    params.source("overtime_employer_deduction_small", day),
                )
            )

    lines.sort(key=lambda line: HEADINGS.index(line.heading))

    # --- 5. totals ---------------------------------------------------------------------
    employee_contributions = sum((line.employee_amount for line in lines), ZERO)
    employer_contributions = sum(
        (line.employer_amount for line in lines if line.heading != HEADING_EXONERATIONS), ZERO
    )
    reductions = -sum(
        (line.employer_amount for line in lines if line.heading == HEADING_EXONERATIONS), ZERO
    )
    net_before_tax = gross - employee_contributions
    # modele-social 11.1.0 `montant net social` = gross − employee contributions (no benefits
    # in kind or expense allowances here), so it equals the net before tax.
    net_social = net_before_tax
    # Net taxable (modele-social `net . imposable`): net + non-deductible CSG/CRDS + employer
    # health/prévoyance − overtime/complementary pay exempt from income tax.
    non_deductible = sum(
        (line.employee_amount for line in lines if line.heading == HEADING_CSG_NON_DEDUCTIBLE),
        ZERO,
    )
    net_taxable = max(
        ZERO, net_before_tax + non_deductible + employer_welfare - round_cents(tax_exempt_extra)
    )
    tax_withheld = round_cents(net_taxable * contract.pas_rate)
    return PayslipResult(
        month=day,
        earnings=tuple(earnings),
        lines=tuple(lines),
        gross=gross,
        employee_contributions=employee_contributions,
        employer_contributions=employer_contributions,
        rgdu=rgdu,
        reductions=reductions,
        net_social=net_social,
        net_before_tax=net_before_tax,
        net_taxable=net_taxable,
        tax_withheld=tax_withheld,
        net_paid=net_before_tax - tax_withheld,
        employer_cost=gross + employer_contributions - reductions,
        ceiling=round_cents(ceiling),
        smic_reference=round_cents(smic_reference),
        rgdu_coefficient=coefficient,
        rgdu_ytd=RgduYtd(cumulative_assiette, cumulative_smic, cumulative_reduction),
        reference_model=params.reference_model,
    )


def _parse_month(month: date | str) -> date:
    if isinstance(month, date):
        return month.replace(day=1)
    try:
        year_text, month_text = month.split("-")
        return date(int(year_text), int(month_text), 1)
    except ValueError as exc:
        raise PayrollError(f"month must be YYYY-MM, got {month!r}") from exc


def simulate(
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
