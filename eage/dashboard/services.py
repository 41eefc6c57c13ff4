"""The managers' dashboard of a fiscal year (issue 5, SPEC §4.4 "Managers follow budget vs
actual and the cost allocation at any time"): this module assembles it, table by table.

Every figure comes from a grouped SQL query (ARCHITECTURE §8: timesheet rows never reach
Python) or from the allocation service (:mod:`eage.allocation.services`), which is the one
place the SPEC §5 allocation is computed: the dashboard never recomputes it, so its figures
are the API's (`GET /api/v1/allocation`) by construction.

The dashboard (:class:`~eage.dashboard.board.Dashboard`) is a list of tables, one module
each (what the page shows, and what the .xlsx and CSV exports write, cell for cell), plus
the series the charts draw.

**Reporting period** (:mod:`eage.dashboard.period`). Figures run from January to the
*reporting month*: the last month of the year with issued payslips (the last closed month),
unless the caller names one. Time, expenses and income after it are not counted yet, so that
costs and time cover the same months. The forecast to year end is the linear run-rate of
those months: ``actual × 12 / months``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from accounting.money import ZERO
from eage.allocation import services as allocation_services
from eage.dashboard import (
    allocation_months,
    allocation_table,
    budget_months,
    budget_table,
    cache,
    capacity,
    capacity_table,
    key_figures,
    planned_hours_table,
    regularisation_table,
    service_hours_table,
)
from eage.dashboard.board import AllocationCharts, BudgetCharts, Charts, Dashboard, Summary
from eage.dashboard.period import last_payslip_month, reporting_month
from eage.dashboard.table import TABLES, Table
from eage.extensions import db
from eage.filters import tr
from eage.models import Member, Service


class DashboardError(ValueError):
    """A year or reporting month the dashboard cannot show."""


def dashboard(year: int, through: int | None = None, today: date | None = None) -> Dashboard:
    """The whole dashboard of `year`, figures from January to the month `through` (1–12;
    default :func:`~eage.dashboard.period.reporting_month`)."""
    through = _checked_month(year, through, today)
    names = dict(db.session.execute(select(Member.code, Member.name)).all())
    labels = dict(db.session.execute(select(Service.code, Service.label)).all())
    closed = cache.Year(year)

    payroll_issued = last_payslip_month(year) is not None
    # Before the first close the actual cost is nil: the budget section shows the budget only.
    budget_through = through if payroll_issued else 0
    budget = budget_table.build(year, budget_through)
    alloc_rows = closed.allocation(1, through).rows if through else []
    members = allocation_table.build(alloc_rows, names)
    monthly = allocation_months.monthly_costs(closed, through)
    staff = capacity.read(year, through, closed)
    employees = capacity_table.build(staff)
    planned = planned_hours_table.build(year, through, alloc_rows, names, labels)
    regularisation = regularisation_table.build(alloc_rows, names)

    tables: tuple[Table[Any], ...] = (
        budget,
        budget_months.build(budget, budget_through),
        members,
        allocation_months.build(monthly, names, through),
        employees,
        service_hours_table.build(staff, labels),
        planned,
        regularisation,
    )
    charts = Charts(
        BudgetCharts(
            budget_months.cumulative(budget, budget_through), budget_table.line_bars(budget)
        ),
        AllocationCharts(
            allocation_months.bars(monthly, names, allocation_table.ranked(members), through),
            allocation_table.shares(members),
        ),
        capacity_table.bars(employees),
        regularisation_table.bars(regularisation),
    )
    summary = _summary(budget, employees, planned, alloc_rows)
    closed_months = key_figures.closed_months(year)
    # The key figures are "to date" only on closed months (a later `mois` asked: « — »).
    key = key_figures.build(
        closed=payroll_issued and bool(closed_months) and through <= closed_months[-1],
        net=budget_table.net_row(budget),
        planned_total=planned.totals[0] if planned.totals else None,
        allocated=summary.allocated,
        invoiced=summary.invoiced,
        today=today or date.today(),
    )
    return Dashboard(
        year,
        through,
        {t.name: t for t in tables},
        charts,
        summary,
        payroll_issued=payroll_issued,
        key=key,
        closed_months=tuple(closed_months),
    )


def _checked_month(year: int, through: int | None, today: date | None) -> int:
    """The reporting month: `through`, else the year's (see reporting_month)."""
    if not 2000 <= year <= 2100:
        raise DashboardError(tr("exercice invalide : %(year)s", year=year))
    if through is None:
        through = reporting_month(year, today or date.today())
    if not 0 <= through <= 12:
        raise DashboardError(tr("mois invalide : %(through)s", through=through))
    return through


def _summary(
    budget: Table[budget_table.BudgetRow],
    employees: Table[capacity_table.CapacityRow],
    planned: Table[planned_hours_table.PlannedHoursRow],
    alloc_rows: Sequence[allocation_services.AllocationRow],
) -> Summary:
    net = budget_table.net_row(budget)
    return Summary(
        budget=net.budget,
        actual=net.actual,
        forecast=net.forecast,
        net_status=net.status_code,
        over_lines=budget_table.over_lines(budget),
        capacity=employees.totals[0] if employees.totals else None,
        alerts=planned_hours_table.alerts(planned),
        allocated=sum((r.total_cost for r in alloc_rows), ZERO),
        invoiced=sum((r.invoiced for r in alloc_rows), ZERO),
    )


def table(
    year: int, name: str, through: int | None = None, today: date | None = None
) -> Table[Any]:
    """One table of the dashboard (for the exports)."""
    if name not in TABLES:
        raise KeyError(name)
    return dashboard(year, through, today).tables[name]
