"""VAT on services due on receipt (art. 269-2-c CGI), pure: the share each settlement makes
due, and the monthly CA3 figures reconciled with the books."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounting.vat import BooksMonth, Operation, ca3_totals, ca3_year, moved_by_earlier, vat_share
from accounting.vat import vat_to_move as move

VAT, TOTAL = Decimal("200.00"), Decimal("1200.00")  # an invoice of 1,000.00 HT + 20 %


def test_share_is_the_settled_amount_times_vat_over_total_rounded_half_up() -> None:
    assert vat_share(Decimal("600.00"), VAT, TOTAL) == Decimal("100.00")
    # 100.00 × 16.67 / 100.00 = 16.67; 33.33 × 0.1667 = 5.556111 → 5.56 (half-up)
    assert vat_share(Decimal("33.33"), Decimal("16.67"), Decimal("100.00")) == Decimal("5.56")
    assert vat_share(Decimal("0.03"), Decimal("0.01"), Decimal("0.06")) == Decimal("0.01")  # .005
    assert vat_share(Decimal("50.00"), Decimal("0"), Decimal("50.00")) == Decimal("0")  # 261 B


def test_a_partial_payment_moves_its_share_and_the_last_one_exactly_the_vat_left() -> None:
    first = move(settled=Decimal("600.00"), invoice_vat=VAT, invoice_total=TOTAL)
    assert first == Decimal("100.00")
    last = move(
        settled=Decimal("600.00"),
        invoice_vat=VAT,
        invoice_total=TOTAL,
        already_moved=first,
        settles_fully=True,
    )
    assert first + last == VAT


def test_three_way_split_with_rounding_moves_exactly_the_invoice_vat() -> None:
    """100.00 TTC with 16.67 VAT paid 33.33 / 33.33 / 33.34: shares 5.56 + 5.56 would make
    the third 5.56 too (16.68); the settling payment takes the 5.55 left instead."""
    vat, total = Decimal("16.67"), Decimal("100.00")
    paid = [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    moves = []
    for i, amount in enumerate(paid):
        moves.append(
            move(
                settled=amount,
                invoice_vat=vat,
                invoice_total=total,
                already_moved=moved_by_earlier(paid[:i], vat, total),
                settles_fully=i == len(paid) - 1,
            )
        )
    assert moves == [Decimal("5.56"), Decimal("5.56"), Decimal("5.55")]
    assert sum(moves) == vat


def test_a_credit_note_reversed_its_own_vat_so_the_last_payment_takes_only_what_is_left() -> None:
    """1,200.00 TTC, a credit note of 300.00 TTC (50.00 VAT, reversed from 44574 at issue),
    600.00 paid (100.00 moved), 300.00 settles: 200 − 50 − 100 = 50.00."""
    assert move(
        settled=Decimal("300.00"),
        invoice_vat=VAT,
        invoice_total=TOTAL,
        already_moved=Decimal("100.00"),
        credited_vat=Decimal("50.00"),
        settles_fully=True,
    ) == Decimal("50.00")


def test_never_more_than_what_is_left_never_negative() -> None:
    assert move(
        settled=Decimal("600.00"),
        invoice_vat=VAT,
        invoice_total=TOTAL,
        already_moved=Decimal("150.00"),
        credited_vat=Decimal("20.00"),
    ) == Decimal("30.00")
    assert move(
        settled=Decimal("1.00"),
        invoice_vat=VAT,
        invoice_total=TOTAL,
        already_moved=Decimal("150.00"),
        credited_vat=Decimal("100.00"),
        settles_fully=True,
    ) == Decimal("0.00")


def test_moved_by_earlier_caps_each_share_at_the_vat_left() -> None:
    assert moved_by_earlier([], VAT, TOTAL) == Decimal("0.00")
    assert moved_by_earlier([Decimal("600.00"), Decimal("300.00")], VAT, TOTAL) == Decimal("150.00")
    assert moved_by_earlier([Decimal("1300.00")], VAT, TOTAL) == VAT


@pytest.mark.parametrize("month", [1, 12])
def test_ca3_month_sums_operations_and_takes_the_deductible_vat_from_the_books(month: int) -> None:
    ops = [
        Operation(month, "taxable", Decimal("500.00"), Decimal("100.00")),
        Operation(month, "taxable", Decimal("83.33"), Decimal("16.67")),
        Operation(month, "exempt", Decimal("400.00")),
        Operation(month, "outside", Decimal("30.00")),
    ]
    books = {
        month: BooksMonth(
            collected=Decimal("116.67"),
            deductible=Decimal("24.00"),
            pending_balance=Decimal("100.00"),
        )
    }
    months = ca3_year(ops, books)
    assert len(months) == 12
    m = months[month - 1]
    assert (m.taxable_base, m.collected_vat, m.exempt_base, m.outside_base) == (
        Decimal("583.33"),
        Decimal("116.67"),
        Decimal("400.00"),
        Decimal("30.00"),
    )
    assert m.deductible_vat == Decimal("24.00")
    assert m.vat_due == Decimal("92.67")  # CA3 line 28: 116.67 − 24.00
    assert m.reconciled and m.collected_gap == 0
    other = months[(month % 12)]
    assert other.vat_due == 0 and other.reconciled


def test_ca3_shows_a_gap_when_the_books_disagree_and_totals_the_year() -> None:
    ops = [Operation(3, "taxable", Decimal("100.00"), Decimal("20.00"))]
    books = {
        3: BooksMonth(collected=Decimal("19.99"), pending_balance=Decimal("5.00")),
        12: BooksMonth(deductible=Decimal("30.00"), pending_balance=Decimal("7.00")),
    }
    months = ca3_year(ops, books)
    assert months[2].collected_gap == Decimal("0.01") and not months[2].reconciled
    totals = ca3_totals(months)
    assert totals["collected_vat"] == Decimal("20.00")
    assert totals["vat_due"] == Decimal("-10.00")  # a credit of VAT (CA3 line 23)
    assert totals["pending_balance"] == Decimal("7.00")  # 44574 at the end of December
