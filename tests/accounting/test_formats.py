"""French output (accounting/formats.py): one function per printed shape (SPEC §8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting import formats
from accounting.months import Month

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("function", "value", "text"),
    [
        (formats.money, Decimal("1234.5"), f"1{NNBSP}234,50{NBSP}€"),
        (formats.money, Decimal("0.125"), f"0,13{NBSP}€"),  # half-up to the cent
        (formats.money, None, ""),
        (formats.number2, Decimal("37.75"), "37,75"),
        (formats.number2, Decimal("0.125"), "0,12"),  # half-even: a third decimal is rare
        (formats.amount, Decimal("151.6666"), "151,67"),
        (formats.amount, Decimal("0.125"), "0,13"),
        (formats.amount, "2.08", "2,08"),
        (formats.unit_rate, Decimal("15.8241758"), "15,8242"),
        (formats.rate, Decimal("6.90"), f"6,90{NBSP}%"),
        (formats.rate, "0.016", f"0,016{NBSP}%"),
        (formats.percent, Decimal("20.00"), f"20{NBSP}%"),
        (formats.percent, Decimal("12.15"), f"12,15{NBSP}%"),
        (formats.unit_price, Decimal("42.5"), f"42,50{NBSP}€"),
        (formats.unit_price, Decimal("42.1234"), f"42,1234{NBSP}€"),
        (formats.number, Decimal("1607"), f"1{NNBSP}607"),
    ],
)
def test_numbers(function, value, text) -> None:  # type: ignore[no-untyped-def]
    assert function(value) == text


def test_blank_zero_and_locale() -> None:
    assert formats.amount(Decimal("0.00"), True) == ""
    assert formats.hours(0) == "0,00" and formats.hours(0, blank_zero=True) == ""
    assert formats.hours(None) == ""
    assert formats.money(Decimal("1234.5"), locale="en") == "€1,234.50"
    assert formats.hours(450, locale="en") == "7.50"


@pytest.mark.parametrize(
    ("minutes", "decimal", "with_minutes", "short"),
    [
        (2265, "37,75", "37 h 45", "37 h 45"),
        (600, "10,00", "10 h 00", "10 h"),
        (630, "10,50", "10 h 30", "10 h 30"),
        (130, "2,17", "2 h 10", "2 h 10"),  # 2.1666… h, half-up
        (-90, "-1,50", "-1 h 30", None),
        (60_000, f"1{NNBSP}000,00", "1000 h 00", "1000 h"),
    ],
)
def test_durations(minutes: int, decimal: str, with_minutes: str, short: str | None) -> None:
    assert formats.hours(minutes) == decimal
    assert formats.hours_and_minutes(minutes) == with_minutes
    if short is not None:
        assert formats.short_duration(minutes) == short


def test_plain_decimal_reads_back() -> None:
    assert formats.plain_decimal(Decimal("1234.5"), 2) == "1234,50"
    assert formats.plain_decimal(Decimal("35"), 0) == "35"


def test_dates_and_months() -> None:
    assert formats.fr_date(date(2026, 11, 3)) == "03/11/2026"
    assert formats.fr_date(date(2026, 11, 3), "long") == "3 novembre 2026"
    assert formats.fr_date(None) == ""
    assert formats.month_label(date(2026, 11, 17)) == "novembre 2026"
    assert formats.month_label(Month(2026, 2)) == "février 2026"
    assert formats.month_label(Month(2026, 2), locale="en") == "February 2026"


def test_ssn() -> None:
    assert formats.ssn("187094227054321") == NBSP.join(["1", "87", "09", "42", "270", "543", "21"])
    assert formats.ssn("123") == "123"
