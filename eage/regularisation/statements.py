"""The annual statement of a member (PDF and .docx), built from the allocation, the
timesheets (grouped by month in the database) and the issued documents."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from accounting.documents.annual import AnnualStatement, ServiceYear
from eage.extensions import db
from eage.invoicing.documents import _party, _seller
from eage.invoicing.services import buyer_snapshot, seller_snapshot
from eage.models import Invoice, InvoiceLine, Member, Service, TimesheetEntry


def annual_statement(member: Member, year: int, today: date | None = None) -> AnnualStatement:
    from eage.allocation.services import allocation

    today = today or date.today()
    rows = [r for r in allocation(date(year, 1, 1), date(year, 12, 1)) if r.member == member.code]
    services = {s.code: s for s in db.session.scalars(select(Service))}
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
        minutes[code][int(month) - 1] = int(total)
    codes = sorted({r.service for r in rows} | set(minutes))
    by_code = {r.service: r for r in rows}
    service_years = []
    for code in codes:
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

    period = (date(year, 1, 1), date(year, 12, 31))
    regularisation = Decimal("0.00")
    reg_docs: list[str] = []
    for inv in db.session.scalars(
        select(Invoice)
        .where(
            Invoice.member_id == member.id,
            Invoice.origin == "regularisation",
            Invoice.period_start == period[0],
        )
        .order_by(Invoice.kind, Invoice.seq)
    ):
        sign = -1 if inv.is_credit_note else 1
        regularisation += sign * inv.total_excl_tax
        reg_docs.append(inv.number)
    fee = Decimal("0.00")
    fee_docs: list[str] = []
    for number, amount in db.session.execute(
        select(Invoice.number, func.sum(InvoiceLine.amount))
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(
            Invoice.member_id == member.id,
            Invoice.origin == "fee",
            Invoice.period_start == period[0],
            Invoice.kind == "invoice",
        )
        .group_by(Invoice.number)
    ):
        fee += amount
        fee_docs.append(number)
    return AnnualStatement(
        seller=_seller(seller_snapshot()),
        member=_party(buyer_snapshot(member)),
        year=year,
        issue_date=today,
        services=tuple(service_years),
        regularisation=regularisation,
        regularisation_documents=tuple(reg_docs),
        fee=fee,
        fee_documents=tuple(fee_docs),
        reference=f"BA-{year}-{member.code}",
    )
