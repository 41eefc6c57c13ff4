"""Rows written directly for the allocation, dashboard and expenses tests: issued payslips,
time, expenses, income and invoices — those features only read their totals, so the
issuing path (tested in tests/eage/closing) is not needed to make them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import (
    Employee,
    Expense,
    Invoice,
    InvoiceLine,
    Member,
    OperatingIncome,
    Payslip,
    Service,
    TimesheetEntry,
)

D = Decimal


def employee(code: str) -> Employee:
    return db.session.scalar(select(Employee).where(Employee.code == code))


def member(code: str) -> Member:
    return db.session.scalar(select(Member).where(Member.code == code))


def service(code: str) -> Service:
    return db.session.scalar(select(Service).where(Service.code == code))


def add_time(month: str, emp: str, mem: str | None, activity: str, minutes: int) -> None:
    """`minutes` over the working days of `month`, at most 7 h a day, from the first."""
    year, mon = (int(p) for p in month.split("-"))
    svc = service(activity)
    day = date(year, mon, 1)
    while minutes > 0:
        if day.weekday() < 5:
            chunk = min(minutes, 420)
            db.session.add(
                TimesheetEntry(
                    date=day,
                    employee=employee(emp),
                    member=member(mem) if mem else None,
                    service=svc,
                    absence_code=None if svc else activity,
                    minutes=chunk,
                )
            )
            minutes -= chunk
        day = date.fromordinal(day.toordinal() + 1)
    db.session.commit()


def add_payslip(
    emp: str, month: str, gross: str, employer: str, reductions: str = "0.00"
) -> Payslip:
    """A minimal issued payslip: employer cost = gross + employer contributions − reductions."""
    g, er, red = D(gross), D(employer), D(reductions)
    year, mon = (int(p) for p in month.split("-"))
    slip = Payslip(
        number=f"BP-{month}-{emp}",
        employee=employee(emp),
        month=month,
        period_start=date(year, mon, 1),
        period_end=date(year, mon, 28),
        payment_date=date(year, mon, 28),
        issue_date=date(year, mon, 28),
        status="issued",
        gross=g,
        employee_contributions=D("0.00"),
        employer_contributions=er,
        rgdu=red,
        reductions=red,
        net_social=g,
        net_before_tax=g,
        net_taxable=g,
        tax_withheld=D("0.00"),
        net_paid=g,
        employer_cost=g + er - red,
        pas_rate=D("0.00"),
        contract_hours=D("151.67"),
        extra_hours=D("0.00"),
        unpaid_absence_hours=D("0.00"),
        worked_hours=D("151.67"),
        earnings=[],
        lines=[],
        rgdu_coefficient=D("0.0000"),
        # the year's cumulative RGDU figures, as an issued payslip carries them (the next
        # month's computation reads them: the close page's payslip preview)
        rgdu_ytd={"assiette": str(g), "smic_reference": "0.00", "reduction": str(red)},
        extra_hours_by_week={},
        paid_leave={},
        employee_snapshot={},
        employer_snapshot={},
        reference_model="test",
    )
    db.session.add(slip)
    db.session.commit()
    return slip


def add_invoice(
    mem: str,
    kind: str,
    origin: str,
    period: tuple[date, date],
    lines: list[tuple[str, str | None, str]],
) -> Invoice:
    """lines: (kind, service code, amount); no VAT."""
    year = period[0].year
    seq = (db.session.scalar(select(func.count(Invoice.id)).where(Invoice.kind == kind)) or 0) + 1
    total = sum((D(a) for _k, _s, a in lines), D("0.00"))
    inv = Invoice(
        number=f"{'F' if kind == 'invoice' else 'A'}-{year}-{seq:04d}",
        kind=kind,
        origin=origin,
        year=year,
        seq=seq,
        member=member(mem),
        issue_date=period[1],
        period_start=period[0],
        period_end=period[1],
        vat_regime="exempt_261B",
        total_excl_tax=total,
        vat=D("0.00"),
        total_incl_tax=total,
        due_date=period[1],
        status="issued",
        seller={},
        buyer={},
    )
    for pos, (line_kind, svc, amount) in enumerate(lines, start=1):
        inv.lines.append(
            InvoiceLine(
                position=pos,
                kind=line_kind,
                service=service(svc) if svc else None,
                label=line_kind,
                amount=D(amount),
            )
        )
    db.session.add(inv)
    db.session.commit()
    return inv


def add_expense(day: str, amount: str, account: str = "613200") -> None:
    db.session.add(
        Expense(date=date.fromisoformat(day), account=account, label="Dépense", amount=D(amount))
    )
    db.session.commit()


def add_income(day: str, amount: str) -> None:
    db.session.add(
        OperatingIncome(
            date=date.fromisoformat(day), account="740000", label="Subvention", amount=D(amount)
        )
    )
    db.session.commit()
