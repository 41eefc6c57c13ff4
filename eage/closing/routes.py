"""The month-close page: check, show the figures the close would issue, close once they (and
the warnings, and earlier months still open) are confirmed, with progress; reopen (admin)."""

from __future__ import annotations

from datetime import date
from typing import Any

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
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounting.months import Month
from eage import jobs
from eage.auth.roles import ADMINISTRATION, BACK_OFFICE, OPERATIONS, roles_required
from eage.closing import job, services
from eage.closing.forms import CloseForm, ReopenForm
from eage.core.services import parse_month
from eage.extensions import db
from eage.filters import tr
from eage.models import Invoice, StoredDocument

bp = Blueprint("closing", __name__)


def _previous_month(today: date) -> date:
    first = today.replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def months_text(months: list[date]) -> str:
    """« janvier, février 2026 » in the reader's language (the months of one year)."""
    names = ", ".join(format_date(m, "MMMM") for m in months)
    return f"{names} {months[0].year}" if months else ""


def earlier_open_message(months: list[date]) -> str:
    return str(
        ngettext(
            "%(months)s n'est pas clôturé.",
            "%(months)s ne sont pas clôturés.",
            len(months),
            months=months_text(months),
        )
    )


@bp.route("/cloture/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    month = parse_month(request.args.get("mois")) or _previous_month(date.today())
    problems = services.check_month(month)
    earlier = services.earlier_open_months(month)
    form = CloseForm(month=Month.of(month).key, figures=services.figures_digest(month))
    return render_template(
        "closing/index.html",
        month=month,
        key=Month.of(month).key,
        problems=problems,
        closed=services.is_closed(month),
        closed_months=services.closed_months(),
        preview=services.preview_month(month),
        earlier_open=earlier_open_message(earlier) if earlier else "",
        form=form,
        reopen_form=ReopenForm(),
    )


def _refusal(form: CloseForm, month: date) -> str | None:
    """Why the close cannot start from this form (a translated message), or None."""
    problems = services.check_month(month)
    if any(p.blocking for p in problems):
        return str(_("Clôture impossible : corrigez d'abord les problèmes bloquants."))
    if not form.confirm_figures.data:
        return str(_("Cochez la confirmation des chiffres : rien n'a été émis."))
    if form.figures.data != services.figures_digest(month):
        return str(
            _(
                "Les chiffres ont changé depuis leur affichage : vérifiez-les à nouveau. "
                "Rien n'a été émis."
            )
        )
    if any(not p.blocking for p in problems) and not form.confirm_warnings.data:
        return str(_("Confirmez que vous avez vérifié les avertissements."))
    earlier = services.earlier_open_months(month)
    if earlier and not form.confirm_earlier.data:
        return str(
            _(
                "%(open)s Cochez la case pour clôturer ce mois quand même. Rien n'a été émis.",
                open=earlier_open_message(earlier),
            )
        )
    return None


@bp.route("/cloture/", methods=["POST"])
@roles_required(*OPERATIONS)
def close() -> Response:
    form = CloseForm()
    month = parse_month(form.month.data)
    if not form.validate_on_submit() or month is None:
        flash(_("Mois invalide (AAAA-MM)."), "danger")
        return redirect(url_for("closing.index"))
    refusal = _refusal(form, month)
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("closing.index", mois=form.month.data))
    progress = jobs.Progress("close")
    jobs.runner().submit(job.run_close, month, current_user.id, progress)
    return redirect(url_for("closing.progress_page", job_id=progress.id, mois=form.month.data))


def _translated(state: dict[str, Any]) -> dict[str, Any]:
    """The job's state with its message in the reader's language (the job stores msgids)."""
    params = state.get("params") or {}
    return {
        **state,
        "message": tr(state.get("message") or "", **params) if state.get("message") else "",
    }


def _month_documents(result: dict[str, Any] | None) -> list[tuple[Invoice, StoredDocument | None]]:
    """The invoices and credit notes the close issued, each with its PDF."""
    numbers = [*(result or {}).get("invoices", []), *(result or {}).get("credit_notes", [])]
    if not numbers:
        return []
    rows = db.session.scalars(
        select(Invoice).where(Invoice.number.in_(numbers)).order_by(Invoice.number)
    )
    return [
        (inv, next((d for d in inv.documents if d.kind == "invoice_pdf"), None)) for inv in rows
    ]


@bp.route("/cloture/suivi/<job_id>")
@roles_required(*BACK_OFFICE)
def progress_page(job_id: str) -> str:
    state = jobs.read(job_id)
    if state is None:
        abort(404)
    return render_template(
        "closing/progress.html",
        state=_translated(state),
        job_id=job_id,
        month=request.args.get("mois", ""),
        documents=_month_documents(state.get("result")),
    )


@bp.route("/cloture/suivi/<job_id>.json")
@roles_required(*BACK_OFFICE)
def progress_json(job_id: str) -> ResponseReturnValue:
    state = jobs.read(job_id)
    if state is None:
        abort(404)
    return jsonify(_translated(state))


@bp.route("/cloture/rouvrir", methods=["POST"])
@roles_required(*ADMINISTRATION)
def reopen() -> Response:
    form = ReopenForm()
    month = parse_month(request.form.get("month"))
    if month is None or not form.validate_on_submit():
        flash(_("Indiquez le mois et le motif de la réouverture."), "danger")
        return redirect(url_for("closing.index"))
    try:
        services.reopen_month(month, user_id=current_user.id, reason=form.reason.data or "")
    except ValueError as exc:
        flash(str(exc), "danger")
    else:
        flash(
            _(
                "Mois %(month)s rouvert. Les documents émis restent inchangés ; "
                "la prochaine clôture facturera seulement la différence.",
                month=Month.of(month).key,
            ),
            "success",
        )
    return redirect(url_for("closing.index", mois=Month.of(month).key))
