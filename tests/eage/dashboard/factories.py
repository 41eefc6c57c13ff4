"""Data factories for the dashboard tests (unit and browser): issued payslips, time,
expenses, income and invoices written directly — the dashboard only reads their totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from accounting.money import CENT, ROUND_HALF_EVEN
from eage.dashboard import cache
from eage.demo import load_demo
from eage.extensions import db
from eage.models import Member, MonthLock, PlannedHours, Service, ServiceRate, TimesheetEntry
from tests.factories import (  # noqa: F401  (re-exported for the dashboard tests)
    add_expense,
    add_income,
    add_invoice,
    add_payslip,
    add_time,
    employee,
    member,
    service,
)

D = Decimal


JANUARY = (date(2026, 1, 1), date(2026, 1, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


def close_months(*months: str) -> None:
    """Lock `months` ("2026-01"…) as the close does (the dashboard says which months are
    closed from the locks); their time stays in the timesheet rows (not summarised)."""
    locked = set(db.session.scalars(select(MonthLock.month)))
    for key in months:
        if key not in locked:  # a demo that closes its months already did
            db.session.add(MonthLock(month=key))
    db.session.commit()
    cache.clear()  # figures kept from another test's closed months: never reused here


def two_months() -> None:
    """January and February 2026 of the demo group (hand computations in test_services)."""
    for month in ("2026-01", "2026-02"):
        add_payslip("KBENALI", month, "2400.00", "600.00")  # 3 000.00
        add_payslip("CMARTIN", month, "800.00", "200.00", "50.00")  # 950.00
    add_time("2026-01", "KBENALI", "LEFIL", "PAIE", 3600)
    add_time("2026-01", "KBENALI", "GAGA", "GESTION", 1800)
    add_time("2026-01", "KBENALI", None, "CP", 600)
    add_time("2026-01", "KBENALI", None, "GESTION", 120)
    add_time("2026-01", "CMARTIN", "GAGA", "GESTION", 1200)
    add_time("2026-02", "KBENALI", "LEFIL", "PAIE", 2400)
    add_time("2026-02", "CMARTIN", "LEFIL", "GESTION", 600)
    add_time("2026-03", "CMARTIN", "LEFIL", "GESTION", 420)  # after the last payslips: not yet
    add_expense("2026-01-05", "300.00", "613200")
    add_expense("2026-02-05", "300.00", "613200")
    add_expense("2026-02-10", "50.00", "606400")  # no budget line for it
    add_expense("2026-03-05", "300.00", "613200")  # after the reporting month
    add_income("2026-02-15", "100.00")
    add_invoice("LEFIL", "invoice", "monthly", JANUARY, [("service", "PAIE", "2000.00")])
    add_invoice("LEFIL", "invoice", "fee", JANUARY, [("fee", None, "3120.00")])
    add_invoice("GAGA", "invoice", "monthly", JANUARY, [("service", "GESTION", "1000.00")])
    add_invoice("LEFIL", "credit_note", "monthly", FEBRUARY, [("service", "PAIE", "100.00")])
    # GAGA's convention: 52 h of GESTION (50 h consumed → past 90 %).
    gaga = db.session.scalar(
        select(PlannedHours)
        .join(Member)
        .join(Service)
        .where(Member.code == "GAGA", Service.code == "GESTION", PlannedHours.year == 2026)
    )
    gaga.hours = D("52.00")
    db.session.commit()
    close_months("2026-01", "2026-02")


def realistic_year(today: date = date(2026, 11, 28)) -> None:
    """A plausible 2026 for the demo group, closed to the end of October: the demo's
    generated time (January to `today`), payslips, monthly invoices at the year's rates
    (computed from grouped minutes), overheads and a subsidy. For the browser test's eyes."""
    load_demo(2026, today=today, with_time=True)
    pay = {
        "CMARTIN": ("2950.00", "1327.50", "0.00"),
        "KBENALI": ("2400.00", "1008.00", "180.00"),
        "JFOURNIER": ("1250.00", "525.00", "260.00"),
    }
    for m in range(1, 11):
        for emp, (gross, employer, reductions) in pay.items():
            add_payslip(emp, f"2026-{m:02d}", gross, employer, reductions)
    rates = {
        code: rate
        for code, rate in db.session.execute(
            select(Service.code, ServiceRate.rate).join(ServiceRate).where(ServiceRate.year == 2026)
        )
    }
    month = extract("month", TimesheetEntry.date)
    grouped = db.session.execute(
        select(Member.code, Service.code, month, func.sum(TimesheetEntry.minutes))
        .join(Member, TimesheetEntry.member_id == Member.id)
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(TimesheetEntry.date < date(2026, 11, 1))
        .group_by(Member.code, Service.code, month)
    ).all()
    per_invoice: dict[tuple[str, int], list[tuple[str, str | None, str]]] = {}
    for member_code, service_code, m, minutes in grouped:
        amount = (D(minutes) * rates[service_code] / 60).quantize(CENT, rounding=ROUND_HALF_EVEN)
        per_invoice.setdefault((member_code, int(m)), []).append(
            ("service", service_code, str(amount))
        )
    for (member_code, m), lines in sorted(per_invoice.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        last = 31 if m in (1, 3, 5, 7, 8, 10, 12) else (28 if m == 2 else 30)
        add_invoice(
            member_code,
            "invoice",
            "monthly",
            (date(2026, m, 1), date(2026, m, last)),
            sorted(lines),
        )
    for m in range(1, 11):
        add_expense(f"2026-{m:02d}-05", "300.00", "613200")
        add_expense(f"2026-{m:02d}-10", "215.00", "651100")
        add_expense(f"2026-{m:02d}-12", "95.00", "626000")
        add_expense(f"2026-{m:02d}-28", "38.50", "627000")
    add_expense("2026-01-15", "900.00", "616000")
    add_expense("2026-03-20", "1800.00", "622600")
    add_expense("2026-06-08", "1350.00", "633300")
    add_expense("2026-09-21", "420.00", "606400")
    add_income("2026-04-15", "5000.00")
    close_months(*(f"2026-{m:02d}" for m in range(1, 11)))
