"""Overhead expenses and operating income: lists with totals per account and month (back
office), entry, edit, delete and the file import (accountant)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounting.problems import ProblemsError
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.expenses import importer, services, suppliers
from eage.expenses.forms import ExpenseForm, ImportForm, IncomeForm, SupplierBankForm
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.models import Expense, OperatingIncome
from eage.tables import ROW_CONVENTION

bp = Blueprint("expenses", __name__, url_prefix="/depenses")

KINDS: dict[str, dict[str, Any]] = {
    "expense": {
        "model": Expense,
        "form": ExpenseForm,
        "check": services.check_expense,
        "create": services.create_expense,
        "update": services.update_expense,
        "delete": services.delete_expense,
        "view": services.expenses_of,
        "index": "expenses.index",
        "edit": "expenses.edit",
        "title": _l("Dépenses de structure"),
        "saved": _l("Dépense « %(label)s » enregistrée."),
        "changed": _l("Dépense « %(label)s » modifiée."),
        "deleted": _l("Dépense « %(label)s » supprimée."),
    },
    "income": {
        "model": OperatingIncome,
        "form": IncomeForm,
        "check": services.check_income,
        "create": services.create_income,
        "update": services.update_income,
        "delete": services.delete_income,
        "view": services.income_of,
        "index": "expenses.income_index",
        "edit": "expenses.income_edit",
        "title": _l("Produits d'exploitation"),
        "saved": _l("Produit « %(label)s » enregistré."),
        "changed": _l("Produit « %(label)s » modifié."),
        "deleted": _l("Produit « %(label)s » supprimé."),
    },
}


def _year_arg() -> int:
    year = request.args.get("annee", type=int)
    if year is None:
        return date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _user_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


def _form_data(form: ExpenseForm | IncomeForm) -> dict[str, Any]:
    raw_service = form.service_id.data or ""
    data = {
        "date": form.date.data,
        "account": (form.account.data or "").strip(),
        "label": (form.label.data or "").strip(),
        "amount": form.amount.data,
        "service_id": int(raw_service) if str(raw_service).isdigit() else None,
    }
    if isinstance(form, ExpenseForm):
        data["supplier"] = (form.supplier.data or "").strip()
        data["vat"] = form.vat.data
        data["paid_by"] = form.paid_by.data or "supplier"
        data["supplier_iban"] = (form.supplier_iban.data or "").strip()
        data["supplier_bic"] = (form.supplier_bic.data or "").strip()
    return data


def _list(kind: str) -> ResponseReturnValue:
    spec = KINDS[kind]
    return render_template(
        "expenses/index.html", view=spec["view"](_year_arg()), kind=kind, spec=spec
    )


def _edit(kind: str, row: Any) -> ResponseReturnValue:
    spec = KINDS[kind]
    posted = services.posted_problem(row) if row is not None else None
    if posted is not None:
        flash(posted.message, "error")
        return redirect(url_for(spec["index"], annee=row.date.year))
    form = spec["form"](obj=row)
    form.service_id.choices = services.service_choices()
    if request.method == "GET" and row is not None:
        form.service_id.data = str(row.service_id or "")
        known = suppliers.by_name(row.supplier) if kind == "expense" else None
        if known is not None:
            form.supplier_iban.data, form.supplier_bic.data = known.iban, known.bic
    if form.is_submitted():
        ok = form.validate()
        data = _form_data(form)
        problems = spec["check"](data)
        attach_problems(form, problems)
        if ok and not problems:
            if row is None:
                row = spec["create"](data, user_id=_user_id())
                flash(str(spec["saved"]) % {"label": row.label}, "success")
            else:
                spec["update"](row, data, user_id=_user_id())
                flash(str(spec["changed"]) % {"label": row.label}, "success")
            return redirect(url_for(spec["index"], annee=row.date.year))
    elif row is None:
        form.date.data = date.today()
    return render_template(
        "expenses/edit.html",
        form=form,
        row=row,
        kind=kind,
        spec=spec,
        year=row.date.year if row is not None else _year_arg(),
    )


def _delete(kind: str, row: Any) -> ResponseReturnValue:
    spec = KINDS[kind]
    year, label = row.date.year, row.label
    problems = spec["delete"](row, user_id=_user_id())
    if problems:
        flash(services.problems_text(problems), "error")
    else:
        flash(str(spec["deleted"]) % {"label": label}, "success")
    return redirect(url_for(spec["index"], annee=year))


def _row_or_404(model: type[Any], row_id: int) -> Any:
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    return row


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> ResponseReturnValue:
    return _list("expense")


@bp.route("/nouvelle", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def create() -> ResponseReturnValue:
    return _edit("expense", None)


@bp.route("/<int:expense_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def edit(expense_id: int) -> ResponseReturnValue:
    return _edit("expense", _row_or_404(Expense, expense_id))


@bp.route("/<int:expense_id>/supprimer", methods=["POST"])
@roles_required(*OPERATIONS)
def delete(expense_id: int) -> ResponseReturnValue:
    return _delete("expense", _row_or_404(Expense, expense_id))


@bp.route("/produits/")
@roles_required(*BACK_OFFICE)
def income_index() -> ResponseReturnValue:
    return _list("income")


@bp.route("/produits/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def income_create() -> ResponseReturnValue:
    return _edit("income", None)


@bp.route("/produits/<int:income_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def income_edit(income_id: int) -> ResponseReturnValue:
    return _edit("income", _row_or_404(OperatingIncome, income_id))


@bp.route("/produits/<int:income_id>/supprimer", methods=["POST"])
@roles_required(*OPERATIONS)
def income_delete(income_id: int) -> ResponseReturnValue:
    return _delete("income", _row_or_404(OperatingIncome, income_id))


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def import_file() -> ResponseReturnValue:
    """Upload → every row checked → written all at once, or nothing and every bad row."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template(
            "expenses/import.html", form=form, convention=ROW_CONVENTION, result=None
        ), (422 if form.is_submitted() else 200)
    upload = form.file.data
    name = Path(upload.filename or "depenses.csv").name
    try:
        rows = importer.read_rows(upload.stream, filename=name)
    except ProblemsError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return render_template(
            "expenses/import.html", form=form, convention=ROW_CONVENTION, result=None
        ), 422
    result = importer.import_expenses(
        rows, source=name, dry_run=bool(form.dry_run.data), user_id=_user_id()
    )
    if result.ok and not form.dry_run.data:
        flash(
            _(
                "Import terminé : %(count)s dépense(s) importée(s) depuis %(name)s.",
                count=result.imported,
                name=name,
            ),
            "success",
        )
    return render_template(
        "expenses/import.html",
        form=form,
        convention=ROW_CONVENTION,
        result=result,
        name=name,
        dry_run=bool(form.dry_run.data),
    ), (422 if result.problems else 200)


@bp.route("/fournisseurs/iban", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def supplier_bank() -> ResponseReturnValue:
    """A supplier's IBAN/BIC (?nom=…): its invoices can then be paid by SEPA transfer."""
    form = SupplierBankForm()
    if request.method == "GET":
        known = suppliers.by_name(request.args.get("nom"))
        form.supplier.data = known.name if known else request.args.get("nom", "")
        if known is not None:
            form.supplier_iban.data, form.supplier_bic.data = known.iban, known.bic
    elif form.validate_on_submit():
        data = {
            "supplier": (form.supplier.data or "").strip(),
            "supplier_iban": form.supplier_iban.data or "",
            "supplier_bic": form.supplier_bic.data or "",
        }
        problems = suppliers.save_bank(data, user_id=_user_id())
        attach_problems(form, problems)
        if not problems:
            flash(
                _("Coordonnées bancaires de %(name)s enregistrées.", name=data["supplier"]),
                "success",
            )
            return redirect(url_for("expenses.index"))
    return render_template("expenses/supplier_bank.html", form=form)
