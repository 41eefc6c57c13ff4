"""The cost allocation of a period (SPEC §5 "Allocation"), read from the database.

Everything is read as grouped sums (ARCHITECTURE §8): minutes per (employee, member,
service / absence) — from the summaries the close writes for closed months
(:mod:`eage.timesheets.summary`), from the timesheets for the others —, employer cost per
employee from the issued payslips of the period's months, the period's overhead expenses
and operating income, and what was invoiced per (member, service). Timesheet rows never
reach Python; the arithmetic is the pure :func:`accounting.allocation.allocate_period`. The
same queries run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from accounting.allocation import Allocation, allocate_period
from accounting.money import CENT, ROUND_HALF_UP, ZERO, D
from accounting.months import Month
from eage.extensions import db
from eage.models import (
    Employee,
    Expense,
    Invoice,
    InvoiceLine,
    Member,
    OperatingIncome,
    Payslip,
    Service,
)
from eage.models.books import JournalEntry, JournalLine
from eage.timesheets import summary

# Invoice lines that pay for services (SPEC §5 regularisation: "excluding tax and fees").
INVOICED_LINE_KINDS = ("service", "regularisation")


class PeriodError(ValueError):
    """A period that cannot be allocated (malformed months, end before start)."""


@dataclass(frozen=True, slots=True)
class AllocationRow:
    """One member × service of the period (what the API, the page and the regularisation
    read). Amounts in euros at the cent; `minutes` billable minutes."""

    member: str
    service: str
    minutes: int
    direct_cost: Decimal
    structure_cost: Decimal
    total_cost: Decimal
    invoiced: Decimal

    @property
    def hours(self) -> Decimal:
        """Minutes shown as hours with two decimals (SPEC §5)."""
        return (Decimal(self.minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def difference(self) -> Decimal:
        """Real cost − invoiced: what a regularisation would invoice (> 0) or credit (< 0)."""
        return self.total_cost - self.invoiced


@dataclass(frozen=True)
class PeriodAllocation:
    first_month: date
    last_month: date
    rows: list[AllocationRow]
    result: Allocation  # the domain result: employer cost, overheads, income, structure…
    # (employee id, member id or None, service id or None, absence code or None, Σ minutes) of
    # the period, as the allocation read them (the dashboard's capacity reuses them).
    time: list[tuple[int, int | None, int | None, str | None, int]]

    @property
    def invoiced(self) -> Decimal:
        return sum((r.invoiced for r in self.rows), ZERO)

    @property
    def total_cost(self) -> Decimal:
        return sum((r.total_cost for r in self.rows), ZERO)

    @property
    def services(self) -> list[str]:
        return sorted({r.service for r in self.rows})

    @property
    def members(self) -> list[str]:
        return sorted({r.member for r in self.rows})


Period = Month | date | str  # a month: Month, any day of it, or "YYYY-MM"


def _month(value: Period, name: str) -> Month:
    if isinstance(value, Month):
        return value
    if isinstance(value, date):
        return Month.of(value)
    try:
        return Month.parse(value)
    except ValueError:
        raise PeriodError(f"{name} must be a month YYYY-MM, got {value!r}") from None


def period_months(first_month: Period, last_month: Period) -> tuple[Month, Month]:
    """The period's first and last months (PeriodError when it ends before it starts)."""
    first = _month(first_month, "from")
    last = _month(last_month, "to")
    if last < first:
        raise PeriodError(f"the period ends ({last}) before it starts ({first})")
    return first, last


def compute(first_month: Period, last_month: Period) -> PeriodAllocation:
    """The allocation of the months `first_month`…`last_month` (inclusive).

    Time and expenses count by their date; payslips by their month; invoices and credit
    notes when their whole service period lies within the period (a year's regularisation
    counts for that whole year only). Fee lines are never counted as invoiced.
    """
    first, last = period_months(first_month, last_month)
    employees = dict(db.session.execute(select(Employee.id, Employee.code)).all())
    members = dict(db.session.execute(select(Member.id, Member.code)).all())
    services = dict(db.session.execute(select(Service.id, Service.code)).all())

    # Minutes per (employee, member or internal, service or absence): grouped in the database,
    # from the closed months' summaries and the open months' timesheet rows.
    time = summary.time_sums(first, last)
    blocks = [  # TimeBlock fields as plain tuples: tens of thousands at a large group's year
        (
            employees[emp_id],
            None if member_id is None else members[member_id],
            services[service_id] if service_id is not None else (absence or ""),
            int(total),
        )
        for emp_id, member_id, service_id, absence, total in time
    ]
    result = allocate_period(
        _employer_costs(first, last, employees),
        blocks,
        _dated_sum(Expense, first.start, last.end) + _salary_tax(first.start, last.end),
        _dated_sum(OperatingIncome, first.start, last.end),
    )
    invoiced = _invoiced(first.start, last.end, members, services)

    lines = {(ln.member, ln.service): ln for ln in result.lines}
    rows = []
    for key in sorted(set(lines) | set(invoiced)):
        ln = lines.get(key)
        rows.append(
            AllocationRow(
                member=key[0],
                service=key[1],
                minutes=ln.minutes if ln else 0,
                direct_cost=ln.direct_cost if ln else ZERO,
                structure_cost=ln.structure_cost if ln else ZERO,
                total_cost=ln.total_cost if ln else ZERO,
                invoiced=invoiced.get(key, ZERO),
            )
        )
    return PeriodAllocation(first.start, last.start, rows, result, time)


