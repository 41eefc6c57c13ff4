"""Reading what people type: hours, dates and codes, French style (SPEC §7 import).

Every parser raises :class:`~accounting.problems.ProblemsError` with one French message naming
what was expected; the validation puts it on the row and field it read. Results are cached by
the raw text, because a year of time holds few distinct dates and durations: a 100,000-row
import parses each of them once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from flask import has_request_context
from flask_babel import get_locale

from accounting.problems import ProblemsError
from eage.filters import tr
from eage.models import INTERNAL
from eage.timesheets.warnings import N_

HOURS_HELP = N_("attendu par ex. 7,5 ou 7.5 ou 7:30 ou 7h30")
DATE_HELP = N_("attendu AAAA-MM-JJ ou JJ/MM/AAAA")

_CLOCK = re.compile(r"^(\d{1,3})\s*(?::|h|H)\s*(\d{1,2})?\s*(?:min|mn|m)?$")
_DECIMAL = re.compile(r"^-?\d{1,3}(?:[.,]\d+)?$|^-?[.,]\d+$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class Minutes(int):
    """A duration already in minutes (a grid cell left as displayed), not hours to parse."""


def parse_minutes(value: object) -> int:
    """Hours as typed → whole minutes: 7.5, 7,5, 7:30, 7h30, 7 h 30, 7h → 450 / 420.

    Decimal hours must be a whole number of minutes (7,33 h is 439.8 min: refused).
    Zero and negative values are returned as read; validation refuses them with the rule.
    """
    if isinstance(value, bool) or value is None:
        raise ProblemsError.single(tr("durée manquante (%(help)s)", help=tr(HOURS_HELP)))
    if isinstance(value, Minutes):
        return int(value)
    if isinstance(value, time):  # a spreadsheet cell formatted as hh:mm
        if value.second or value.microsecond:
            raise ProblemsError.single(
                tr("durée « %(value)s » : pas un nombre entier de minutes", value=value)
            )
        return value.hour * 60 + value.minute
    if isinstance(value, timedelta):
        return _decimal_minutes(Decimal(int(value.total_seconds())) / 3600, str(value))
    if isinstance(value, int):
        return _decimal_minutes(Decimal(value), str(value))
    if isinstance(value, float):
        return _decimal_minutes(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return _decimal_minutes(value, str(value))
    return _parse_minutes_text(str(value))


@lru_cache(maxsize=4096)
def _parse_minutes_text(raw: str) -> int:
    text = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not text:
        raise ProblemsError.single(tr("durée manquante (%(help)s)", help=tr(HOURS_HELP)))
    m = _CLOCK.match(text)
    if m:
        hours = int(m.group(1))
        minutes = int(m.group(2) or 0)
        if minutes >= 60:
            raise ProblemsError.single(
                tr(
                    "durée invalide « %(value)s » : %(minutes)s minutes (maximum 59)",
                    value=raw,
                    minutes=minutes,
                )
            )
        return hours * 60 + minutes
    compact = text.replace(" ", "")
    if not _DECIMAL.match(compact):
        raise _invalid_hours(raw)
    try:
        hours_dec = Decimal(compact.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex already filtered
        raise _invalid_hours(raw) from exc
    return _decimal_minutes(hours_dec, raw)


def _invalid_hours(raw: str) -> ProblemsError:
    return ProblemsError.single(
        tr("durée invalide « %(value)s » (%(help)s)", value=raw, help=tr(HOURS_HELP))
    )


def _decimal_text(value: Decimal) -> str:
    """Every decimal of ``value``, with the reader's decimal mark (a comma in French and
    outside a request: the CLI)."""
    text = format(value, "f")
    english = has_request_context() and str(get_locale()) == "en"
    return text if english else text.replace(".", ",")


def _decimal_minutes(hours: Decimal, raw: str) -> int:
    minutes = hours * 60
    if minutes != minutes.to_integral_value():
        raise ProblemsError.single(
            tr(
                "durée « %(value)s » h = %(minutes)s min : pas un nombre entier de minutes",
                value=raw,
                minutes=_decimal_text(minutes.normalize()),
            )
        )
    return int(minutes)


def parse_date(value: object) -> date:
    """YYYY-MM-DD or DD/MM/YYYY (or a date/datetime cell from a spreadsheet) → date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        raise ProblemsError.single(tr("date manquante (%(help)s)", help=tr(DATE_HELP)))
    return _parse_date_text(str(value))


@lru_cache(maxsize=4096)
def _parse_date_text(raw: str) -> date:
    text = raw.strip()
    if not text:
        raise ProblemsError.single(tr("date manquante (%(help)s)", help=tr(DATE_HELP)))
    if " " in text and _ISO.match(text.split(" ", 1)[0]):  # "2026-11-03 00:00:00" from Excel
        text = text.split(" ", 1)[0]
    m = _ISO.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _FRENCH.match(text)
        if not m:
            raise ProblemsError.single(
                tr("date invalide « %(value)s » (%(help)s)", value=raw, help=tr(DATE_HELP))
            )
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ProblemsError.single(tr("date inexistante « %(value)s »", value=raw)) from exc


def parse_code(value: object) -> str:
    """Codes are compared case-insensitively: stripped and upper-cased ('' when empty)."""
    if value is None:
        return ""
    return str(value).strip().upper()


def is_internal(member_code: str) -> bool:
    return member_code == INTERNAL


_TRUE = {"1", "OUI", "O", "YES", "Y", "TRUE", "VRAI", "X", "DEROGATION", "DÉROGATION"}
_FALSE = {"", "0", "NON", "N", "NO", "FALSE", "FAUX"}


def parse_flag(value: object) -> bool:
    """The optional `exception` column: oui/non, 1/0, x, true/false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ProblemsError.single(
        tr("valeur « %(value)s » invalide pour exception (attendu oui ou non)", value=value)
    )
