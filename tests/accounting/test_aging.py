"""The aged balance of receivables (balance âgée): buckets by days past the due date printed
on the invoice (art. L441-10 C. com.), to the cent, per member and overall."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounting.aging import BUCKETS, OpenItem, aged_balance, bucket_of

AT = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        pytest.param(-1, "not_due", id="due-tomorrow-not-yet-due"),
        pytest.param(0, "days_0_30", id="due-today-is-due"),
        pytest.param(30, "days_0_30", id="30-days"),
        pytest.param(31, "days_31_60", id="31-days"),
        pytest.param(45, "days_31_60", id="45-days-in-31-60"),
        pytest.param(60, "days_31_60", id="60-days"),
        pytest.param(61, "days_61_90", id="61-days"),
        pytest.param(90, "days_61_90", id="90-days"),
        pytest.param(91, "over_90", id="91-days"),
        pytest.param(400, "over_90", id="over-a-year"),
    ],
)
def test_bucket_by_whole_days_past_the_due_date(days_late: int, bucket: str) -> None:
    assert bucket_of(AT - timedelta(days=days_late), AT) == bucket


def item(member: str, ref: str, due: date, amount: str, issued: date | None = None) -> OpenItem:
    return OpenItem(member, ref, issued or due - timedelta(days=30), due, Decimal(amount))


def test_aged_balance_sums_per_member_and_overall_to_the_cent() -> None:
    items = [
        item("LEFIL", "F-1", AT - timedelta(days=45), "1200.10"),  # 31–60
        item("LEFIL", "F-2", AT - timedelta(days=10), "300.05"),  # 0–30
        item("LEFIL", "F-3", AT + timedelta(days=20), "99.99"),  # not yet due
        item("ABEILLE", "F-4", AT - timedelta(days=95), "0.01"),  # > 90
        item("ABEILLE", "F-5", AT - timedelta(days=70), "10.00"),  # 61–90
        item("ABEILLE", "F-6", AT - timedelta(days=5), "0.00"),  # settled: left out
        item("LEFIL", "F-7", AT + timedelta(days=30), "500.00", issued=AT + timedelta(days=1)),
    ]
    aged = aged_balance(items, AT, unapplied={"ABEILLE": Decimal("-4.00"), "ZEN": Decimal("0")})

    assert [line.member for line in aged.lines] == ["ABEILLE", "LEFIL"]
    abeille, lefil = aged.lines
    assert lefil.buckets == {
        "not_due": Decimal("99.99"),
        "days_0_30": Decimal("300.05"),
        "days_31_60": Decimal("1200.10"),
        "days_61_90": Decimal("0.00"),
        "over_90": Decimal("0.00"),
    }
    assert lefil.total == Decimal("1600.14")  # F-7 issued after the date is left out
    assert [i.reference for i in abeille.items] == ["F-4", "F-5"]
    assert abeille.open_total == Decimal("10.01") and abeille.total == Decimal("6.01")
    assert aged.buckets["over_90"] == Decimal("0.01")
    assert aged.open_total == sum(aged.buckets.values()) == Decimal("1610.15")
    assert aged.unapplied == Decimal("-4.00") and aged.total == Decimal("1606.15")
    assert tuple(aged.buckets) == BUCKETS


def test_a_member_with_only_an_unapplied_credit_has_its_line() -> None:
    aged = aged_balance([], AT, unapplied={"LEFIL": Decimal("-120.00")})
    assert [(line.member, line.total) for line in aged.lines] == [("LEFIL", Decimal("-120.00"))]
