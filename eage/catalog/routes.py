"""Services and their hourly rates per fiscal year."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from accounting.problems import ProblemsError
from eage.auth.roles import BACK_OFFICE, BUDGETING, OPERATIONS, roles_required
from eage.catalog import services
from eage.catalog.forms import RateForm, ServiceForm
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.models import Service

bp = Blueprint("catalog", __name__, url_prefix="/services")


def _service_or_404(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    return service


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        abort(404)


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    extra = request.args.get("annee", type=int)
    if extra is not None and not 2000 <= extra <= 2100:
        extra = None
    return render_template("catalog/index.html", table=services.rate_table(extra))


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def create() -> str | Response:
    form = ServiceForm()
    if form.is_submitted():
        ok = form.validate()
        data = services.normalise_service(
            {"code": form.code.data, "label": (form.label.data or "").strip()}
        )
        problems = services.check_service(data)
        attach_problems(form, problems)
        if ok and not problems:
            service = services.create_service(data)
            flash(_("Service %(code)s créé.", code=service.code), "success")
            return redirect(url_for("catalog.index"))
    return render_template("catalog/form.html", form=form, service=None)


@bp.route("/<int:service_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def edit(service_id: int) -> str | Response:
    service = _service_or_404(service_id)
    form = ServiceForm(obj=service)
    if form.is_submitted():
        ok = form.validate()
        data = services.normalise_service(
            {"code": form.code.data, "label": (form.label.data or "").strip()}
        )
        problems = services.check_service(data, service.id)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_service(service, data)
            flash(_("Service %(code)s enregistré.", code=service.code), "success")
            return redirect(url_for("catalog.index"))
    return render_template("catalog/form.html", form=form, service=service)


@bp.route("/<int:service_id>/taux/<int:year>", methods=["GET", "POST"])
@roles_required(*BUDGETING)
def rate(service_id: int, year: int) -> str | Response:
    service = _service_or_404(service_id)
    _check_year(year)
    current = services.rate_for(service, year)
    form = RateForm(obj=current)
    if form.validate_on_submit():
        assert form.rate.data is not None  # InputRequired
        try:
            services.set_rate(service, year, form.rate.data, confirmed=bool(form.confirm.data))
        except ProblemsError as exc:  # an invoiced year, not confirmed: nothing written
            attach_problems(form, exc.problems)
        else:
            flash(
                _("Taux %(year)s du service %(code)s enregistré.", year=year, code=service.code),
                "success",
            )
            return redirect(url_for("catalog.index", annee=year))
    return render_template(
        "catalog/rate.html",
        form=form,
        service=service,
        year=year,
        current=current,
        invoiced=services.invoiced_months(year),
    )
