"""The month value type: keys, bounds, neighbours, order (accounting/months.py)."""

from __future__ import annotations

from datetime import date

import pytest

from accounting.months import Month, iso_week_key


@pytest.mark.parametrize(
    ("month", "key", "start", "last_day", "end"),
    [
        (Month(2026, 11), "2026-11", date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1)),
        (Month(2026, 12), "2026-12", date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 1)),
        (Month(2028, 2), "2028-02", date(2028, 2, 1), date(2028, 2, 29), date(2028, 3, 1)),
        (Month(2026, 2), "2026-02", date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1)),
    ],
    ids=["november", "december-rolls-the-year", "leap-february", "february"],
)
def test_key_and_bounds(month: Month, key: str, start: date, last_day: date, end: date) -> None:
    assert (month.key, str(month)) == (key, key)
    assert (month.start, month.last_day, month.end) == (start, last_day, end)
    assert month.days()[0] == start and month.days()[-1] == last_day
    assert len(month.days()) == last_day.day


@pytest.mark.parametrize(
    ("text", "month"),
    [("2026-11", Month(2026, 11)), (" 2026-01 ", Month(2026, 1)), ("0999-12", Month(999, 12))],
)
def test_parse(text: str, month: Month) -> None:
    assert Month.parse(text) == month
    assert Month.parse_or_none(text) == month


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "", "nov"])
def test_parse_refuses_with_what_was_given(text: str) -> None:
    with pytest.raises(ValueError, match=f"month must be YYYY-MM, got {text!r}"):
        Month.parse(text)
    assert Month.parse_or_none(text) is None


def test_parse_or_none_of_nothing() -> None:
    assert Month.parse_or_none(None) is None


@pytest.mark.parametrize(("year", "number"), [(2026, 0), (2026, 13), (0, 5), (10000, 1)])
def test_no_such_month(year: int, number: int) -> None:
    with pytest.raises(ValueError, match="no such month"):
        Month(year, number)


def test_of_any_day() -> None:
    assert Month.of(date(2026, 11, 30)) == Month.of(date(2026, 11, 1)) == Month(2026, 11)


def test_neighbours_and_order() -> None:
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 5).next().previous() == Month(2026, 5)
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert sorted([Month(2026, 3), Month(2025, 11), Month(2026, 1)]) == [
        Month(2025, 11),
        Month(2026, 1),
        Month(2026, 3),
    ]
    assert len({Month(2026, 1), Month.parse("2026-01")}) == 1


def test_through() -> None:
    assert Month(2025, 11).through(Month(2026, 2)) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert Month(2026, 3).through(Month(2026, 3)) == [Month(2026, 3)]
    assert Month(2026, 3).through(Month(2026, 2)) == []


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 1, 1), "2026-W01"),  # a Thursday: week 1 (ISO 8601)
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 1), "2026-W53"),  # belongs to the week of its Thursday
        (date(2027, 1, 4), "2027-W01"),
    ],
)
def test_iso_week_key(day: date, key: str) -> None:
    assert iso_week_key(day) == key
