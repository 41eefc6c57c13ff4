"""Which months of a year are closed, and the months a partial year's figures count (issue 14:
figures that are not misleading). Only a closed month has its payslips and its invoice: a
"to date" figure that mixed in the time of open months would spread the closed months'
cost over hours nobody has been invoiced for yet. So the regularisation preview, the annual
statement and the member portal count the run of closed months from the year's first closed
month, say which months those are, and show the rest as provisional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from accounting.months import Month
from eage.extensions import db
from eage.filters import _locale, tr
from eage.models import MonthLock


@dataclass(frozen=True)
class YearMonths:
    year: int
    closed: frozenset[str]  # "YYYY-MM" of the year's closed months

    @property
    def all(self) -> list[Month]:
        return Month(self.year, 1).through(Month(self.year, 12))

    @property
    def complete(self) -> bool:
        """All twelve months closed: the year's figures are final."""
        return len(self.closed) == 12

    @property
    def counted(self) -> list[Month]:
        """The run of closed months from the year's first closed month: the months whose
        payslips and invoices all exist (a closed month after a gap is not counted)."""
        run: list[Month] = []
        for month in self.all:
            if month.key in self.closed:
                run.append(month)
            elif run:
                break
        return run

    @property
    def uncounted(self) -> list[Month]:
        """The months whose time is not in the figures: open, or closed after an open one."""
        counted = set(self.counted)
        return [m for m in self.all if m not in counted]

    def label(self, locale: str | None = None) -> str:
        """The counted months as a reader says them: « janvier à octobre 2026 »,
        « mars 2026 »; '' when none. In the reader's language, or French for a document
        (locale="fr")."""
        months = self.counted
        if not months:
            return ""
        loc = locale or _locale()
        first, last = (format_date(m.start, "MMMM", locale=loc) for m in (months[0], months[-1]))
        if len(months) == 1:
            return f"{last} {self.year}"
        if locale == "fr":
            return f"{first} à {last} {self.year}"
        return tr("%(first)s à %(last)s %(year)s", first=first, last=last, year=self.year)


def year_months(year: int) -> YearMonths:
    closed = db.session.scalars(select(MonthLock.month).where(MonthLock.month.like(f"{year}-%")))
    return YearMonths(year, frozenset(closed))


def last_closed_month(today: date | None = None) -> Month | None:
    """The most recent closed month (none after `today`'s month), or None."""
    today = today or date.today()
    key = db.session.scalar(
        select(MonthLock.month)
        .where(MonthLock.month <= Month.of(today).key)
        .order_by(MonthLock.month.desc())
        .limit(1)
    )
    return None if key is None else Month.parse(key)


def is_closed(month: Month) -> bool:
    return db.session.get(MonthLock, month.key) is not None
