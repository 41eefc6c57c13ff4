"""Shared staff and their contracts: validation (every problem at once), changes, audit.

The social security number (NIR) is checked with python-stdnum (13 digits + 2-digit key)
and is never shown in full outside payslips (SPEC §3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.fr import nir

from accounting.problems import Problem
from accounting.texts import N_
from eage import audit
from eage.extensions import db
from eage.filters import fr_date, tr
from eage.models import Contract, Employee
from eage.sepa import rules

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
CONTRACT_KINDS = {
    "CDI": N_("CDI (durée indéterminée)"),
    "CDD": N_("CDD (durée déterminée)"),
}
# Legal weekly maximum (art. L3121-20 C. trav.).
MAX_WEEKLY_HOURS = Decimal("48")
EMPLOYEE_FIELDS = (
    "code",
    "first_name",
    "last_name",
    "job",
    "classification",
    "email",
    "pas_rate",
    "iban",
    "bic",
)
CONTRACT_FIELDS = ("kind", "start_date", "end_date", "weekly_hours", "monthly_gross", "cadre")


def normalise_employee(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if out.get("code"):
        out["code"] = out["code"].strip().upper()
    if out.get("email"):
        out["email"] = out["email"].strip().lower()
    if out.get("social_security_number"):
        out["social_security_number"] = nir.compact(out["social_security_number"]).upper()
    for key in ("iban", "bic"):  # the salary's account (SEPA transfer)
        if key in out:
            out[key] = "".join((out[key] or "").split()).upper() or None
    return out


def check_employee(data: dict[str, Any], employee_id: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    code = data.get("code")
    if code:
        if not CODE_PATTERN.match(code):
            problems.append(
                Problem(
                    "code",
                    tr("Code invalide : 2 à 20 lettres majuscules, chiffres, « - » ou « _ »."),
                )
            )
        else:
            clash = db.session.scalar(select(Employee.id).where(func.upper(Employee.code) == code))
            if clash is not None and clash != employee_id:
                problems.append(
                    Problem(
                        "code",
                        tr(
                            "Le code « %(code)s » est déjà utilisé par un autre salarié.", code=code
                        ),
                    )
                )
    ssn = data.get("social_security_number")
    if ssn:
        try:
            nir.validate(ssn)
        except InvalidLength:
            problems.append(
                Problem(
                    "social_security_number",
                    tr("Numéro de sécurité sociale invalide : 15 caractères attendus (13 + clé)."),
                )
            )
        except InvalidChecksum:
            problems.append(
                Problem(
                    "social_security_number",
                    tr("Numéro de sécurité sociale invalide : la clé ne correspond pas."),
                )
            )
        except ValidationError:
            problems.append(
                Problem("social_security_number", tr("Numéro de sécurité sociale invalide."))
            )
    problems.extend(_account_problems(data))
    return problems


def _account_problems(data: dict[str, Any]) -> list[Problem]:
    """The salary's IBAN and BIC, when given (eage/sepa/rules.py: ISO 13616, ISO 9362)."""
    problems = []
    if data.get("iban") and (why := rules.iban_problem(data["iban"])):
        problems.append(Problem("iban", why + "."))
    if data.get("bic") and (why := rules.bic_problem(data["bic"])):
        problems.append(Problem("bic", why + "."))
    return problems


def create_employee(data: dict[str, Any]) -> Employee:
    employee = Employee()
    for key in (*EMPLOYEE_FIELDS, "social_security_number"):
        if key in data:
            setattr(employee, key, data[key])
    if employee.pas_rate is None:
        employee.pas_rate = Decimal("0.00")
    db.session.add(employee)
    db.session.flush()
    audit.record(
        "create",
        "employee",
        employee.id,
        after=_masked(audit.snapshot(employee)),
        summary=employee.code,
    )
    db.session.commit()
    return employee


