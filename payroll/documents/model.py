"""What a payslip document prints, as plain data (no Flask, no database).

The payslip itself is the engine's JSON form (:meth:`payroll.PayslipResult.to_json_dict`):
amounts are two-decimal strings and rates percentages, so a document renders the same whether
it comes straight from :func:`payroll.compute_payslip` or from an issued payslip read back from
the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from accounting.money import ZERO, D

__all__ = ["Employer", "EmployeeIdentity", "JournalRow", "PaidLeave", "PayslipDocument"]


def _date_or_none(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Employer:
    """The employer as printed (art. R3243-1 1° and 2° C. trav.)."""

    name: str
    legal_form: str
    address: str
    postcode: str
    city: str
    siret: str
    ape_code: str
    collective_agreement: str

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "legal_form": self.legal_form,
            "address": self.address,
            "postcode": self.postcode,
            "city": self.city,
            "siret": self.siret,
            "ape_code": self.ape_code,
            "collective_agreement": self.collective_agreement,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Employer:
        return cls(**{key: str(data.get(key) or "") for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class EmployeeIdentity:
    """The employee as printed (art. R3243-1 3° C. trav.). The social security number is
    printed in full on the payslip only."""

    code: str
    name: str
    job: str
    classification: str
    social_security_number: str
    contract_kind: str
    hire_date: date | None
    weekly_hours: Decimal
    monthly_gross: Decimal
    cadre: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "job": self.job,
            "classification": self.classification,
            "social_security_number": self.social_security_number,
            "contract_kind": self.contract_kind,
            "hire_date": self.hire_date.isoformat() if self.hire_date else None,
            "weekly_hours": f"{self.weekly_hours:f}",
            "monthly_gross": f"{self.monthly_gross:f}",
            "cadre": self.cadre,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EmployeeIdentity:
        return cls(
            code=str(data.get("code") or ""),
            name=str(data.get("name") or ""),
            job=str(data.get("job") or ""),
            classification=str(data.get("classification") or ""),
            social_security_number=str(data.get("social_security_number") or ""),
            contract_kind=str(data.get("contract_kind") or ""),
            hire_date=_date_or_none(data.get("hire_date")),
            weekly_hours=D(str(data.get("weekly_hours") or "0")),
            monthly_gross=D(str(data.get("monthly_gross") or "0")),
            cadre=bool(data.get("cadre")),
        )


@dataclass(frozen=True)
class PaidLeave:
    """Paid leave in working days (jours ouvrés): 2.08 days acquired per month worked (25 days
    a year, art. L3141-3 C. trav. counted in working days), over the reference period that
    starts on 1 June (art. R3141-4). Leave taken comes from the ``CP`` timesheet entries;
    its pay is the salary maintained (art. L3141-24 II)."""

    period_start: date
    acquired_month: Decimal = ZERO
    acquired_period: Decimal = ZERO
    taken_month: Decimal = ZERO
    taken_period: Decimal = ZERO
    taken_dates: tuple[date, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "period_start": self.period_start.isoformat(),
            "acquired_month": f"{self.acquired_month:f}",
            "acquired_period": f"{self.acquired_period:f}",
            "taken_month": f"{self.taken_month:f}",
            "taken_period": f"{self.taken_period:f}",
            "taken_dates": [d.isoformat() for d in self.taken_dates],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PaidLeave:
        start = _date_or_none(data.get("period_start"))
        if start is None:
            raise ValueError("paid leave without its reference period")
        return cls(
            period_start=start,
            acquired_month=D(str(data.get("acquired_month") or "0")),
            acquired_period=D(str(data.get("acquired_period") or "0")),
            taken_month=D(str(data.get("taken_month") or "0")),
            taken_period=D(str(data.get("taken_period") or "0")),
            taken_dates=tuple(
                d for d in (_date_or_none(x) for x in data.get("taken_dates") or ()) if d
            ),
        )


@dataclass(frozen=True)
class PayslipDocument:
    """Everything a payslip prints. ``payslip`` is the engine's JSON form; ``pas_rate`` the
    withholding-tax rate as a fraction."""

    number: str
    period_start: date
    period_end: date
    payment_date: date
    employer: Employer
    employee: EmployeeIdentity
    payslip: Mapping[str, Any]
    pas_rate: Decimal
    leave: PaidLeave
    extra_hours_by_week: Mapping[str, Decimal] = field(default_factory=dict)
    payment_method: str = "virement"


@dataclass(frozen=True)
class JournalRow:
    """One employee's issued payslip in the monthly payroll journal."""

    employee_code: str
    employee_name: str
    number: str
    payslip: Mapping[str, Any]
