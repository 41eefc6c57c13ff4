"""A time write and the close of the same month never overlap (eage/timesheets/locks.py).

PostgreSQL only: under READ COMMITTED an import validated while a close was running would
commit time in a month that the close invoiced and summarised without it. SQLite admits one
writer at a time, so the race cannot happen there."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from eage.extensions import db
from eage.models import MonthLock, TimesheetEntry
from eage.timesheets import locks
from eage.timesheets.services import import_entries
from eage.timesheets.validation import RawEntry


@pytest.fixture()
def postgresql(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the race exists only under PostgreSQL's concurrent writers")


def _closing(app, month: str, holding: threading.Event, release: threading.Event) -> None:  # type: ignore[no-untyped-def]
    """A close in progress: the month's exclusive lock held, then the month locked at commit."""
    with app.app_context():
        locks.lock_months([month], exclusive=True)
        holding.set()
        release.wait(10)
        time.sleep(0.3)  # still closing when the other writer asks for the month
        db.session.add(MonthLock(month=month))
        db.session.commit()


def _raw(day: str) -> RawEntry:
    return RawEntry(1, day, "KBENALI", "LEFIL", "PAIE", "2")


def test_an_import_waits_for_the_close_of_its_month_then_is_refused(app, demo, postgresql) -> None:  # type: ignore[no-untyped-def]
    db.session.commit()
    holding, release = threading.Event(), threading.Event()
    closer = threading.Thread(target=_closing, args=(app, "2026-10", holding, release))
    closer.start()
    assert holding.wait(10)
    release.set()
    t0 = time.perf_counter()
    result = import_entries([_raw("2026-10-06")], source="race.csv")
    waited = time.perf_counter() - t0
    closer.join(10)
    assert waited >= 0.2  # it waited for the close's commit
    assert not result.written
    assert [p.message for p in result.problems] == ["mois 2026-10 clôturé : aucune saisie possible"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TimesheetEntry)) == 0


def test_a_close_does_not_hold_up_other_months(app, demo, postgresql) -> None:  # type: ignore[no-untyped-def]
    db.session.commit()
    holding, release = threading.Event(), threading.Event()
    closer = threading.Thread(target=_closing, args=(app, "2026-10", holding, release))
    closer.start()
    try:
        assert holding.wait(10)
        db.session.execute(text("SET LOCAL lock_timeout = '2s'"))  # fail rather than hang
        result = import_entries([_raw("2026-11-03")], source="other-month.csv")
        assert result.written and not result.problems
    finally:
        release.set()
        closer.join(10)
    assert db.session.scalar(select(func.count()).select_from(TimesheetEntry)) == 1
