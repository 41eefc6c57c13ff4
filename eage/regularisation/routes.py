"""Year-end regularisation page: the preview per member, then the action (accountant)."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounting.documents.annual import (
    render_annual_statement_docx,
    render_annual_statement_pdf,
)
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.models import Member
from eage.params import query_year
from eage.regularisation import services, statements
from eage.regularisation.months import year_months

bp = Blueprint("regularisation", __name__)


@bp.route("/regularisation/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    year = query_year(date.today().year - (date.today().month < 12))
    months = year_months(year)
    # A partial year: the closed months only; the open months' time beside, provisional.
    rows = services.differences(year, None if months.complete else months.counted)
    return render_template(
        "regularisation/index.html",
        year=year,
        rows=rows,
        months=months,
        open_months=services.open_months(year),
        provisional=services.provisional_minutes(year, months.uncounted),
        **services.difference_totals(rows),
    )


@bp.route("/regularisation/", methods=["POST"])
@roles_required(*OPERATIONS)
def run() -> Response:
    year = request.form.get("year", type=int)
    if year is None:
        flash(_("Exercice invalide."), "danger")
        return redirect(url_for("regularisation.index"))
    try:
        result = services.regularise(year, user_id=current_user.id)
    except services.RegularisationRefused as exc:
        for error in exc.errors:
            flash(error, "danger")
    else:
        if result.changed:
            flash(
                _(
                    "Exercice %(year)s régularisé : %(invoices)s facture(s) complémentaire(s), "
                    "%(notes)s avoir(s).",
                    year=year,
                    invoices=len(result.invoices),
                    notes=len(result.credit_notes),
                ),
                "success",
            )
        else:
            flash(
                _("L'exercice %(year)s est déjà régularisé : rien n'a changé.", year=year), "info"
            )
    return redirect(url_for("regularisation.index", annee=year))


def _statement_file(member_code: str, year: int, fmt: str) -> Response:
    member = db.session.scalar(select(Member).where(Member.code == member_code.upper()))
    if member is None or fmt not in ("pdf", "docx") or not 2000 <= year <= 2100:
        abort(404)
    stmt = statements.annual_statement(member, year)
    if stmt is None:  # no month of the year closed: nothing to state
        abort(404)
    if fmt == "pdf":
        data, mime = render_annual_statement_pdf(stmt), "application/pdf"
    else:
        data = render_annual_statement_docx(stmt)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return send_file(
        io.BytesIO(data),
        mimetype=mime,
        as_attachment=True,
        download_name=f"bilan{'' if stmt.complete else '-provisoire'}-{year}-{member.code}.{fmt}",
    )


@bp.route("/regularisation/bilan/<member_code>/<int:year>.<fmt>")
@roles_required(*BACK_OFFICE)
def annual_statement(member_code: str, year: int, fmt: str) -> Response:
    return _statement_file(member_code, year, fmt)


@bp.route("/portail/bilan/<int:year>.<fmt>")
@roles_required("member")
def portal_annual_statement(year: int, fmt: str) -> Response:
    return _statement_file(current_user.member.code, year, fmt)
