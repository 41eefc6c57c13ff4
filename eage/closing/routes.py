"""The month-close page: check, confirm warnings, close with progress; reopen (admin)."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from accounting.months import Month
from eage import jobs
from eage.auth.roles import ADMINISTRATION, BACK_OFFICE, OPERATIONS, roles_required
from eage.closing import job, services
from eage.closing.forms import CloseForm, ReopenForm
from eage.core.services import parse_month

bp = Blueprint("closing", __name__)


def _previous_month(today: date) -> date:
    first = today.replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


@bp.route("/cloture/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    month = parse_month(request.args.get("mois")) or _previous_month(date.today())
    problems = services.check_month(month)
    form = CloseForm(month=Month.of(month).key)
    return render_template(
        "closing/index.html",
        month=month,
        key=Month.of(month).key,
        problems=problems,
        closed=services.is_closed(month),
        closed_months=services.closed_months(),
        form=form,
        reopen_form=ReopenForm(),
    )


@bp.route("/cloture/", methods=["POST"])
@roles_required(*OPERATIONS)
def close() -> Response:
    form = CloseForm()
    month = parse_month(form.month.data)
    if not form.validate_on_submit() or month is None:
        flash("Mois invalide (AAAA-MM).", "danger")
        return redirect(url_for("closing.index"))
    problems = services.check_month(month)
    if any(p.blocking for p in problems):
        flash("Clôture impossible : corrigez d'abord les problèmes bloquants.", "danger")
        return redirect(url_for("closing.index", mois=form.month.data))
    if any(not p.blocking for p in problems) and form.confirm_warnings.data != "yes":
        flash("Confirmez que vous avez vérifié les avertissements.", "warning")
        return redirect(url_for("closing.index", mois=form.month.data))
    progress = jobs.Progress("close")
    jobs.runner().submit(job.run_close, month, current_user.id, progress)
    return redirect(url_for("closing.progress_page", job_id=progress.id, mois=form.month.data))


@bp.route("/cloture/suivi/<job_id>")
@roles_required(*BACK_OFFICE)
def progress_page(job_id: str) -> str:
    state = jobs.read(job_id)
    if state is None:
        abort(404)
    return render_template(
        "closing/progress.html", state=state, job_id=job_id, month=request.args.get("mois", "")
    )


@bp.route("/cloture/suivi/<job_id>.json")
@roles_required(*BACK_OFFICE)
def progress_json(job_id: str) -> ResponseReturnValue:
    state = jobs.read(job_id)
    if state is None:
        abort(404)
    return jsonify(state)


@bp.route("/cloture/rouvrir", methods=["POST"])
@roles_required(*ADMINISTRATION)
def reopen() -> Response:
    form = ReopenForm()
    month = parse_month(request.form.get("month"))
    if month is None or not form.validate_on_submit():
        flash("Indiquez le mois et le motif de la réouverture.", "danger")
        return redirect(url_for("closing.index"))
    try:
        services.reopen_month(month, user_id=current_user.id, reason=form.reason.data or "")
    except ValueError as exc:
        flash(str(exc), "danger")
    else:
        flash(
            f"Mois {Month.of(month).key} rouvert. Les documents émis restent inchangés ; "
            "la prochaine clôture facturera seulement la différence.",
            "success",
        )
    return redirect(url_for("closing.index", mois=Month.of(month).key))
