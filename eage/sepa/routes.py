"""The SEPA pages (/sepa): the batches generated and their files, the members' mandates, the
creditor settings, « préparer un prélèvement » and « virements des salaires » with a preview
before the file is written. Reading is the back office's; everything that writes or hands
out a file (IBANs inside) is the accountant's."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounting.formats import fr_date
from accounting.months import Month
from accounting.problems import ProblemsError
from eage import storage
from eage.auth.roles import ACCOUNTANT, ADMIN, BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.forms_fr import attach_problems, form_data
from eage.models import Expense, Member
from eage.models.sepa import SepaBatch, SepaMandate
from eage.sepa import debits, mandates, rules, transfers
from eage.sepa.forms import DebitForm, MandateForm, SettingsForm, TransferForm

bp = Blueprint("sepa", __name__, url_prefix="/sepa")

SETTINGS_FIELDS = (
    "creditor_identifier",
    *(f"{kind}_{part}" for kind in mandates.PAYEE_KINDS for part in ("name", "iban", "bic")),
)


def _user_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> ResponseReturnValue:
    return render_template(
        "sepa/index.html", batches=transfers.batches(), ics=mandates.settings().creditor_identifier
    )


@bp.route("/lots/<int:batch_id>/fichier")
@roles_required(*OPERATIONS)
def download(batch_id: int) -> ResponseReturnValue:
    batch = db.session.get(SepaBatch, batch_id)
    if batch is None:
        abort(404)
    return send_file(
        io.BytesIO(storage.read(batch.document)),
        mimetype="application/xml",
        as_attachment=True,
        download_name=batch.document.filename,
        etag=batch.sha256,
    )


@bp.route("/parametres", methods=["GET", "POST"])
@roles_required(ACCOUNTANT, ADMIN)
def settings() -> ResponseReturnValue:
    row = mandates.settings()
    form = SettingsForm()
    if request.method == "GET":
        form.creditor_identifier.data = row.creditor_identifier
        for kind, payee in (row.payees or {}).items():
            for part in ("name", "iban", "bic"):
                if hasattr(form, f"{kind}_{part}"):
                    getattr(form, f"{kind}_{part}").data = payee.get(part)
    elif form.validate_on_submit():
        data = form_data(form, *SETTINGS_FIELDS)
        problems = mandates.check_settings(data)
        attach_problems(form, problems)
        if not problems:
            mandates.save_settings(data, user_id=_user_id())
            flash(_("Paramètres SEPA enregistrés."), "success")
            return redirect(url_for("sepa.index"))
    return render_template("sepa/settings.html", form=form)


@bp.route("/mandats")
@roles_required(*BACK_OFFICE)
def mandate_list() -> ResponseReturnValue:
    """Every mandate, or one member's (?adherent=CODE)."""
    code = request.args.get("adherent")
    member = db.session.scalar(select(Member).where(Member.code == code)) if code else None
    if code and member is None:
        abort(404)
    return render_template(
        "sepa/mandates.html",
        mandates=mandates.mandates_of(member.id if member else None),
        member=member,
        today=date.today(),
    )


@bp.route("/mandats/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def mandate_create() -> ResponseReturnValue:
    members = list(db.session.scalars(select(Member).order_by(Member.code)))
    form = MandateForm()
    form.member_id.choices = [(str(m.id), f"{m.code} — {m.name}") for m in members]
    if request.method == "GET":
        chosen = next((m for m in members if m.code == request.args.get("adherent")), None)
        if chosen is not None:
            form.member_id.data = str(chosen.id)
            form.reference.data = mandates.suggested_reference(chosen)
            form.debtor_name.data = chosen.name
    elif form.validate_on_submit():
        member = db.session.get(Member, int(form.member_id.data))
        data = form_data(form, "reference", "signed_on", "debtor_name", "iban", "bic", "kind")
        problems = mandates.check_mandate(data, date.today())
        attach_problems(form, problems)
        if member is not None and not problems:
            mandate = mandates.create_mandate(member, data, user_id=_user_id())
            flash(_("Mandat %(ref)s enregistré.", ref=mandate.reference), "success")
            return redirect(url_for("sepa.mandate_list"))
    return render_template("sepa/mandate_form.html", form=form)


@bp.route("/mandats/<int:mandate_id>/revoquer", methods=["POST"])
@roles_required(*OPERATIONS)
def mandate_revoke(mandate_id: int) -> ResponseReturnValue:
    mandate = db.session.get(SepaMandate, mandate_id)
    if mandate is None:
        abort(404)
    mandates.revoke_mandate(mandate, date.today(), user_id=_user_id())
    flash(_("Mandat %(ref)s révoqué.", ref=mandate.reference), "success")
    return redirect(url_for("sepa.mandate_list"))


@bp.route("/prelevements", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def debit_batch() -> ResponseReturnValue:
    form = DebitForm()
    today = date.today()
    plan = None
    if request.method == "GET":
        form.collection_date.data = rules.next_business_day(today)
    elif form.validate_on_submit():
        day = form.collection_date.data
        if form.generate.data:
            try:
                batch, _plan = debits.create_debit_batch(day, today=today, user_id=_user_id())
            except ProblemsError as exc:
                attach_problems(form, exc.problems)
            else:
                flash(
                    _(
                        "Fichier de prélèvements %(msg)s créé : %(n)s opérations. "
                        "Pré-notifications envoyées le %(d)s.",
                        msg=batch.msg_id,
                        n=batch.count,
                        d=fr_date(batch.notified_at or today),
                    ),
                    "success",
                )
                return redirect(url_for("sepa.index"))
        plan = debits.plan_debits(day, today=today)
    return render_template("sepa/debits.html", form=form, plan=plan, today=today)


@bp.route("/virements", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def transfer_batch() -> ResponseReturnValue:
    form = TransferForm()
    today = date.today()
    plan = None
    payable: list[Expense] = []
    if request.method == "GET":
        month = Month.of(today).previous().key
        form.month.data = month
        form.execution_date.data = transfers.default_execution_date(month, today)
    elif form.validate_on_submit():
        month_value = Month.parse_or_none(form.month.data)
        if month_value is None:
            form.month.errors = [_("Mois invalide : AAAA-MM attendu.")]
        else:
            args = (month_value.key, form.execution_date.data)
            options = _transfer_options(form)
            if form.with_suppliers.data:
                payable = transfers.payable_expenses(month_value.key)
            if form.generate.data:
                try:
                    batch, _plan = transfers.create_transfer_batch(
                        *args, today=today, user_id=_user_id(), **options
                    )
                except ProblemsError as exc:
                    attach_problems(form, exc.problems)
                else:
                    flash(
                        _(
                            "Fichier de virements %(msg)s créé : %(n)s opérations.",
                            msg=batch.msg_id,
                            n=batch.count,
                        ),
                        "success",
                    )
                    return redirect(url_for("sepa.index"))
            plan = transfers.plan_transfers(*args, today=today, **options)
    return render_template("sepa/transfers.html", form=form, plan=plan, payable=payable)


def _transfer_options(form: TransferForm) -> dict[str, Any]:
    """The boxes ticked: charges, suppliers; once the page has listed the supplier invoices,
    only those ticked (``expense``), else all of them."""
    chosen: set[int] | None = None
    if request.form.get("suppliers_listed"):
        chosen = {int(v) for v in request.form.getlist("expense") if v.isdigit()}
    return {
        "with_charges": bool(form.with_charges.data),
        "with_suppliers": bool(form.with_suppliers.data),
        "expense_ids": chosen,
    }
