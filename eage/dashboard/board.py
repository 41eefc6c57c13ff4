"""The managers' dashboard of a fiscal year as data: its tables (what the page shows and the
exports write), the series its charts draw and the key figures at the top of the page.
:func:`eage.dashboard.services.dashboard` builds it; the page, the charts and the exports
read it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eage.dashboard import key_figures
from eage.dashboard.allocation_months import MonthlyBars
from eage.dashboard.allocation_table import MemberShare
from eage.dashboard.budget_months import CumulativeCost
from eage.dashboard.budget_table import BudgetLineBar, BudgetRow
from eage.dashboard.capacity_table import CapacityRow, EmployeeBars
from eage.dashboard.figures import MONTH_NAMES
from eage.dashboard.key_figures import KeyFigures
from eage.dashboard.planned_hours_table import PlannedHoursRow
from eage.dashboard.regularisation_table import MemberBar
from eage.dashboard.table import Table
from eage.filters import tr


@dataclass(frozen=True)
class BudgetCharts:
    cumulative: CumulativeCost
    lines: list[BudgetLineBar]


@dataclass(frozen=True)
class AllocationCharts:
    monthly: MonthlyBars
    shares: list[MemberShare]


@dataclass(frozen=True)
class Charts:
    budget: BudgetCharts
    allocation: AllocationCharts
    capacity: EmployeeBars
    regularisation: list[MemberBar]


@dataclass(frozen=True)
class Summary:
    """The key figures: the net cost's budget, actual and forecast, the staff, the alerts."""

    budget: Decimal
    actual: Decimal
    forecast: Decimal
    net_status: str
    over_lines: list[BudgetRow]  # lines whose forecast goes wrong
    capacity: CapacityRow | None  # the staff's total
    alerts: list[PlannedHoursRow]  # conventions to watch
    allocated: Decimal
    invoiced: Decimal


@dataclass(frozen=True)
class Dashboard:
    year: int
    through: int  # reporting month 1–12 (0: no month of the year has begun)
    tables: dict[str, Table[Any]]
    charts: Charts
    summary: Summary
    # False while no payslip of the year is issued (no month closed): the actual cost is
    # still nil and a forecast would only repeat it, so the page says so instead.
    payroll_issued: bool = True
    key: KeyFigures | None = None  # the five key figures the page opens on
    closed_months: tuple[int, ...] = ()  # the months of the year actually closed

    @property
    def through_label(self) -> str:
        return f"{tr(MONTH_NAMES[self.through - 1])} {self.year}" if self.through else ""

    @property
    def closed_label(self) -> str:
        """« janvier à octobre 2026 » (the closed months), "" before the first close."""
        return key_figures.closed_label(self.year, list(self.closed_months))

    @property
    def through_key(self) -> str | None:
        """The reporting month as the page's `mois` parameter ("2026-10")."""
        return f"{self.year}-{self.through:02d}" if self.through else None

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, self.through + 1))
