"""Shared staff: list, detail with contract history, create/edit employee and contracts."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.forms_fr import attach_problems
from eage.models import Contract, Employee
from eage.staff import services
from eage.staff.forms import ContractForm, EmployeeForm

bp = Blueprint("staff", __name__, url_prefix="/salaries")


def _employee_or_404(employee_id: int) -> Employee:
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    return employee


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    rows, total_fte = services.employee_list(date.today())
    return render_template("staff/index.html", rows=rows, total_fte=total_fte)


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def create() -> str | Response:
    form = EmployeeForm()
    if form.is_submitted():
        ok = form.validate()
        data = services.normalise_employee(form.data_for_service())
        problems = services.check_employee(data)
        attach_problems(form, problems)
        if ok and not problems:
            employee = services.create_employee(data)
            flash(
                _("Salarié %(code)s créé. Ajoutez maintenant son contrat.", code=employee.code),
                "success",
            )
            return redirect(url_for("staff.add_contract", employee_id=employee.id))
    return render_template("staff/form.html", form=form, employee=None)


@bp.route("/<int:employee_id>")
@roles_required(*BACK_OFFICE)
def detail(employee_id: int) -> str:
    employee = _employee_or_404(employee_id)
    today = date.today()
    return render_template(
        "staff/detail.html",
        employee=employee,
        today=today,
        current=employee.contract_on(today),
        kinds=services.CONTRACT_KINDS,
    )


@bp.route("/<int:employee_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def edit(employee_id: int) -> str | Response:
    employee = _employee_or_404(employee_id)
    form = EmployeeForm(obj=employee)
    if not form.is_submitted():
        form.social_security_number.data = ""  # never sent back to the browser
    else:
        ok = form.validate()
        data = services.normalise_employee(form.data_for_service())
        problems = services.check_employee(data, employee.id)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_employee(employee, data)
            flash(_("Salarié %(code)s enregistré.", code=employee.code), "success")
            return redirect(url_for("staff.detail", employee_id=employee.id))
        form.social_security_number.raw_data = None
        form.social_security_number.data = ""
    return render_template("staff/form.html", form=form, employee=employee)


@bp.route("/<int:employee_id>/contrats/nouveau", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def add_contract(employee_id: int) -> str | Response:
    employee = _employee_or_404(employee_id)
    form = ContractForm()
    if form.is_submitted():
        ok = form.validate()
        data = form.data_for_service()
        problems = services.check_contract(employee, data)
        attach_problems(form, problems)
        if ok and not problems:
            services.add_contract(employee, data)
            flash(_("Contrat ajouté."), "success")
            return redirect(url_for("staff.detail", employee_id=employee.id))
    return render_template("staff/contract.html", form=form, employee=employee, contract=None)


@bp.route("/<int:employee_id>/contrats/<int:contract_id>/modifier", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def edit_contract(employee_id: int, contract_id: int) -> str | Response:
    employee = _employee_or_404(employee_id)
    contract = db.session.get(Contract, contract_id)
    if contract is None or contract.employee_id != employee.id:
        abort(404)
    form = ContractForm(obj=contract)
    if form.is_submitted():
        ok = form.validate()
        data = form.data_for_service()
        problems = services.check_contract(employee, data, contract.id)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_contract(contract, data)
            flash(_("Contrat enregistré."), "success")
            return redirect(url_for("staff.detail", employee_id=employee.id))
    return render_template("staff/contract.html", form=form, employee=employee, contract=contract)
