"""Table « Coût réparti par adhérent et par mois »: each month's own allocation (through the
allocation service, month by month), and the stacked bars the chart draws from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import ZERO
from eage.dashboard.allocation_table import MemberCostRow, others_label
from eage.dashboard.cache import Year
from eage.dashboard.figures import CHART_MEMBERS, MONTH_ABBR, N_
from eage.dashboard.table import MEMBER_COLUMNS, Column, MonthsRow, Table, month_columns


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberMonthRow(MonthsRow):
    member: str
    name: str
    total: Decimal  # the months' total


@dataclass(frozen=True, slots=True)
class MemberSeries:
    """A member's bars (or the other members' together), one value per month."""

    label: str
    key: str
    values: list[Decimal]


@dataclass(frozen=True, slots=True)
class MonthlyBars:
    months: list[str]  # msgids of the months' abbreviations
    series: list[MemberSeries]


def monthly_costs(closed: Year, through: int) -> dict[str, list[Decimal]]:
    """Each member's cost of each month of the period, as the month's own allocation."""
    monthly: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * through)
    for m in range(1, through + 1):
        for code, cost in closed.allocation(m, m).result.per_member().items():
            monthly[code][m - 1] = cost
    return dict(monthly)


def build(
    monthly: Mapping[str, list[Decimal]], names: Mapping[str, str], through: int
) -> Table[MemberMonthRow]:
    columns = (
        *MEMBER_COLUMNS,
        *month_columns(through),
        Column("total", N_("Total des mois"), "money"),
    )
    rows = [
        MemberMonthRow(
            member=code, name=names.get(code, ""), months=tuple(costs), total=sum(costs, ZERO)
        )
        for code, costs in sorted(monthly.items())
    ]
    return Table("repartition_mois", columns, rows, [_total(rows, through)] if rows else [])


def _total(rows: Sequence[MemberMonthRow], through: int) -> MemberMonthRow:
    return MemberMonthRow(
        member="",
        name=N_("Total"),
        months=tuple(sum((r.months[i] for r in rows), ZERO) for i in range(through)),
        total=sum((r.total for r in rows), ZERO),
    )


def bars(
    monthly: Mapping[str, list[Decimal]],
    names: Mapping[str, str],
    ranked: Sequence[MemberCostRow],
    through: int,
) -> MonthlyBars:
    """The first CHART_MEMBERS of the `ranked` members one by one, the others together."""
    nothing = [ZERO] * through
    series = [
        MemberSeries(
            f"{t.member} — {names.get(t.member, t.member)}",
            t.member,
            monthly.get(t.member, nothing),
        )
        for t in ranked[:CHART_MEMBERS]
    ]
    others = [t.member for t in ranked[CHART_MEMBERS:]]
    if others:
        values = [sum((monthly.get(c, nothing)[i] for c in others), ZERO) for i in range(through)]
        series.append(MemberSeries(others_label(len(others)), "AUTRES", values))
    return MonthlyBars([MONTH_ABBR[m - 1] for m in range(1, through + 1)], series)
