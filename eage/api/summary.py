"""GET /api/v1/members/<code>/summary?year=YYYY (issue 18): the member portal's four answers
as JSON — what the member owes, what it consumed, what the year will cost, its documents.
A member token reaches its own member only: another code answers 404, as if absent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from accounting.money import fmt2
from eage.api.blueprint import ApiError, api_roles, bp, member_scope
from eage.auth.roles import ROLES_ALL
from eage.extensions import db
from eage.models import Member
from eage.portal import services


def _hours(minutes: int) -> str:
    return fmt2(Decimal(minutes) / 60)


def _owed(owed: services.Owed) -> dict[str, Any]:
    return {
        "balance": fmt2(owed.balance),
        "overdue": fmt2(owed.overdue),
        "open_items": [
            {
                "number": line.number,
                "kind": "credit_note" if line.is_credit_note else "invoice",
                "issue_date": line.issue_date.isoformat(),
                "due_date": line.due_date.isoformat(),
                "open_amount": fmt2(line.open_amount),
                "days_overdue": line.days_overdue,
            }
            for line in owed.open_lines
        ],
        "payments": [
            {"date": p.day.isoformat(), "amount": fmt2(p.amount), "method": p.method}
            for p in owed.payments
        ],
        "iban": owed.iban,
        "reference": owed.reference,
        "next_direct_debit": None
        if owed.next_debit is None
        else {"date": owed.next_debit.day.isoformat(), "amount": fmt2(owed.next_debit.amount)},
    }


def _consumed(data: services.Consumption) -> dict[str, Any]:
    return {
        "closed_months": sorted(data.closed),
        "services": [
            {
                "service": s.code,
                "hours": _hours(s.minutes),
                "provisional_hours": _hours(s.provisional_minutes),
                "hours_by_month": [_hours(m) for m in s.minutes_by_month],
                "planned_hours": fmt2(s.planned_hours),
                "share": None if s.share is None else fmt2(s.share),
                "warning": s.warning,
            }
            for s in data.services
        ],
    }


def _cost(cost: services.YearCost) -> dict[str, Any]:
    def opt(value: Any) -> str | None:
        return None if value is None else fmt2(value)

    return {
        "invoiced_excl_tax": fmt2(cost.invoiced_excl_tax),
        "invoiced_incl_tax": fmt2(cost.invoiced_incl_tax),
        "complete": cost.complete,
        "real_cost_closed_months": opt(cost.real_cost),
        "expected_regularisation": opt(cost.expected_regularisation),
        "last_year_regularisation": opt(cost.last_year_regularisation),
    }


def summary_json(member: Member, year: int, today: date) -> dict[str, Any]:
    docs = services.year_documents(member, year)
    return {
        "member": member.code,
        "year": year,
        "owed": _owed(services.owed(member, today)),
        "consumed": _consumed(services.consumption(member, year)),
        "cost": _cost(services.year_cost(member, year)),
        "documents": {
            "invoices": [inv.number for inv in docs.invoices],
            "time_statements": [d.filename for d in docs.statements if d.kind == "statement_pdf"],
            "annual_statement": docs.annual_statement,
        },
    }


@bp.get("/members/<code>/summary")
@api_roles(*ROLES_ALL)
def member_summary(code: str) -> ResponseReturnValue:
    member = db.session.scalar(select(Member).where(Member.code == code.upper()))
    scope = member_scope()
    if member is None or (scope is not None and member.id != scope):
        raise ApiError(404, f"no member {code!r}")
    today = date.today()
    raw = request.args.get("year")
    if raw is None:
        year = services.default_year(today)
    elif raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        year = int(raw)
    else:
        raise ApiError(400, f"year must be YYYY between 2000 and 2100, got {raw!r}")
    return jsonify(summary_json(member, year, today))


# For the OpenAPI document (eage/api/openapi.py).
_AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"]}
_NAMOUNT = {"anyOf": [_AMOUNT, {"type": "null"}]}
_DATE = {"type": "string", "format": "date"}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props)}


SUMMARY_SCHEMA: dict[str, Any] = _obj(
    {
        "member": {"type": "string"},
        "year": {"type": "integer"},
        "owed": _obj(
            {
                "balance": _AMOUNT,
                "overdue": _AMOUNT,
                "open_items": {
                    "type": "array",
                    "items": _obj(
                        {
                            "number": {"type": "string"},
                            "kind": {"type": "string", "enum": ["invoice", "credit_note"]},
                            "issue_date": _DATE,
                            "due_date": _DATE,
                            "open_amount": _AMOUNT,
                            "days_overdue": {"type": "integer", "minimum": 0},
                        }
                    ),
                },
                "payments": {
                    "type": "array",
                    "items": _obj({"date": _DATE, "amount": _AMOUNT, "method": {"type": "string"}}),
                },
                "iban": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "reference": {"type": "string"},
                "next_direct_debit": {
                    "anyOf": [_obj({"date": _DATE, "amount": _AMOUNT}), {"type": "null"}]
                },
            }
        ),
        "consumed": _obj(
            {
                "closed_months": {"type": "array", "items": {"type": "integer"}},
                "services": {
                    "type": "array",
                    "items": _obj(
                        {
                            "service": {"type": "string"},
                            "hours": _AMOUNT,
                            "provisional_hours": _AMOUNT,
                            "hours_by_month": {"type": "array", "items": _AMOUNT},
                            "planned_hours": _AMOUNT,
                            "share": _NAMOUNT,
                            "warning": {"type": "boolean"},
                        }
                    ),
                },
            }
        ),
        "cost": _obj(
            {
                "invoiced_excl_tax": _AMOUNT,
                "invoiced_incl_tax": _AMOUNT,
                "complete": {"type": "boolean"},
                "real_cost_closed_months": _NAMOUNT,
                "expected_regularisation": _NAMOUNT,
                "last_year_regularisation": _NAMOUNT,
            }
        ),
        "documents": _obj(
            {
                "invoices": {"type": "array", "items": {"type": "string"}},
                "time_statements": {"type": "array", "items": {"type": "string"}},
                "annual_statement": {"type": "boolean"},
            }
        ),
    }
)

OPENAPI_PATH: dict[str, Any] = {
    "get": {
        "summary": "A member's portal figures: owed, consumed, the year's cost, documents "
        "(a member token: its own member only; expected regularisation on closed months only)",
        "parameters": [
            {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
            {
                "name": "year",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
            },
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/MemberSummary"}}
                },
            },
        },
    }
}
