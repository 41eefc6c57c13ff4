"""The bank pages (issue 16): statements with their balance against the books' 512, the
lines waiting for review with what the matcher proposes; import a statement, confirm,
split or assign a line (accountant); the CSV format of each bank. The manager and the
admin read (SPEC §2: they read the back office)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounting.problems import ProblemsError
from accounting.texts import N_
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.bank import services
from eage.bank.errors import BankError
from eage.bank.forms import CsvMappingForm, StatementForm
from eage.bank.matching import shown_label
from eage.extensions import db
from eage.forms_fr import choices
from eage.models.bank import BankCsvMapping, BankLine, BankStatement
from eage.payslips.settlements import KIND_LABELS

bp = Blueprint("bank", __name__, url_prefix="/banque")
# A line's proposal label in the reader's language (stored in French).
bp.add_app_template_filter(shown_label, "proposal_label")

ASSIGN_LABELS = {
    "facture": N_("Règlement de facture(s)"),
    "rejet": N_("Rejet de prélèvement"),
    "frais": N_("Frais bancaires (627)"),
    "subvention": N_("Subvention (74…)"),
    "fournisseur": N_("Fournisseur (401)"),
    "compte": N_("Autre compte"),
}


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _statement_form() -> StatementForm:
    form = StatementForm()
    names = list(
        db.session.scalars(select(BankCsvMapping.bank_name).order_by(BankCsvMapping.bank_name))
    )
    form.bank.choices = choices([("", _("— aucun (CAMT.053 ou OFX) —")), *((n, n) for n in names)])
    return form


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> ResponseReturnValue:
    return render_template(
        "bank/index.html",
        statements=services.statements(),
        lines=services.lines_to_review(),
        form=_statement_form(),
        result=None,
        problems=[],
    )


@bp.route("/import", methods=["POST"])
@roles_required(*OPERATIONS)
def import_statement() -> ResponseReturnValue:
    form = _statement_form()
    result, problems = None, []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = services.import_statement(
                upload.read(),
                upload.filename or "releve",
                bank=form.bank.data or None,
                dry_run=bool(form.dry_run.data),
                user_id=_user_id(),
            )
        except ProblemsError as exc:
            problems = [p.message for p in exc.problems]
        if result is not None and not result.dry_run:
            if result.already:
                flash(_("Ce relevé est déjà importé : rien n'a changé."), "info")
            else:
                flash(
                    _(
                        "Relevé importé : %(matched)s ligne(s) rapprochée(s), %(review)s à revoir.",
                        matched=len(result.matched),
                        review=len(result.review),
                    ),
                    "success",
                )
            return redirect(url_for("bank.index"))
    status = 200 if result is not None else 400
    return (
        render_template(
            "bank/index.html",
            statements=services.statements(),
            lines=services.lines_to_review(),
            form=form,
            result=result,
            problems=problems,
        ),
        status,
    )


def _line_or_404(line_id: int) -> BankLine:
    line = db.session.get(BankLine, line_id)
    if line is None:
        abort(404)
    return line


@bp.route("/lignes/<int:line_id>/confirmer", methods=["POST"])
@roles_required(*OPERATIONS)
def confirm(line_id: int) -> ResponseReturnValue:
    line = _line_or_404(line_id)
    try:
        done = services.confirm_line(line, user_id=_user_id())
        flash(_("%(n)s ligne(s) rapprochée(s).", n=len(done)), "success")
    except BankError as exc:
        for problem in exc.problems:
            flash(problem, "danger")
    return redirect(url_for("bank.index"))


@bp.route("/lignes/<int:line_id>/affecter", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def assign(line_id: int) -> ResponseReturnValue:
    line = _line_or_404(line_id)
    if line.is_done:
        flash(_("Cette ligne est déjà rapprochée."), "info")
        return redirect(url_for("bank.index"))
    rows = [
        (
            request.form.get(f"kind_{i}", ""),
            request.form.get(f"amount_{i}", ""),
            request.form.get(f"target_{i}", ""),
        )
        for i in range(1, 4)
    ]
    problems: list[str] = []
    if request.method == "GET":
        rows[0] = services.proposed_row(line)
    if request.method == "POST":
        try:
            parts = services.parse_parts(rows)
            services.assign_line(line, parts, user_id=_user_id())
            flash(_("Ligne rapprochée."), "success")
            return redirect(url_for("bank.index"))
        except BankError as exc:
            problems = exc.problems
    kinds = {**ASSIGN_LABELS, **{k: str(v) for k, v in KIND_LABELS.items()}}
    return (
        render_template("bank/assign.html", line=line, rows=rows, kinds=kinds, problems=problems),
        400 if problems else 200,
    )


@bp.route("/releves/<int:statement_id>")
@roles_required(*BACK_OFFICE)
def statement(statement_id: int) -> ResponseReturnValue:
    row = db.session.get(BankStatement, statement_id)
    if row is None:
        abort(404)
    view = next(v for v in services.statements() if v.statement.id == row.id)
    return render_template("bank/statement.html", view=view)


@bp.route("/formats-csv", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def csv_formats() -> ResponseReturnValue:
    form = CsvMappingForm()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")}
        if not data.get("amount_column") and not (
            data.get("debit_column") and data.get("credit_column")
        ):
            form.amount_column.errors = [
                _("Indiquez la colonne du montant, ou celles du débit et du crédit.")
            ]
        else:
            services.save_csv_mapping(data)
            flash(_("Format CSV enregistré."), "success")
            return redirect(url_for("bank.csv_formats"))
    mappings = list(db.session.scalars(select(BankCsvMapping).order_by(BankCsvMapping.bank_name)))
    status = 400 if (form.is_submitted() and form.errors) or form.amount_column.errors else 200
    return render_template("bank/csv_formats.html", form=form, mappings=mappings), status
