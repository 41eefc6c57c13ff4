"""Read models for the home page and the member portal (grouped in the database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from accounting.months import Month
from eage.extensions import db
from eage.models import Employee, Invoice, Member, MonthLock, Service, TimesheetEntry

# Transitional: the months of payslips, invoicing, closing, books, dashboard and the API are
# still dates; these two go when those areas read them as accounting.months.Month.


def parse_month(text: str | None) -> date | None:
    """'2026-11' → date(2026, 11, 1); None when absent or malformed."""
    month = Month.parse_or_none(text)
    return None if month is None else month.start


def month_bounds(month: date) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    return Month.of(month).start, Month.of(month).end


@dataclass(frozen=True)
class Overview:
    members: int
    employees: int
    month_minutes: int
    closed_months: list[str]


def overview(today: date) -> Overview:
    month = Month.of(today)
    minutes = db.session.scalar(
        select(func.coalesce(func.sum(TimesheetEntry.minutes), 0)).where(
            TimesheetEntry.date >= month.start, TimesheetEntry.date < month.end
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


def member_month_summary(member_id: int, month: Month) -> list[ServiceMinutes]:
    rows = db.session.execute(
        select(Service.code, Service.label, func.sum(TimesheetEntry.minutes))
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member_id,
            TimesheetEntry.date >= month.start,
            TimesheetEntry.date < month.end,
        )
        .group_by(Service.code, Service.label)
        .order_by(Service.code)
    )
    return [ServiceMinutes(code, label, int(m)) for code, label, m in rows]


def member_month_invoices(member_id: int, month: Month) -> list[Invoice]:
    """The member's documents issued by the close of `month` (its monthly invoice, and any
    credit note of that month), in number order."""
    return list(
        db.session.scalars(
            select(Invoice)
            .where(Invoice.member_id == member_id, Invoice.month == month.key)
            .order_by(Invoice.year, Invoice.seq)
        )
    )
