"""The five key figures the dashboard opens on (issue 14), and the months they cover.

What a manager of the group checks first: the billable hours against the conventions, the
cost against the budget, what was invoiced, where the year is heading (year-end forecast and
the regularisation if the year ended today) and the invoices still unpaid.

Partial-year honesty: every "to date" figure and the forecast cover the *closed* months only
(a month lock with its payslips and invoices issued); the page says which. Before the first
close there is nothing to date, and the figures say « — » instead of 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from accounting.money import ZERO, D
from eage.dashboard.budget_table import BudgetRow
from eage.dashboard.figures import MONTH_NAMES, ratio
from eage.dashboard.planned_hours_table import PlannedHoursRow
from eage.extensions import db
from eage.filters import tr
from eage.models import CreditApplication, Invoice, PaymentAllocation
from eage.regularisation.months import year_months


@dataclass(frozen=True)
class Unpaid:
    """The invoices still owed today (all years): what is left to pay, and its overdue part."""

    count: int
    total: Decimal
    overdue_count: int
    overdue: Decimal


@dataclass(frozen=True)
class KeyFigures:
    closed: bool  # False before the first close of the year: nothing "to date" yet
    hours_consumed: Decimal  # billable hours of the closed months
    hours_planned: Decimal  # the year's conventions
    hours_share: Decimal | None
    cost_actual: Decimal  # net cost (charges − income) of the closed months
    cost_budget_to_date: Decimal
    cost_budget: Decimal
    invoiced: Decimal  # services invoiced for the closed months, excl. VAT, net of credit notes
    forecast: Decimal  # year-end net cost at the closed months' pace
    regularisation: Decimal  # actual allocated cost − invoiced: + an invoice, − a credit note
    unpaid: Unpaid


def build(
    *,
    closed: bool,
    net: BudgetRow,
    planned_total: PlannedHoursRow | None,
    allocated: Decimal,
    invoiced: Decimal,
    today: date,
) -> KeyFigures:
    consumed = planned_total.consumed if planned_total and closed else ZERO
    planned = planned_total.planned if planned_total else ZERO
    return KeyFigures(
        closed=closed,
        hours_consumed=consumed,
        hours_planned=planned,
        hours_share=ratio(consumed, planned),
        cost_actual=net.actual,
        cost_budget_to_date=net.budget_to_date,
        cost_budget=net.budget,
        invoiced=invoiced if closed else ZERO,
        forecast=net.forecast,
        regularisation=(allocated - invoiced) if closed else ZERO,
        unpaid=unpaid(today),
    )


def unpaid(today: date) -> Unpaid:
    """Issued invoices (not credit notes) with something left to pay, and those past due:
    total − payments allocated − credit applied (as invoicing.services.outstanding), in three
    grouped queries rather than two per invoice."""
    paid = (
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount).label("amount"))
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    credited = (
        select(CreditApplication.invoice_id, func.sum(CreditApplication.amount).label("amount"))
        .group_by(CreditApplication.invoice_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Invoice.total_incl_tax,
            func.coalesce(paid.c.amount, 0),
            func.coalesce(credited.c.amount, 0),
            Invoice.due_date,
        )
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.invoice_id == Invoice.id)
        .where(Invoice.kind == "invoice", Invoice.status != "paid")
    )
    count = overdue_count = 0
    total = overdue = ZERO
    for invoiced, settled, applied, due in rows:
        left = D(invoiced) - D(settled) - D(applied)
        if left <= 0:
            continue
        count += 1
        total += left
        if due < today:
            overdue_count += 1
            overdue += left
    return Unpaid(count, total, overdue_count, overdue)


def closed_months(year: int) -> list[int]:
    """The months (1–12) of `year` that are closed (locked), in order: read once, by
    eage/regularisation/months.py, for the dashboard as for the statement and the portal."""
    return sorted(int(key[5:7]) for key in year_months(year).closed)


def closed_label(year: int, months: list[int]) -> str:
    """« janvier à octobre 2026 », « mars 2026 », « janvier, mars et avril 2026 »; "" if none.
    In the reader's language (the month names are msgids)."""
    if not months:
        return ""
    names = [tr(MONTH_NAMES[m - 1]) for m in months]
    if len(months) == 1:
        return f"{names[0]} {year}"
    if len(months) > 2 and months == list(range(months[0], months[-1] + 1)):
        return tr("%(first)s à %(last)s %(year)s", first=names[0], last=names[-1], year=year)
    return tr(
        "%(months)s et %(last)s %(year)s", months=", ".join(names[:-1]), last=names[-1], year=year
    )
