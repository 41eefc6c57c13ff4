"""French formats for payroll documents (SPEC §8): '1 234,50 €', '30/11/2026', '6,90 %'.

Babel follows CLDR: the thousands separator is U+202F (narrow no-break space); the document
font (DejaVu Sans) has it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from accounting.money import D, round_cents

__all__ = ["LOCALE", "amount", "fr_date", "hours", "money", "month_label", "rate", "to_decimal"]

LOCALE = "fr_FR"


def to_decimal(value: Decimal | str | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return D(value)


def money(value: Decimal | str | int | None) -> str:
    """1234.5 → '1 234,50 €'; empty for None."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format_currency(round_cents(number), "EUR", locale=LOCALE)


def amount(value: Decimal | str | int | None, blank_zero: bool = False) -> str:
    """A payslip amount without the currency sign: '1 234,50'; '' for None (and for zero
    when ``blank_zero``)."""
    number = to_decimal(value)
    if number is None or (blank_zero and number == 0):
        return ""
    return format_decimal(round_cents(number), format="#,##0.00", locale=LOCALE)


def hours(value: Decimal | str | int | None) -> str:
    """Hours with two decimals: 151.6666 → '151,67'."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format_decimal(round_cents(number), format="#,##0.00", locale=LOCALE)


def unit_rate(value: Decimal | str | int | None) -> str:
    """An hourly rate, four decimals: 15.8241758 → '15,8242'."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format_decimal(number, format="#,##0.0000", locale=LOCALE)


def rate(value: Decimal | str | int | None) -> str:
    """A percentage as the engine writes it ('6.90', '0.016') → '6,90 %', '0,016 %'."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format_decimal(number, format="#,##0.00##", locale=LOCALE) + "\u00a0%"


def days(value: Decimal | str | int | None) -> str:
    """Days of leave, two decimals: '2,08'."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format_decimal(round_cents(number), format="#,##0.00", locale=LOCALE)


def fr_date(value: date | None, fmt: str = "dd/MM/y") -> str:
    """'30/11/2026' by default; 'long' gives '30 novembre 2026'."""
    if value is None:
        return ""
    return format_date(value, format=fmt, locale=LOCALE)


def month_label(value: date) -> str:
    """'novembre 2026'."""
    return format_date(value, "MMMM y", locale=LOCALE)


def ssn(value: str) -> str:
    """A social security number grouped as printed on the carte Vitale:
    '1 87 09 42 270 543 21'."""
    digits = value.replace(" ", "")
    if len(digits) != 15:
        return value
    parts = (
        digits[0],
        digits[1:3],
        digits[3:5],
        digits[5:7],
        digits[7:10],
        digits[10:13],
        digits[13:15],
    )
    return "\u00a0".join(parts)
