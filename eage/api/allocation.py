"""GET /api/v1/allocation?from=YYYY-MM&to=YYYY-MM (SPEC §7): the cost allocation of a period
per member and service. Back-office tokens see every member; a member token sees only its
own rows (the allocation itself is always computed for the whole group)."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from accounting.allocation import AllocationError
from accounting.money import fmt2
from eage.allocation import services
from eage.api.blueprint import MONTH_PATTERN, ApiError, api_roles, bp, member_scope
from eage.auth.roles import MEMBER, ROLES_ALL
from eage.core.services import parse_month
from eage.extensions import db
from eage.models import Member


def row_json(row: services.AllocationRow) -> dict[str, Any]:
    return {
        "member": row.member,
        "service": row.service,
        "hours": fmt2(row.hours),
        "direct_cost": fmt2(row.direct_cost),
        "structure_cost": fmt2(row.structure_cost),
        "total_cost": fmt2(row.total_cost),
        "invoiced": fmt2(row.invoiced),
    }


def _month_arg(name: str) -> str:
    raw = request.args.get(name)
    if not raw:
        raise ApiError(400, f"{name} is required as YYYY-MM")
    if parse_month(raw) is None:
        raise ApiError(400, f"{name} must be YYYY-MM, got {raw!r}")
    return raw.strip()


@bp.get("/allocation")
@api_roles(*ROLES_ALL)
def allocation() -> ResponseReturnValue:
    """Per member and service: hours, direct_cost, structure_cost, total_cost, invoiced."""
    first, last = _month_arg("from"), _month_arg("to")
    member_code: str | None = None
    if g.api_user.role == MEMBER:
        scope = member_scope()
        member = db.session.get(Member, scope) if scope is not None else None
        if member is None:  # a member user attached to no member sees nothing
            return jsonify([])
        member_code = member.code
    try:
        rows = services.allocation(first, last, member=member_code)
    except services.PeriodError as exc:
        raise ApiError(400, str(exc)) from exc
    except AllocationError as exc:  # pragma: no cover - inconsistent stored data
        raise ApiError(409, f"allocation impossible: {exc}") from exc
    return jsonify([row_json(r) for r in rows])


# For the OpenAPI document (eage/api/openapi.py): schema and path of this endpoint.
_AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"]}
_MONTH = {"type": "string", "pattern": MONTH_PATTERN, "examples": ["2026-01"]}
ALLOCATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "member": {"type": "string"},
        "service": {"type": "string"},
        "hours": _AMOUNT,
        "direct_cost": _AMOUNT,
        "structure_cost": _AMOUNT,
        "total_cost": _AMOUNT,
        "invoiced": _AMOUNT,
    },
    "required": [
        "member",
        "service",
        "hours",
        "direct_cost",
        "structure_cost",
        "total_cost",
        "invoiced",
    ],
}
OPENAPI_PATH: dict[str, Any] = {
    "get": {
        "summary": "Cost allocation of a period per member and service (SPEC §5); a member token "
        "sees only its own rows",
        "parameters": [
            {"name": "from", "in": "query", "required": True, "schema": _MONTH},
            {"name": "to", "in": "query", "required": True, "schema": _MONTH},
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Allocation"},
                        }
                    }
                },
            },
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
        },
    }
}
