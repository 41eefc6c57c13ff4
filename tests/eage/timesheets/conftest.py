"""Helpers for the timesheet tests: seed entries, count rows and audit lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from eage.extensions import db
from eage.models import Employee, Member, MonthLock, Service, TimesheetEntry


@pytest.fixture()
def add_entry(demo: None) -> Callable[..., TimesheetEntry]:
    """add_entry('2026-11-02', 'KBENALI', 'LEFIL', 'PAIE', 420) → a recorded entry."""

    def _add(
        day: str,
        employee: str,
        member: str | None,
        activity: str,
        minutes: int,
        exception: bool = False,
    ) -> TimesheetEntry:
        emp = db.session.scalar(select(Employee).where(Employee.code == employee))
        mem = db.session.scalar(select(Member).where(Member.code == member)) if member else None
        svc = db.session.scalar(select(Service).where(Service.code == activity))
        entry = TimesheetEntry(
            date=date.fromisoformat(day),
            employee=emp,
            member=mem,
            service=svc,
            absence_code=None if svc else activity,
            minutes=minutes,
            authorised_exception=exception,
        )
        db.session.add(entry)
        db.session.commit()
        return entry

    return _add


@pytest.fixture()
def lock_month(demo: None) -> Callable[[str], None]:
    def _lock(month: str) -> None:
        db.session.add(MonthLock(month=month))
        db.session.commit()

    return _lock


@pytest.fixture()
def as_role(login_as: Callable[[str], Any]) -> Callable[[str], Any]:
    """login_as() that also forgets the user Flask-Login cached in `g`: the test's app
    context outlives requests, so switching roles within one test needs it."""
    from flask import g

    def _as(role: str) -> Any:
        g.pop("_login_user", None)
        return login_as(role)

    return _as
