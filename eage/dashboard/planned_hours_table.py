"""Table « Heures prévues par convention et heures consommées »: each member's planned hours
(its convention, per service) against the billable hours the allocation counted over the
reporting months, with the alerts the page raises."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from accounting.money import ZERO, D
from eage.allocation.services import AllocationRow
from eage.dashboard.figures import N_, hours, ratio, run_rate
from eage.dashboard.table import MEMBER_COLUMNS, Column, Table, TableRow
from eage.extensions import db
from eage.models import Member, PlannedHours, Service

# Planned hours: alert once consumption is past this share of the convention.
PLANNED_ALERT = Decimal("0.90")
ALERT_STATUSES = ("alert", "exceeded", "unplanned")

COLUMNS = (
    *MEMBER_COLUMNS,
    Column("service", N_("Service")),
    Column("service_label", N_("Libellé du service")),
    Column("planned", N_("Heures prévues (convention)"), "hours"),
    Column("consumed", N_("Heures consommées"), "hours"),
    Column("share", N_("Consommé"), "percent"),
    Column("remaining", N_("Reste"), "hours"),
    Column("projection", N_("Projection fin d'année"), "hours"),
    Column("status", N_("Situation"), translated=True),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedHoursRow(TableRow):
    member: str
    name: str
    service: str
    service_label: str
    planned: Decimal
    consumed: Decimal
    share: Decimal | None
    projection: Decimal  # at this pace, by December
    remaining: Decimal
    status: str  # msgid


def build(
    year: int,
    through: int,
    alloc_rows: Sequence[AllocationRow],
    names: Mapping[str, str],
    labels: Mapping[str, str],
) -> Table[PlannedHoursRow]:
    planned = _planned_hours(year)
    consumed = _consumed_minutes(alloc_rows)
    rows = []
    for member, service in sorted(set(planned) | set(consumed)):
        plan = planned.get((member, service), ZERO)
        used = hours(consumed.get((member, service), 0))
        if not plan and not used:
            continue
        share = ratio(used, plan)
        projection = run_rate(used, through) if through else used
        status_code, status = _status(plan, used, share, projection)
        rows.append(
            PlannedHoursRow(
                member=member,
                name=names.get(member, ""),
                service=service,
                service_label=labels.get(service, service),
                planned=plan,
                consumed=used,
                share=share,
                projection=projection,
                remaining=plan - used,
                status=status,
                status_code=status_code,
            )
        )
    return Table("heures_prevues", COLUMNS, rows, [_total(rows)] if rows else [])


def alerts(table: Table[PlannedHoursRow]) -> list[PlannedHoursRow]:
    return [r for r in table.rows if r.status_code in ALERT_STATUSES]


def _planned_hours(year: int) -> dict[tuple[str, str], Decimal]:
    """The year's conventions: planned hours per (member code, service code)."""
    return {
        (m, s): D(h)
        for m, s, h in db.session.execute(
            select(Member.code, Service.code, PlannedHours.hours)
            .join(Member, PlannedHours.member_id == Member.id)
            .join(Service, PlannedHours.service_id == Service.id)
            .where(PlannedHours.year == year)
        )
    }


def _consumed_minutes(alloc_rows: Sequence[AllocationRow]) -> dict[tuple[str, str], int]:
    consumed: dict[tuple[str, str], int] = defaultdict(int)
    for r in alloc_rows:
        if r.minutes:
            consumed[(r.member, r.service)] += r.minutes
    return consumed


def _status(
    plan: Decimal, used: Decimal, share: Decimal | None, projection: Decimal
) -> tuple[str, str]:
    """(code, French label) of a convention."""
    if not plan:
        return "unplanned", N_("▲ Hors convention")
    if used > plan:
        return "exceeded", N_("▲ Convention dépassée")
    if share is not None and share > PLANNED_ALERT:
        return "alert", N_("⚠ Plus de 90 % consommés")
    if projection > plan:
        return "trend", N_("↗ Dépassement au rythme actuel")
    return "ok", N_("✓ Dans la convention")


def _total(rows: Sequence[PlannedHoursRow]) -> PlannedHoursRow:
    plan_total = sum((r.planned for r in rows), ZERO)
    used_total = sum((r.consumed for r in rows), ZERO)
    return PlannedHoursRow(
        member="",
        name=N_("Total"),
        service="",
        service_label="",
        planned=plan_total,
        consumed=used_total,
        share=ratio(used_total, plan_total),
        projection=sum((r.projection for r in rows), ZERO),
        remaining=plan_total - used_total,
        status="",
    )
