"""Payslip pages (back office only; members never see payslips): by month, by employee,
detail, documents from storage, the payroll journal, a preview and the simulator."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accounting.months import Month
from eage.auth.roles import ACCOUNTANT, ADMIN, BACK_OFFICE, OPERATIONS, roles_required
from eage.books.errors import BooksError
from eage.core.services import parse_month
from eage.extensions import db
from eage.models import Employee, MonthLock, StoredDocument
from eage.models.payroll import Payslip
from eage.payslips import salary_tax, services, settlements
from eage.payslips.forms import SimulatorForm
from eage.storage import read

bp = Blueprint("payslips", __name__, url_prefix="/paie")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _payslip_or_404(payslip_id: int) -> Payslip:
    row = db.session.get(Payslip, payslip_id)
    if row is None:
        abort(404)
    return row


def _month_arg(default: date | None = None) -> date:
    raw = request.args.get("mois")
    month = parse_month(raw)
    if raw and month is None:
        abort(400, _("mois attendu au format AAAA-MM"))
    if month is None:
        latest = services.months_with_payslips()
        month = parse_month(latest[0]) if latest else None
    return month or default or date.today().replace(day=1)


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    month = _month_arg()
    rows = services.month_payslips(month)
    employees = services.employees_under_contract(month)
    issued_ids = {r.employee_id for r in rows}
    return render_template(
        "payslips/index.html",
        month=month,
        rows=rows,
        totals=services.month_totals(month),
        months=services.months_with_payslips(),
        pending=[e for e in employees if e.id not in issued_ids],
        key=Month.of(month).key,
    )


@bp.route("/salarie/<int:employee_id>")
@roles_required(*BACK_OFFICE)
def by_employee(employee_id: int) -> str:
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    return render_template(
        "payslips/employee.html", employee=employee, rows=services.employee_payslips(employee_id)
    )


@bp.route("/bulletin/<int:payslip_id>")
@roles_required(*BACK_OFFICE)
def detail(payslip_id: int) -> str:
    row = _payslip_or_404(payslip_id)
    return render_template(
        "payslips/detail.html",
        p=row,
        sections=services.grouped_lines(row),
        totals=services.display_totals(row, row.pas_rate),
        employee=row.employee_snapshot,
        employer=row.employer_snapshot,
    )


def _send(doc: StoredDocument | None) -> Response:
    if doc is None:
        abort(404)
    return send_file(
        io.BytesIO(read(doc)),
        mimetype=doc.media_type,
        as_attachment=True,
        download_name=doc.filename,
    )


@bp.route("/bulletin/<int:payslip_id>.pdf")
@roles_required(*BACK_OFFICE)
def pdf(payslip_id: int) -> Response:
    return _send(_payslip_or_404(payslip_id).pdf_document)


@bp.route("/bulletin/<int:payslip_id>.docx")
@roles_required(*BACK_OFFICE)
def docx(payslip_id: int) -> Response:
    return _send(_payslip_or_404(payslip_id).docx_document)


def _journal_month(month: str) -> date:
    first = parse_month(month)
    if first is None:
        abort(404)
    if not services.month_payslips(first):
        abort(404, _("aucun bulletin émis pour ce mois"))
    return first


@bp.route("/journal/<month>.pdf")
@roles_required(*BACK_OFFICE)
def journal_pdf(month: str) -> Response:
    first = _journal_month(month)
    return send_file(
        io.BytesIO(services.journal_pdf_bytes(first)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"journal-paie-{month}.pdf",
    )


@bp.route("/journal/<month>.xlsx")
@roles_required(*BACK_OFFICE)
def journal_xlsx(month: str) -> Response:
    first = _journal_month(month)
    return send_file(
        io.BytesIO(services.journal_xlsx_bytes(first)),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"journal-paie-{month}.xlsx",
    )


@bp.route("/apercu/<int:employee_id>")
@roles_required(*BACK_OFFICE)
def preview(employee_id: int) -> str:
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    month = _month_arg(date.today().replace(day=1))
    error, comp = None, None
    try:
        comp = services.compute_preview(employee, month)
    except services.PayslipError as exc:
        error = str(exc)
    return render_template(
        "payslips/preview.html",
        employee=employee,
        month=month,
        comp=comp,
        error=error,
        key=Month.of(month).key,
        sections=services.engine_sections(comp.payslip) if comp else [],
        totals=services.display_totals(comp.payslip, employee.pas_rate) if comp else None,
    )


@bp.route("/simulateur")
@roles_required(*BACK_OFFICE)
def simulator() -> str:
    form = SimulatorForm(request.args)
    if not request.args:
        form.month.data = Month.of(date.today()).key
        form.weekly_hours.data = form.weekly_hours.default
    result, error = None, None
    if request.args and form.validate():
        month = parse_month(form.month.data)
        assert month is not None and form.gross.data is not None
        assert form.weekly_hours.data is not None  # InputRequired
        try:
            result = services.simulate(
                form.gross.data,
                month,
                weekly_hours=form.weekly_hours.data,
                cadre=bool(form.cadre.data),
                atmp_percent=form.atmp_rate.data,
                health_insurance_monthly=form.health_insurance.data,
                health_employer_share_percent=form.health_employer_share.data,
            )
        except services.PayslipError as exc:
            error = str(exc)
    return render_template(
        "payslips/simulator.html",
        form=form,
        result=result,
        error=error,
        sections=services.engine_sections(result.payslip) if result else [],
        totals=services.display_totals(result.payslip, Decimal(0)) if result else None,
    )


# --------------------------------------------------------------------------- settlements


def _settle_posted(key: str) -> Response | None:
    """Record the settlement posted by the form; flash the result or every problem."""
    if current_user.role not in OPERATIONS:
        abort(403)
    kind = request.form.get("kind", "")
    raw_day = (request.form.get("date") or "").strip()
    try:
        day = date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        flash(_("Date de paiement invalide : %(d)s", d=raw_day), "danger")
        return None
    try:
        row = settlements.settle(
            key, kind, day, reference=request.form.get("reference"), user_id=current_user.id
        )
    except BooksError as exc:
        db.session.rollback()
        for message in exc.messages():
            flash(message, "danger")
        return None
    flash(_("Paiement enregistré : %(amount)s €.", amount=row.amount), "success")
    return redirect(url_for("payslips.settlements_page", mois=key))


@bp.route("/reglements", methods=["GET", "POST"])
@roles_required(ACCOUNTANT, ADMIN)
def settlements_page() -> str | Response:
    """A closed month's payroll debts (421 / 431 / 437 / 4421) and their payments."""
    month = _month_arg()
    key = Month.of(month).key
    if request.method == "POST":
        done = _settle_posted(key)
        if done is not None:
            return done
    return render_template(
        "payslips/settlements.html",
        month=month,
        key=key,
        rows=settlements.month_settlements(key),
        closed=db.session.get(MonthLock, key) is not None,
        labels=settlements.KIND_LABELS,
        months=services.months_with_payslips(),
    )


# --------------------------------------------------------------------------- salary tax


@bp.route("/taxe-sur-les-salaires", methods=["GET", "POST"])
@roles_required(*BACK_OFFICE)
def salary_tax_page() -> str | Response:
    """The year's taxe sur les salaires: ratio, per-employee base and tax, allowance, due;
    the accountant posts it at 31/12 when it is due."""
    raw = request.values.get("annee") or ""
    year = int(raw) if raw.isdigit() and len(raw) == 4 else date.today().year
    if request.method == "POST":
        if current_user.role not in OPERATIONS:
            abort(403)
        try:
            row = salary_tax.post(year, user_id=current_user.id)
        except BooksError as exc:
            db.session.rollback()
            for message in exc.messages():
                flash(message, "danger")
        else:
            flash(_("Taxe sur les salaires comptabilisée : %(n)s.", n=row.number), "success")
            return redirect(url_for("payslips.salary_tax_page", annee=year))
    return render_template("payslips/salary_tax.html", year=year, computed=salary_tax.compute(year))
