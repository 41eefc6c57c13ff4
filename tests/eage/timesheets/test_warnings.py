"""Warnings on valid time (eage/timesheets/warnings.py), pure: no app, no database.

Heures complémentaires: hours of a part-timer beyond the contract (art. L3123-8 et s. C.
trav.); heures supplémentaires: hours beyond the legal 35 h of a full-timer (art. L3121-28);
weekly rest on Sunday (art. L3132-3). None of them is an error: the legal maxima (10 h a day,
48 h a week) stay refused by validation.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounting.formats import fr_date, short_duration
from eage.timesheets.warnings import (
    EXTRA_HOURS,
    FUTURE,
    OVERTIME,
    SATURDAY_PART_TIME,
    SUNDAY_WORK,
    ContractHours,
    describe,
    plain,
    time_warnings,
    weekly_minutes,
)

TODAY = date(2026, 11, 30)
FULL = {"KB": [ContractHours(date(2019, 9, 2), None, 35 * 60)]}
HALF = {"JF": [ContractHours(date(2019, 9, 2), None, weekly_minutes(Decimal("17.5")))]}


def _week(employee: str, monday: date, per_day: list[int]) -> dict[tuple[str, date], int]:
    return {
        (employee, date.fromordinal(monday.toordinal() + i)): m for i, m in enumerate(per_day) if m
    }


def _text(warning) -> str:  # type: ignore[no-untyped-def]
    return describe(warning, plain, short_duration, fr_date)


def test_contract_hours_in_minutes_round_half_up() -> None:
    assert weekly_minutes(Decimal("17.5")) == 1050
    assert weekly_minutes(Decimal("24.33")) == 1460  # 1459.8 minutes


def test_full_time_week_of_exactly_35_hours_warns_nothing() -> None:
    work = _week("KB", date(2026, 11, 2), [7 * 60] * 5)
    assert time_warnings(work, FULL, TODAY) == []


def test_full_time_beyond_35_hours_is_overtime_by_how_much() -> None:
    """Art. L3121-28: every hour beyond 35 h a week is an heure supplémentaire."""
    work = _week("KB", date(2026, 11, 2), [8 * 60, 8 * 60, 8 * 60, 8 * 60, 5 * 60 + 30])
    [warning] = time_warnings(work, FULL, TODAY)
    assert warning.kind == OVERTIME and warning.extra == 2 * 60 + 30
    assert _text(warning) == (
        "KB, semaine 2026-W45 : 37 h 30 pour un contrat de 35 h, soit 2 h 30"
        " d'heures supplémentaires (art. L3121-28 C. trav.)"
    )


def test_part_timer_beyond_contract_is_extra_hours() -> None:
    """Art. L3123-8 et s.: beyond a part-time contract, heures complémentaires."""
    work = _week("JF", date(2026, 11, 2), [4 * 60, 4 * 60, 4 * 60, 4 * 60, 2 * 60 + 15])
    [warning] = time_warnings(work, HALF, TODAY)
    assert warning.kind == EXTRA_HOURS
    assert warning.total == 18 * 60 + 15 and warning.contract == 1050 and warning.extra == 45
    assert "soit 0 h 45 d'heures complémentaires (art. L3123-8 et s. C. trav.)" in _text(warning)


def test_part_timer_on_saturday_and_anyone_on_sunday() -> None:
    saturday, sunday = date(2026, 11, 7), date(2026, 11, 8)
    part = time_warnings({("JF", saturday): 120}, HALF, TODAY)
    assert [w.kind for w in part] == [SATURDAY_PART_TIME]
    assert _text(part[0]) == (
        "JF, à temps partiel (17 h 30 par semaine), travaille le samedi 07/11/2026"
    )
    assert time_warnings({("KB", saturday): 120}, FULL, TODAY) == []  # full-time Saturday
    sun = time_warnings({("KB", sunday): 120}, FULL, TODAY)
    assert [(w.kind, _text(w)) for w in sun] == [
        (SUNDAY_WORK, "KB travaille le dimanche 08/11/2026")
    ]


def test_future_dates_are_flagged_today_is_not() -> None:
    work = {("KB", TODAY): 60, ("KB", date(2026, 12, 1)): 60}
    found = time_warnings(work, FULL, TODAY)
    assert [(w.kind, w.day) for w in found] == [(FUTURE, date(2026, 12, 1))]
    assert _text(found[0]) == "KB : saisie du 01/12/2026, une date future"


def test_the_contract_of_the_week_counts() -> None:
    """A part-time contract followed by a full-time one: each week against its own."""
    contracts = {
        "X": [
            ContractHours(date(2026, 1, 1), date(2026, 11, 8), 20 * 60),
            ContractHours(date(2026, 11, 9), None, 35 * 60),
        ]
    }
    work = _week("X", date(2026, 11, 2), [5 * 60] * 5) | _week("X", date(2026, 11, 9), [5 * 60] * 5)
    found = time_warnings(work, contracts, TODAY)
    assert [(w.kind, w.week, w.extra) for w in found] == [(EXTRA_HOURS, "2026-W45", 5 * 60)]


def test_no_contract_no_week_warning() -> None:
    assert time_warnings(_week("ZZ", date(2026, 11, 2), [9 * 60] * 5), {}, TODAY) == []