def _employer_costs(first: Month, last: Month, employees: dict[int, str]) -> dict[str, Decimal]:
    """Employer cost per employee code from the issued payslips of the period's months."""
    return {
        employees[emp_id]: D(total)
        for emp_id, total in db.session.execute(
            select(Payslip.employee_id, func.sum(Payslip.employer_cost))
            .where(
                Payslip.status == "issued", Payslip.month >= first.key, Payslip.month <= last.key
            )
            .group_by(Payslip.employee_id)
        )
    }


def _dated_sum(model: type[Expense] | type[OperatingIncome], start: date, end: date) -> Decimal:
    """Σ amount of the expenses (or the operating income) dated within [start, end)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(model.amount), ZERO)).where(
            model.date >= start, model.date < end
        )
    )
    return D(total or ZERO)


def _salary_tax(start: date, end: date) -> Decimal:
    """The taxe sur les salaires posted (OD ``payroll_tax``, its 631100 debit) dated within
    [start, end): a cost of the structure, recharged by the regularisation (SPEC §5 step 2:
    structure cost = internal + overheads − income + salary tax)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(JournalLine.debit), ZERO))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalEntry.origin == "payroll_tax",
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date >= start,
            JournalEntry.date < end,
        )
    )
    return D(total or ZERO)


def _invoiced(
    start: date, end: date, members: dict[int, str], services: dict[int, str]
) -> dict[tuple[str, str], Decimal]:
    """Service and regularisation lines of invoices minus credit notes whose service
    period lies within [start, end), per (member, service), excluding tax."""
    signed = case((Invoice.kind == "credit_note", -InvoiceLine.amount), else_=InvoiceLine.amount)
    rows = db.session.execute(
        select(Invoice.member_id, InvoiceLine.service_id, func.sum(signed))
        .join(Invoice, InvoiceLine.invoice_id == Invoice.id)
        .where(
            InvoiceLine.kind.in_(INVOICED_LINE_KINDS),
            Invoice.period_start >= start,
            Invoice.period_end < end,
        )
        .group_by(Invoice.member_id, InvoiceLine.service_id)
    )
    out: dict[tuple[str, str], Decimal] = {}
    for member_id, service_id, total in rows:
        key = (members[member_id], services.get(service_id, "") if service_id is not None else "")
        out[key] = out.get(key, ZERO) + D(total)
    return out


def allocation(
    first_month: Period, last_month: Period, member: str | None = None
) -> list[AllocationRow]:
    """Rows per member and service of the months `first_month`…`last_month` (dates — any
    day of the month — or "YYYY-MM"), sorted by member then service code. `member` keeps
    one member's rows (the allocation itself is always of the whole group)."""
    rows = compute(first_month, last_month).rows
    if member is not None:
        rows = [r for r in rows if r.member == member]
    return rows


def member_pivot(period: PeriodAllocation) -> list[dict[str, object]]:
    """One line per member: its rows by service, and its totals."""
    by_member: dict[str, list[AllocationRow]] = defaultdict(list)
    for r in period.rows:
        by_member[r.member].append(r)
    return [
        {
            "member": code,
            "by_service": {r.service: r for r in rows},
            "minutes": sum(r.minutes for r in rows),
            "direct_cost": sum((r.direct_cost for r in rows), ZERO),
            "structure_cost": sum((r.structure_cost for r in rows), ZERO),
            "total_cost": sum((r.total_cost for r in rows), ZERO),
            "invoiced": sum((r.invoiced for r in rows), ZERO),
        }
        for code, rows in sorted(by_member.items())
    ]
