"""Lettrage of a member's 411 account (FEC EcritureLet / DateLet, art. A47 A-1 LPF): linked
documents whose lines net to zero share a code; DateLet is the latest date of the group."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting.lettering import (
    LetteringLine,
    letter_account,
    lettering_code,
)


def line(
    line_id: int, document: str, number: str, day: date, debit: str = "0", credit: str = "0"
) -> LetteringLine:
    return LetteringLine(line_id, document, number, day, Decimal(debit), Decimal(credit))


@pytest.mark.parametrize(
    ("index", "code"),
    [(0, "AA"), (1, "AB"), (25, "AZ"), (26, "BA"), (675, "ZZ"), (676, "AAA"), (677, "AAB")],
)
def test_codes_run_aa_to_zz_then_three_letters(index: int, code: str) -> None:
    assert lettering_code(index) == code


def test_an_invoice_paid_in_two_payments_is_lettered_at_the_last_payment() -> None:
    """Invoice F1 (120.00) paid 50.00 on 10/11 and 70.00 on 20/11: one group, DateLet 20/11."""
    lines = [
        line(1, "F1", "VT-2026-00001", date(2026, 11, 1), debit="120.00"),
        line(2, "P1", "BQ-2026-00001", date(2026, 11, 10), credit="50.00"),
        line(3, "P2", "BQ-2026-00002", date(2026, 11, 20), credit="70.00"),
    ]
    letters = letter_account(lines, [("P1", "F1"), ("P2", "F1")])
    assert {k: (v.code, v.day) for k, v in letters.items()} == {
        1: ("AA", date(2026, 11, 20)),
        2: ("AA", date(2026, 11, 20)),
        3: ("AA", date(2026, 11, 20)),
    }


def test_a_partly_settled_invoice_gets_no_code() -> None:
    lines = [
        line(1, "F1", "VT-2026-00001", date(2026, 11, 1), debit="120.00"),
        line(2, "P1", "BQ-2026-00001", date(2026, 11, 10), credit="50.00"),
    ]
    assert letter_account(lines, [("P1", "F1")]) == {}


def test_a_payment_over_two_invoices_and_a_credit_note_make_one_group() -> None:
    """P1 settles F1 and part of F2, the credit note A1 settles the rest of F2: all four
    lines net to zero (100 + 80 − 150 − 30) and share one code."""
    lines = [
        line(1, "F1", "VT-2026-00001", date(2026, 10, 1), debit="100.00"),
        line(2, "F2", "VT-2026-00002", date(2026, 11, 1), debit="80.00"),
        line(3, "P1", "BQ-2026-00001", date(2026, 11, 5), credit="150.00"),
        line(4, "A1", "VT-2026-00003", date(2026, 11, 30), credit="30.00"),
    ]
    letters = letter_account(lines, [("P1", "F1"), ("P1", "F2"), ("A1", "F2")])
    assert {v.code for v in letters.values()} == {"AA"} and len(letters) == 4
    assert letters[1].day == date(2026, 11, 30) and letters[1].first_day == date(2026, 10, 1)


def test_codes_follow_completion_date_then_smallest_entry_number() -> None:
    """F2 is settled before F1, so it gets AA; F3 and F4 are settled on the same day, and
    F3's group holds the smaller entry number (BQ-2026-00002, its payment): AB before AC."""
    d = date(2026, 12, 1)
    lines = [
        line(1, "F1", "VT-2026-00001", date(2026, 10, 1), debit="10.00"),
        line(2, "F2", "VT-2026-00002", date(2026, 10, 2), debit="20.00"),
        line(3, "F3", "VT-2026-00003", date(2026, 10, 3), debit="30.00"),
        line(4, "F4", "VT-2026-00004", date(2026, 10, 4), debit="40.00"),
        line(5, "P1", "BQ-2026-00009", date(2026, 12, 5), credit="10.00"),
        line(6, "P2", "BQ-2026-00001", date(2026, 11, 1), credit="20.00"),
        line(7, "P4", "BQ-2026-00003", d, credit="40.00"),
        line(8, "P3", "BQ-2026-00002", d, credit="30.00"),
    ]
    links = [("P1", "F1"), ("P2", "F2"), ("P3", "F3"), ("P4", "F4")]
    codes = {k: v.code for k, v in letter_account(lines, links).items()}
    assert codes == {2: "AA", 6: "AA", 3: "AB", 8: "AB", 4: "AC", 7: "AC", 1: "AD", 5: "AD"}
    assert codes == {k: v.code for k, v in letter_account(lines[::-1], links[::-1]).items()}


def test_an_unlinked_document_is_never_lettered() -> None:
    """A payment and an invoice of the same amount are not matched unless allocated."""
    lines = [
        line(1, "F1", "VT-2026-00001", date(2026, 10, 1), debit="10.00"),
        line(2, "P1", "BQ-2026-00001", date(2026, 10, 2), credit="10.00"),
    ]
    assert letter_account(lines, []) == {}
