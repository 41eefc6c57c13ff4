"""Member structures: list, detail, create, edit, planned hours (thin views)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from accounting.texts import N_
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.members import services
from eage.members.forms import MemberForm, planned_hours_form
from eage.models import Member

bp = Blueprint("members", __name__, url_prefix="/adherents")

STATUSES = {"actifs": N_("Actifs"), "sortis": N_("Sortis"), "tous": N_("Tous")}


def _member_or_404(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    return member


def _year_arg(default: int) -> int:
    year = request.args.get("annee", type=int)
    return year if year and 2000 <= year <= 2100 else default


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    today = date.today()
    status = request.args.get("statut", "actifs")
    if status not in STATUSES:
        status = "actifs"
    year = _year_arg(today.year)
    rows = services.member_list(status, year, today)
    return render_template(
        "members/index.html",
        rows=rows,
        status=status,
        statuses=STATUSES,
        year=year,
        regimes=services.VAT_REGIME_LABELS,
    )


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def create() -> str | Response:
    form = MemberForm()
    if form.is_submitted():
        ok = form.validate()
        data = services.normalise_identifiers(form.data_for_service())
        problems = services.check_member(data)
        attach_problems(form, problems)
        if ok and not problems:
            member = services.create_member(data)
            flash(_("Adhérent %(code)s créé.", code=member.code), "success")
            return redirect(url_for("members.detail", member_id=member.id))
    return render_template("members/form.html", form=form, member=None)


@bp.route("/<int:member_id>")
@roles_required(*BACK_OFFICE)
def detail(member_id: int) -> str:
    member = _member_or_404(member_id)
    today = date.today()
    svcs, hours_rows = services.planned_hours_table(member)
    return render_template(
        "members/detail.html",
        member=member,
        services=svcs,
        hours_rows=hours_rows,
        regimes=services.VAT_REGIME_LABELS,
        year=today.year,
        active=member.left_on is None or member.left_on >= today,
        fee=services.membership_fee(member, today.year),
    )


@bp.route("/<int:member_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def edit(member_id: int) -> str | Response:
    member = _member_or_404(member_id)
    form = MemberForm(obj=member)
    if form.is_submitted():
        ok = form.validate()
        data = services.normalise_identifiers(form.data_for_service())
        problems = services.check_member(data, member.id)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_member(member, data)
            flash(_("Adhérent %(code)s enregistré.", code=member.code), "success")
            return redirect(url_for("members.detail", member_id=member.id))
    return render_template("members/form.html", form=form, member=member)


@bp.route("/<int:member_id>/heures/<int:year>", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def planned_hours(member_id: int, year: int) -> str | Response:
    member = _member_or_404(member_id)
    if not 2000 <= year <= 2100:
        abort(404)
    svcs = services.services_for_hours()
    values = {p.service_id: p.hours for p in member.planned_hours if p.year == year}
    form = planned_hours_form(svcs, values)
    if form.validate_on_submit():
        services.set_planned_hours(member, year, {s.id: form[f"s{s.id}"].data for s in svcs})
        flash(
            _("Heures prévues %(year)s de %(member)s enregistrées.", year=year, member=member.code),
            "success",
        )
        return redirect(url_for("members.detail", member_id=member.id))
    return render_template(
        "members/hours.html",
        form=form,
        member=member,
        year=year,
        fields=[form[f"s{s.id}"] for s in svcs],
    )
