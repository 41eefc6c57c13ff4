"""A closed month's time kept grouped (`month_time_summary`, issue 5): written by the close
with the month's lock, dropped by the reopening, backfilled by the migration for months
closed before it — and the allocation reads the same sums from it as from the timesheets."""

from __future__ import annotations

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from eage.allocation import services as allocation
from eage.closing import services as closing
from eage.extensions import db
from eage.models import MonthLock, MonthTimeSummary, TimesheetEntry
from tests.eage.closing.test_close import OCT, TODAY

NOV = date(2026, 11, 1)


def grouped_timesheets(start: date, end: date) -> set[tuple[object, ...]]:
    t = TimesheetEntry
    return set(
        tuple(r)
        for r in db.session.execute(
            select(t.employee_id, t.member_id, t.service_id, t.absence_code, func.sum(t.minutes))
            .where(t.date >= start, t.date < end)
            .group_by(t.employee_id, t.member_id, t.service_id, t.absence_code)
        ).all()
    )


def summary_rows(month: str) -> set[tuple[object, ...]]:
    s = MonthTimeSummary
    return set(
        tuple(r)
        for r in db.session.execute(
            select(s.employee_id, s.member_id, s.service_id, s.absence_code, s.minutes).where(
                s.month == month
            )
        ).all()
    )


def minutes_of(rows: list[allocation.AllocationRow]) -> dict[tuple[str, str], int]:
    return {(r.member, r.service): r.minutes for r in rows}


def test_the_close_keeps_the_months_time_grouped(app, october_time) -> None:
    closing.close_month(OCT, today=TODAY)
    assert db.session.get(MonthLock, "2026-10").time_summarised is True
    rows = summary_rows("2026-10")
    assert rows == grouped_timesheets(OCT, NOV)
    # CMARTIN's two days for LEFIL/GESTION (225 + 301 min) are one group; 5 groups in all.
    assert len(rows) == 5 and 526 in {r[-1] for r in rows}
    assert minutes_of(allocation.allocation("2026-10", "2026-10"))[("LEFIL", "GESTION")] == 526


def test_reopening_drops_it_and_the_next_close_counts_the_new_time(
    app, october_time, add_time
) -> None:
    closing.close_month(OCT, today=TODAY)
    closing.reopen_month(OCT, user_id=None, reason="temps oublié")
    assert summary_rows("2026-10") == set() and db.session.get(MonthLock, "2026-10") is None
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 12), 60)
    # Open again: the allocation reads the timesheets, new hour included.
    assert minutes_of(allocation.allocation("2026-10", "2026-10"))[("LEFIL", "GESTION")] == 586
    closing.close_month(OCT, today=TODAY)
    assert summary_rows("2026-10") == grouped_timesheets(OCT, NOV)
    assert minutes_of(allocation.allocation("2026-10", "2026-10"))[("LEFIL", "GESTION")] == 586


def test_the_allocation_is_the_same_from_summaries_and_from_timesheets(
    app, october_time, add_time
) -> None:
    """October closed (summaries), November open (timesheets), and the same period with
    October's summary ignored: identical rows, to the cent."""
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 11, 3), 200)  # same group in both months
    add_time("FABRIQUE", "RESEAU", "KBENALI", date(2026, 11, 4), 33)
    closing.close_month(OCT, today=TODAY)
    mixed = allocation.compute("2026-10", "2026-11")
    assert minutes_of(mixed.rows)[("LEFIL", "GESTION")] == 726
    lock = db.session.get(MonthLock, "2026-10")
    lock.time_summarised = False  # as if October had no summary: read from the timesheets
    db.session.flush()
    from_timesheets = allocation.compute("2026-10", "2026-11")
    assert mixed.rows == from_timesheets.rows and mixed.result == from_timesheets.result
    assert mixed.total_cost > 0


def test_the_migration_backfills_months_closed_before_it(app, october_time) -> None:
    db.session.commit()
    db.session.remove()
    downgrade(revision="69e9309e9414")
    try:
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO month_lock (month, closed_at) VALUES ('2026-10', :at)"),
                {"at": datetime(2026, 11, 2, 9, 0)},
            )
    finally:
        upgrade()
    assert db.session.get(MonthLock, "2026-10").time_summarised is True
    assert summary_rows("2026-10") == grouped_timesheets(OCT, NOV) != set()
