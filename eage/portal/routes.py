"""The member portal's pages (issue 18). The member is always the signed-in user's own
(never taken from the URL); another member's rows are out of every query."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accounting.months import Month
from eage.auth.forms import NewPasswordForm
from eage.auth.roles import PORTAL, public, roles_required
from eage.core import services as core_services
from eage.models import Member, User
from eage.portal import charts, documents, people, services
from eage.portal.forms import InviteForm
from eage.regularisation import months as year_months_service

bp = Blueprint("portal", __name__)


def _member() -> Member:
    member = current_user.member
    if member is None:
        abort(403)
    return member  # type: ignore[no-any-return]


def _year(today: date) -> int:
    raw = request.args.get("annee", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return services.default_year(today)


def home_page(member: Member) -> str:
    """The portal's first screen: the four answers (owe, consumed, year cost, documents),
    then the hours and invoice of a month (issue 14: the last closed one by default)."""
    today = date.today()
    year = _year(today)
    last_closed = year_months_service.last_closed_month()
    month = Month.parse_or_none(request.args.get("mois")) or last_closed or Month.of(today)
    years = [y for y in (month.year - 1, month.year) if year_months_service.year_months(y).counted]
    consumption = services.consumption(member, year)
    return render_template(
        "portal/home.html",
        member=member,
        year=year,
        owed=services.owed(member, today),
        consumption=consumption,
        chart=charts.consumption_chart(consumption),
        legend=charts.legend(consumption),
        cost=services.year_cost(member, year),
        docs=services.year_documents(member, year),
        years=services.document_years(member.id, today),
        month=month.start,
        closed=year_months_service.is_closed(month),
        last_closed=last_closed,
        summary=core_services.member_month_summary(member.id, month),
        invoices=core_services.member_month_invoices(member.id, month),
        statement_years=[(y, year_months_service.year_months(y)) for y in years],
        is_member_admin=bool(current_user.member_admin),
    )


@bp.route("/portail/documents")
@roles_required(*PORTAL)
def documents_page() -> str:
    member = _member()
    today = date.today()
    year = _year(today)
    return render_template(
        "portal/documents.html",
        member=member,
        year=year,
        years=services.document_years(member.id, today),
        docs=services.year_documents(member, year),
    )


@bp.route("/portail/documents/<int:year>.zip")
@roles_required(*PORTAL)
def year_zip(year: int) -> Response:
    member = _member()
    if not 2000 <= year <= 2100:
        abort(404)
    data = documents.year_zip(member, services.year_documents(member, year), date.today())
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"documents-{year}-{member.code}.zip",
    )


@bp.route("/portail/releve-de-compte.pdf")
@roles_required(*PORTAL)
def account_statement() -> Response:
    member = _member()
    today = date.today()
    return send_file(
        io.BytesIO(documents.account_statement_pdf(member, today)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"releve-de-compte-{member.code}-{today.isoformat()}.pdf",
    )


def _admin() -> User:
    """The signed-in member admin; others may not manage the member's people (403)."""
    _member()
    if not current_user.member_admin:
        abort(403)
    return current_user  # type: ignore[no-any-return]


@bp.route("/portail/utilisateurs", methods=["GET", "POST"])
@roles_required(*PORTAL)
def users() -> str | Response:
    admin = _admin()
    form = InviteForm()
    if form.validate_on_submit():
        problems = people.invite(admin, form.email.data or "", form.name.data or "")
        if not problems:
            flash(_("Invitation envoyée à %(email)s.", email=form.email.data), "success")
            return redirect(url_for("portal.users"))
        form.email.errors = list(form.email.errors) + problems
    return render_template(
        "portal/users.html",
        member=admin.member,
        users=people.member_users(admin.member_id or 0),
        form=form,
        me=admin,
    )


@bp.route("/portail/utilisateurs/<int:user_id>/retirer", methods=["POST"])
@roles_required(*PORTAL)
def remove_user(user_id: int) -> Response:
    admin = _admin()
    user = people.removable(admin, user_id)
    if user is None:
        abort(404)
    problems = people.remove(admin, user)
    for problem in problems:
        flash(problem, "danger")
    if not problems:
        flash(_("Accès retiré à %(email)s.", email=user.email), "success")
    return redirect(url_for("portal.users"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> str | Response:
    user = people.user_for_invitation(token)
    if user is None:
        flash(_("Ce lien d'invitation n'est plus valable : demandez-en un nouveau."), "danger")
        return redirect(url_for("auth.login"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        problems = people.accept(user, form.password.data or "", form.password_confirm.data or "")
        if not problems:
            flash(_("Compte activé : connectez-vous."), "success")
            return redirect(url_for("auth.login"))
        form.password.errors = list(form.password.errors) + problems
    return render_template("portal/accept.html", form=form, user=user)
