"""Services the group provides and their hourly rate per fiscal year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from accounting.problems import Problem, ProblemsError
from eage import audit
from eage.extensions import db
from eage.filters import tr
from eage.models import FiscalYear, Invoice, Service, ServiceRate

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
# Codes the time entry reserves for internal time and absences (SPEC §5).
RESERVED_CODES = {"INTERNE", "CP", "MALADIE", "SANS_SOLDE", "FORMATION"}


def normalise_service(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if out.get("code"):
        out["code"] = out["code"].strip().upper()
    return out


def check_service(data: dict[str, Any], service_id: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    code = data.get("code")
    if code:
        if not CODE_PATTERN.match(code):
            problems.append(
                Problem(
                    "code",
                    tr("Code invalide : 2 à 20 lettres majuscules, chiffres, « - » ou « _ »."),
                )
            )
        elif code in RESERVED_CODES:
            problems.append(
                Problem(
                    "code",
                    tr(
                        "Le code « %(code)s » est réservé au temps interne et aux absences.",
                        code=code,
                    ),
                )
            )
        else:
            clash = db.session.scalar(select(Service.id).where(func.upper(Service.code) == code))
            if clash is not None and clash != service_id:
                problems.append(
                    Problem(
                        "code",
                        tr(
                            "Le code « %(code)s » est déjà utilisé par un autre service.", code=code
                        ),
                    )
                )
    return problems


def create_service(data: dict[str, Any]) -> Service:
    service = Service(code=data["code"], label=data["label"])
    db.session.add(service)
    db.session.flush()
    audit.record(
        "create", "service", service.id, after=audit.snapshot(service), summary=service.code
    )
    db.session.commit()
    return service


def update_service(service: Service, data: dict[str, Any]) -> Service:
    before = audit.snapshot(service)
    service.code, service.label = data["code"], data["label"]
    db.session.flush()
    after = audit.snapshot(service)
    if before != after:
        audit.record(
            "update", "service", service.id, before=before, after=after, summary=service.code
        )
    db.session.commit()
    return service


def rate_for(service: Service, year: int) -> ServiceRate | None:
    return next((r for r in service.rates if r.year == year), None)


def invoiced_months(year: int) -> list[str]:
    """The months of `year` already invoiced (monthly invoices issued at the current rates)."""
    months = db.session.scalars(
        select(Invoice.month)
        .where(Invoice.month.startswith(f"{year}-"), Invoice.kind == "invoice")
        .distinct()
        .order_by(Invoice.month)
    )
    return [m for m in months if m]


def rate_change_problems(year: int, *, confirmed: bool, invoiced: list[str]) -> list[Problem]:
    """The one rule for changing a year's rates, on the service page as on the rate adoption:
    once invoices of the year are issued at the current rates, a change applies only to the
    invoices to come (the year-end regularisation adjusts to the real cost) and is made only
    with an explicit confirmation (the `confirm` field of both forms)."""
    if not invoiced or confirmed:
        return []
    return [
        Problem(
            "confirm",
            tr(
                "Des factures de %(year)s sont déjà émises (%(items)s) : cochez la case pour "
                "confirmer que les nouveaux taux ne s'appliquent qu'aux factures à venir.",
                year=year,
                items=", ".join(invoiced),
            ),
        )
    ]


def set_rate(service: Service, year: int, rate: Decimal, *, confirmed: bool = False) -> ServiceRate:
    """Create or change one rate, audited. Refused (ProblemsError, nothing written) when the
    year is already invoiced and the change is not confirmed (rate_change_problems)."""
    row = rate_for(service, year)
    if row is None or row.rate != rate:
        invoiced = invoiced_months(year)
        problems = rate_change_problems(year, confirmed=confirmed, invoiced=invoiced)
        if problems:
            raise ProblemsError(problems)
    if row is None:
        row = ServiceRate(year=year, rate=rate)
        service.rates.append(row)
        db.session.flush()
        audit.record(
            "create",
            "service_rate",
            row.id,
            after=audit.snapshot(row),
            summary=f"{service.code} {year}",
        )
    else:
        before = audit.snapshot(row)
        row.rate = rate
        db.session.flush()
        after = audit.snapshot(row)
        if before != after:
            audit.record(
                "update",
                "service_rate",
                row.id,
                before=before,
                after=after,
                summary=f"{service.code} {year}",
            )
    db.session.commit()
    return row


@dataclass(frozen=True)
class RateTable:
    years: list[int]
    services: list[Service]
    rates: dict[tuple[int, int], Decimal]  # (service id, year) → rate


def rate_table(extra_year: int | None = None) -> RateTable:
    """Every service × every year that has a rate or a fiscal year (plus `extra_year`)."""
    services = list(db.session.scalars(select(Service).order_by(Service.code)))
    rates = {(r.service_id, r.year): r.rate for r in db.session.scalars(select(ServiceRate))}
    years = {y for _, y in rates} | set(db.session.scalars(select(FiscalYear.year)))
    if extra_year:
        years.add(extra_year)
    return RateTable(sorted(years), services, rates)
