"""Close the month (SPEC §4 step 2): check, then in one transaction lock the month's time,
issue one provisional invoice per member with billable time (or, after a reopening, a
complementary invoice / credit note for the difference) and every employee's payslip, and
produce the documents.

The close orchestrates the issuing areas and posts nothing itself: by the posting rule, the
function that issues a document posts it in the same transaction (``invoicing.issue_planned``
the invoices and credit notes, ``issue_month_payslips`` the payslips), and the expenses area
posts the month's overheads (HA) and operating income (BQ) not posted yet
(``expenses.posting.post_month``). Invoices are issued before payslips so the sales entries
come before the payroll entries, then purchases and income (the FEC lists entries in
validation order)."""

from __future__ import annotations

import calendar
import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accounting.calendar import french_public_holidays
from accounting.money import D
from accounting.months import Month
from accounting.problems import Problem, ProblemsError
from eage import audit, storage
from eage.books import periods
from eage.closing.progress import CloseProgress
from eage.core.services import month_bounds
from eage.expenses import posting as expense_posting
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.jobs import NullProgress, Progress
from eage.locks import take_issuing_lock
from eage.models import (
    Contract,
    Employee,
    Invoice,
    InvoiceLine,
    Member,
    MonthLock,
    Service,
    ServiceRate,
    TimesheetEntry,
)
from eage.models.payroll import Payslip
from eage.payslips import services as payslips_services
from eage.payslips.services import PayslipError, issue_month_payslips
from eage.portal import notify as portal_notify
from eage.timesheets import locks as time_locks
from eage.timesheets import summary

logger = logging.getLogger(__name__)


class CloseRefused(ProblemsError):
    """The close is refused: ``problems`` holds every problem of the month, warnings too."""


@dataclass
class CloseResult:
    month: str
    changed: bool
    invoices: list[str] = field(default_factory=list)
    credit_notes: list[str] = field(default_factory=list)
    payslips: list[str] = field(default_factory=list)
    statements: int = 0
    postings: list[str] = field(default_factory=list)  # HA / BQ entries of expenses, income
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.changed:
            return f"month {self.month} already closed: nothing changed"
        parts = [
            f"month {self.month} closed",
            f"{len(self.payslips)} payslip(s)",
            f"{len(self.invoices)} invoice(s)",
        ]
        if self.credit_notes:
            parts.append(f"{len(self.credit_notes)} credit note(s)")
        parts.append(f"{self.statements} time statement(s)")
        return ", ".join(parts)


def is_closed(month: date) -> bool:
    return db.session.get(MonthLock, Month.of(month).key) is not None


def _working_days(start: date, end: date) -> list[date]:
    holidays = french_public_holidays(start.year)
    days, d = [], start
    while d < end:
        if d.weekday() < 5 and d not in holidays:
            days.append(d)
        d += timedelta(days=1)
    return days


def _time_outside_contracts(
    employees: list[Employee], start: date, end: date
) -> tuple[list[Problem], dict[int, set[date]]]:
    """Blocking: time entered on a day no contract covers. Also returns the days with time
    of each employee."""
    by_id = {e.id: e for e in employees}
    problems: list[Problem] = []
    days_with_time: dict[int, set[date]] = defaultdict(set)
    for employee_id, day in db.session.execute(
        select(TimesheetEntry.employee_id, TimesheetEntry.date)
        .where(TimesheetEntry.date >= start, TimesheetEntry.date < end)
        .group_by(TimesheetEntry.employee_id, TimesheetEntry.date)
    ):
        days_with_time[employee_id].add(day)
        emp = by_id[employee_id]
        if emp.contract_on(day) is None:
            problems.append(
                Problem(
                    None,
                    tr(
                        "%(employee)s : temps saisi le %(day)s hors de tout contrat de travail",
                        employee=emp.code,
                        day=day.strftime("%d/%m/%Y"),
                    ),
                )
            )
    return problems, days_with_time


def _days_without_time(
    employees: list[Employee], days_with_time: dict[int, set[date]], start: date, end: date
) -> list[Problem]:
    """Warnings: working days under contract with no time entered."""
    problems: list[Problem] = []
    for emp in employees:
        missing = [
            d
            for d in _working_days(start, end)
            if emp.contract_on(d) is not None and d not in days_with_time[emp.id]
        ]
        if missing:
            listed = ", ".join(d.strftime("%d/%m") for d in missing[:10])
            if len(missing) > 10:
                listed += tr(" et %(n)s autre(s)", n=len(missing) - 10)
            problems.append(
                Problem(
                    None,
                    tr(
                        "%(employee)s : aucun temps saisi %(n)s jour(s) ouvré(s) sous contrat "
                        "(%(days)s) — à confirmer",
                        employee=emp.code,
                        n=len(missing),
                        days=listed,
                    ),
                    blocking=False,
                )
            )
    return problems


