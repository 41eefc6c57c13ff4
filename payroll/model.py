"""Inputs and outputs of the payslip computation: frozen dataclasses, Decimal money.

Rates are fractions (``Decimal("0.069")`` for 6.90 %); amounts are euros rounded half-up to
the cent on each line (SPEC §5). JSON renders amounts as two-decimal strings and rates as
percentages (``"6.90"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from accounting.money import ROUND_HALF_EVEN, ZERO, fmt2

__all__ = [
    "HEADINGS",
    "HEADING_AT_MP",
    "HEADING_CHOMAGE",
    "HEADING_CSG_DEDUCTIBLE",
    "HEADING_CSG_NON_DEDUCTIBLE",
    "HEADING_EXONERATIONS",
    "HEADING_FAMILLE",
    "HEADING_OTHER_EMPLOYER",
    "HEADING_RETRAITE",
    "HEADING_SANTE",
    "ContractTerms",
    "EarningLine",
    "EmployerSettings",
    "PayslipLine",
    "PayslipResult",
    "RgduYtd",
    "WorkedTime",
    "fmt_rate",
]

# Headings of the « bulletin clarifié » (arrêté du 25 février 2016 modifié par l'arrêté du
# 31 janvier 2023), in their order on the payslip.
HEADING_SANTE = "SANTÉ"
HEADING_AT_MP = "ACCIDENTS DU TRAVAIL - MALADIES PROFESSIONNELLES"
HEADING_RETRAITE = "RETRAITE"
HEADING_FAMILLE = "FAMILLE"
HEADING_CHOMAGE = "ASSURANCE CHÔMAGE"
HEADING_OTHER_EMPLOYER = "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR"
HEADING_CONVENTION = "COTISATIONS STATUTAIRES OU PRÉVUES PAR LA CONVENTION COLLECTIVE"
HEADING_CSG_DEDUCTIBLE = "CSG déductible de l'impôt sur le revenu"
HEADING_CSG_NON_DEDUCTIBLE = "CSG/CRDS non déductible de l'impôt sur le revenu"
HEADING_EXONERATIONS = "EXONÉRATIONS, ÉCRÊTEMENTS ET ALLÈGEMENTS DE COTISATIONS"
HEADINGS: tuple[str, ...] = (
    HEADING_SANTE,
    HEADING_AT_MP,
    HEADING_RETRAITE,
    HEADING_FAMILLE,
    HEADING_CHOMAGE,
    HEADING_OTHER_EMPLOYER,
    HEADING_CONVENTION,
    HEADING_CSG_DEDUCTIBLE,
    HEADING_CSG_NON_DEDUCTIBLE,
    HEADING_EXONERATIONS,
)

_PERCENT = Decimal(100)


def fmt_rate(rate: Decimal | None) -> str | None:
    """A fraction as a percentage string with 2 to 4 decimals: 0.069 → "6.90"."""
    if rate is None:
        return None
    # Half-even, the mode Decimal's default context applied here before it was named: a rate
    # shown on the payslip, not money (SPEC §5 rounds money half-up); kept so a payslip prints
    # the rates it always printed.
    pct = (rate * _PERCENT).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    text = f"{pct:f}"
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0")
    return f"{whole}.{decimals.ljust(2, '0')}"


def _opt2(amount: Decimal | None) -> str | None:
    return None if amount is None else fmt2(amount)


@dataclass(frozen=True)
class ContractTerms:
    """The terms of the employment contract that pay depends on (the stored contract is the
    ORM's ``eage.models.Contract``; the payslip service builds these terms from it).

    ``monthly_gross`` is the base salary for ``weekly_hours`` (mensualised over 52/12 weeks);
    ``weekly_hours`` below the legal 35 h make a part-time contract. ``start``/``end`` (either
    may be ``None``) make a month incomplete. ``pas_rate`` is the employee's withholding-tax
    rate as notified by the tax administration (a fraction).
    """

    weekly_hours: Decimal
    monthly_gross: Decimal
    cadre: bool = False
    start: date | None = None
    end: date | None = None
    pas_rate: Decimal = ZERO


@dataclass(frozen=True)
class WorkedTime:
    """What the timesheets say about the month.

    ``extra_hours_by_week`` maps an ISO week (``"2026-W45"``) to the hours worked beyond the
    contract that week, all paid this month (the caller assigns weeks spanning two months).
    ``unpaid_absence_hours`` are contract hours not worked and not paid (``SANS_SOLDE``).
    """

    extra_hours_by_week: Mapping[str, Decimal] = field(default_factory=dict)
    unpaid_absence_hours: Decimal = ZERO


@dataclass(frozen=True)
class EmployerSettings:
    """Employer-specific rates (all fractions) and facts.

    Defaults are those of the URSSAF simulator (modele-social 11.1.0): AT/MP 2.08 % (its
    average rate when none is given), health insurance 40 €/month paid half by the employer.
    ``prevoyance_*_rate`` apply to the whole gross pay; cadres also get the employer's
    prévoyance on tranche 1 at ``cadre_prevoyance_employer_rate``, never below the legal 1.50 %.
    """

    atmp_rate: Decimal = Decimal("0.0208")
    health_insurance_monthly: Decimal = Decimal("40.00")
    health_employer_share: Decimal = Decimal("0.50")
    prevoyance_employee_rate: Decimal = ZERO
    prevoyance_employer_rate: Decimal = ZERO
    cadre_prevoyance_employer_rate: Decimal = Decimal("0.015")
    headcount: int = 3
    nonprofit_association: bool = True


@dataclass(frozen=True)
class RgduYtd:
    """Cumulative figures of the calendar year for the progressive regularisation of the
    general reduction: pay subject to contributions, SMIC reference, reduction applied."""

    assiette: Decimal = ZERO
    smic_reference: Decimal = ZERO
    reduction: Decimal = ZERO

    def to_json_dict(self) -> dict[str, str]:
        return {
            "assiette": fmt2(self.assiette),
            "smic_reference": fmt2(self.smic_reference),
            "reduction": fmt2(self.reduction),
        }


@dataclass(frozen=True)
class EarningLine:
    """A pay element: base salary, extra hours at a given mark-up, unpaid absence."""

    code: str
    label: str
    hours: Decimal | None
    hourly_rate: Decimal | None
    amount: Decimal

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "hours": _opt2(self.hours),
            "hourly_rate": None if self.hourly_rate is None else f"{self.hourly_rate:f}",
            "amount": fmt2(self.amount),
        }


@dataclass(frozen=True)
class PayslipLine:
    """One contribution line: base, employee and employer rates and amounts.

    Reductions (heading EXONÉRATIONS…) carry negative amounts.
    """

    code: str
    heading: str
    label: str
    base: Decimal | None
    employee_rate: Decimal | None
    employee_amount: Decimal
    employer_rate: Decimal | None
    employer_amount: Decimal
    source: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "label": self.label,
            "base": _opt2(self.base),
            "employee_rate": fmt_rate(self.employee_rate),
            "employee_amount": fmt2(self.employee_amount),
            "employer_rate": fmt_rate(self.employer_rate),
            "employer_amount": fmt2(self.employer_amount),
        }


@dataclass(frozen=True)
class PayslipResult:
    """A computed payslip: what :func:`payroll.compute_payslip` returns (the issued payslip is
    the ORM's ``eage.models.Payslip``, which stores this result's figures and JSON).

    Invariants (tested): ``gross − employee_contributions = net_before_tax`` and
    ``gross + employer_contributions − reductions = employer_cost``. ``employer_contributions``
    are before reductions; ``reductions`` = ``rgdu`` (the general reduction: RGDU in 2026,
    « Fillon » in 2025) + the flat employer deduction on overtime hours.
    """

    month: date
    earnings: tuple[EarningLine, ...]
    lines: tuple[PayslipLine, ...]
    gross: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    rgdu: Decimal
    reductions: Decimal
    net_social: Decimal
    net_before_tax: Decimal
    net_taxable: Decimal
    tax_withheld: Decimal
    net_paid: Decimal
    employer_cost: Decimal
    ceiling: Decimal
    smic_reference: Decimal
    rgdu_coefficient: Decimal
    rgdu_ytd: RgduYtd
    reference_model: str

    def lines_under(self, heading: str) -> tuple[PayslipLine, ...]:
        return tuple(line for line in self.lines if line.heading == heading)

    def line(self, code: str) -> PayslipLine:
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)

    def to_json_dict(self) -> dict[str, Any]:
        """The payslip for the CLI / API: amounts as strings with two decimals."""
        return {
            "month": self.month.strftime("%Y-%m"),
            "gross": fmt2(self.gross),
            "employee_contributions": fmt2(self.employee_contributions),
            "employer_contributions": fmt2(self.employer_contributions),
            "rgdu": fmt2(self.rgdu),
            "reductions": fmt2(self.reductions),
            "net_social": fmt2(self.net_social),
            "net_before_tax": fmt2(self.net_before_tax),
            "net_taxable": fmt2(self.net_taxable),
            "tax_withheld": fmt2(self.tax_withheld),
            "net_paid": fmt2(self.net_paid),
            "employer_cost": fmt2(self.employer_cost),
            "ceiling": fmt2(self.ceiling),
            "smic_reference": fmt2(self.smic_reference),
            "rgdu_coefficient": f"{self.rgdu_coefficient:f}",
            "rgdu_ytd": self.rgdu_ytd.to_json_dict(),
            "reference_model": self.reference_model,
            "earnings": [line.to_json_dict() for line in self.earnings],
            "lines": [line.to_json_dict() for line in self.lines],
        }
