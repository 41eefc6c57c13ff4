"""Relances (reminders of overdue invoices) and security deposits: back-office pages; the
accountant sends and books, the manager and the admin read."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounting.documents.account_statement import render_account_statement_pdf
from accounting.problems import ProblemsError
from accounting.reminders import LEVEL_NAMES
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.invoicing.documents import current_seller
from eage.models import Invoice, Member
from eage.models.reminders import Reminder, SecurityDeposit
from eage.reminders import penalties, refunds, services
from eage.reminders.forms import DepositDayForm, DepositForm
from eage.storage import read

bp = Blueprint("reminders", __name__)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"level_names": LEVEL_NAMES}


@bp.app_context_processor
def _member_deposits() -> dict[str, object]:
    """The member page lists its security deposits (templates/members/detail.html)."""
    return {
        "member_deposits": services.deposits,
        "deposit_held": services.deposit_held,
        "refund_default_day": date.today().isoformat(),  # the credit note page's refund form
    }


def _member_or_404(code: str) -> Member:
    member = db.session.scalar(select(Member).where(Member.code == code))
    if member is None:
        abort(404)
    return member


@bp.route("/relances/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    return render_template(
        "reminders/index.html",
        proposals=services.proposals(),
        history=services.history(),
        level_days=services.level_days(),
    )


@bp.route("/relances/apercu/<code>")
@roles_required(*BACK_OFFICE)
def preview(code: str) -> str:
    member = _member_or_404(code)
    today = date.today()
    reminder = services.proposal_for(member, today)
    if reminder is None:
        abort(404)
    seller = current_seller()["name"]
    return render_template(
        "reminders/preview.html",
        reminder=reminder,
        subject=services.email_subject(reminder, seller),
        body=services.email_body(reminder, seller, today),
    )


@bp.route("/relances/apercu/<code>/releve.pdf")
@roles_required(*BACK_OFFICE)
def preview_pdf(code: str) -> Response:
    """The statement of account the reminder would attach, rendered now, not stored."""
    member = _member_or_404(code)
    today = date.today()
    reminder = services.proposal_for(member, today)
    stmt = services.account_statement(
        member, today, f"APERCU-{member.code}", reminder.proposal if reminder else None
    )
    return send_file(
        io.BytesIO(render_account_statement_pdf(stmt)),
        mimetype="application/pdf",
        download_name=f"releve-{member.code}-{today.isoformat()}.pdf",
    )


@bp.route("/relances/envoyer", methods=["POST"])
@roles_required(*OPERATIONS)
def send() -> Response:
    codes = request.form.getlist("member")
    try:
        sent = services.send_reminders(codes, user_id=current_user.id)
    except ProblemsError as exc:
        for problem in exc.problems:
            flash(problem.message, "danger")
    else:
        flash(_("%(n)d relance(s) envoyée(s).", n=len(sent)), "success")
    return redirect(url_for("reminders.index"))


@bp.route("/relances/<int:reminder_id>/releve")
@roles_required(*BACK_OFFICE)
def document(reminder_id: int) -> Response:
    row = db.session.get(Reminder, reminder_id)
    if row is None or row.document is None:
        abort(404)
    return send_file(
        io.BytesIO(read(row.document)),
        mimetype=row.document.media_type,
        download_name=row.document.filename,
    )


@bp.route("/relances/<int:reminder_id>/facture-penalites", methods=["POST"])
@roles_required(*OPERATIONS)
def penalty_invoice(reminder_id: int) -> Response:
    """Invoice the reminder's penalties and indemnities (optional, once)."""
    row = db.session.get(Reminder, reminder_id)
    if row is None:
        abort(404)
    form = DepositDayForm()
    day = form.day.data if form.validate() else None
    try:
        inv = penalties.issue_penalty_invoice(row, day, user_id=current_user.id)
    except ProblemsError as exc:
        for problem in exc.problems:
            flash(problem.message, "danger")
        return redirect(url_for("reminders.index"))
    flash(_("Facture de pénalités %(n)s émise.", n=inv.number), "success")
    return redirect(url_for("invoicing.detail", number=inv.number))


# --------------------------------------------------------------------------- deposits


def _deposit_form() -> DepositForm:
    form = DepositForm()
    members = db.session.scalars(select(Member).order_by(Member.code))
    form.member.choices = [(m.id, f"{m.code} — {m.name}") for m in members]
    return form


@bp.route("/depots-de-garantie/")
@roles_required(*BACK_OFFICE)
def deposits() -> str:
    form = _deposit_form()
    if form.day.data is None:
        form.day.data = date.today()
    code = request.args.get("adherent", "")
    member = db.session.scalar(select(Member).where(Member.code == code)) if code else None
    if member is not None:
        form.member.data = member.id
    return render_template(
        "reminders/deposits.html",
        form=form,
        deposits=services.deposits(),
        today_iso=date.today().isoformat(),
    )


@bp.route("/depots-de-garantie/demander", methods=["POST"])
@roles_required(*OPERATIONS)
def deposit_ask() -> str | Response:
    form = _deposit_form()
    if form.validate():
        member = db.session.get(Member, form.member.data)
        if member is None:
            abort(404)
        try:
            services.ask_deposit(member, form.amount.data, form.day.data, user_id=current_user.id)
        except ProblemsError as exc:
            attach_problems(form, exc.problems)
        else:
            flash(_("Dépôt de garantie demandé."), "success")
            return redirect(url_for("reminders.deposits"))
    return render_template(
        "reminders/deposits.html",
        form=form,
        deposits=services.deposits(),
        today_iso=date.today().isoformat(),
    )


def _book(deposit_id: int, *, refund: bool) -> Response:
    dep = db.session.get(SecurityDeposit, deposit_id)
    if dep is None:
        abort(404)
    form = DepositDayForm()
    if not form.validate():
        flash(_("Indiquez une date valide."), "danger")
        return redirect(url_for("reminders.deposits"))
    try:
        services.book_deposit(dep, form.day.data, refund=refund, user_id=current_user.id)
    except ProblemsError as exc:
        for problem in exc.problems:
            flash(problem.message, "danger")
    else:
        flash(_("Dépôt remboursé.") if refund else _("Dépôt reçu et comptabilisé."), "success")
    return redirect(url_for("reminders.deposits"))


@bp.route("/depots-de-garantie/<int:deposit_id>/recu", methods=["POST"])
@roles_required(*OPERATIONS)
def deposit_receive(deposit_id: int) -> Response:
    return _book(deposit_id, refund=False)


@bp.route("/depots-de-garantie/<int:deposit_id>/rembourse", methods=["POST"])
@roles_required(*OPERATIONS)
def deposit_refund(deposit_id: int) -> Response:
    return _book(deposit_id, refund=True)


# --------------------------------------------------------------------------- credit refund


@bp.route("/factures/<number>/rembourser", methods=["POST"])
@roles_required(*OPERATIONS)
def refund_credit(number: str) -> Response:
    """Pay back what is left of a credit note to a member that owes nothing."""
    note = db.session.scalar(select(Invoice).where(Invoice.number == number))
    if note is None:
        abort(404)
    form = DepositDayForm()
    day = form.day.data if form.validate() else None
    reference = (request.form.get("reference") or "").strip()[:100] or None
    try:
        refunds.refund_credit(note, day, reference=reference, user_id=current_user.id)
    except ProblemsError as exc:
        for problem in exc.problems:
            flash(problem.message, "danger")
    else:
        flash(_("Crédit de l'avoir %(n)s remboursé.", n=note.number), "success")
    return redirect(url_for("invoicing.detail", number=number))