def _billing_gaps(month: date) -> list[Problem]:
    """Blocking: a member with billable time but no address or SIRET to invoice, a service
    with billable time but no hourly rate for the year."""
    billable = billable_minutes(month)
    if not billable:
        return []
    problems: list[Problem] = []
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(billable)))}
    for member_id in billable:
        m = members[member_id]
        missing_fields = [
            label
            for label, value in (
                (tr("adresse"), m.address and m.postcode and m.city),
                ("SIRET", m.siret),
            )
            if not value
        ]
        if missing_fields:
            problems.append(
                Problem(
                    None,
                    tr(
                        "%(member)s : du temps facturable mais pas de %(missing)s — à compléter "
                        "sur la fiche adhérent",
                        member=m.code,
                        missing=tr(" ni de ").join(missing_fields),
                    ),
                )
            )
    service_ids = {s for per in billable.values() for s in per}
    rates = rates_for(month.year)
    for sid in sorted(service_ids - set(rates)):
        svc = db.session.get(Service, sid)
        problems.append(
            Problem(
                None,
                tr(
                    "%(service)s : pas de taux horaire pour %(year)s",
                    service=svc.code if svc else sid,
                    year=month.year,
                ),
            )
        )
    return problems


def check_month(month: date, today: date | None = None) -> list[Problem]:
    """Every problem of the month at once; blocking ones refuse the close (SPEC §4)."""
    today = today or date.today()
    start, end = month_bounds(month)
    problems: list[Problem] = []
    if end > today:
        problems.append(
            Problem(
                None,
                tr(
                    "le mois %(month)s n'est pas terminé : clôture possible à partir du %(day)s",
                    month=Month.of(month).key,
                    day=end.strftime("%d/%m/%Y"),
                ),
            )
        )
    employees = list(db.session.scalars(select(Employee).options(selectinload(Employee.contracts))))
    outside, days_with_time = _time_outside_contracts(employees, start, end)
    problems += outside
    problems += _days_without_time(employees, days_with_time, start, end)
    problems += _billing_gaps(month)
    problems += _books_problems(month, today)
    return problems


def _books_problems(month: date, today: date) -> list[Problem]:
    """Blocking: the close writes entries dated today (invoices) and at the month's end
    (payslips); a closed fiscal year or a locked period refuses them (SPEC §5 "Locks")."""
    key = Month.of(month).key
    if periods.year_is_closed(month.year):
        message = tr(
            "l'exercice %(year)s est clôturé : le mois %(month)s est définitif",
            year=month.year,
            month=key,
        )
        return [Problem(None, message)]
    end = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    return [
        Problem(
            None, tr("écritures du mois %(month)s impossibles : %(reason)s", month=key, reason=p)
        )
        for p in periods.posting_problems([end, today])
    ]


def billable_minutes(month: date) -> dict[int, dict[int, int]]:
    """Minutes per member and service of the month (grouped in the database)."""
    start, end = month_bounds(month)
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for member_id, service_id, minutes in db.session.execute(
        select(
            TimesheetEntry.member_id, TimesheetEntry.service_id, func.sum(TimesheetEntry.minutes)
        )
        .where(
            TimesheetEntry.date >= start,
            TimesheetEntry.date < end,
            TimesheetEntry.member_id.is_not(None),
        )
        .group_by(TimesheetEntry.member_id, TimesheetEntry.service_id)
    ):
        # member time always has a service (check constraint service_or_absence)
        out[cast(int, member_id)][cast(int, service_id)] = int(minutes)
    return dict(out)


def rates_for(year: int) -> dict[int, Decimal]:
    return {
        sid: D(rate)
        for sid, rate in db.session.execute(
            select(ServiceRate.service_id, ServiceRate.rate).where(ServiceRate.year == year)
        )
    }


