"""Invoices, credit notes, payments, overdue list; documents for the back office and for
the member portal (a member user only ever reaches its own member's documents)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from eage.auth.roles import BACK_OFFICE, OPERATIONS, ROLES_ALL, roles_required
from eage.core.services import parse_month
from eage.extensions import db
from eage.forms_fr import choices, parse_typed_decimal
from eage.invoicing import services
from eage.invoicing.forms import METHOD_LABELS, CreditNoteForm, PaymentForm
from eage.models import Invoice, Member, Payment, StoredDocument
from eage.storage import read

bp = Blueprint("invoicing", __name__)

STATUS_LABELS = {
    "issued": _l("émise"),
    "sent": _l("envoyée"),
    "partially_paid": _l("partiellement payée"),
    "paid": _l("payée"),
    "overdue": _l("en retard"),
}
# Bootstrap's text-bg-* pair each background with a text colour of sufficient contrast.
STATUS_BADGES = {
    "issued": "text-bg-secondary",
    "sent": "text-bg-info",
    "partially_paid": "text-bg-warning",
    "paid": "text-bg-success",
    "overdue": "text-bg-danger",
}


@bp.context_processor
def _invoice_labels() -> dict[str, object]:
    """Statuses and payment methods as words for the invoicing templates."""
    return {"status_badges": STATUS_BADGES, "method_labels": METHOD_LABELS}


def _invoice_or_404(number: str) -> Invoice:
    inv = db.session.scalar(select(Invoice).where(Invoice.number == number))
    if inv is None:
        abort(404)
    if current_user.role == "member" and inv.member_id != current_user.member_id:
        abort(404)  # never confirm another member's document exists
    return inv


@bp.route("/factures/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    month = parse_month(request.args.get("mois"))
    member_code = (request.args.get("adherent") or "").upper()
    status = request.args.get("statut") or ""
    rows, totals = services.invoice_register(
        month=month, member_code=member_code, status=status, today=date.today()
    )
    members = db.session.scalars(select(Member).order_by(Member.code)).all()
    return render_template(
        "invoicing/index.html",
        rows=rows,
        totals=totals,
        members=members,
        month=month,
        member_code=member_code,
        status=status,
        status_labels=STATUS_LABELS,
    )


@bp.route("/factures/<number>")
@roles_required(*ROLES_ALL)
def detail(number: str) -> str:
    inv = _invoice_or_404(number)
    notes = list(db.session.scalars(select(Invoice).where(Invoice.credited_invoice_id == inv.id)))
    unapplied = services.unapplied_credit(inv)
    return render_template(
        "invoicing/detail.html",
        inv=inv,
        notes=notes,
        status=services.display_status(inv),
        outstanding=services.outstanding(inv),
        status_labels=STATUS_LABELS,
        applications=services.credit_applications(inv),
        unapplied=unapplied,
        open_invoices=[(i, services.outstanding(i)) for i in services.open_invoices(inv.member)]
        if inv.is_credit_note and unapplied > 0 and current_user.role != "member"
        else [],
    )


@bp.route("/factures/<number>/imputer", methods=["POST"])
@roles_required(*OPERATIONS)
def apply_credit(number: str) -> Response:
    """Apply what is left of a credit note to an open invoice of the same member."""
    note = _invoice_or_404(number)
    raw_invoice = request.form.get("invoice_id") or ""
    invoice = db.session.get(Invoice, int(raw_invoice)) if raw_invoice.isdigit() else None
    raw_amount = (request.form.get("amount") or "").strip()
    try:
        amount = parse_typed_decimal(raw_amount) if raw_amount else None
    except ValueError:
        flash(_("Montant illisible : %(value)s", value=raw_amount), "danger")
        return redirect(url_for("invoicing.detail", number=number))
    try:
        services.apply_credit(note, invoice, amount, user_id=current_user.id)
    except services.InvoicingError as exc:
        for e in exc.errors:
            flash(e, "danger")
    else:
        assert invoice is not None
        flash(
            _("Avoir %(note)s imputé sur %(invoice)s.", note=note.number, invoice=invoice.number),
            "success",
        )
    return redirect(url_for("invoicing.detail", number=number))


@bp.route("/documents/<int:document_id>")
@roles_required(*ROLES_ALL)
def document(document_id: int) -> Response:
    doc = db.session.get(StoredDocument, document_id)
    if doc is None:
        abort(404)
    if current_user.role == "member":
        owner = (
            doc.member_id
            if doc.member_id is not None
            else (doc.invoice.member_id if doc.invoice else None)
        )
        if owner != current_user.member_id:
            abort(404)
    if doc.kind.startswith("payslip") and current_user.role == "member":
        abort(404)
    return send_file(
        io.BytesIO(read(doc)),
        mimetype=doc.media_type,
        as_attachment=True,
        download_name=doc.filename,
        etag=doc.sha256,
    )


@bp.route("/factures/<number>/avoir", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def credit_note(number: str) -> str | Response:
    inv = _invoice_or_404(number)
    form = CreditNoteForm()
    already = services.credited_lines_so_far(inv)
    line_errors: dict[int, str] = {}
    if form.validate_on_submit():
        amounts = None
        if form.mode.data == "partial":
            amounts = {}
            for line in inv.lines:
                raw = (request.form.get(f"line-{line.position}") or "").strip()
                if not raw:
                    continue
                try:
                    amounts[line.position] = parse_typed_decimal(raw)
                except ValueError:
                    line_errors[line.position] = "Nombre attendu, par exemple 120,50."
        if not line_errors:
            try:
                note = services.create_credit_note(
                    inv, reason=form.reason.data or "", amounts=amounts, user_id=current_user.id
                )
            except services.InvoicingError as exc:
                for e in exc.errors:
                    flash(e, "danger")
            else:
                flash(_("Avoir %(n)s émis.", n=note.number), "success")
                return redirect(url_for("invoicing.detail", number=note.number))
    return render_template(
        "invoicing/credit_note.html", inv=inv, form=form, already=already, line_errors=line_errors
    )


@bp.route("/factures/<number>/envoyer", methods=["POST"])
@roles_required(*OPERATIONS)
def send(number: str) -> Response:
    inv = _invoice_or_404(number)
    try:
        where = services.send_invoice(inv, user_id=current_user.id)
    except (services.InvoicingError, OSError) as exc:
        flash(_("Envoi impossible : %(reason)s", reason=exc), "danger")
    else:
        channel = where if where.startswith("smtp") else _("boîte d'envoi")
        flash(_("%(n)s envoyée (%(channel)s).", n=inv.number, channel=channel), "success")
    return redirect(url_for("invoicing.detail", number=number))


def _posted_allocations() -> dict[int, Decimal] | None:
    """The amounts typed against each invoice (alloc-<id> fields); None, with a message per
    unreadable amount, when one cannot be read."""
    allocations: dict[int, Decimal] = {}
    bad = False
    for key, raw in request.form.items():
        if key.startswith("alloc-") and raw.strip():
            try:
                allocations[int(key[6:])] = parse_typed_decimal(raw)
            except ValueError:
                flash(_("Montant affecté illisible : %(value)s", value=raw), "danger")
                bad = True
    return None if bad else allocations


def _record_posted_payment(form: PaymentForm) -> Response | None:
    """Record the submitted payment; the redirect on success, None to show the page again."""
    if not form.validate_on_submit():
        return None
    member = db.session.get(Member, form.member.data)
    allocations = _posted_allocations()
    if allocations is None or member is None or form.amount.data is None:
        return None
    try:
        services.record_payment(
            member=member,
            day=form.day.data,
            amount=form.amount.data,
            method=form.method.data,
            reference=form.reference.data,
            allocations=allocations or None,
            user_id=current_user.id,
        )
    except services.InvoicingError as exc:
        for e in exc.errors:
            flash(e, "danger")
        return None
    flash(_("Paiement enregistré."), "success")
    return redirect(url_for("invoicing.payments", adherent=member.code))


@bp.route("/paiements/", methods=["GET", "POST"])
@roles_required(*BACK_OFFICE)
def payments() -> str | Response:
    """The payment form and the members' accounts; ``?facture=F-…`` (the invoice page's link)
    selects that invoice's member and fills in what is left to pay on it."""
    form = PaymentForm()
    members = db.session.scalars(select(Member).order_by(Member.code)).all()
    form.member.choices = choices([(m.id, f"{m.code} — {m.name}") for m in members])
    if request.method == "POST":
        if current_user.role not in OPERATIONS:
            abort(403)
        recorded = _record_posted_payment(form)
        if recorded is not None:
            return recorded
    invoice = _invoice_to_pay(request.args.get("facture") or "")
    code = invoice.member.code if invoice else (request.args.get("adherent") or "").upper()
    member = next((m for m in members if m.code == code), None)
    if member is not None and request.method == "GET":
        form.member.data = member.id
    return render_template(
        "invoicing/payments.html",
        form=form,
        member=member,
        invoice=invoice,
        invoice_left=services.outstanding(invoice) if invoice else None,
        **_account_context(member, invoice, form),
        recent=db.session.scalars(
            select(Payment).order_by(Payment.date.desc(), Payment.id.desc()).limit(30)
        ).all(),
        balances=[(m, services.member_balance(m.id)) for m in members],
    )


