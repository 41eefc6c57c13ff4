"""Read models for the home page and the member portal (grouped in the database)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import Employee, Member, MonthLock, Service, TimesheetEntry

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str | None) -> date | None:
    """'2026-11' → date(2026, 11, 1); None when absent or malformed."""
    if not text:
        return None
    m = _MONTH.match(text.strip())
    return date(int(m.group(1)), int(m.group(2)), 1) if m else None


def month_bounds(month: date) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return month.replace(day=1), nxt


@dataclass(frozen=True)
class Overview:
    members: int
    employees: int
    month_minutes: int
    closed_months: list[str]


def overview(today: date) -> Overview:
    start, end = month_bounds(today.replace(day=1))
    minutes = db.session.scalar(
        select(func.coalesce(func.sum(TimesheetEntry.minutes), 0)).where(
            TimesheetEntry.date >= start, TimesheetEntry.date < end
        )
    )
    return Overview(
        members=db.session.scalar(select(func.count(Member.id))) or 0,
        employees=db.session.scalar(select(func.count(Employee.id))) or 0,
        month_minutes=int(minutes or 0),
        closed_months=list(
            db.session.scalars(select(MonthLock.month).order_by(MonthLock.month.desc()).limit(6))
        ),
    )


@dataclass(frozen=True)
class ServiceMinutes:
    service: str
    label: str
    minutes: int


def member_month_summary(member_id: int, month: date) -> list[ServiceMinutes]:
    start, end = month_bounds(month)
    rows = db.session.execute(
        select(Service.code, Service.label, func.sum(TimesheetEntry.minutes))
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member_id,
            TimesheetEntry.date >= start,
            TimesheetEntry.date < end,
        )
        .group_by(Service.code, Service.label)
        .order_by(Service.code)
    )
    return [ServiceMinutes(code, label, int(m)) for code, label, m in rows]
