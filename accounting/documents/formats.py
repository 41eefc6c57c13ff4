"""French formats for documents (SPEC §8): '1 234,50 €', '30/11/2026', '37,75'.

Babel follows CLDR: the thousands separator is U+202F (narrow no-break space) and the
currency sign is preceded by U+00A0; the document fonts (DejaVu Sans) contain both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from accounting.invoicing import hours_from_minutes
from accounting.money import D, round_cents

LOCALE = "fr_FR"


def money(value: Decimal) -> str:
    """1234.5 → '1\u202f234,50\xa0€'."""
    return format_currency(round_cents(D(value)), "EUR", locale=LOCALE)


def number2(value: Decimal) -> str:
    """Two decimals, French: 37.75 → '37,75'."""
    return format_decimal(D(value), format="#,##0.00", locale=LOCALE)


def unit_price(value: Decimal) -> str:
    """A unit price: two decimals at least, up to four when the rate carries them."""
    return format_currency(
        D(value), "EUR", format="#,##0.00##\xa0¤", locale=LOCALE, currency_digits=False
    )


def hours(minutes: int) -> str:
    """Whole minutes as hours with two decimals: 2265 → '37,75'."""
    return number2(hours_from_minutes(minutes))


def percent(value: Decimal) -> str:
    """20.00 → '20 %'; 12.15 → '12,15 %'."""
    return format_decimal(D(value), format="#,##0.##", locale=LOCALE) + "\xa0%"


def fr_date(value: date, fmt: str = "short") -> str:
    """'30/11/2026' (short), '30 novembre 2026' (long)."""
    return format_date(value, format=fmt, locale=LOCALE)


def month_label(year: int, month: int) -> str:
    """'novembre 2026'."""
    return format_date(date(year, month, 1), "MMMM y", locale=LOCALE)
