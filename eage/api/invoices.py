"""Invoices and credit notes (SPEC §7): GET invoices?month=|year=, GET invoices/<number>
and its documents (.pdf Factur-X, .docx, .xml). A member token sees only its own."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import jsonify, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from accounting.invoicing import hours_from_minutes
from accounting.money import fmt2
from eage.api.blueprint import ApiError, api_roles, bp, member_scope
from eage.auth.roles import ROLES_ALL
from eage.core.services import month_bounds, parse_month
from eage.extensions import db
from eage.invoicing import services
from eage.models import Invoice
from eage.storage import read

DOC_KINDS = {"pdf": "invoice_pdf", "docx": "invoice_docx", "xml": "invoice_xml"}


def invoice_json(inv: Invoice) -> dict[str, Any]:
    return {
        "number": inv.number,
        "kind": inv.kind,
        "member": inv.member.code,
        "issue_date": inv.issue_date.isoformat(),
        "period": f"{inv.period_start.isoformat()}/{inv.period_end.isoformat()}",
        "total_excl_tax": fmt2(inv.total_excl_tax),
        "vat": fmt2(inv.vat),
        "total_incl_tax": fmt2(inv.total_incl_tax),
        "status": services.display_status(inv),
        "lines": [
            {
                "kind": line.kind,
                "service": line.service.code if line.service else None,
                "hours": fmt2(hours_from_minutes(line.minutes))
                if line.minutes is not None
                else None,
                "rate": fmt2(line.rate) if line.rate is not None else None,
                "amount": fmt2(line.amount),
            }
            for line in inv.lines
        ],
    }


def _scoped(query: Select[Invoice]) -> Select[Invoice]:
    scope = member_scope()
    return query if scope is None else query.where(Invoice.member_id == scope)


@bp.get("/invoices")
@api_roles(*ROLES_ALL)
def invoices() -> ResponseReturnValue:
    query = select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.member))
    month_arg, year_arg = request.args.get("month"), request.args.get("year")
    if month_arg is not None:
        month = parse_month(month_arg)
        if month is None:
            raise ApiError(400, f"month must be YYYY-MM, got {month_arg!r}")
        start, end = month_bounds(month)
        query = query.where(Invoice.period_start >= start, Invoice.period_start < end)
    elif year_arg is not None:
        if not re.fullmatch(r"\d{4}", year_arg):
            raise ApiError(400, f"year must be YYYY, got {year_arg!r}")
        query = query.where(Invoice.year == int(year_arg))
    else:
        raise ApiError(400, "give month=YYYY-MM or year=YYYY")
    rows = db.session.scalars(
        _scoped(query).order_by(Invoice.kind.desc(), Invoice.year, Invoice.seq)
    )
    return jsonify([invoice_json(inv) for inv in rows])


@bp.get("/invoices/<path:ref>")
@api_roles(*ROLES_ALL)
def invoice(ref: str) -> ResponseReturnValue:
    number, _dot, ext = ref.partition(".")
    if ext and ext not in DOC_KINDS:
        raise ApiError(404, f"unknown document format .{ext} (pdf, docx, xml)")
    inv = db.session.scalar(_scoped(select(Invoice).where(Invoice.number == number)))
    if inv is None:
        raise ApiError(404, f"no invoice or credit note {number}")
    if not ext:
        return jsonify(invoice_json(inv))
    doc = inv.document(DOC_KINDS[ext])
    if doc is None:
        raise ApiError(404, f"{number} has no .{ext} document")
    return send_file(
        io.BytesIO(read(doc)), mimetype=doc.media_type, download_name=doc.filename, etag=doc.sha256
    )
