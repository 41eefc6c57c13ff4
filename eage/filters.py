"""Jinja filters: the French formats of accounting/formats.py (SPEC §8), in the reader's
language; and the translation helpers of pages and services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask, has_request_context
from flask_babel import get_locale, gettext

from accounting import formats
from eage.auth.roles import can
from eage.models.invoicing import PAYMENT_METHODS
from eage.models.timesheets import ABSENCE_CODES

# The formats of each language of the interface: English pages write the day before the
# month, as the French do (28/11/2026, 28 November 2026; €1,234.50): the British convention,
# never the American 11/28/26 a French reader would misread.
FORMAT_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _locale() -> str:
    try:
        language = str(get_locale() or "fr")
    except RuntimeError:  # outside a request
        language = "fr"
    return FORMAT_LOCALES.get(language, language)


def money(value: Decimal | int | str | None) -> str:
    """1234.5 → '1 234,50 €' (CLDR French: narrow no-break space as thousands separator)."""
    return formats.money(value, locale=_locale())


def number2(value: Decimal | int | str | None) -> str:
    return formats.number2(value, locale=_locale())


def number(value: Decimal | int) -> str:
    """As many decimals as the value has: 1607 → '1 607' (French), '1,607' (English)."""
    return formats.number(value, locale=_locale())


def plain_decimal(value: Decimal | int, places: int) -> str:
    """A value typed back into a form field, not grouped: '1234,50' (French), '1234.50'."""
    return formats.plain_decimal(value, places, locale=_locale())


def hours(minutes: int | None) -> str:
    """Whole minutes shown as hours with two decimals: 450 → '7,50'; '' for none."""
    return formats.hours(minutes, blank_zero=True, locale=_locale())


def duration(minutes: int | None) -> str:
    """Whole minutes as hours and exact minutes, kept on one line: 1240 → '20 h 40' (the
    quantity of an invoice line, as on its documents)."""
    if minutes is None:
        return ""
    return formats.hours_and_minutes(minutes).replace(" ", "\xa0")


def unit_price(value: Decimal | int | str | None) -> str:
    """A unit price, two to four decimals as the rate carries them: '15,8242 €'."""
    return "" if value is None else formats.unit_price(value, locale=_locale())


def fr_date(value: date | None, fmt: str = "short") -> str:
    return formats.fr_date(value, fmt, locale=_locale())


def month_label(value: date) -> str:
    return formats.month_label(value, locale=_locale())


def tr(msgid: str, **variables: object) -> str:
    """gettext in a request (the reader's language); the French msgid elsewhere (the CLI, a
    close's job, benchmarks), without asking Flask-Babel for a locale it would then keep
    for the whole app context."""
    if has_request_context():
        return str(gettext(msgid, **variables))
    return msgid % variables if variables else msgid


def translated(value: str | None) -> str:
    """A French msgid held as data (a status, a nature: see eage/dashboard/services.N_) in the
    reader's language — without the %-formatting of the templates' _(), which a « 90 % »
    in the text would break."""
    return tr(value) if value else ""


def payment_method(code: str | None) -> str:
    """'virement' → 'Virement' / 'Bank transfer'."""
    return translated(PAYMENT_METHODS.get(code or "", code or ""))


def absence_label(code: str | None) -> str:
    """'CP' → 'Congés payés' / 'Paid leave'."""
    return translated(ABSENCE_CODES.get(code or "", code or ""))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money,
        number2=number2,
        hours=hours,
        duration=duration,
        unit_price=unit_price,
        fr_date=fr_date,
        month_label=month_label,
        translated=translated,
        payment_method=payment_method,
        absence_label=absence_label,
    )
    app.jinja_env.globals.update(get_locale=get_locale, can=can)
