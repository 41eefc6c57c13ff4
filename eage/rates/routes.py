"""Hourly rate calculator (SPEC §5) and the conventions de mise à disposition (SPEC §6).

GET  /taux/?annee=YYYY[&brut_<EMP>=…&heures_<SVC>=…&frais=…]   back office
POST /taux/adopter?annee=YYYY[&hypotheses…]                     accountant, manager
GET  /taux/convention/<code>/<year>.docx                          back office
GET  /portail/convention/<year>.docx                              member user (its own)
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from accounting.problems import ProblemsError
from eage.auth.roles import BACK_OFFICE, BUDGETING, PORTAL, roles_required
from eage.filters import number2
from eage.forms_fr import attach_problems
from eage.models import Member
from eage.rates import services
from eage.rates.forms import adopt_form, whatif_form, whatif_from
from eage.storage import MEDIA_TYPES

bp = Blueprint("rates", __name__)

WHATIF_PREFIXES = ("brut_", "heures_", "frais")


def _year_arg() -> int:
    year = request.args.get("annee", type=int)
    if year is None:
        return date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _whatif_args() -> dict[str, Any]:
    """The hypotheses of the query string, to carry them from the page to the adoption."""
    return {k: v for k, v in request.args.items() if k.startswith(WHATIF_PREFIXES) and v.strip()}


def _study(year: int) -> tuple[services.RateStudy, FlaskForm]:
    base = services.study(year)
    form = whatif_form(base, request.args)
    if not _whatif_args():
        return base, form
    if not form.validate():
        return base, form
    whatif = whatif_from(form, base)
    if whatif.is_empty:
        return base, form
    study = services.study(year, whatif)
    attach_problems(form, [p for p in study.problems if p.field])
    return study, form


def _adoptable(study: services.RateStudy) -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in study.services if s.proposed is not None]


def _render(
    year: int, study: services.RateStudy, whatif: FlaskForm, adopt: FlaskForm | None
) -> str:
    return render_template(
        "rates/index.html",
        year=year,
        study=study,
        whatif=whatif,
        adopt=adopt,
        whatif_args=_whatif_args(),
        members=services.convention_members(year),
    )


@bp.route("/taux/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    year = _year_arg()
    study, whatif = _study(year)
    adopt = None
    if study.proposal is not None:
        adopt = adopt_form(
            _adoptable(study),
            ask_confirmation=bool(study.invoiced_months),
            data={f"taux_{code}": rate for code, rate in study.rates.items()},
        )
    return _render(year, study, whatif, adopt)


@bp.route("/taux/adopter", methods=["POST"])
@roles_required(*BUDGETING)
def adopt() -> str | Response:
    year = _year_arg()
    study, whatif = _study(year)
    if study.proposal is None or whatif.errors:
        flash(
            _("Le calcul des taux n'aboutit pas avec ces données : rien n'a été adopté."), "error"
        )
        return _render(year, study, whatif, None)
    adoptable = _adoptable(study)
    form = adopt_form(adoptable, ask_confirmation=bool(study.invoiced_months))
    ok = form.validate()
    rates = {code: form[f"taux_{code}"].data for code, _ in adoptable}
    confirmed = bool(form["confirm"].data) if "confirm" in form else False
    problems = services.check_adoption(
        year, rates, confirmed=confirmed, invoiced_months=study.invoiced_months
    )
    attach_problems(form, problems)
    if not ok or problems:
        return _render(year, study, whatif, form)
    try:
        changes = services.adopt(
            year, rates, proposal=study.rates, whatif=study.whatif, confirmed=confirmed
        )
    except ProblemsError as exc:  # a concurrent close invoiced the year meanwhile
        attach_problems(form, exc.problems)
        return _render(year, study, whatif, form)
    if changes:
        flash(
            _(
                "Taux %(year)s adoptés : %(rates)s. Ils s'appliquent aux factures à venir ; "
                "la régularisation de fin d'année ajuste au coût réel.",
                year=year,
                rates=", ".join(f"{c.code} {number2(c.after)} €/h" for c in changes),
            ),
            "success",
        )
    else:
        flash(_("Les taux %(year)s étaient déjà ceux-là : rien n'a changé.", year=year), "info")
    return redirect(url_for("rates.index", annee=year, **_whatif_args()))


def _docx(member: Member, year: int) -> Response:
    data = services.convention_bytes(member, year)
    return send_file(
        io.BytesIO(data),
        mimetype=MEDIA_TYPES[".docx"],
        as_attachment=True,
        download_name=f"convention-{member.code}-{year}.docx",
    )


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        abort(404)


@bp.route("/taux/convention/<code>/<int:year>.docx")
@roles_required(*BACK_OFFICE)
def convention(code: str, year: int) -> Response:
    _check_year(year)
    member = services.member_by_code(code)
    if member is None or not services.is_member_during(member, year):
        abort(404)
    return _docx(member, year)


@bp.route("/portail/convention/<int:year>.docx")
@roles_required(*PORTAL)
def portal_convention(year: int) -> Response:
    """A member user's own convention: the member comes from the account, never the URL."""
    _check_year(year)
    member: Any = current_user.member
    if member is None:
        abort(403)
    if not services.is_member_during(member, year):
        abort(404)
    return _docx(member, year)
