"""Budget of a fiscal year (lines by kind, subtotals, total) and the year's settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from eage.auth.roles import BACK_OFFICE, BUDGETING, roles_required
from eage.budget import services
from eage.budget.forms import BudgetLineForm, FiscalYearForm
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.models import BudgetLine

bp = Blueprint("budget", __name__, url_prefix="/budget")


def _year_arg() -> int:
    year = request.args.get("annee", type=int)
    if year is None:
        return date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _line_or_404(line_id: int) -> BudgetLine:
    line = db.session.get(BudgetLine, line_id)
    if line is None:
        abort(404)
    return line


def _line_data(form: BudgetLineForm, year: int) -> dict[str, object]:
    return {
        "year": year,
        "account": (form.account.data or "").strip(),
        "label": (form.label.data or "").strip(),
        "kind": form.kind.data,
        "amount": form.amount.data,
    }


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    return render_template(
        "budget/index.html",
        budget=services.budget_of(_year_arg()),
        denominators=services.HOURS_DENOMINATORS,
        modes=services.BILLING_MODES,
    )


@bp.route("/lignes/nouvelle", methods=["GET", "POST"])
@roles_required(*BUDGETING)
def create_line() -> str | Response:
    year = _year_arg()
    form = BudgetLineForm()
    if request.method == "GET" and request.args.get("nature") in services.KIND_LABELS:
        form.kind.data = request.args["nature"]
    if form.is_submitted():
        ok = form.validate()
        data = _line_data(form, year)
        problems = services.check_line(data)
        attach_problems(form, problems)
        if ok and not problems:
            services.create_line(data)
            flash(_("Ligne de budget ajoutée."), "success")
            return redirect(url_for("budget.index", annee=year))
    return render_template("budget/line.html", form=form, year=year, line=None)


@bp.route("/lignes/<int:line_id>/modifier", methods=["GET", "POST"])
@roles_required(*BUDGETING)
def edit_line(line_id: int) -> str | Response:
    line = _line_or_404(line_id)
    form = BudgetLineForm(obj=line)
    if form.is_submitted():
        ok = form.validate()
        data = _line_data(form, line.year)
        problems = services.check_line(data)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_line(line, data)
            flash(_("Ligne de budget enregistrée."), "success")
            return redirect(url_for("budget.index", annee=line.year))
    return render_template("budget/line.html", form=form, year=line.year, line=line)


@bp.route("/lignes/<int:line_id>/supprimer", methods=["POST"])
@roles_required(*BUDGETING)
def delete_line(line_id: int) -> Response:
    line = _line_or_404(line_id)
    year, label = line.year, line.label
    services.delete_line(line)
    flash(_("Ligne « %(label)s » supprimée.", label=label), "success")
    return redirect(url_for("budget.index", annee=year))


@bp.route("/exercice/<int:year>", methods=["GET", "POST"])
@roles_required(*BUDGETING)
def fiscal_year(year: int) -> str | Response:
    if not 2000 <= year <= 2100:
        abort(404)
    current, exists = services.fiscal_year_or_defaults(year)
    form = FiscalYearForm(obj=current)
    if form.is_submitted():
        ok = form.validate()
        data = {k: getattr(form, k).data for k in services.SETTINGS_FIELDS}
        problems = services.check_settings(data)
        attach_problems(form, problems)
        if ok and not problems:
            services.save_settings(year, data)
            flash(_("Paramètres de l'exercice %(year)s enregistrés.", year=year), "success")
            return redirect(url_for("budget.index", annee=year))
    return render_template("budget/fiscal_year.html", form=form, year=year, exists=exists)