def _invoice_to_pay(number: str) -> Invoice | None:
    """The invoice named by the invoice page's link, when something is left to pay on it."""
    if not number:
        return None
    inv = db.session.scalar(select(Invoice).where(Invoice.number == number))
    if inv is None or inv.is_credit_note or services.outstanding(inv) <= 0:
        return None
    return inv


def _account_context(
    member: Member | None, invoice: Invoice | None, form: PaymentForm
) -> dict[str, object]:
    """The member's open invoices (with the amounts typed against them, or the preselected
    invoice's balance), credits, statement of account and balance."""
    if member is None:
        return {"open_invoices": [], "credits": [], "account": [], "balance": None, "typed": {}}
    open_invoices = [(i, services.outstanding(i)) for i in services.open_invoices(member)]
    typed: dict[int, str] = {}
    if request.method == "POST":
        typed = {i.id: request.form.get(f"alloc-{i.id}", "") for i, _left in open_invoices}
    elif invoice is not None:
        form.amount.data = services.outstanding(invoice)
        typed = {invoice.id: form.amount._value()}  # written as the amount field writes it
    return {
        "open_invoices": open_invoices,
        "credits": [i for i in services.open_items(member.id) if i.document.is_credit_note],
        "account": services.statement_of_account(member.id),
        "balance": services.member_balance(member.id),
        "typed": typed,
    }


@bp.route("/factures/retards")
@roles_required(*BACK_OFFICE)
def overdue() -> str:
    rows = services.overdue_invoices()
    return render_template(
        "invoicing/overdue.html",
        rows=rows,
        **services.overdue_totals(rows),
    )


@bp.route("/portail/factures")
@roles_required("member")
def portal_invoices() -> str:
    member_id = current_user.member_id
    invoices = db.session.scalars(
        select(Invoice)
        .where(Invoice.member_id == member_id)
        .order_by(Invoice.issue_date.desc(), Invoice.seq.desc())
    ).all()
    statements = db.session.scalars(
        select(StoredDocument)
        .where(StoredDocument.member_id == member_id, StoredDocument.kind.like("statement%"))
        .order_by(StoredDocument.month.desc(), StoredDocument.version.desc())
    ).all()
    return render_template(
        "invoicing/portal.html",
        invoices=invoices,
        statements=statements,
        balance=services.member_balance(member_id),
        status_labels=STATUS_LABELS,
        display_status=services.display_status,
    )
