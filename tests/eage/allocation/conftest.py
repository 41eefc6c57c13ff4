"""Factories for the allocation tests: minimal issued payslips and invoices written
directly (the allocation only reads their totals), timesheet entries, expenses, income."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.extensions import db
from eage.models import (
    ApiToken,
    Employee,
    Expense,
    Invoice,
    InvoiceLine,
    Member,
    OperatingIncome,
    Payslip,
    Service,
    TimesheetEntry,
    User,
)
from tests.conftest import ROLE_EMAILS

D = Decimal


def employee(code: str) -> Employee:
    return db.session.scalar(select(Employee).where(Employee.code == code))


def member(code: str) -> Member:
    return db.session.scalar(select(Member).where(Member.code == code))


def service(code: str) -> Service:
    return db.session.scalar(select(Service).where(Service.code == code))


def add_time(month: str, emp: str, mem: str | None, activity: str, minutes: int) -> None:
    """`minutes` spread over days of `month` at most 7 h a day (from the 1st)."""
    year, mon = (int(p) for p in month.split("-"))
    svc = db.session.scalar(select(Service).where(Service.code == activity))
    day = 1
    while minutes > 0:
        chunk = min(minutes, 420)
        db.session.add(TimesheetEntry(
            date=date(year, mon, day), employee=employee(emp), member=member(mem) if mem else None,
            service=svc, absence_code=None if svc else activity, minutes=chunk))
        minutes -= chunk
        day += 1
    db.session.commit()


def add_payslip(emp: str, month: str, gross: str, employer: str) -> Payslip:
    """A minimal issued payslip: employer cost = gross + employer contributions."""
    g, er = D(gross), D(employer)
    year, mon = (int(p) for p in month.split("-"))
    slip = Payslip(
        number=f"BP-{month}-{emp}", employee=employee(emp), month=month,
        period_start=date(year, mon, 1), period_end=date(year, mon, 28), payment_date=date(year, mon, 28),
        issue_date=date(year, mon, 28), status="issued", gross=g, employee_contributions=D("0.00"),
        employer_contributions=er, rgdu=D("0.00"), reductions=D("0.00"), net_social=g,
        net_before_tax=g, net_taxable=g, tax_withheld=D("0.00"), net_paid=g, employer_cost=g + er,
        pas_rate=D("0.00"), contract_hours=D("151.67"), extra_hours=D("0.00"),
        unpaid_absence_hours=D("0.00"), worked_hours=D("151.67"), earnings=[], lines=[],
        rgdu_coefficient=D("0.0000"), rgdu_ytd={}, extra_hours_by_week={}, paid_leave={},
        employee_snapshot={}, employer_snapshot={}, reference_model="test")
    db.session.add(slip)
    db.session.commit()
    return slip


def add_invoice(mem: str, kind: str, origin: str, period: tuple[date, date],
                lines: list[tuple[str, str | None, str]]) -> Invoice:
    """lines: (kind, service code, amount); totals excl. tax, no VAT."""
    year = period[0].year
    seq = (db.session.scalar(select(func.count(Invoice.id)).where(Invoice.kind == kind)) or 0) + 1
    total = sum((D(a) for _k, _s, a in lines), D("0.00"))
    inv = Invoice(
        number=f"{'F' if kind == 'invoice' else 'A'}-{year}-{seq:04d}", kind=kind, origin=origin,
        year=year, seq=seq, member=member(mem), issue_date=period[1], period_start=period[0],
        period_end=period[1], vat_regime="exempt_261B", total_excl_tax=total, vat=D("0.00"),
        total_incl_tax=total, due_date=period[1], status="issued", seller={}, buyer={})
    for pos, (line_kind, svc, amount) in enumerate(lines, start=1):
        inv.lines.append(InvoiceLine(position=pos, kind=line_kind, service=service(svc) if svc else None,
                                     label=line_kind, amount=D(amount)))
    db.session.add(inv)
    db.session.commit()
    return inv


def add_expense(day: str, amount: str, account: str = "613200") -> None:
    db.session.add(Expense(date=date.fromisoformat(day), account=account, label="Loyer", amount=D(amount)))
    db.session.commit()


def add_income(day: str, amount: str) -> None:
    db.session.add(OperatingIncome(date=date.fromisoformat(day), account="740000",
                                   label="Subvention", amount=D(amount)))
    db.session.commit()


@pytest.fixture()
def october(demo: None) -> None:
    """The hand-computed period of test_services.test_allocation_by_hand."""
    add_payslip("KBENALI", "2026-10", "2400.00", "600.00")     # 3 000.00
    add_payslip("CMARTIN", "2026-10", "800.00", "200.00")      # 1 000.00
    add_payslip("JFOURNIER", "2026-10", "400.00", "100.00")    # 500.00, no time
    add_payslip("KBENALI", "2026-11", "2400.00", "600.00")     # outside the period
    add_time("2026-10", "KBENALI", "LEFIL", "PAIE", 3600)
    add_time("2026-10", "KBENALI", "GAGA", "GESTION", 1800)
    add_time("2026-10", "KBENALI", None, "CP", 600)
    add_time("2026-10", "CMARTIN", "GAGA", "GESTION", 1200)
    add_time("2026-11", "CMARTIN", "LEFIL", "GESTION", 420)   # outside the period
    add_expense("2026-10-05", "400.00")
    add_expense("2026-11-05", "999.00")                        # outside the period
    add_income("2026-10-15", "200.00")
    october_period = (date(2026, 10, 1), date(2026, 10, 31))
    add_invoice("LEFIL", "invoice", "monthly", october_period,
                [("service", "PAIE", "1500.00")])
    add_invoice("LEFIL", "credit_note", "monthly", october_period,
                [("service", "PAIE", "100.00")])
    add_invoice("LEFIL", "invoice", "fee", october_period, [("fee", None, "3120.00")])
    add_invoice("GAGA", "invoice", "monthly", (date(2026, 11, 1), date(2026, 11, 30)),
                [("service", "GESTION", "77.00")])             # outside the period


@pytest.fixture()
def token_for(demo: None) -> Callable[[str], dict[str, str]]:
    def _token(role: str) -> dict[str, str]:
        user = db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _token
