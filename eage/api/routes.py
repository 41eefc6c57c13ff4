"""Read endpoints: members, employees, services (SPEC §7). Amounts are 2-decimal strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting.money import fmt2
from eage.api.blueprint import ApiError, api_roles, bp, member_scope
from eage.auth.roles import ROLES_ALL
from eage.extensions import db
from eage.models import Employee, Member, Service, ServiceRate


def member_json(m: Member) -> dict[str, Any]:
    return {
        "code": m.code,
        "name": m.name,
        "legal_form": m.legal_form,
        "siren": m.siren,
        "siret": m.siret,
        "vat_number": m.vat_number,
        "vat_regime": m.vat_regime,
        "email": m.email,
        "address": m.full_address,
    }


@bp.get("/members")
@api_roles(*ROLES_ALL)
def members() -> ResponseReturnValue:
    query = select(Member).order_by(Member.code)
    scope = member_scope()
    if scope is not None:
        query = query.where(Member.id == scope)
    return jsonify([member_json(m) for m in db.session.scalars(query)])


@bp.get("/employees")
@api_roles("accountant", "manager", "admin")
def employees() -> ResponseReturnValue:
    today = date.today()
    rows = db.session.scalars(
        select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.code)
    )
    out = []
    for e in rows:
        c = e.current_contract(today)
        out.append(
            {
                "code": e.code,
                "name": e.name,
                "job": e.job,
                "weekly_hours": fmt2(c.weekly_hours) if c else None,
                "fte": fmt2(c.fte) if c else None,
                "monthly_gross": fmt2(c.monthly_gross) if c else None,
            }
        )
    return jsonify(out)


@bp.get("/services")
@api_roles(*ROLES_ALL)
def services() -> ResponseReturnValue:
    year_arg = request.args.get("year")
    query = (
        select(Service.code, Service.label, ServiceRate.year, ServiceRate.rate)
        .join(ServiceRate, ServiceRate.service_id == Service.id)
        .order_by(ServiceRate.year, Service.code)
    )
    if year_arg is not None:
        if not year_arg.isdigit() or len(year_arg) != 4:
            raise ApiError(400, f"year must be YYYY, got {year_arg!r}")
        query = query.where(ServiceRate.year == int(year_arg))
    return jsonify(
        [
            {"code": code, "label": label, "year": year, "rate": fmt2(rate)}
            for code, label, year, rate in db.session.execute(query)
        ]
    )
