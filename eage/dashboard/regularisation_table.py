"""Table « Régularisation si l'exercice se terminait aujourd'hui »: per member, real cost
(allocation) − invoiced services (fees excluded, credit notes deducted: the allocation's
`invoiced`) — SPEC §5 "Year-end regularisation" as of now; and the chart's bars."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import ZERO
from eage.allocation.services import AllocationRow
from eage.dashboard.figures import CHART_ROWS, N_
from eage.dashboard.table import MEMBER_COLUMNS, Column, Table, TableRow

COLUMNS = (
    *MEMBER_COLUMNS,
    Column("total_cost", N_("Coût réel à date"), "money"),
    Column("invoiced", N_("Facturé (prestations, hors cotisations)"), "money"),
    Column("difference", N_("Régularisation (coût − facturé)"), "money"),
    Column("outcome", N_("Document"), translated=True),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegularisationRow(TableRow):
    member: str
    name: str
    total_cost: Decimal
    invoiced: Decimal
    difference: Decimal  # cost − invoiced
    outcome: str  # msgid of the document it would take


@dataclass(frozen=True, slots=True)
class MemberBar:
    label: str
    value: Decimal


def build(
    alloc_rows: Sequence[AllocationRow], names: Mapping[str, str]
) -> Table[RegularisationRow]:
    cost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoiced: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in alloc_rows:
        cost[r.member] += r.total_cost
        invoiced[r.member] += r.invoiced
    rows = [
        _row(code, names.get(code, ""), cost[code], invoiced[code])
        for code in sorted(set(cost) | set(invoiced))
    ]
    return Table("regularisation", COLUMNS, rows, [_total(rows)] if rows else [])


def _row(code: str, name: str, cost: Decimal, invoiced: Decimal) -> RegularisationRow:
    difference = cost - invoiced
    if difference > 0:
        status_code, outcome = "complement", N_("Facture complémentaire")
    elif difference < 0:
        status_code, outcome = "credit", N_("Avoir")
    else:
        status_code, outcome = "none", N_("Rien à régulariser")
    return RegularisationRow(
        member=code,
        name=name,
        total_cost=cost,
        invoiced=invoiced,
        difference=difference,
        outcome=outcome,
        status_code=status_code,
    )


def _total(rows: Sequence[RegularisationRow]) -> RegularisationRow:
    return RegularisationRow(
        member="",
        name="Total",
        total_cost=sum((r.total_cost for r in rows), ZERO),
        invoiced=sum((r.invoiced for r in rows), ZERO),
        difference=sum((r.difference for r in rows), ZERO),
        outcome="",
    )


def bars(table: Table[RegularisationRow]) -> list[MemberBar]:
    """The largest differences one by one (by member code), the others together."""
    nonzero = sorted(
        (r for r in table.rows if r.difference), key=lambda r: (-abs(r.difference), r.member)
    )
    items = [
        MemberBar(f"{r.member} — {r.name}", r.difference)
        for r in sorted(nonzero[:CHART_ROWS], key=lambda r: r.member)
    ]
    rest = nonzero[CHART_ROWS:]
    if rest:
        items.append(
            MemberBar(f"Autres adhérents ({len(rest)})", sum((r.difference for r in rest), ZERO))
        )
    return items
