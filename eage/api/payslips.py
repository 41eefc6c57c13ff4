"""GET /api/v1/payslips?month=YYYY-MM (SPEC §7): back-office tokens only — payslips are
never shown to members."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from eage.api.blueprint import MONTH_PATTERN, ApiError, api_roles, bp
from eage.auth.roles import BACK_OFFICE
from eage.core.services import parse_month
from eage.payslips import services


@bp.get("/payslips")
@api_roles(*BACK_OFFICE)
def list_payslips() -> ResponseReturnValue:
    """Issued payslips of a month: employee code, totals (two-decimal strings), lines."""
    raw = request.args.get("month")
    month = parse_month(raw)
    if month is None:
        raise ApiError(
            400,
            "month is required as YYYY-MM" if not raw else f"month must be YYYY-MM, got {raw!r}",
        )
    return jsonify([services.api_dict(row) for row in services.month_payslips(month)])


# For the OpenAPI document (eage/api/openapi.py): schema and path of this endpoint.
_AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"]}
_NSTR = {"anyOf": [{"type": "string"}, {"type": "null"}]}
PAYSLIP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "employee": {"type": "string"},
        "number": {"type": "string"},
        "month": {"type": "string", "pattern": MONTH_PATTERN},
        **{name: _AMOUNT for name in services.API_TOTALS},
        "employer_contributions": {
            **_AMOUNT,
            "description": "Employer contributions after reductions (RGDU…), as on the "
            "payslip's total line and in URSSAF's computation.",
        },
        "employer_contributions_before_reductions": {
            **_AMOUNT,
            "description": "Employer contributions before reductions.",
        },
        "reductions": {
            **_AMOUNT,
            "description": "Employer reductions: the RGDU and the overtime deduction.",
        },
        "rgdu": _AMOUNT,
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "heading": {"type": "string"},
                    "label": {"type": "string"},
                    "base": _NSTR,
                    "employee_rate": _NSTR,
                    "employee_amount": _AMOUNT,
                    "employer_rate": _NSTR,
                    "employer_amount": _AMOUNT,
                },
            },
        },
    },
    "required": ["employee", "number", "month", *services.API_TOTALS, "lines"],
}
OPENAPI_PATH: dict[str, Any] = {
    "get": {
        "summary": "Issued payslips of a month (back-office tokens)",
        "parameters": [
            {
                "name": "month",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "pattern": MONTH_PATTERN},
            }
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Payslip"},
                        }
                    }
                },
            },
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
        },
    }
}
