"""The annual statement of a member (PDF and .docx), built from the allocation, the
timesheets (grouped by month in the database) and the issued documents. A year whose twelve
months are not all closed gets a provisional statement on its closed months only, marked as
such: a chartered accountant reads the annual statement against the regularisation, which
only a complete year has; before that, the member still gets its figures to date, but never
figures that count time not yet closed nor invoiced."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from accounting.documents.annual import AnnualStatement, ServiceYear
from accounting.months import Month
from eage import parties
from eage.allocation.services import allocation
from eage.extensions import db
from eage.invoicing.documents import current_seller
from eage.models import Invoice, InvoiceLine, Member, Service, TimesheetEntry
from eage.regularisation.months import year_months


def _minutes_by_month(member: Member, year: int, counted: set[int]) -> dict[str, list[int]]:
    """The member's minutes per service code and month of `year` (grouped in the database),
    the `counted` months only (the others stay at 0: not closed, not invoiced)."""
    month_col = extract("month", TimesheetEntry.date)
    minutes: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for code, month, total in db.session.execute(
        select(Service.code, month_col, func.sum(TimesheetEntry.minutes))
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member.id,
            TimesheetEntry.date >= date(year, 1, 1),
            TimesheetEntry.date <= date(year, 12, 31),
        )
        .group_by(Service.code, month_col)
    ):
        if int(month) in counted:
            minutes[code][int(month) - 1] = int(total)
    return minutes


def _service_years(member: Member, counted: list[Month]) -> tuple[ServiceYear, ...]:
    """Per service: the time by month, the real cost and what was invoiced for it, over the
    `counted` months of the year (all twelve once it is closed)."""
    period = allocation(counted[0].start, counted[-1].start)
    rows = [r for r in period if r.member == member.code]
    services = {s.code: s for s in db.session.scalars(select(Service))}
    minutes = _minutes_by_month(member, counted[0].year, {m.month for m in counted})
    by_code = {r.service: r for r in rows}
    service_years = []
    for code in sorted({r.service for r in rows} | set(minutes)):
        r = by_code.get(code)
        service_years.append(
            ServiceYear(
                code=code,
                label=services[code].label,
                minutes_by_month=tuple(minutes[code]),
                direct_cost=r.direct_cost if r else Decimal("0.00"),
                structure_cost=r.structure_cost if r else Decimal("0.00"),
                invoiced=r.invoiced if r else Decimal("0.00"),
            )
        )
    return tuple(service_years)


def _regularisation(member: Member, year: int) -> tuple[Decimal, tuple[str, ...]]:
    """The year's regularisation (excl. tax, credit notes negative) and its documents."""
    total = Decimal("0.00")
    numbers: list[str] = []
    for inv in db.session.scalars(
        select(Invoice)
        .where(
            Invoice.member_id == member.id,
            Invoice.origin == "regularisation",
            Invoice.period_start == date(year, 1, 1),
        )
        .order_by(Invoice.kind, Invoice.seq)
    ):
        sign = -1 if inv.is_credit_note else 1
        total += sign * inv.total_excl_tax
        numbers.append(inv.number)
    return total, tuple(numbers)


def _fee(member: Member, year: int) -> tuple[Decimal, tuple[str, ...]]:
    """The year's membership fee and its invoices."""
    total = Decimal("0.00")
    numbers: list[str] = []
    for number, amount in db.session.execute(
        select(Invoice.number, func.sum(InvoiceLine.amount))
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(
            Invoice.member_id == member.id,
            Invoice.origin == "fee",
            Invoice.period_start == date(year, 1, 1),
            Invoice.kind == "invoice",
        )
        .group_by(Invoice.number)
    ):
        total += amount
        numbers.append(number)
    return total, tuple(numbers)


def annual_statement(
    member: Member, year: int, today: date | None = None
) -> AnnualStatement | None:
    """The member's statement of `year`: final once its twelve months are closed, else
    provisional on the closed months only (it says which); None before any is closed."""
    months = year_months(year)
    counted = months.all if months.complete else months.counted
    if not counted:
        return None
    services = _service_years(member, counted)
    regularisation, regularisation_documents = _regularisation(member, year)
    fee, fee_documents = _fee(member, year)
    return AnnualStatement(
        seller=parties.seller_party(current_seller()),
        member=parties.party(parties.buyer_snapshot(member)),
        year=year,
        issue_date=today or date.today(),
        services=services,
        regularisation=regularisation,
        regularisation_documents=regularisation_documents,
        fee=fee,
        fee_documents=fee_documents,
        reference=f"BA-{year}-{member.code}",
        complete=months.complete,
        months_closed=months.label(locale="fr"),
    )
