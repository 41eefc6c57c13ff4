"""Taxe sur les salaires (art. 231, 1679 A CGI) of an employer partly outside VAT — an employer
group whose members are exempt under art. 261 B CGI. Pure; the figures are yearly parameters
(``salary_tax_*`` in payroll/params/<year>.toml) with their sources.

1. **Liability and ratio** (art. 231, 1 CGI; BOI-TPS-TS-20-30): the tax is due by employers
   not liable to VAT on at least 90 % of their turnover; its base is each pay × the ratio
   *receipts that did not bear VAT ÷ total receipts*. Receipts outside the scope of VAT
   (membership fees, subsidies) count in both terms. The ratio is taken as a whole percent,
   rounded down (``ratio_percent``).
2. **Brackets** (art. 231, 1 and 2 bis CGI): each employee's yearly base (gross × ratio,
   rounded half-up to the euro, art. 1724 CGI) is taxed 4.25 % up to the first limit, 8.50 %
   up to the second, 13.60 % beyond; the employee's tax is rounded half-up to the cent.
3. **Allowance, franchise, décote** (art. 1679 A CGI): associations deduct a yearly allowance
   (24,256 € in 2026) from the tax; on what remains, nothing is due up to 1,200 €, and
   between 1,200 € and 2,040 € a décote of three quarters of (2,040 € − tax) applies. The
   tax due is rounded half-up to the euro.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from accounting.money import ZERO, D, round_cents

from .params import YearParams

__all__ = [
    "EmployeeSalaryTax",
    "Receipts",
    "SalaryTax",
    "SalaryTaxRules",
    "bracket_tax",
    "ratio_percent",
    "salary_tax",
    "salary_tax_rules",
]

_HUNDRED = Decimal(100)
_EURO = Decimal(1)


@dataclass(frozen=True)
class SalaryTaxRules:
    """The year's figures: bracket rates and limits, franchise, décote, allowance, and the
    VAT share from which the employer owes nothing."""

    rate_1: Decimal
    limit_1: Decimal
    rate_2: Decimal
    limit_2: Decimal
    rate_3: Decimal
    franchise: Decimal
    decote_limit: Decimal
    decote_share: Decimal
    association_allowance: Decimal
    vat_liable_threshold: Decimal
    sources: tuple[str, ...] = ()


def salary_tax_rules(params: YearParams) -> SalaryTaxRules:
    """The rules of ``params.year`` (as in force on 31 December)."""
    day = date(params.year, 12, 31)
    names = (
        "rate_1",
        "limit_1",
        "rate_2",
        "limit_2",
        "rate_3",
        "franchise",
        "decote_limit",
        "decote_share",
        "association_allowance",
        "vat_liable_threshold",
    )
    values = {name: params.value(f"salary_tax_{name}", day) for name in names}
    sources = tuple(dict.fromkeys(params.source(f"salary_tax_{n}", day) for n in names))
    return SalaryTaxRules(**values, sources=sources)


@dataclass(frozen=True)
class Receipts:
    """A year's receipts excluding tax: those that bore VAT, and those that did not (exempt
    under art. 261 B, or outside its scope: fees, subsidies)."""

    vat_liable: Decimal
    not_vat_liable: Decimal

    @property
    def total(self) -> Decimal:
        return self.vat_liable + self.not_vat_liable


def ratio_percent(receipts: Receipts) -> Decimal:
    """The ratio (art. 231, 1 CGI) as a whole percent rounded down: 100 without receipts
    (an employer with no VAT-liable receipt owes the tax on all its pay)."""
    if receipts.total <= 0:
        return _HUNDRED
    share = D(receipts.not_vat_liable) * _HUNDRED / receipts.total
    return share.quantize(_EURO, rounding=ROUND_DOWN)


def bracket_tax(base: Decimal, rules: SalaryTaxRules) -> Decimal:
    """The tax on one employee's yearly base by the brackets, rounded half-up to the cent."""
    base = D(base)
    first = min(base, rules.limit_1)
    second = max(ZERO, min(base, rules.limit_2) - rules.limit_1)
    third = max(ZERO, base - rules.limit_2)
    return round_cents(first * rules.rate_1 + second * rules.rate_2 + third * rules.rate_3)


@dataclass(frozen=True)
class EmployeeSalaryTax:
    code: str
    name: str
    gross: Decimal
    base: Decimal  # gross × ratio, to the euro
    tax: Decimal


@dataclass(frozen=True)
class SalaryTax:
    """The year's computation, every intermediate figure an accountant checks."""

    year: int
    receipts: Receipts
    ratio: Decimal  # whole percent
    liable: bool  # False when VAT-liable receipts reach the threshold (90 %)
    employees: tuple[EmployeeSalaryTax, ...]
    tax_before_allowance: Decimal
    allowance: Decimal  # the part of the allowance used
    tax_after_allowance: Decimal
    decote: Decimal  # what the franchise or the décote waives
    due: Decimal  # to the euro

    @property
    def total_base(self) -> Decimal:
        return sum((e.base for e in self.employees), ZERO)


def _due_after_franchise(tax: Decimal, rules: SalaryTaxRules) -> tuple[Decimal, Decimal]:
    """``(décote, due)`` of a tax amount (art. 1679 A CGI): nothing up to the franchise, a
    décote of ``decote_share × (limit − tax)`` below the décote limit."""
    if tax <= rules.franchise:
        return tax, ZERO
    if tax < rules.decote_limit:
        decote = min(tax, round_cents(rules.decote_share * (rules.decote_limit - tax)))
        return decote, (tax - decote).quantize(_EURO, rounding=ROUND_HALF_UP)
    return ZERO, tax.quantize(_EURO, rounding=ROUND_HALF_UP)


def salary_tax(
    year: int,
    receipts: Receipts,
    gross_by_employee: Iterable[tuple[str, str, Decimal]],
    rules: SalaryTaxRules,
    *,
    association: bool = True,
) -> SalaryTax:
    """The taxe sur les salaires of ``year`` from its ratio's receipts and each employee's
    yearly gross pay ``(code, name, gross)``."""
    ratio = ratio_percent(receipts)
    liable = (
        receipts.total <= 0 or D(receipts.vat_liable) < rules.vat_liable_threshold * receipts.total
    )
    rows = []
    for code, name, gross in gross_by_employee:
        base = (D(gross) * ratio / _HUNDRED).quantize(_EURO, rounding=ROUND_HALF_UP)
        tax = bracket_tax(base, rules) if liable else ZERO
        rows.append(EmployeeSalaryTax(code, name, D(gross), base if liable else ZERO, tax))
    before = sum((r.tax for r in rows), ZERO)
    allowance = min(before, rules.association_allowance) if association else ZERO
    after = before - allowance
    decote, due = _due_after_franchise(after, rules)
    return SalaryTax(
        year=year,
        receipts=receipts,
        ratio=ratio,
        liable=liable,
        employees=tuple(rows),
        tax_before_allowance=before,
        allowance=allowance,
        tax_after_allowance=after,
        decote=decote,
        due=due,
    )
