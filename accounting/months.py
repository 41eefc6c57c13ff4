"""The calendar month as a value: what the close locks, what an invoice or a payslip is for.

Stored and exchanged as its key ``"YYYY-MM"`` (``MonthLock.month``, ``Invoice.month``, the
API's ``?month=``); computed on as :class:`Month`. Pure: payroll may use it as well.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_KEY = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """``Month(2026, 11)``: ordered in time, hashable, printed as its key ``2026-11``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"no such month: {self.year}-{self.month:02d}")

    @classmethod
    def of(cls, day: date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2026-11"`` → ``Month(2026, 11)``; ValueError naming what was given otherwise."""
        match = _KEY.match(text.strip())
        if match is None:
            raise ValueError(f"month must be YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def parse_or_none(cls, text: str | None) -> Month | None:
        """A page's ``?mois=`` argument: None when it is absent or not a month."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except ValueError:
            return None

    @property
    def key(self) -> str:
        """``"2026-11"``: how the month is stored and named in files and URLs."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> date:
        """The first day."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def end(self) -> date:
        """The day after the last (the next month's first day): ranges are half-open."""
        return self.last_day + timedelta(days=1)

    def days(self) -> list[date]:
        """Every day of the month, in order."""
        start = self.start
        return [start + timedelta(days=i) for i in range(self.last_day.day)]

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def through(self, last: Month) -> list[Month]:
        """This month and every one after it up to ``last`` included (empty if ``last`` is
        earlier)."""
        months: list[Month] = []
        month = self
        while month <= last:
            months.append(month)
            month = month.next()
        return months

    def __str__(self) -> str:
        return self.key


def iso_week_key(day: date) -> str:
    """The ISO 8601 week holding `day`, as "2026-W05" (the week of its Thursday's year)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"
