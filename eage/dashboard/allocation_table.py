"""Table « Répartition des coûts par adhérent et service »: the allocation service's rows
(:mod:`eage.allocation.services`, the one place the SPEC §5 allocation is computed) per
member, hours and cost per service; and each member's share of the year's cost for the chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import ZERO
from eage.allocation.services import AllocationRow
from eage.dashboard.figures import CHART_MEMBERS, N_, hours, ratio
from eage.dashboard.table import MEMBER_COLUMNS, Cell, Column, Table, TableRow
from eage.filters import tr

HOURS_PREFIX, COST_PREFIX = "hours_", "cost_"  # column keys of a service: hours_PAIE, cost_PAIE


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberCostRow(TableRow):
    member: str
    name: str
    service_hours: Mapping[str, Decimal]  # billable hours per service code (absent: none)
    service_costs: Mapping[str, Decimal]  # total cost per service code
    hours: Decimal
    direct_cost: Decimal
    structure_cost: Decimal
    total_cost: Decimal
    invoiced: Decimal
    share: Decimal | None  # of the year's cost

    def cell(self, key: str) -> Cell:
        if key.startswith(HOURS_PREFIX):
            return self.service_hours.get(key.removeprefix(HOURS_PREFIX))
        if key.startswith(COST_PREFIX):
            return self.service_costs.get(key.removeprefix(COST_PREFIX))
        return TableRow.cell(self, key)


@dataclass(frozen=True, slots=True)
class MemberShare:
    """A member's cost and share of the year on the chart (or the other members together)."""

    label: str
    value: Decimal
    share: Decimal | None


def build(rows: Sequence[AllocationRow], names: Mapping[str, str]) -> Table[MemberCostRow]:
    """One row per member of the allocation's `rows`, and their total."""
    grand_total = sum((r.total_cost for r in rows), ZERO)
    by_member: dict[str, list[AllocationRow]] = defaultdict(list)
    for r in rows:
        by_member[r.member].append(r)
    table_rows = [
        _member_row(code, names.get(code, ""), member_rows, grand_total)
        for code, member_rows in sorted(by_member.items())
    ]
    totals = [_member_row("", N_("Total"), rows, grand_total)] if rows else []
    return Table("repartition", _columns(sorted({r.service for r in rows})), table_rows, totals)


def _columns(services: list[str]) -> tuple[Column, ...]:
    per_service = []
    for s in services:
        params = (("service", s or "—"),)
        per_service += [
            Column(HOURS_PREFIX + s, N_("%(service)s — heures"), "hours", params),
            Column(COST_PREFIX + s, N_("%(service)s — coût"), "money", params),
        ]
    return (
        *MEMBER_COLUMNS,
        *per_service,
        Column("hours", N_("Heures facturables"), "hours"),
        Column("direct_cost", N_("Coût direct"), "money"),
        Column("structure_cost", N_("Coût de structure"), "money"),
        Column("total_cost", N_("Coût total"), "money"),
        Column("invoiced", N_("Facturé (hors cotisations)"), "money"),
        Column("share", N_("Part de l'année"), "percent"),
    )


def _member_row(
    code: str, name: str, rows: Sequence[AllocationRow], grand_total: Decimal
) -> MemberCostRow:
    by_service: dict[str, list[AllocationRow]] = defaultdict(list)
    for r in rows:
        by_service[r.service].append(r)
    total_cost = sum((r.total_cost for r in rows), ZERO)
    return MemberCostRow(
        member=code,
        name=name,
        service_hours={s: hours(sum(r.minutes for r in cell)) for s, cell in by_service.items()},
        service_costs={
            s: sum((r.total_cost for r in cell), ZERO) for s, cell in by_service.items()
        },
        hours=hours(sum(r.minutes for r in rows)),
        direct_cost=sum((r.direct_cost for r in rows), ZERO),
        structure_cost=sum((r.structure_cost for r in rows), ZERO),
        total_cost=total_cost,
        invoiced=sum((r.invoiced for r in rows), ZERO),
        share=ratio(total_cost, grand_total),
    )


def ranked(table: Table[MemberCostRow]) -> list[MemberCostRow]:
    """The members, the largest cost first: the charts draw the first CHART_MEMBERS one by
    one and group the others."""
    return sorted(table.rows, key=lambda t: (-t.total_cost, t.member))


def shares(table: Table[MemberCostRow]) -> list[MemberShare]:
    members = ranked(table)
    items = [
        MemberShare(f"{t.member} — {t.name}", t.total_cost, t.share)
        for t in members[:CHART_MEMBERS]
    ]
    others = members[CHART_MEMBERS:]
    if others:
        rest = sum((t.total_cost for t in others), ZERO)
        grand_total = table.totals[0].total_cost
        items.append(MemberShare(others_label(len(others)), rest, ratio(rest, grand_total)))
    return items


def others_label(count: int) -> str:
    return tr(N_("Autres adhérents (%(n)s)"), n=count)
