"""Timesheet endpoints: GET timesheets?month=, POST timesheets (SPEC §7)."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from eage.api.blueprint import ApiError, api_roles, bp, member_scope
from eage.core.services import parse_month
from eage.timesheets import services
from eage.timesheets.validation import RawEntry

FIELDS = ("date", "employee", "member", "service", "hours", "note", "exception")


@bp.get("/timesheets")
@api_roles("accountant", "manager", "member", "admin")
def list_timesheets() -> ResponseReturnValue:
    """Entries of a month; a member token sees only its member's entries."""
    raw = request.args.get("month")
    month = parse_month(raw)
    if month is None:
        raise ApiError(
            400,
            "month is required as YYYY-MM" if not raw else f"month must be YYYY-MM, got {raw!r}",
        )
    return jsonify(services.month_entries(month, member_id=member_scope()))


@bp.post("/timesheets")
@api_roles("accountant")
def create_timesheets() -> ResponseReturnValue:
    """A JSON list of entries, same fields and rules as the file import; all or nothing."""
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        raise ApiError(
            400,
            "body must be a JSON array of entries "
            "{date, employee, member, service, hours, note, exception}",
        )
    if not body:
        raise ApiError(400, "empty list: nothing to import")
    raws: list[RawEntry] = []
    shape_errors: list[dict[str, Any]] = []
    for i, item in enumerate(body):
        if not isinstance(item, dict):
            shape_errors.append(
                {"index": i, "field": None, "message": "entry must be a JSON object"}
            )
            continue
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            shape_errors.append(
                {
                    "index": i,
                    "field": unknown[0],
                    "message": f"unknown field(s): {', '.join(unknown)}",
                }
            )
        raws.append(
            RawEntry(
                i,
                item.get("date"),
                item.get("employee"),
                item.get("member"),
                item.get("service"),
                item.get("hours"),
                item.get("note"),
                item.get("exception"),
            )
        )
    allow = request.args.get("allow_duplicates") in {"1", "true"}
    result = services.import_entries(
        raws,
        source=f"API ({len(body)} entrées)",
        dry_run=bool(shape_errors),
        channel="api",
        user_id=int(g.api_user.id),
        policy=services.ALLOW_DUPLICATES if allow else services.REFUSE_DUPLICATES,
    )
    errors = shape_errors + [
        {"index": p.row, "field": p.field, "message": p.message} for p in result.problems
    ]
    if not errors and result.blocked:
        raise ApiError(
            409,
            f"{len(result.duplicates)} entr(y/ies) identical to recorded entries (same date,"
            " employee, member, service, hours): nothing imported; repeat with"
            " ?allow_duplicates=1 to import them anyway",
            errors=[
                {"index": d.key, "field": None, "message": "identical to a recorded entry"}
                for d in result.duplicates
            ],
        )
    if errors:
        errors.sort(key=lambda e: e["index"])
        raise ApiError(
            422,
            f"{len({e['index'] for e in errors})} invalid entr(y/ies) out of "
            f"{len(body)}: nothing imported",
            errors=errors,
        )
    assert result.summary is not None
    return jsonify({"imported": result.summary.count}), 201
