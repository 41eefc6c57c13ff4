"""Table « Heures travaillées par service »: hours worked per service, billable (for the
members) and internal, and each service's share of the billable hours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from eage.dashboard.capacity import Capacity, ServiceMinutes
from eage.dashboard.figures import N_, hours, ratio
from eage.dashboard.table import Column, Table, TableRow

COLUMNS = (
    Column("service", N_("Service")),
    Column("label", N_("Libellé")),
    Column("worked", N_("Travaillé"), "hours"),
    Column("billable", N_("dont facturable"), "hours"),
    Column("internal", N_("dont interne"), "hours"),
    Column("share", N_("Part des heures facturables"), "percent"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceHoursRow(TableRow):
    service: str
    label: str
    worked: Decimal
    billable: Decimal
    internal: Decimal
    share: Decimal | None  # of all billable hours


def build(capacity: Capacity, labels: Mapping[str, str]) -> Table[ServiceHoursRow]:
    by_service = capacity.by_service
    all_billable = sum(v.billable for v in by_service.values())
    rows = [
        _row(s, labels.get(s, s), v, all_billable)
        for s, v in sorted(by_service.items(), key=lambda item: item[0])
    ]
    every_service = ServiceMinutes(sum(v.worked for v in by_service.values()), all_billable)
    totals = [_row("", N_("Total"), every_service, all_billable)] if rows else []
    return Table("capacite_services", COLUMNS, rows, totals)


def _row(service: str, label: str, minutes: ServiceMinutes, all_billable: int) -> ServiceHoursRow:
    return ServiceHoursRow(
        service=service,
        label=label,
        worked=hours(minutes.worked),
        billable=hours(minutes.billable),
        internal=hours(minutes.worked - minutes.billable),
        share=ratio(minutes.billable, all_billable),
    )
