"""The demo's generated time: each working day an employee works its contract hours, split
in half-hours over the members weighted by their planned hours (seeded by the year, so the
same day always gets the same time). Nobody works on a French public holiday (art. L3133-1
C. trav.), as the close's "days without time" check expects."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from accounting.calendar import french_public_holidays
from eage.extensions import db
from eage.models import Employee, Member, Service, TimesheetEntry


def _working_days(start: date, end: date) -> list[date]:
    """Monday to Friday, public holidays excepted."""
    days = []
    d = start
    while d <= end:
        if d.weekday() < 5 and d not in french_public_holidays(d.year):
            days.append(d)
        d += timedelta(days=1)
    return days


def _entry(
    day: date,
    employee_id: int,
    minutes: int,
    *,
    member_id: int | None = None,
    service_id: int | None = None,
    absence_code: str | None = None,
    note: str | None = None,
) -> dict[str, object]:
    """One timesheet row, as inserted in bulk."""
    return dict(
        date=day,
        employee_id=employee_id,
        member_id=member_id,
        service_id=service_id,
        absence_code=absence_code,
        minutes=minutes,
        note=note,
    )


def generate_time(
    year: int,
    until: date,
    members: list[Member],
    services: dict[str, Service],
    employees: list[tuple[Employee, str, Decimal]],
    *,
    start: date | None = None,
) -> int:
    """Plausible time for the year (from `start`) up to `until`: each working day an
    employee works its contract hours, split in half-hours over members weighted by their
    planned hours."""
    rng = random.Random(year if start is None else start.toordinal())
    rows = []
    start = start or date(year, 1, 1)
    end = min(until, date(year, 12, 31))
    for emp, main_service, weekly in employees:
        daily_minutes = int(weekly * 60 / 5)
        svc = services[main_service]
        weights = [
            int(
                next(
                    (p.hours for p in m.planned_hours if p.year == year and p.service_id == svc.id),
                    1,
                )
            )
            for m in members
        ]
        for day in _working_days(start, end):
            if rng.random() < 0.04:  # a day of paid leave now and then
                rows.append(
                    _entry(day, emp.id, daily_minutes, absence_code="CP", note="Congés payés")
                )
                continue
            internal = 30 if rng.random() < 0.5 else 60
            rows.append(
                _entry(
                    day, emp.id, internal, service_id=svc.id, note="Administration du groupement"
                )
            )
            left = daily_minutes - internal
            chosen = rng.choices(members, weights=weights, k=3)
            per: dict[int, int] = {}
            for i, m in enumerate(chosen):
                chunk = left // 3 if i < 2 else left - 2 * (left // 3)
                per[m.id] = per.get(m.id, 0) + chunk
            for member_id, minutes in per.items():
                if minutes > 0:
                    rows.append(
                        _entry(day, emp.id, minutes, member_id=member_id, service_id=svc.id)
                    )
    if rows:
        db.session.execute(insert(TimesheetEntry), rows)
    return len(rows)


def load_time(
    year: int,
    today: date,
    *,
    members: list[Member],
    services: dict[str, Service],
    employees: list[tuple[Employee, str, Decimal]],
    report: list[str],
    to_date: bool = False,
) -> None:
    """The year's generated time, once, and only for a year that has begun. `to_date`: a
    demo loaded on an earlier day gets the time of the days since (its months then close)."""
    last = db.session.scalar(
        select(func.max(TimesheetEntry.date)).where(
            TimesheetEntry.date >= date(year, 1, 1), TimesheetEntry.date <= date(year, 12, 31)
        )
    )
    if last is None and date(year, 1, 1) <= today:
        n = generate_time(year, today, members, services, employees)
        report.append(f"timesheets {year}: {n} entries")
    elif last is not None and to_date and last < min(today, date(year, 12, 31)):
        start = last + timedelta(days=1)
        n = generate_time(year, today, members, services, employees, start=start)
        report.append(f"timesheets {year} from {start:%d/%m}: {n} entries")
