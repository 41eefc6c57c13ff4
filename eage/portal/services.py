"""The member portal's four answers (issue 18), read in the database for one member:

- what do we owe: balance, open items with due dates and days overdue, payments, credit
  notes applied, the GE's bank details and the reference to give;
- what did we consume: hours per service and month of the year (closed months; the others
  provisional), against the hours planned in the convention, with the share used;
- what will the year cost: invoiced so far, real cost and expected regularisation of the
  closed months only (issue 14: never a figure that mixes in time not closed nor invoiced);
- which documents: every invoice, credit note, time statement of a year.

Every query is scoped by the member's id, taken from the signed-in user or the API token,
never from the URL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select
from sqlalchemy.orm import selectinload

from accounting.money import ROUND_HALF_UP, ZERO
from accounting.months import Month
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import (
    CreditApplication,
    Employee,
    Invoice,
    Member,
    Organisation,
    Payment,
    PlannedHours,
    Service,
    StoredDocument,
    TimesheetEntry,
)
from eage.regularisation import months as year_months_service
from eage.regularisation import services as regularisation
from eage.sepa.debits import next_debit

WARNING_SHARE = Decimal("0.90")  # the share of the planned hours that calls for a warning


# ----------------------------------------------------------------------- what do we owe


@dataclass(frozen=True)
class OpenLine:
    number: str
    is_credit_note: bool
    issue_date: date
    due_date: date
    total: Decimal  # signed: a credit note negative
    open_amount: Decimal  # still owed (positive) or credit left to apply (negative)
    days_overdue: int


@dataclass(frozen=True)
class PaymentLine:
    day: date
    amount: Decimal
    method: str
    reference: str | None


@dataclass(frozen=True)
class CreditLine:
    day: date
    credit_note: str
    invoice: str
    amount: Decimal


@dataclass(frozen=True)
class DirectDebit:
    """The next SEPA direct debit of a member with a mandate (the bank issue, 16)."""

    day: date
    amount: Decimal


@dataclass(frozen=True)
class Owed:
    balance: Decimal
    overdue: Decimal
    open_lines: list[OpenLine]
    payments: list[PaymentLine]
    credits: list[CreditLine]
    payee: str
    iban: str | None
    bic: str | None
    reference: str
    next_debit: DirectDebit | None


def next_direct_debit(member: Member, today: date | None = None) -> DirectDebit | None:
    """The member's next SEPA direct debit (date and amount) when it has an active mandate:
    a batch already prepared for it, else its open invoices' next due date (eage/sepa)."""
    found = next_debit(member, today or date.today())
    return DirectDebit(day=found[0], amount=found[1]) if found else None


def owed(member: Member, today: date) -> Owed:
    items = invoicing.open_items(member.id)
    lines = [
        OpenLine(
            number=i.document.number,
            is_credit_note=i.document.is_credit_note,
            issue_date=i.document.issue_date,
            due_date=i.document.due_date,
            total=i.document.signed_total,
            open_amount=i.amount,
            days_overdue=max(0, (today - i.document.due_date).days)
            if not i.document.is_credit_note
            else 0,
        )
        for i in items
    ]
    payments = [
        PaymentLine(p.date, p.amount, p.method, p.reference)
        for p in db.session.scalars(
            select(Payment)
            .where(Payment.member_id == member.id)
            .order_by(Payment.date.desc(), Payment.id.desc())
        )
    ]
    credits = [
        CreditLine(a.date, a.credit_note.number, a.invoice.number, a.amount)
        for a in db.session.scalars(
            select(CreditApplication)
            .join(Invoice, CreditApplication.invoice_id == Invoice.id)
            .where(Invoice.member_id == member.id)
            .order_by(CreditApplication.date.desc(), CreditApplication.id.desc())
        )
    ]
    org = db.session.scalar(select(Organisation))
    return Owed(
        balance=invoicing.member_balance(member.id),
        overdue=sum((line.open_amount for line in lines if line.days_overdue > 0), ZERO),
        open_lines=lines,
        payments=payments,
        credits=credits,
        payee=org.name if org else "",
        iban=org.iban if org else None,
        bic=org.bic if org else None,
        reference=member.code,
        next_debit=next_direct_debit(member, today),
    )


# ------------------------------------------------------------------ what did we consume


