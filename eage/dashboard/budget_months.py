"""Table « Réalisé par ligne de budget et par mois » (the budget table's lines, month by
month) and the cumulative net cost the budget chart draws."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate

from accounting.money import CENT, ZERO
from eage.dashboard.budget_table import BudgetRow, net_row
from eage.dashboard.figures import N_
from eage.dashboard.table import Column, MonthsRow, Table, month_columns


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetMonthRow(MonthsRow):
    account: str
    label: str
    actual: Decimal  # the months' total


@dataclass(frozen=True, slots=True)
class CumulativeCost:
    """The net cost summed month after month: the budget spread evenly over the year, the
    actual through the reporting month, then the forecast's straight line to its year-end
    figure (None before the reporting month)."""

    budget: list[Decimal]
    actual: list[Decimal]
    forecast: list[Decimal | None]


def build(budget: Table[BudgetRow], through: int) -> Table[BudgetMonthRow]:
    columns = (
        Column("account", N_("Compte")),
        Column("label", N_("Libellé")),
        *month_columns(through),
        Column("actual", N_("Total"), "money"),
    )
    return Table(
        "budget_mois",
        columns,
        [_by_month(r, through) for r in budget.rows],
        [_by_month(r, through) for r in budget.totals],
    )


def _by_month(row: BudgetRow, through: int) -> BudgetMonthRow:
    return BudgetMonthRow(
        account=row.account,
        label=row.label,
        months=row.actual_months[:through],
        actual=row.actual,
        status_code=row.status_code,
    )


def cumulative(budget: Table[BudgetRow], through: int) -> CumulativeCost:
    net = net_row(budget)
    actual = _running(net.actual_months[:through])
    forecast: list[Decimal | None] = [None] * 12
    if through:
        start, goal = actual[-1], net.forecast
        for m in range(through, 13):
            step = Decimal(m - through) / Decimal(12 - through) if through < 12 else Decimal(1)
            # A point of the chart: the default context's rounding, as it always was.
            point = start + (goal - start) * step
            forecast[m - 1] = point.quantize(CENT, rounding=ROUND_HALF_EVEN)
    return CumulativeCost(_running(net.budget_months), actual, forecast)


def _running(values: tuple[Decimal, ...]) -> list[Decimal]:
    """Running totals, from zero."""
    return list(accumulate(values, initial=ZERO))[1:]
