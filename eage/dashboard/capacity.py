"""The staff's capacity over the reporting period: what each employee could work (FTE × the
year's hours, prorated to the days of their contracts) and what they worked, billed and
were absent, per employee and per service.

The minutes are the allocation's own grouped minutes (closed months: their summaries),
regrouped per employee and service or absence — no second scan of the timesheets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from accounting.money import D
from eage.dashboard.cache import Year
from eage.dashboard.period import period_end
from eage.extensions import db
from eage.models import Contract, Employee, FiscalYear, Service

DEFAULT_HOURS_DENOMINATOR = 1607  # SPEC §3: 1,607 h worked a year for a full-time post
FULL_TIME_WEEKLY_HOURS = Decimal("35")  # art. L3121-27 C. trav.
_DAY = timedelta(days=1)


@dataclass
class Person:
    """An employee's capacity, summed over their contracts and time."""

    employee: str
    name: str
    fte: Decimal = Decimal(0)
    available_year: Decimal = Decimal(0)  # hours
    available: Decimal = Decimal(0)  # hours, to the end of the reporting month
    worked_minutes: int = 0
    internal_minutes: int = 0
    absence_minutes: int = 0


@dataclass
class ServiceMinutes:
    worked: int = 0
    billable: int = 0


@dataclass(frozen=True)
class Capacity:
    people: list[Person]  # in the order they were read (the table sorts them)
    by_service: dict[str, ServiceMinutes]  # per service code


@dataclass(frozen=True)
class _Year:
    """The fiscal year a contract is prorated over."""

    start: date
    end: date  # 31 December
    days: Decimal
    denominator: int  # hours a year of a full-time post

    def covered(self, start: date, end: date | None, until: date) -> int:
        """Days of the contract within [1 January, until)."""
        first, last = max(start, self.start), min(end or self.end, until - _DAY)
        return max((last - first).days + 1, 0)


def read(year: int, through: int, closed: Year) -> Capacity:
    """Every employee with a contract in `year` or time in January…`through`."""
    people = _contracted(_fiscal_year(year), period_end(year, through))
    by_service: dict[str, ServiceMinutes] = defaultdict(ServiceMinutes)
    if through:
        missing = _add_time(people, by_service, closed, through)
        if missing:  # time of people with no contract in the year: name them all the same
            _name(people, missing)
    return Capacity(list(people.values()), by_service)


def _fiscal_year(year: int) -> _Year:
    denominator = (
        db.session.scalar(select(FiscalYear.hours_denominator).where(FiscalYear.year == year))
        or DEFAULT_HOURS_DENOMINATOR
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    return _Year(start, end, Decimal((end - start).days + 1), denominator)


def _contracted(fiscal: _Year, until: date) -> dict[int, Person]:
    """Each employee's FTE and available hours over the year and to `until`, from their
    contracts' weekly hours, prorated to the days each contract covers."""
    people: dict[int, Person] = {}
    contracts = db.session.execute(
        select(
            Employee.id,
            Employee.code,
            Employee.first_name,
            Employee.last_name,
            Contract.start_date,
            Contract.end_date,
            Contract.weekly_hours,
        )
        .join(Contract, Contract.employee_id == Employee.id)
        .where(
            Contract.start_date <= fiscal.end,
            (Contract.end_date.is_(None)) | (Contract.end_date >= fiscal.start),
        )
    )
    year_end = fiscal.end + _DAY
    for emp_id, code, first, last, start, end, weekly in contracts:
        p = people.setdefault(emp_id, Person(code, f"{first} {last}"))
        fte = D(weekly) / FULL_TIME_WEEKLY_HOURS
        p.fte += fte * fiscal.covered(start, end, year_end) / fiscal.days
        p.available_year += (
            fte * fiscal.denominator * fiscal.covered(start, end, year_end) / fiscal.days
        )
        p.available += fte * fiscal.denominator * fiscal.covered(start, end, until) / fiscal.days
    return people


def _add_time(
    people: dict[int, Person], by_service: dict[str, ServiceMinutes], closed: Year, through: int
) -> set[int]:
    """Adds the period's minutes to each person and service; returns the employees who had
    time but no contract."""
    service_codes = dict(db.session.execute(select(Service.id, Service.code)).all())
    missing: set[int] = set()
    for emp_id, member_id, service_id, _, minutes in closed.allocation(1, through).time:
        if emp_id not in people:
            missing.add(emp_id)
            people[emp_id] = Person("", "")
        p, total = people[emp_id], int(minutes)
        internal = total if member_id is None else 0
        if service_id is None:  # an absence (a row is exactly one of service / absence)
            p.absence_minutes += total
            continue
        p.worked_minutes += total
        p.internal_minutes += internal
        service = by_service[service_codes[service_id]]
        service.worked += total
        service.billable += total - internal
    return missing


def _name(people: dict[int, Person], employee_ids: set[int]) -> None:
    for emp_id, code, first, last in db.session.execute(
        select(Employee.id, Employee.code, Employee.first_name, Employee.last_name).where(
            Employee.id.in_(employee_ids)
        )
    ):
        people[emp_id].employee, people[emp_id].name = code, f"{first} {last}"