@dataclass(frozen=True)
class ServiceConsumption:
    code: str
    label: str
    minutes_by_month: tuple[int, ...]  # 12 months, January first
    closed_minutes: int  # of the closed months
    provisional_minutes: int  # of the months not closed
    planned_hours: Decimal

    @property
    def minutes(self) -> int:
        return self.closed_minutes + self.provisional_minutes

    @property
    def share(self) -> Decimal | None:
        """Hours used (closed and provisional) over the hours planned; None if none planned."""
        if not self.planned_hours:
            return None
        return Decimal(self.minutes) / 60 / self.planned_hours

    @property
    def percent(self) -> Decimal | None:
        """The share as a whole percentage (ROUND_HALF_UP), for display."""
        share = self.share
        return None if share is None else (share * 100).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def planned_minutes(self) -> int:
        return int((self.planned_hours * 60).quantize(Decimal("1"), ROUND_HALF_UP))

    @property
    def warning(self) -> bool:
        return self.share is not None and self.share >= WARNING_SHARE


@dataclass(frozen=True)
class EmployeeHours:
    name: str
    service: str
    minutes: int


@dataclass(frozen=True)
class Consumption:
    year: int
    closed: frozenset[int]  # month numbers closed
    services: list[ServiceConsumption]
    employees: list[EmployeeHours] = field(default_factory=list)

    @property
    def minutes_by_month(self) -> tuple[int, ...]:
        return tuple(sum(s.minutes_by_month[i] for s in self.services) for i in range(12))

    @property
    def warnings(self) -> list[ServiceConsumption]:
        return [s for s in self.services if s.warning]

    @property
    def has_provisional(self) -> bool:
        return any(s.provisional_minutes for s in self.services)


def _minutes_by_service_month(member_id: int, year: int) -> dict[str, list[int]]:
    month_col = extract("month", TimesheetEntry.date)
    minutes: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for code, month, total in db.session.execute(
        select(Service.code, month_col, func.sum(TimesheetEntry.minutes))
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member_id,
            TimesheetEntry.date >= date(year, 1, 1),
            TimesheetEntry.date <= date(year, 12, 31),
        )
        .group_by(Service.code, month_col)
    ):
        minutes[code][int(month) - 1] = int(total)
    return minutes


def _employee_hours(member_id: int, year: int) -> list[EmployeeHours]:
    """Names as the time statements print them (first name, last name)."""
    rows = db.session.execute(
        select(
            Employee.first_name,
            Employee.last_name,
            Service.label,
            func.sum(TimesheetEntry.minutes),
        )
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member_id,
            TimesheetEntry.date >= date(year, 1, 1),
            TimesheetEntry.date <= date(year, 12, 31),
        )
        .group_by(Employee.first_name, Employee.last_name, Service.label)
        .order_by(Employee.last_name, Employee.first_name, Service.label)
    )
    return [EmployeeHours(f"{fn} {ln}", label, int(m)) for fn, ln, label, m in rows]


def consumption(member: Member, year: int) -> Consumption:
    months = year_months_service.year_months(year)
    closed = frozenset(int(key[5:7]) for key in months.closed)
    minutes = _minutes_by_service_month(member.id, year)
    planned = {
        code: hours
        for code, hours in db.session.execute(
            select(Service.code, PlannedHours.hours)
            .join(Service, PlannedHours.service_id == Service.id)
            .where(PlannedHours.member_id == member.id, PlannedHours.year == year)
        )
    }
    labels: dict[str, str] = {
        c: lbl for c, lbl in db.session.execute(select(Service.code, Service.label))
    }
    services = []
    for code in sorted(set(minutes) | {c for c, h in planned.items() if h}):
        by_month = minutes[code]
        in_closed = sum(m for i, m in enumerate(by_month, start=1) if i in closed)
        services.append(
            ServiceConsumption(
                code=code,
                label=labels.get(code, code),
                minutes_by_month=tuple(by_month),
                closed_minutes=in_closed,
                provisional_minutes=sum(by_month) - in_closed,
                planned_hours=planned.get(code) or ZERO,
            )
        )
    return Consumption(year, closed, services, _employee_hours(member.id, year))


# ------------------------------------------------------------ what will the year cost


