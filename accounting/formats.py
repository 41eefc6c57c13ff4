"""French output (SPEC §8): '1 234,50 €', '30/11/2026', '37,75', 'novembre 2026', '6,90 %'.

The one place numbers, dates and durations are written for people: the invoice, statement
and payslip documents, and (through ``eage/filters.py``) the pages. Each function is named
for what it prints; ``locale`` is French for the documents, the reader's language on pages.
Empty input (None) prints as an empty string.

Babel follows CLDR: the thousands separator is U+202F (narrow no-break space) and the
currency sign is preceded by U+00A0; the document fonts (DejaVu Sans) contain both. Rounding
is named at each point: money and hours round half-up to the cent (SPEC §5, as the amounts
were computed); ``number2`` keeps Babel's half-even for numbers that already have their
decimals.

Pure, like the rest of ``accounting/``; ``payroll/documents`` uses it as well (README, Layout).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from accounting.money import CENT, D, round_cents
from accounting.months import Month

LOCALE = "fr_FR"

Number = Decimal | int | str


def _decimal(value: Number | None) -> Decimal | None:
    return None if value is None or value == "" else D(value)


def money(value: Number | None, *, locale: str = LOCALE) -> str:
    """An amount in euros, to the cent (half-up): 1234.5 → '1\u202f234,50\xa0€'."""
    exact = _decimal(value)
    if exact is None:
        return ""
    return format_currency(round_cents(exact), "EUR", locale=locale)


def number2(value: Number | None, *, locale: str = LOCALE) -> str:
    """Two decimals, grouped: 37.75 → '37,75' (a third decimal rounds half-even)."""
    exact = _decimal(value)
    if exact is None:
        return ""
    return format_decimal(
        exact.quantize(CENT, rounding=ROUND_HALF_EVEN), format="#,##0.00", locale=locale
    )


def amount(value: Number | None, blank_zero: bool = False, *, locale: str = LOCALE) -> str:
    """A payslip figure without a currency sign, to the cent (half-up): an amount, hours or
    days: '1\u202f234,50', '151,67'; '' for zero when ``blank_zero``."""
    exact = _decimal(value)
    if exact is None or (blank_zero and exact == 0):
        return ""
    return number2(round_cents(exact), locale=locale)


def hours(minutes: int | None, *, blank_zero: bool = False, locale: str = LOCALE) -> str:
    """Whole minutes as decimal hours, to the cent (half-up): 2265 → '37,75'."""
    if minutes is None:
        return ""
    return amount(Decimal(minutes) / 60, blank_zero=blank_zero, locale=locale)


def hours_and_minutes(minutes: int) -> str:
    """A duration for people, minutes always shown: 2265 → '37 h 45', -90 → '-1 h 30'."""
    sign = "-" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes), 60)
    return f"{sign}{whole} h {rest:02d}"


def short_duration(minutes: int) -> str:
    """A duration in a sentence, minutes only when there are: 630 → '10 h 30', 600 → '10 h'."""
    whole, rest = divmod(minutes, 60)
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"


def unit_price(value: Number, *, locale: str = LOCALE) -> str:
    """A unit price in euros: two decimals at least, up to four when the rate carries them."""
    return format_currency(
        D(value), "EUR", format="#,##0.00##\xa0¤", locale=locale, currency_digits=False
    )


def unit_rate(value: Number | None, *, locale: str = LOCALE) -> str:
    """An hourly rate, four decimals: 15.8241758 → '15,8242'."""
    exact = _decimal(value)
    if exact is None:
        return ""
    return format_decimal(exact, format="#,##0.0000", locale=locale)


def percent(value: Number, *, locale: str = LOCALE) -> str:
    """A rate of the invoices, decimals only when there are: 20.00 → '20\xa0%', 12.15 →
    '12,15\xa0%'."""
    return format_decimal(D(value), format="#,##0.##", locale=locale) + "\xa0%"


def rate(value: Number | None, *, locale: str = LOCALE) -> str:
    """A payroll rate as the engine writes it, two to four decimals: '6.90' → '6,90\xa0%',
    '0.016' → '0,016\xa0%'."""
    exact = _decimal(value)
    if exact is None:
        return ""
    return format_decimal(exact, format="#,##0.00##", locale=locale) + "\xa0%"


def number(value: Decimal | int, *, locale: str = LOCALE) -> str:
    """As many decimals as the value has (three at most, half-even): 1607 → '1\u202f607',
    0.5 → '0,5'."""
    return format_decimal(value, locale=locale)


def plain_decimal(value: Decimal | int, places: int, *, locale: str = LOCALE) -> str:
    """A value as it is typed back into a form field: ``places`` decimals (half-even), not
    grouped, so that it reads back as it is: 1234.5 → '1234,50'."""
    return format_decimal(value, format="0." + "0" * places if places else "0", locale=locale)


def fr_date(value: date | None, fmt: str = "short", *, locale: str = LOCALE) -> str:
    """'30/11/2026' (short), '30 novembre 2026' (long), or a CLDR pattern."""
    if value is None:
        return ""
    return format_date(value, format=fmt, locale=locale)


def month_label(value: date | Month, *, locale: str = LOCALE) -> str:
    """The month of a day, or a month: 'novembre 2026'."""
    return format_date(date(value.year, value.month, 1), "MMMM y", locale=locale)


def ssn(value: str) -> str:
    """A social security number grouped as printed on the carte Vitale:
    '1\xa087\xa009\xa042\xa0270\xa0543\xa021'."""
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


# ------------------------------------------------------------------------------------------
# Spreadsheet cells: what every CSV and XLSX export writes (OWASP "CSV injection")
# ------------------------------------------------------------------------------------------

# A spreadsheet runs a cell whose text starts with one of these as a formula (=HYPERLINK(…),
# =WEBSERVICE(…), DDE through +/-/@); tab and CR hide such a start from a quick look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet runs as a formula: text starting with ``=``, ``+``, ``-``,
    ``@``, tab or CR gets a leading apostrophe (OWASP); anything that is not text — numbers,
    a negative amount included, dates, None — is returned as it is, to be formatted by the
    caller after this step."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cells_as_text(worksheet: Any) -> None:
    """Every text cell of an openpyxl worksheet stored as text, never as a formula: openpyxl
    stores a string starting with ``=`` as a formula unless told otherwise. The exports write
    no formula of their own, so every formula cell is text that came from the data. A text
    starting like a formula is also marked quote-prefixed, so that editing the cell in a
    spreadsheet keeps it text. Call it once the sheet is written, before saving."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