def update_employee(employee: Employee, data: dict[str, Any]) -> Employee:
    """`social_security_number` is replaced only when a new one is given."""
    before = _masked(audit.snapshot(employee))
    for key in EMPLOYEE_FIELDS:
        if key in data:
            setattr(employee, key, data[key])
    if employee.pas_rate is None:
        employee.pas_rate = Decimal("0.00")
    if data.get("social_security_number"):
        employee.social_security_number = data["social_security_number"]
    db.session.flush()
    after = _masked(audit.snapshot(employee))
    if before != after:
        audit.record(
            "update", "employee", employee.id, before=before, after=after, summary=employee.code
        )
    db.session.commit()
    return employee


def _masked(snap: dict[str, Any]) -> dict[str, Any]:
    """The audit log is readable on a page: it keeps only the end of the SSN."""
    ssn = snap.get("social_security_number")
    if ssn:
        snap["social_security_number"] = "…" + ssn[-4:]
    return snap


# --- contracts ---------------------------------------------------------------------------


def _period(start: date, end: date | None) -> str:
    return (
        f"du {fr_date(start)} au {fr_date(end)}"
        if end
        else f"à partir du {fr_date(start)} (sans date de fin)"
    )


def check_contract(
    employee: Employee, data: dict[str, Any], contract_id: int | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        problems.append(
            Problem(
                "end_date", tr("La date de fin doit être postérieure ou égale à la date de début.")
            )
        )
    hours = data.get("weekly_hours")
    if hours is not None and not (Decimal("0") < hours <= MAX_WEEKLY_HOURS):
        problems.append(
            Problem(
                "weekly_hours",
                tr(
                    "La durée hebdomadaire doit être supérieure à 0 et au plus 48 h"
                    " (art. L3121-20 C. trav.)."
                ),
            )
        )
    if start and (end is None or end >= start):
        for other in employee.contracts:
            if other.id == contract_id or other.id is None:
                continue
            overlaps = (other.end_date is None or start <= other.end_date) and (
                end is None or other.start_date <= end
            )
            if overlaps:
                problems.append(
                    Problem(
                        "start_date",
                        tr(
                            "Ce contrat chevauche le contrat %(kind)s %(value)s : les contrats "
                            "d'un salarié ne peuvent pas se recouvrir.",
                            kind=other.kind,
                            value=_period(other.start_date, other.end_date),
                        ),
                    )
                )
    return problems


def add_contract(employee: Employee, data: dict[str, Any]) -> Contract:
    contract = Contract(**{k: data[k] for k in CONTRACT_FIELDS})
    employee.contracts.append(contract)
    db.session.flush()
    audit.record(
        "create",
        "contract",
        contract.id,
        after=audit.snapshot(contract),
        summary=f"{employee.code} {contract.kind} {contract.start_date.isoformat()}",
    )
    db.session.commit()
    return contract


def update_contract(contract: Contract, data: dict[str, Any]) -> Contract:
    before = audit.snapshot(contract)
    for key in CONTRACT_FIELDS:
        setattr(contract, key, data[key])
    db.session.flush()
    after = audit.snapshot(contract)
    if before != after:
        audit.record(
            "update",
            "contract",
            contract.id,
            before=before,
            after=after,
            summary=f"{contract.employee.code} {contract.kind} {contract.start_date.isoformat()}",
        )
    db.session.commit()
    return contract


# --- read models -------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeRow:
    employee: Employee
    contract: Contract | None
    current: bool  # the contract covers today (else: the last one, ended or not yet started)


def employee_list(today: date) -> tuple[list[EmployeeRow], Decimal]:
    """Employees with their current contract, and the total FTE under contract today."""
    employees = db.session.scalars(
        select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.code)
    ).all()
    rows = []
    total_fte = Decimal("0")
    for e in employees:
        contract = e.current_contract(today)
        covers = contract is not None and contract.covers(today)
        if covers and contract is not None:
            total_fte += contract.fte
        rows.append(EmployeeRow(e, contract, covers))
    return rows, total_fte