@dataclass(frozen=True)
class YearCost:
    year: int
    invoiced_excl_tax: Decimal  # every invoice − credit note of the year (services, fee…)
    invoiced_incl_tax: Decimal
    months_label: str  # the closed months counted, in words ('' when none)
    complete: bool
    real_cost: Decimal | None  # of the counted closed months; None before any close
    invoiced_services: Decimal | None  # services invoiced for those months (excl. tax)
    last_year_regularisation: Decimal | None  # None: no regularisation issued last year
    last_year_documents: tuple[str, ...]
    last_year_statement: bool  # a statement of last year can be opened

    @property
    def expected_regularisation(self) -> Decimal | None:
        """Real cost − invoiced over the closed months: positive, a complementary invoice
        to expect; negative, a credit note."""
        if self.real_cost is None or self.invoiced_services is None:
            return None
        return self.real_cost - self.invoiced_services


def _year_documents(member_id: int, year: int) -> list[Invoice]:
    return list(
        db.session.scalars(
            select(Invoice)
            .options(selectinload(Invoice.documents))
            .where(
                Invoice.member_id == member_id,
                Invoice.period_start >= date(year, 1, 1),
                Invoice.period_start <= date(year, 12, 31),
            )
            .order_by(Invoice.issue_date, Invoice.kind, Invoice.seq)
        )
    )


def _regularisation_of(member_id: int, year: int) -> tuple[Decimal | None, tuple[str, ...]]:
    total, numbers = ZERO, []
    for inv in db.session.scalars(
        select(Invoice)
        .where(
            Invoice.member_id == member_id,
            Invoice.origin == "regularisation",
            Invoice.period_start == date(year, 1, 1),
        )
        .order_by(Invoice.kind, Invoice.seq)
    ):
        total += -inv.total_excl_tax if inv.is_credit_note else inv.total_excl_tax
        numbers.append(inv.number)
    return (total if numbers else None), tuple(numbers)


def year_cost(member: Member, year: int) -> YearCost:
    documents = _year_documents(member.id, year)
    months = year_months_service.year_months(year)
    counted = months.all if months.complete else months.counted
    mine = next(
        (r for r in regularisation.differences(year, counted) if r.member.id == member.id), None
    )
    last_regularisation, last_documents = _regularisation_of(member.id, year - 1)
    return YearCost(
        year=year,
        invoiced_excl_tax=sum(
            ((-d.total_excl_tax if d.is_credit_note else d.total_excl_tax) for d in documents),
            ZERO,
        ),
        invoiced_incl_tax=sum((d.signed_total for d in documents), ZERO),
        months_label=months.label(),
        complete=months.complete,
        real_cost=(mine.real_cost if mine else ZERO) if counted else None,
        invoiced_services=(mine.invoiced if mine else ZERO) if counted else None,
        last_year_regularisation=last_regularisation,
        last_year_documents=last_documents,
        last_year_statement=bool(year_months_service.year_months(year - 1).counted),
    )


# -------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class YearDocuments:
    year: int
    invoices: list[Invoice]
    statements: list[StoredDocument]  # the monthly time statements
    annual_statement: bool  # a (possibly provisional) annual statement can be produced
    annual_complete: bool

    @property
    def files(self) -> list[StoredDocument]:
        """What "download the year" zips: each document's PDF (and the statements')."""
        pdfs = [d for inv in self.invoices for d in inv.documents if d.kind == "invoice_pdf"]
        return pdfs + [d for d in self.statements if d.kind == "statement_pdf"]


def document_years(member_id: int, today: date) -> list[int]:
    """The years the member has documents for, newest first (this year always)."""
    years = {today.year}
    years.update(
        y.year
        for y in db.session.scalars(
            select(Invoice.period_start).where(Invoice.member_id == member_id)
        )
    )
    return sorted(years, reverse=True)


def year_documents(member: Member, year: int) -> YearDocuments:
    statements = list(
        db.session.scalars(
            select(StoredDocument)
            .where(
                StoredDocument.member_id == member.id,
                StoredDocument.kind.like("statement%"),
                StoredDocument.month.like(f"{year}-%"),
            )
            .order_by(StoredDocument.month, StoredDocument.kind, StoredDocument.version)
        )
    )
    months = year_months_service.year_months(year)
    return YearDocuments(
        year=year,
        invoices=_year_documents(member.id, year),
        statements=statements,
        annual_statement=bool(months.counted),
        annual_complete=months.complete,
    )


def default_year(today: date) -> int:
    """The year of the last closed month (the portal opens on it), else this year."""
    last = year_months_service.last_closed_month(today)
    return (last or Month.of(today)).year
