"""Ledger running balances on one day (issue 14): the lines of a day follow the posting
order — the opening entries first, then each entry as it was posted — not the journals'
alphabetical order, which put a payment (BQ) before the invoice (VT) it settles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eage.books.ledgers import LedgerFilter, general_ledger, member_ledger
from tests.eage.test_lettering import member, monthly, pay

YEAR = LedgerFilter(date(2026, 1, 1), date(2026, 12, 31))


def test_invoice_then_its_payment_on_the_same_day(demo) -> None:
    inv = monthly("LEFIL", 9, "100.00")  # issued 02/10/2026, 120,00 € incl. VAT
    pay("LEFIL", "120.00", inv.issue_date)  # paid the same day
    [section] = member_ledger(LedgerFilter(YEAR.start, YEAR.end, member_id=member("LEFIL").id))
    day = [r for r in section.rows if r.day == inv.issue_date]
    assert [(r.journal, r.debit, r.credit, r.balance) for r in day] == [
        ("VT", Decimal("120.00"), Decimal("0"), Decimal("120.00")),
        ("BQ", Decimal("0"), Decimal("120.00"), Decimal("0.00")),
    ]


def test_general_ledger_411_reads_the_same_way(demo) -> None:
    inv = monthly("LEFIL", 9, "100.00")
    pay("LEFIL", "120.00", inv.issue_date)
    sections = general_ledger(LedgerFilter(YEAR.start, YEAR.end, account="411"))
    rows = [r for s in sections for r in s.rows if r.day == inv.issue_date]
    assert [r.journal for r in rows] == ["VT", "BQ"]
    assert min(r.balance for r in rows) >= 0  # never a credit balance before the invoice
