"""Plain helpers for the timesheet tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import AuditLog, Employee, Member, Service, TimesheetEntry

HEADER = "date,employee,member,service,hours,note\n"


def counts() -> tuple[int, int]:
    """(timesheet entries, audit lines): what 'the database is unchanged' compares."""
    return (
        db.session.scalar(select(func.count(TimesheetEntry.id))) or 0,
        db.session.scalar(select(func.count(AuditLog.id))) or 0,
    )


def entries() -> list[tuple[Any, ...]]:
    rows = db.session.execute(
        select(
            TimesheetEntry.date,
            Employee.code,
            Member.code,
            Service.code,
            TimesheetEntry.absence_code,
            TimesheetEntry.minutes,
        )
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .outerjoin(Member, TimesheetEntry.member_id == Member.id)
        .outerjoin(Service, TimesheetEntry.service_id == Service.id)
        .order_by(TimesheetEntry.date, Employee.code, Member.code, Service.code)
    )
    return [(d.isoformat(), e, m or "INTERNE", s or a, mins) for d, e, m, s, a, mins in rows]