def billed_for_month(month: date) -> dict[int, dict[int, tuple[int, Decimal]]]:
    """What was already invoiced for the month's services, per member and service:
    (minutes, amount), credit notes counted negative."""
    key = Month.of(month).key
    out: dict[int, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    rows = db.session.execute(
        select(
            Invoice.member_id,
            Invoice.kind,
            InvoiceLine.service_id,
            func.coalesce(func.sum(InvoiceLine.minutes), 0),
            func.sum(InvoiceLine.amount),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(Invoice.month == key, InvoiceLine.kind == "service")
        .group_by(Invoice.member_id, Invoice.kind, InvoiceLine.service_id)
    )
    for member_id, kind, line_service_id, minutes, amount in rows:
        service_id = cast(int, line_service_id)  # a "service" line always names its service
        sign = -1 if kind == "credit_note" else 1
        old_m, old_a = out[member_id].get(service_id, (0, Decimal("0")))
        out[member_id][service_id] = (old_m + sign * int(minutes or 0), old_a + sign * D(amount))
    return dict(out)


def _issue_invoices(
    plans: list[invoicing.MemberPlan],
    month: date,
    *,
    today: date,
    user_id: int | None,
    progress: CloseProgress,
) -> list[Invoice]:
    issued: list[Invoice] = []
    for i, plan in enumerate(plans, start=1):
        issued.extend(invoicing.issue_planned(plan, issue_date=today, month=month, user_id=user_id))
        progress.invoice(i, f"{plan.member.code} {plan.member.name}")
    return issued


def _record(
    result: CloseResult, issued: list[Invoice], payslips: list[Payslip], statements: int
) -> None:
    for inv in issued:
        (result.credit_notes if inv.is_credit_note else result.invoices).append(inv.number)
    result.payslips = [p.number for p in payslips]
    result.statements = statements
    result.changed = True


def _audit(result: CloseResult, already_closed: bool, user_id: int | None) -> None:
    issued = [*result.payslips, *result.invoices, *result.credit_notes]
    audit.record(
        "close",
        "month",
        result.month,
        user_id=user_id,
        summary=(
            f"{'re-closed' if already_closed else 'closed'}: "
            f"{', '.join(issued) or 'nothing issued'}"
        )[:500],
    )


def close_month(
    month: date,
    *,
    user_id: int | None = None,
    today: date | None = None,
    progress: Progress | NullProgress | None = None,
) -> CloseResult:
    """Close `month` (idempotent). Raises CloseRefused when a blocking problem remains."""
    started = time.perf_counter()
    today = today or date.today()
    progress = progress or NullProgress()
    key = Month.of(month).key
    problems = check_month(month, today)
    if any(p.blocking for p in problems):
        raise CloseRefused(problems)
    result = CloseResult(
        month=key, changed=False, warnings=[p.message for p in problems if not p.blocking]
    )

    take_issuing_lock()  # first statement: queue behind any other issuer until commit
    time_locks.lock_months([key], exclusive=True)  # no time write on this month until commit
    lock = db.session.get(MonthLock, key)
    already_closed = lock is not None
    rates = rates_for(month.year)
    billable = billable_minutes(month)
    billed = billed_for_month(month)
    plans = invoicing.plan_month_documents(month, billable, billed, rates)
    steps = CloseProgress(
        progress,
        invoices=len(plans),
        payslips=len(employees_to_pay(month)),
        documents=len(plans),
    )
    with storage.transaction():
        issued = _issue_invoices(plans, month, today=today, user_id=user_id, progress=steps)
        payslips = issue_month_payslips(
            month,
            user_id=user_id,
            issue_date=today,
            on_issued=lambda n, _total, employee: steps.payslip(n, employee.name),
        )
        # The month's overheads (HA) and operating income (BQ), after sales and payroll.
        steps.entries()
        postings = expense_posting.post_month(month, user_id)
        result.postings = [str(e.number) for e in postings]
        if already_closed and not plans and not payslips and not postings:
            db.session.rollback()
            logger.info("month %s already closed (user %s): nothing changed", key, user_id)
            return result
        if lock is None:
            lock = MonthLock(month=key, closed_by_id=user_id)
            db.session.add(lock)
        steps.lock()
        summary.summarise_month(lock)  # the frozen time, grouped for the allocation
        invoicing.render_and_store(
            issued,
            month=month,
            progress=steps.documents(),
            statement_members=[p.member for p in plans],
        )
        _record(result, issued, payslips, statements=len(plans))
        _audit(result, already_closed, user_id)
        db.session.commit()
    portal_notify.notify_issued(issued)  # issue 18: the member's users get each PDF
    logger.info(
        "month %s closed by user %s in %.2f s: %s",
        key,
        user_id,
        time.perf_counter() - started,
        result.summary(),
    )
    return result


def reopen_month(month: date, *, user_id: int | None, reason: str) -> None:
    """Admin only (audited): unlock the month's time; issued documents stay untouched."""
    key = Month.of(month).key
    lock = db.session.get(MonthLock, key)
    if lock is None:
        raise ValueError(tr("le mois %(month)s n'est pas clôturé", month=key))
    if periods.year_is_closed(month.year):
        raise ValueError(
            tr(
                "l'exercice %(year)s est clôturé : le mois %(month)s ne peut plus être rouvert",
                year=month.year,
                month=key,
            )
        )
    if not reason.strip():
        raise ValueError(tr("indiquez pourquoi le mois est rouvert"))
    summary.drop_month(lock)
    db.session.delete(lock)
    audit.record("reopen", "month", key, user_id=user_id, summary=reason.strip()[:500])
    db.session.commit()


def closed_months() -> list[MonthLock]:
    return list(db.session.scalars(select(MonthLock).order_by(MonthLock.month.desc())))


def contracts_active(month: date) -> list[Contract]:
    start, end = month_bounds(month)
    return list(
        db.session.scalars(
            select(Contract).where(
                Contract.start_date < end,
                (Contract.end_date.is_(None)) | (Contract.end_date >= start),
            )
        )
    )


# --------------------------------------------------------------------------- preview


@dataclass(frozen=True)
class InvoicePreview:
    member: Member
    kind: str  # invoice / credit_note
    minutes: int
    excl_tax: Decimal
    vat: Decimal
    incl_tax: Decimal


@dataclass(frozen=True)
class PayslipPreview:
    employee: Employee
    gross: Decimal
    net_paid: Decimal
    employer_cost: Decimal


@dataclass
class ClosePreview:
    """What the close of a month would issue, computed by the services the close calls
    (invoicing's plans and totals, the payslip computation), writing nothing."""

    invoices: list[InvoicePreview] = field(default_factory=list)
    payslips: list[PayslipPreview] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def invoice_total(self, attr: str) -> Decimal:
        """Σ of `attr` over the documents, credit notes counted negative."""
        return sum(
            (getattr(i, attr) * (-1 if i.kind == "credit_note" else 1) for i in self.invoices),
            Decimal("0.00"),
        )

    @property
    def minutes(self) -> int:
        return sum(i.minutes * (-1 if i.kind == "credit_note" else 1) for i in self.invoices)

    def payslip_total(self, attr: str) -> Decimal:
        return sum((getattr(p, attr) for p in self.payslips), Decimal("0.00"))


def employees_to_pay(month: date) -> list[Employee]:
    """The employees whose payslip the close of `month` issues (those under contract without
    one yet), as ``issue_month_payslips`` chooses them."""
    key = Month.of(month).key
    already = set(db.session.scalars(select(Payslip.employee_id).where(Payslip.month == key)))
    return [
        e
        for e in payslips_services.employees_under_contract(month.replace(day=1))
        if e.id not in already
    ]


def _invoice_previews(month: date) -> list[InvoicePreview]:
    billable = billable_minutes(month)
    rates = rates_for(month.year)
    billed = billed_for_month(month)
    services = {s for per in billable.values() for s in per} | {
        s for per in billed.values() for s in per
    }
    if services - set(rates):
        return []  # a blocking problem of check_month names the services without rate
    out = []
    for plan in invoicing.plan_month_documents(month, billable, billed, rates):
        for doc in invoicing.planned_documents(plan, month):
            t = doc.totals
            out.append(
                InvoicePreview(plan.member, doc.kind, doc.minutes, t.excl_tax, t.vat, t.incl_tax)
            )
    return out


def _payslip_previews(month: date) -> tuple[list[PayslipPreview], list[str]]:
    out, errors = [], []
    for employee in employees_to_pay(month):
        try:
            slip = payslips_services.compute_preview(employee, month).payslip
        except PayslipError as exc:
            errors.append(str(exc))
            continue
        out.append(PayslipPreview(employee, slip.gross, slip.net_paid, slip.employer_cost))
    return out, errors


def preview_month(month: date) -> ClosePreview:
    """The figures the close of `month` would issue: per member its invoice (or credit note
    after a reopening) with hours and totals, per employee the payslip's gross, net to pay
    and employer cost."""
    payslips, errors = _payslip_previews(month)
    return ClosePreview(_invoice_previews(month), payslips, errors)


def figures_digest(month: date) -> str:
    """A fingerprint of what the close's figures are computed from (billable and billed
    time, rates, employees to pay and their minutes): the page sends it with the
    confirmation, so a close confirmed on figures that changed since is refused."""
    start, end = month_bounds(month)
    minutes = db.session.execute(
        select(TimesheetEntry.employee_id, func.sum(TimesheetEntry.minutes))
        .where(TimesheetEntry.date >= start, TimesheetEntry.date < end)
        .group_by(TimesheetEntry.employee_id)
        .order_by(TimesheetEntry.employee_id)
    ).all()
    basis = repr(
        (
            sorted((m, sorted(s.items())) for m, s in billable_minutes(month).items()),
            sorted((m, sorted(s.items())) for m, s in billed_for_month(month).items()),
            sorted(rates_for(month.year).items()),
            [e.id for e in employees_to_pay(month)],
            [(e, int(n)) for e, n in minutes],
        )
    )
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def earlier_open_months(month: date) -> list[date]:
    """The months of `month`'s fiscal year (the calendar year, SPEC §3) before it that are
    not closed though someone was under contract in them."""
    locked = set(
        db.session.scalars(select(MonthLock.month).where(MonthLock.month.like(f"{month.year}-%")))
    )
    earlier = [date(month.year, m, 1) for m in range(1, month.month)]
    return [m for m in earlier if Month.of(m).key not in locked and contracts_active(m)]
