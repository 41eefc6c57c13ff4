"""A closed month's time, kept grouped (table `month_time_summary`, issue 5).

Timesheets of a closed month can no longer be created, changed or deleted (SPEC §5 "Time"):
the close writes their sums per (employee, member or internal, service or absence) in the
same transaction as the month's lock and marks the lock `time_summarised`; the reopening
deletes them with the lock. The allocation of a period reads these rows for its summarised
months and the timesheet rows only for the others — the same sums, a tenth of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Select,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from accounting.months import Month
from eage.extensions import db
from eage.models import MonthLock, MonthTimeSummary, TimesheetEntry

GROUP = ("employee_id", "member_id", "service_id", "absence_code")


def _sums(source: Any) -> Select[Any]:
    """Σ minutes of `source` (the timesheets, the summaries, or their union) per group."""
    keys = [getattr(source, name) for name in GROUP]
    return select(*keys, func.sum(source.minutes).label("minutes")).group_by(*keys)


def summarise_month(lock: MonthLock) -> int:
    """Write the grouped minutes of `lock`'s month (flushed, not committed); the number of
    groups. Idempotent: a month already summarised is left as it is."""
    if lock.time_summarised:
        return 0
    db.session.flush()  # the lock row first: the summary rows refer to it
    month = Month.parse(lock.month)
    t = TimesheetEntry
    grouped = (
        _sums(t).add_columns(literal(lock.month)).where(t.date >= month.start, t.date < month.end)
    )
    result = cast(
        CursorResult[Any],
        db.session.execute(
            insert(MonthTimeSummary).from_select([*GROUP, "minutes", "month"], grouped)
        ),
    )
    lock.time_summarised = True
    return max(result.rowcount or 0, 0)


def drop_month(lock: MonthLock) -> None:
    """Delete the month's summary (before the lock itself, at reopening)."""
    db.session.execute(delete(MonthTimeSummary).where(MonthTimeSummary.month == lock.month))
    lock.time_summarised = False
    db.session.flush()


def summarised_months(first: Month, last: Month) -> set[str]:
    """Months "YYYY-MM" from `first` to `last` whose time is summarised."""
    return set(
        db.session.scalars(
            select(MonthLock.month).where(
                MonthLock.month >= first.key,
                MonthLock.month <= last.key,
                MonthLock.time_summarised.is_(True),
            )
        )
    )


def _runs(months: Iterable[Month]) -> list[tuple[date, date]]:
    """Consecutive months as half-open date ranges [first day, day after the last month)."""
    runs: list[tuple[date, date]] = []
    for m in months:
        if runs and runs[-1][1] == m.start:
            runs[-1] = (runs[-1][0], m.end)
        else:
            runs.append((m.start, m.end))
    return runs


def grouped_minutes(
    first: Month, last: Month
) -> Select[tuple[int, int | None, int | None, str | None, int]]:
    """The query giving Σ minutes per (employee, member, service, absence) of the months
    `first`…`last`: from the summaries of summarised months, from the timesheet rows of the
    others, both regrouped in the database when the period mixes them."""
    done = summarised_months(first, last)
    queries: list[Select[Any]] = []
    if done:
        queries.append(_sums(MonthTimeSummary).where(MonthTimeSummary.month.in_(sorted(done))))
    raw = _runs(m for m in first.through(last) if m.key not in done)
    if raw:
        t = TimesheetEntry
        queries.append(_sums(t).where(or_(*(and_(t.date >= s, t.date < e) for s, e in raw))))
    if len(queries) == 1:
        return queries[0]
    return _sums(union_all(*queries).subquery().c)


def time_sums(
    first: Month, last: Month
) -> list[tuple[int, int | None, int | None, str | None, int]]:
    """(employee id, member id or None, service id or None, absence code or None, Σ minutes)
    of the months `first`…`last`, read as grouped sums, one row per group."""
    return db.session.connection().execute(grouped_minutes(first, last)).all()  # type: ignore[return-value]
