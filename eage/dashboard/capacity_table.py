"""Table « Capacité par salarié »: each employee's FTE, available hours (over the year and to
date), hours worked, billable, internal and absent; and the employees the chart draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import CENT, ROUND_HALF_UP
from eage.dashboard.capacity import Capacity, Person
from eage.dashboard.figures import CHART_ROWS, N_, hours, ratio
from eage.dashboard.table import Column, Table, TableRow

COLUMNS = (
    Column("employee", N_("Salarié")),
    Column("name", N_("Nom")),
    Column("fte", N_("ETP"), "number"),
    Column("available_year", N_("Disponible sur l'année"), "hours"),
    Column("available", N_("Disponible à date"), "hours"),
    Column("worked", N_("Travaillé"), "hours"),
    Column("billable", N_("dont facturable"), "hours"),
    Column("internal", N_("dont interne"), "hours"),
    Column("absences", N_("Absences"), "hours"),
    Column("occupation", N_("Travaillé / disponible"), "percent"),
    Column("billable_rate", N_("Facturable / travaillé"), "percent"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityRow(TableRow):
    employee: str
    name: str
    fte: Decimal
    available_year: Decimal
    available: Decimal
    worked: Decimal
    billable: Decimal
    internal: Decimal
    absences: Decimal
    occupation: Decimal | None  # worked / available
    billable_rate: Decimal | None  # billable / worked


@dataclass(frozen=True, slots=True)
class EmployeeBar:
    label: str
    available: Decimal
    worked: Decimal
    billable: Decimal


@dataclass(frozen=True, slots=True)
class EmployeeBars:
    employees: list[EmployeeBar]
    total: int  # employees in the table


def build(capacity: Capacity) -> Table[CapacityRow]:
    people = capacity.people
    rows = [_row(p) for p in sorted(people, key=lambda p: p.employee)]
    totals = [_row(_total(people))] if rows else []
    return Table("capacite", COLUMNS, rows, totals)


def _total(people: Sequence[Person]) -> Person:
    total = Person("", N_("Total"))
    for p in people:
        total.fte += p.fte
        total.available_year += p.available_year
        total.available += p.available
        total.worked_minutes += p.worked_minutes
        total.internal_minutes += p.internal_minutes
        total.absence_minutes += p.absence_minutes
    return total


def _row(p: Person) -> CapacityRow:
    available = p.available.quantize(CENT, rounding=ROUND_HALF_UP)
    worked = p.worked_minutes
    return CapacityRow(
        employee=p.employee,
        name=p.name,
        fte=p.fte.quantize(CENT, rounding=ROUND_HALF_UP),
        available_year=p.available_year.quantize(CENT, rounding=ROUND_HALF_UP),
        available=available,
        worked=hours(worked),
        billable=hours(worked - p.internal_minutes),
        internal=hours(p.internal_minutes),
        absences=hours(p.absence_minutes),
        occupation=ratio(hours(worked), available),
        billable_rate=ratio(worked - p.internal_minutes, worked),
    )


def bars(table: Table[CapacityRow]) -> EmployeeBars:
    """A large staff: the chart shows those furthest from their available hours (over- or
    under-used); the table has everyone."""
    rows = table.rows
    picked = (
        rows
        if len(rows) <= CHART_ROWS
        else sorted(rows, key=lambda r: (-abs(r.worked - r.available), r.employee))[:CHART_ROWS]
    )
    employees = [
        EmployeeBar(f"{r.employee} — {r.name}", r.available, r.worked, r.billable)
        for r in sorted(picked, key=lambda r: r.employee)
    ]
    return EmployeeBars(employees, len(rows))
