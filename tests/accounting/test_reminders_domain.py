"""Reminder levels and late-payment amounts (art. L441-10 II and D441-5 C. com.): penalties
from the day after the due date, at the annual rate printed on the invoice, simple interest on
the TTC still owed, ROUND_HALF_UP to the cent; 40 € per invoice; levels 1 → 2 → 3 only in
order and after the delay between thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting.reminders import OverdueInvoice, SentLevel, next_level, propose

DAYS = (1, 15, 30)


def inv(number: str, due: date, left: str, rate: str = "12.15") -> OverdueInvoice:
    return OverdueInvoice(
        number, date(2026, 9, 2), due, Decimal(left), Decimal(left), Decimal(rate)
    )


@pytest.mark.parametrize(
    "left, rate, today, penalty",
    [
        # L441-10: nothing on the due date itself; the first day late is the day after.
        ("1200.00", "12.15", date(2026, 11, 1), "0.00"),
        ("1200.00", "12.15", date(2026, 11, 2), "0.40"),  # 1200 × 12.15 % × 1/365 = 0.3994
        ("1200.00", "12.15", date(2026, 11, 11), "3.99"),  # × 10/365 = 3.9945
        # 18.25 × 10 % × 1/365 = 0.005 exactly: half-up gives 0.01 (half-even would give 0.00).
        ("18.25", "10.00", date(2026, 11, 2), "0.01"),
        # 36 500.00 × 10 % × 31/365 = 310.00: simple interest, no compounding over the month.
        ("36500.00", "10.00", date(2026, 12, 2), "310.00"),
    ],
    ids=["L441-10-due-day", "L441-10-day-1", "L441-10-day-10", "half-up", "simple-interest"],
)
def test_penalty_at_the_printed_rate_from_the_day_after_due(left, rate, today, penalty) -> None:
    p = propose([inv("F-2026-0001", date(2026, 11, 1), left, rate)], today, {}, DAYS)
    lines = p.lines
    if today <= date(2026, 11, 1):
        assert lines == ()
        return
    assert lines[0].penalty == Decimal(penalty)
    assert lines[0].indemnity == Decimal("40.00")  # D441-5: per invoice


def test_forty_euros_per_invoice_and_totals() -> None:
    """D441-5: the fixed indemnity is per invoice paid late, 3 invoices → 120 €."""
    due = date(2026, 10, 1)
    p = propose(
        [inv("F-1", due, "100.00"), inv("F-2", due, "200.00"), inv("F-3", due, "300.00")],
        date(2026, 10, 31),
        {},
        DAYS,
    )
    assert p.indemnities == Decimal("120.00")
    assert p.outstanding == Decimal("600.00")
    # 30 days: 100 → 0.9986 → 1.00 ; 200 → 1.9973 → 2.00 ; 300 → 2.9959 → 3.00
    assert [ln.penalty for ln in p.lines] == [Decimal("1.00"), Decimal("2.00"), Decimal("3.00")]
    assert p.total == Decimal("726.00")


@pytest.mark.parametrize(
    "days_late, last, today, expected",
    [
        (0, None, date(2026, 11, 1), None),  # not late yet
        (1, None, date(2026, 11, 2), 1),  # relance amiable from the first day late
        (40, None, date(2026, 12, 11), 1),  # never reminded: level 1 first, whatever the delay
        (10, SentLevel(1, date(2026, 11, 2)), date(2026, 11, 11), None),  # same level: never twice
        (15, SentLevel(1, date(2026, 11, 2)), date(2026, 11, 16), 2),  # 14 days since level 1
        (15, SentLevel(1, date(2026, 11, 10)), date(2026, 11, 16), None),  # sent too recently
        (30, SentLevel(2, date(2026, 11, 16)), date(2026, 12, 1), 3),  # mise en demeure
        (29, SentLevel(2, date(2026, 11, 1)), date(2026, 11, 30), None),  # not 30 days late
        (90, SentLevel(3, date(2026, 12, 1)), date(2027, 1, 30), None),  # nothing after level 3
    ],
)
def test_levels_escalate_in_order_after_their_delay(days_late, last, today, expected) -> None:
    assert next_level(days_late, last, today, DAYS) == expected


def test_the_email_level_is_the_highest_new_level() -> None:
    due = date(2026, 10, 1)
    sent = {"F-1": SentLevel(1, date(2026, 10, 2))}
    p = propose(
        [inv("F-1", due, "100.00"), inv("F-2", date(2026, 10, 20), "50.00")],
        date(2026, 10, 21),
        sent,
        DAYS,
    )
    assert [ln.level for ln in p.lines] == [2, 1]
    assert p.level == 2
