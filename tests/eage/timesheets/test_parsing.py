"""Hours and dates as people type them (SPEC §7 import-timesheets)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from accounting.problems import ProblemsError
from eage.timesheets.parsing import parse_code, parse_date, parse_flag, parse_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("7.5", 450),
        ("7,5", 450),
        ("7:30", 450),
        ("7h30", 450),
        ("7 h 30", 450),
        ("7H30", 450),
        ("7h", 420),
        ("7", 420),
        ("0,25", 15),
        (" 10 ", 600),
        ("1:05", 65),
        ("7.50", 450),
        ("2,1", 126),
        (",5", 30),
        ("7\u00a0h\u00a030", 450),
        (7, 420),
        (7.5, 450),
        (Decimal("7.25"), 435),
        (time(7, 30), 450),
    ],
)
def test_hours_in_every_spelling(text: object, minutes: int) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7,333", "pas un nombre entier de minutes"),
        ("0,01", "pas un nombre entier de minutes"),
        ("7:75", "maximum 59"),
        ("sept", "durée invalide"),
        ("7,5,1", "durée invalide"),
        ("", "durée manquante"),
        (None, "durée manquante"),
    ],
)
def test_bad_hours_are_refused_with_a_reason(text: object, message: str) -> None:
    with pytest.raises(ProblemsError, match=message):
        parse_minutes(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("03/11/2026", date(2026, 11, 3)),
        ("3/11/2026", date(2026, 11, 3)),
        ("2026-11-03 00:00:00", date(2026, 11, 3)),
        (datetime(2026, 11, 3, 0, 0), date(2026, 11, 3)),
        (date(2026, 11, 3), date(2026, 11, 3)),
    ],
)
def test_dates_in_both_formats(text: object, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "date inexistante"),
        ("31/04/2026", "date inexistante"),
        ("11/03/26", "date invalide"),
        ("2026/11/03", "date invalide"),
        ("demain", "date invalide"),
        ("", "date manquante"),
    ],
)
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(ProblemsError, match=message):
        parse_date(text)


def test_codes_are_case_insensitive() -> None:
    assert parse_code(" lefil ") == "LEFIL"
    assert parse_code("interne") == "INTERNE"
    assert parse_code(None) == ""


@pytest.mark.parametrize(
    ("text", "flag"),
    [("oui", True), ("1", True), ("x", True), ("non", False), ("", False), (None, False)],
)
def test_exception_flag(text: object, flag: bool) -> None:
    assert parse_flag(text) is flag


def test_bad_exception_flag() -> None:
    with pytest.raises(ProblemsError, match="exception"):
        parse_flag("peut-être")
