"""Taxe sur les salaires of an employer group partly outside VAT (art. 231 and 1679 A CGI):
the ratio, the brackets, the associations' allowance, the franchise and the décote."""

from __future__ import annotations

from decimal import Decimal

from payroll import load_params
from payroll.salary_tax import Receipts, bracket_tax, ratio_percent, salary_tax, salary_tax_rules

RULES = salary_tax_rules(load_params(2026))


def test_the_2026_and_2025_figures() -> None:
    """Art. 231 CGI: 4.25 % ≤ 9,229 €, 8.50 % ≤ 18,423 €, 13.60 % beyond (2026; 9,147 € and
    18,259 € in 2025); art. 1679 A CGI: allowance 24,256 € (24,041 € in 2025)."""
    assert (RULES.rate_1, RULES.rate_2, RULES.rate_3) == (
        Decimal("0.0425"),
        Decimal("0.085"),
        Decimal("0.136"),
    )
    assert (RULES.limit_1, RULES.limit_2) == (Decimal(9229), Decimal(18423))
    assert RULES.association_allowance == Decimal(24256)
    r25 = salary_tax_rules(load_params(2025))
    assert (r25.limit_1, r25.limit_2, r25.association_allowance) == (
        Decimal(9147),
        Decimal(18259),
        Decimal(24041),
    )
    assert (RULES.franchise, RULES.decote_limit, RULES.decote_share) == (
        Decimal(1200),
        Decimal(2040),
        Decimal("0.75"),
    )


def test_ratio_is_not_vat_liable_receipts_over_all_receipts_in_whole_percent_down() -> None:
    """Art. 231, 1 CGI: receipts that did not bear VAT (261 B services, fees and subsidies
    outside the scope) ÷ all receipts; 171,234.56 ÷ 200,000 = 85.6 % → 85 %."""
    receipts = Receipts(vat_liable=Decimal("28765.44"), not_vat_liable=Decimal("171234.56"))
    assert ratio_percent(receipts) == Decimal(85)
    assert ratio_percent(Receipts(Decimal(0), Decimal(0))) == Decimal(100)


def test_brackets_on_one_employee() -> None:
    # 29,750 €: 9,229 × 4.25 % + 9,194 × 8.50 % + 11,327 × 13.60 % = 2,714.1945 → 2,714.19
    assert bracket_tax(Decimal(29750), RULES) == Decimal("2714.19")
    # 7,650 €: 7,650 × 4.25 % = 325.125 → 325.13 (half-up)
    assert bracket_tax(Decimal(7650), RULES) == Decimal("325.13")


def test_a_small_group_owes_nothing_thanks_to_the_allowance() -> None:
    """Ratio 85 %: bases 29,750 / 15,300 / 7,650 € (gross × 85 %, to the euro); tax
    2,714.19 + 908.27 + 325.13 = 3,947.59 € before the allowance, which absorbs it (art.
    1679 A CGI): nothing due."""
    receipts = Receipts(vat_liable=Decimal("28765.44"), not_vat_liable=Decimal("171234.56"))
    staff = [
        ("A", "A", Decimal("35000.00")),
        ("B", "B", Decimal("18000.00")),
        ("C", "C", Decimal("9000.00")),
    ]
    result = salary_tax(2026, receipts, staff, RULES)
    assert result.ratio == 85 and result.liable
    assert [e.base for e in result.employees] == [Decimal(29750), Decimal(15300), Decimal(7650)]
    assert [e.tax for e in result.employees] == [
        Decimal("2714.19"),
        Decimal("908.27"),
        Decimal("325.13"),
    ]
    assert result.tax_before_allowance == Decimal("3947.59")
    assert result.allowance == Decimal("3947.59")
    assert result.due == 0


def test_above_the_allowance_without_decote() -> None:
    """Ten employees at 40,000 € (all exempt receipts: ratio 100 %): 4,108.19 € each (9,229 ×
    4.25 % + 9,194 × 8.50 % + 21,577 × 13.60 %), 41,081.90 € − 24,256 € = 16,825.90 € →
    16,826 € due (rounded to the euro)."""
    receipts = Receipts(vat_liable=Decimal(0), not_vat_liable=Decimal(500000))
    staff = [(f"E{i}", f"E{i}", Decimal("40000.00")) for i in range(10)]
    result = salary_tax(2026, receipts, staff, RULES)
    assert result.employees[0].tax == Decimal("4108.19")
    assert result.tax_before_allowance == Decimal("41081.90")
    assert result.tax_after_allowance == Decimal("16825.90")
    assert (result.decote, result.due) == (Decimal(0), Decimal(16826))


def test_above_the_allowance_with_the_decote() -> None:
    """Six at 40,000 € and one at 18,000 € (1,137.77 €): 25,786.91 € − 24,256 € = 1,530.91 €,
    between 1,200 € and 2,040 €: décote ¾ × (2,040 − 1,530.91) = 381.82 € (art. 1679 A CGI),
    due 1,149.09 → 1,149 €."""
    receipts = Receipts(vat_liable=Decimal(0), not_vat_liable=Decimal(500000))
    staff = [(f"E{i}", f"E{i}", Decimal("40000.00")) for i in range(6)]
    staff.append(("S", "S", Decimal("18000.00")))
    result = salary_tax(2026, receipts, staff, RULES)
    assert result.employees[-1].tax == Decimal("1137.77")
    assert result.tax_after_allowance == Decimal("1530.91")
    assert result.decote == Decimal("381.82")
    assert result.due == Decimal(1149)


def test_under_the_franchise_nothing_is_due() -> None:
    """Six at 40,000 €: 24,649.14 € − 24,256 € = 393.14 € ≤ 1,200 €: not due (art. 1679 A)."""
    receipts = Receipts(vat_liable=Decimal(0), not_vat_liable=Decimal(500000))
    staff = [(f"E{i}", f"E{i}", Decimal("40000.00")) for i in range(6)]
    result = salary_tax(2026, receipts, staff, RULES)
    assert result.tax_after_allowance == Decimal("393.14")
    assert result.due == 0


def test_an_employer_liable_to_vat_on_90_percent_owes_nothing() -> None:
    """Art. 231, 1 CGI: 90 % of the receipts bore VAT: outside the tax whatever the pay."""
    receipts = Receipts(vat_liable=Decimal(90000), not_vat_liable=Decimal(10000))
    staff = [(f"E{i}", f"E{i}", Decimal("90000.00")) for i in range(10)]
    result = salary_tax(2026, receipts, staff, RULES, association=False)
    assert not result.liable
    assert result.tax_before_allowance == 0 and result.due == 0
    almost = Receipts(vat_liable=Decimal("89999.99"), not_vat_liable=Decimal("10000.01"))
    assert salary_tax(2026, almost, staff, RULES, association=False).due > 0
