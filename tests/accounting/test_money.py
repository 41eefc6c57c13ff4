"""The one door for money (ARCHITECTURE §3; SPEC §5: half-up to the cent)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounting.money import CENT, D, MoneyError, fmt2, from_cents, round_cents, to_cents


def test_floats_are_refused() -> None:
    with pytest.raises(MoneyError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        D(True)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity"])
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(MoneyError):
        D(text)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("2.345", "2.35"), ("2.344", "2.34"), ("-2.345", "-2.35"), ("0.005", "0.01"), ("10", "10.00")],
    ids=["half-up", "down", "negative-half-away-from-zero", "half-cent", "integer"],
)
def test_round_half_up_to_the_cent(amount: str, expected: str) -> None:
    assert round_cents(D(amount)) == Decimal(expected)
    assert round_cents(D(amount)).as_tuple().exponent == CENT.as_tuple().exponent


def test_cents_round_trip() -> None:
    assert to_cents(D("1234.50")) == 123450
    assert from_cents(123450) == Decimal("1234.50")
    with pytest.raises(MoneyError):
        to_cents(D("0.001"))


def test_fmt2_is_the_api_format() -> None:
    assert fmt2(D("1234.5")) == "1234.50"
    assert fmt2(Decimal("7")) == "7.00"
