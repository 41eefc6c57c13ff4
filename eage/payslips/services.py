"""Payslips (SPEC §5 "Payroll"): from contracts and the month's timesheets to issued,
immutable payslips with their PDF and .docx; previews, the simulator and the payroll journal.

The month close (eage/closing) calls :func:`issue_month_payslips` inside its transaction;
this module only adds and flushes, never commits.

Posting rule (the same for every issued document): the function that issues a document
posts its journal entry, in the same transaction — :func:`issue_month_payslips` posts the
``PA`` entry of each payslip it issues (``posting.post_payslips``), as
``invoicing.issue_document`` posts each invoice. Its files are recorded by the caller's
``storage.transaction()``.

Rules taken from the timesheets (grouped in the database, per employee, day and category):

* **Extra hours** are counted per ISO week: minutes worked (every entry except the absence
  codes ``CP``, ``MALADIE``, ``SANS_SOLDE``; ``FORMATION`` is working time, art. L6321-2
  C. trav.) beyond the contract's weekly hours. A week that straddles two months is paid
  with the month in which it **ends** (its Sunday), on the hours of the whole week — so a
  week is never split, never paid twice and never lost; the month close of the month
  holding the Monday leaves it to the next payslip.
* **Unpaid absence**: ``SANS_SOLDE`` hours of the month. ``MALADIE`` hours are deducted too:
  the employer stops paying and the CPAM pays daily allowances (art. L323-1 CSS) — salary
  maintenance under art. L1226-1 C. trav. or the collective agreement, and its subrogation,
  are not modelled yet. The deduction is capped at the contract hours of the month.
* **Paid leave** (``CP``) is paid as salary maintained (art. L3141-24 II) and only counted
  in days on the payslip.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import selectinload

import payroll
from accounting.calendar import french_public_holidays
from accounting.formats import month_label
from accounting.money import ZERO, D, round_cents
from accounting.months import Month, iso_week_key
from eage import audit, parties, storage
from eage.books import posting
from eage.core.services import month_bounds
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import documents
from eage.models import (
    Contract,
    Employee,
    FiscalYear,
    Organisation,
    TimesheetEntry,
)
from eage.models.payroll import Payslip
from payroll.compute import month_period, presence_ratio
from payroll.documents import (
    EmployeeIdentity,
    Employer,
    JournalRow,
    PaidLeave,
    PayslipDocument,
    journal_pdf,
    journal_xlsx,
    payslip_docx,
    payslip_pdf,
)

logger = logging.getLogger(__name__)

# Absence codes that are not working time (SPEC §5 "Time"); FORMATION is working time.
NOT_WORKED = ("CP", "MALADIE", "SANS_SOLDE")
UNPAID = ("SANS_SOLDE", "MALADIE")
WORKED = "WORKED"
# Paid leave: 2.5 jours ouvrables a month (art. L3141-3 C. trav.), i.e. 25 jours ouvrés a
# year = 2.08 working days a month, at most 25 over the reference period from 1 June
# (art. R3141-4).
LEAVE_DAYS_PER_MONTH = Decimal("2.08")
LEAVE_DAYS_PER_YEAR = Decimal("25")
LEAVE_PERIOD_START_MONTH = 6
LEGAL_WEEKLY_HOURS = Decimal("35")  # art. L3121-27 C. trav.
_MINUTES = Decimal(60)
_HUNDRED = Decimal(100)


class PayslipError(ValueError):
    """Input the payslip services refuse (unknown employee, month not under contract…)."""


# ------------------------------------------------------------------------------------------
# Dates, settings, identities
# ------------------------------------------------------------------------------------------


def payslip_number(month: date, employee_code: str) -> str:
    """One number per employee and month: ``BP-2026-11-KBENALI``."""
    return f"BP-{month.year:04d}-{month.month:02d}-{employee_code}"


def payment_date(month: date) -> date:
    """The last working day of the month (Monday to Friday, not a public holiday)."""
    day = Month.of(month).last_day
    holidays = french_public_holidays(day.year)
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


def weeks_paid_in(month: date) -> tuple[date, date]:
    """First and last day of the ISO weeks paid with ``month``: the weeks whose Sunday falls
    in the month (the first one may start in the previous month)."""
    first = month.replace(day=1)
    start = first - timedelta(days=first.weekday())
    last = Month.of(month).last_day
    end = last - timedelta(days=(last.weekday() + 1) % 7)  # the last Sunday of the month
    return start, end


def _fraction(percent: Decimal | None, default: Decimal) -> Decimal:
    """Settings are stored as percentages (2.08 for 2.08 %); the engine takes fractions."""
    return default if percent is None else D(percent) / _HUNDRED


def employer_settings(
    year: int,
    *,
    atmp_percent: Decimal | None = None,
    health_insurance_monthly: Decimal | None = None,
    health_employer_share_percent: Decimal | None = None,
) -> payroll.EmployerSettings:
    """The employer settings of ``year``: the fiscal year's rates (percent in the database)
    and the organisation's headcount; the engine's defaults when no fiscal year exists.
    Explicit arguments (the simulator's overrides) win."""
    defaults = payroll.EmployerSettings()
    fiscal_year = db.session.get(FiscalYear, year)
    organisation = db.session.scalar(select(Organisation).limit(1))
    atmp = defaults.atmp_rate
    health = defaults.health_insurance_monthly
    share = defaults.health_employer_share
    prevoyance_employee = defaults.prevoyance_employee_rate
    prevoyance_employer = defaults.prevoyance_employer_rate
    if fiscal_year is not None:
        atmp = _fraction(fiscal_year.atmp_rate, atmp)
        health = D(fiscal_year.health_insurance_monthly)
        share = _fraction(fiscal_year.health_employer_share, share)
        prevoyance_employee = _fraction(fiscal_year.prevoyance_employee_rate, prevoyance_employee)
        prevoyance_employer = _fraction(fiscal_year.prevoyance_employer_rate, prevoyance_employer)
    if atmp_percent is not None:
        atmp = D(atmp_percent) / _HUNDRED
    if health_insurance_monthly is not None:
        health = D(health_insurance_monthly)
    if health_employer_share_percent is not None:
        share = D(health_employer_share_percent) / _HUNDRED
    return payroll.EmployerSettings(
        atmp_rate=atmp,
        health_insurance_monthly=health,
        health_employer_share=share,
        prevoyance_employee_rate=prevoyance_employee,
        prevoyance_employer_rate=prevoyance_employer,
        headcount=organisation.headcount if organisation else defaults.headcount,
    )


def employer_identity() -> Employer:
    org = parties.organisation()
    if org is None:
        raise PayslipError("no organisation: load or create the group first")
    return parties.employer(org)


def employee_identity(employee: Employee, contract: Contract) -> EmployeeIdentity:
    first_start = min((c.start_date for c in employee.contracts), default=contract.start_date)
    return EmployeeIdentity(
        code=employee.code,
        name=employee.name,
        job=employee.job,
        classification=employee.classification or "",
        social_security_number=employee.social_security_number or "",
        contract_kind=contract.kind,
        hire_date=first_start,
        weekly_hours=D(contract.weekly_hours),
        monthly_gross=D(contract.monthly_gross),
        cadre=contract.cadre,
    )


def contract_for_month(employee: Employee, month: date) -> Contract | None:
    """The contract that pays the month: the latest one overlapping it. (Two contracts in one
    month — a change of hours mid-month — are not split: the later one pays the month.)"""
    start, end = month_bounds(month)
    overlapping = [
        c
        for c in employee.contracts
        if c.start_date < end and (c.end_date is None or c.end_date >= start)
    ]
    return max(overlapping, key=lambda c: c.start_date) if overlapping else None


def engine_contract(employee: Employee, contract: Contract) -> payroll.ContractTerms:
    return payroll.ContractTerms(
        weekly_hours=D(contract.weekly_hours),
        monthly_gross=D(contract.monthly_gross),
        cadre=contract.cadre,
        start=contract.start_date,
        end=contract.end_date,
        pas_rate=D(employee.pas_rate or 0) / _HUNDRED,
    )


# ------------------------------------------------------------------------------------------
# What the timesheets say
# ------------------------------------------------------------------------------------------


@dataclass
class MonthTime:
    """One employee's month, from the timesheets."""

    worked_minutes: int = 0  # dates inside the month
    week_minutes: dict[str, int] = field(default_factory=dict)  # ISO weeks paid this month
    unpaid_minutes: int = 0
    leave_dates: list[date] = field(default_factory=list)

    def extra_hours_by_week(self, weekly_hours: Decimal) -> dict[str, Decimal]:
        threshold = weekly_hours * _MINUTES
        return {
            week: (D(minutes) - threshold) / _MINUTES
            for week, minutes in sorted(self.week_minutes.items())
            if minutes > threshold
        }


def _iso_week(day: date) -> str:
    return iso_week_key(day)


def month_time(month: date, employee_ids: Iterable[int]) -> dict[int, MonthTime]:
    """Minutes per employee, day and category (worked / CP / MALADIE / SANS_SOLDE), summed in
    the database over the month and the weeks paid with it; bucketed per ISO week here."""
    ids = list(employee_ids)
    out: dict[int, MonthTime] = {i: MonthTime() for i in ids}
    if not ids:
        return out
    first, next_first = month_bounds(month)
    last = next_first - timedelta(days=1)
    weeks_start, weeks_end = weeks_paid_in(month)
    category = case(
        (TimesheetEntry.absence_code.in_(NOT_WORKED), TimesheetEntry.absence_code),
        else_=literal(WORKED),
    ).label("category")
    rows = db.session.execute(
        select(
            TimesheetEntry.employee_id,
            TimesheetEntry.date,
            category,
            func.sum(TimesheetEntry.minutes),
        )
        .where(
            TimesheetEntry.employee_id.in_(ids),
            TimesheetEntry.date >= min(first, weeks_start),
            TimesheetEntry.date <= max(last, weeks_end),
        )
        .group_by(TimesheetEntry.employee_id, TimesheetEntry.date, category)
    )
    for employee_id, day, kind, minutes in rows:
        time = out[employee_id]
        minutes = int(minutes)
        in_month = first <= day <= last
        if kind == WORKED:
            if in_month:
                time.worked_minutes += minutes
            if weeks_start <= day <= weeks_end:
                week = _iso_week(day)
                time.week_minutes[week] = time.week_minutes.get(week, 0) + minutes
        elif in_month and kind in UNPAID:
            time.unpaid_minutes += minutes
        elif in_month and kind == "CP":
            time.leave_dates.append(day)
    for time in out.values():
        time.leave_dates.sort()
    return out


def _leave_period_start(month: date) -> date:
    year = month.year if month.month >= LEAVE_PERIOD_START_MONTH else month.year - 1
    return date(year, LEAVE_PERIOD_START_MONTH, 1)


def paid_leave(
    employee: Employee,
    contract: Contract,
    month: date,
    time: MonthTime,
    taken_days: int | None = None,
) -> PaidLeave:
    """Leave acquired (2.08 working days per month under contract, prorated for an
    incomplete month, at most 25 over the period) and taken (CP entries, in working days)."""
    start = _leave_period_start(month)
    period = month_period(month, engine_contract(employee, contract))
    acquired_month = round_cents(LEAVE_DAYS_PER_MONTH * presence_ratio(period))
    hired = min((c.start_date for c in employee.contracts), default=contract.start_date)
    first_month = max(start, hired.replace(day=1))
    months_before = max(0, (month.year - first_month.year) * 12 + month.month - first_month.month)
    acquired_period = min(
        LEAVE_DAYS_PER_YEAR, LEAVE_DAYS_PER_MONTH * months_before + acquired_month
    )
    taken_month = [d for d in time.leave_dates if d.weekday() < 5]
    taken_period = (
        leave_taken_in_period(month, [employee.id]).get(employee.id, 0)
        if taken_days is None
        else taken_days
    )
    return PaidLeave(
        period_start=start,
        acquired_month=acquired_month,
        acquired_period=acquired_period,
        taken_month=D(len(set(taken_month))),
        taken_period=D(int(taken_period)),
        taken_dates=tuple(sorted(set(taken_month))),
    )


def leave_taken_in_period(month: date, employee_ids: list[int]) -> dict[int, int]:
    """Days of paid leave (CP) taken per employee from the start of the leave period to the
    end of `month`, counted in the database for all of them at once."""
    _first, next_first = month_bounds(month)
    return {
        employee_id: int(days)
        for employee_id, days in db.session.execute(
            select(TimesheetEntry.employee_id, func.count(func.distinct(TimesheetEntry.date)))
            .where(
                TimesheetEntry.employee_id.in_(employee_ids),
                TimesheetEntry.absence_code == "CP",
                TimesheetEntry.date >= _leave_period_start(month),
                TimesheetEntry.date < next_first,
            )
            .group_by(TimesheetEntry.employee_id)
        )
    }


def _ytd_of(row: Payslip) -> payroll.RgduYtd:
    ytd = row.rgdu_ytd
    return payroll.RgduYtd(
        assiette=D(ytd["assiette"]),
        smic_reference=D(ytd["smic_reference"]),
        reduction=D(ytd["reduction"]),
    )


def previous_ytds(month: date, employee_ids: list[int]) -> dict[int, payroll.RgduYtd]:
    """:func:`previous_ytd` of many employees in one query (the latest earlier payslip of
    the year of each)."""
    key = Month.of(month).key
    latest = (
        select(Payslip.employee_id, func.max(Payslip.month).label("month"))
        .where(
            Payslip.employee_id.in_(employee_ids),
            Payslip.month >= f"{month.year:04d}-01",
            Payslip.month < key,
        )
        .group_by(Payslip.employee_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(Payslip).join(
            latest,
            (Payslip.employee_id == latest.c.employee_id) & (Payslip.month == latest.c.month),
        )
    )
    return {row.employee_id: _ytd_of(row) for row in rows}


def previous_ytd(employee_id: int, month: date) -> payroll.RgduYtd | None:
    """Cumulative RGDU figures of the year from the employee's latest earlier payslip of the
    same calendar year (None in January or when the employee has none)."""
    key = Month.of(month).key
    row = db.session.scalar(
        select(Payslip)
        .where(
            Payslip.employee_id == employee_id,
            Payslip.month >= f"{month.year:04d}-01",
            Payslip.month < key,
        )
        .order_by(Payslip.month.desc())
        .limit(1)
    )
    return None if row is None else _ytd_of(row)


# ------------------------------------------------------------------------------------------
# Computation (shared by the preview and the issue)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computation:
    employee: Employee
    contract: Contract
    month: date
    payslip: payroll.PayslipResult
    worked_time: payroll.WorkedTime
    worked_minutes: int
    leave: PaidLeave
    ytd: payroll.RgduYtd | None
    number: str

    @property
    def extra_hours(self) -> Decimal:
        return sum(self.worked_time.extra_hours_by_week.values(), ZERO)


def _compute(
    employee: Employee,
    month: date,
    time: MonthTime,
    settings: payroll.EmployerSettings,
    params: payroll.YearParams,
    *,
    known: tuple[payroll.RgduYtd | None, int] | None = None,
) -> Computation:
    """``known``: the year-to-date figures and leave days taken, read beforehand for a whole
    month (else read here)."""
    contract = contract_for_month(employee, month)
    if contract is None:
        raise PayslipError(
            tr(
                "%(code)s n'a pas de contrat en %(month)s",
                code=employee.code,
                month=Month.of(month).key,
            )
        )
    engine = engine_contract(employee, contract)
    weekly = D(contract.weekly_hours)
    # Cap the deduction at the hours the base salary pays this month.
    weeks_per_month = params.value("weeks_per_year", month) / 12
    paid_hours = weekly * weeks_per_month * presence_ratio(month_period(month, engine))
    unpaid = min(D(time.unpaid_minutes) / _MINUTES, paid_hours)
    worked = payroll.WorkedTime(
        extra_hours_by_week=time.extra_hours_by_week(weekly),
        unpaid_absence_hours=unpaid,
    )
    ytd = previous_ytd(employee.id, month) if known is None else known[0]
    slip = payroll.compute_payslip(engine, month, worked, settings, params, ytd)
    return Computation(
        employee=employee,
        contract=contract,
        month=month,
        payslip=slip,
        worked_time=worked,
        worked_minutes=time.worked_minutes,
        leave=paid_leave(employee, contract, month, time, None if known is None else known[1]),
        ytd=ytd,
        number=payslip_number(month, employee.code),
    )


def compute_preview(employee: Employee, month: date) -> Computation:
    """The payslip ``employee`` would get for ``month`` from the time entered so far (no
    write)."""
    month = month.replace(day=1)
    try:
        params = payroll.load_params(month.year)
    except payroll.ParamsError as exc:
        raise PayslipError(
            tr("pas de barème de paie pour %(year)s : %(exc)s", year=month.year, exc=exc)
        ) from exc
    time = month_time(month, [employee.id])[employee.id]
    try:
        return _compute(employee, month, time, employer_settings(month.year), params)
    except payroll.PayrollError as exc:
        raise PayslipError(f"{employee.code} : {exc}") from exc


def lines_json(slip: payroll.PayslipResult) -> list[dict[str, Any]]:
    """The engine's JSON lines, with their code."""
    return [{"code": line.code, **line.to_json_dict()} for line in slip.lines]


def document_for(comp: Computation, employer: Employer) -> PayslipDocument:
    period = month_period(comp.month, engine_contract(comp.employee, comp.contract))
    slip_json = comp.payslip.to_json_dict()
    slip_json["lines"] = lines_json(comp.payslip)
    return PayslipDocument(
        number=comp.number,
        period_start=period.start,
        period_end=period.end,
        payment_date=payment_date(comp.month),
        employer=employer,
        employee=employee_identity(comp.employee, comp.contract),
        payslip=slip_json,
        pas_rate=D(comp.employee.pas_rate or 0) / _HUNDRED,
        leave=comp.leave,
        extra_hours_by_week=comp.worked_time.extra_hours_by_week,
    )


# ------------------------------------------------------------------------------------------
# Issue (called by the month close)
# ------------------------------------------------------------------------------------------


def employees_under_contract(month: date) -> list[Employee]:
    start, end = month_bounds(month)
    return list(
        db.session.scalars(
            select(Employee)
            .where(
                Employee.id.in_(
                    select(Contract.employee_id).where(
                        Contract.start_date < end,
                        (Contract.end_date.is_(None)) | (Contract.end_date >= start),
                    )
                )
            )
            .options(selectinload(Employee.contracts))
            .order_by(Employee.code)
        )
    )


def render_payslip_bundle(doc: PayslipDocument) -> dict[str, bytes]:
    """The payslip's PDF and .docx (module-level: the close renders them in a process
    pool)."""
    return {"pdf": payslip_pdf(doc), "docx": payslip_docx(doc)}


def _issue_one(
    comp: Computation,
    doc: PayslipDocument,
    bundle: dict[str, bytes],
    *,
    key: str,
    issue_date: date,
    user_id: int | None,
) -> Payslip:
    """The payslip row of one computation, with its rendered PDF and .docx stored under
    ``payslips/YYYY-MM/``. A file left behind by a rolled-back close (no row points to it)
    is replaced."""
    base = f"payslips/{key}/{comp.number}"
    pdf = storage.store(bundle["pdf"], f"{base}.pdf", "payslip_pdf", replace_orphan=True, month=key)
    docx = storage.store(
        bundle["docx"], f"{base}.docx", "payslip_docx", replace_orphan=True, month=key
    )
    row = _row_from(comp, doc, issue_date=issue_date, user_id=user_id)
    row.pdf_document = pdf
    row.docx_document = docx
    db.session.add(row)
    return row


def issue_month_payslips(
    month: date,
    *,
    user_id: int | None,
    issue_date: date,
    on_issued: Callable[[int, int, Employee], None] | None = None,
) -> list[Payslip]:
    """Compute, issue and post the payslip of every employee under contract in ``month``,
    with its PDF and .docx stored under ``payslips/YYYY-MM/``. Idempotent: employees who
    already have this month's payslip are skipped. The caller holds the transaction (and,
    in the close, the issuing lock): this function only adds and flushes; the files it
    writes are recorded by the caller's ``storage.transaction()``. Returns the payslips
    issued now."""
    started = time.perf_counter()
    month = month.replace(day=1)
    key = Month.of(month).key
    try:
        params = payroll.load_params(month.year)
    except payroll.ParamsError as exc:
        raise PayslipError(
            tr("pas de barème de paie pour %(year)s : %(exc)s", year=month.year, exc=exc)
        ) from exc
    already = set(db.session.scalars(select(Payslip.employee_id).where(Payslip.month == key)))
    employees = [e for e in employees_under_contract(month) if e.id not in already]
    if not employees:
        return []
    comps = _compute_month(month, employees, params)
    employer = employer_identity()
    docs = [document_for(comp, employer) for comp in comps]
    # Rendering is the costly part: in parallel for a big month (the invoices' pool), each
    # payslip reported as it is rendered; rows and files then follow, serially, in order.
    bundles = documents.render_many(
        render_payslip_bundle,
        docs,
        on_done=(lambda n: on_issued(n, len(employees), employees[n - 1]))
        if on_issued is not None
        else None,
    )
    issued = [
        _issue_one(comp, doc, bundle, key=key, issue_date=issue_date, user_id=user_id)
        for comp, doc, bundle in zip(comps, docs, bundles, strict=True)
    ]
    audit.record(
        "issue",
        "payslips",
        key,
        user_id=user_id,
        summary=(f"{len(issued)} bulletin(s) : " + ", ".join(p.number for p in issued))[:500],
    )
    db.session.flush()
    posting.post_payslips(issued, user_id=user_id)
    logger.info(
        "%d payslip(s) of %s issued and posted by user %s in %.2f s",
        len(issued),
        key,
        user_id,
        time.perf_counter() - started,
    )
    return issued


def _compute_month(
    month: date, employees: list[Employee], params: payroll.YearParams
) -> list[Computation]:
    """Every employee's computation for the month, with the time, year-to-date figures and
    leave taken read for all of them at once (not one query per employee)."""
    settings = employer_settings(month.year)
    ids = [e.id for e in employees]
    times = month_time(month, ids)
    ytds = previous_ytds(month, ids)
    taken = leave_taken_in_period(month, ids)
    comps = []
    for employee in employees:
        try:
            comps.append(
                _compute(
                    employee,
                    month,
                    times[employee.id],
                    settings,
                    params,
                    known=(ytds.get(employee.id), taken.get(employee.id, 0)),
                )
            )
        except payroll.PayrollError as exc:
            raise PayslipError(f"{employee.code} : {exc}") from exc
    return comps


def _row_from(
    comp: Computation, doc: PayslipDocument, *, issue_date: date, user_id: int | None
) -> Payslip:
    slip = comp.payslip
    base_hours = next((e.hours for e in slip.earnings if e.code == "base" and e.hours), None)
    if base_hours is None:
        weeks = D(52) / 12
        base_hours = D(comp.contract.weekly_hours) * weeks
    ytd = slip.rgdu_ytd
    return Payslip(
        number=comp.number,
        employee_id=comp.employee.id,
        month=Month.of(comp.month).key,
        period_start=doc.period_start,
        period_end=doc.period_end,
        payment_date=doc.payment_date,
        issue_date=issue_date,
        status="issued",
        gross=slip.gross,
        employee_contributions=slip.employee_contributions,
        employer_contributions=slip.employer_contributions,
        rgdu=slip.rgdu,
        reductions=slip.reductions,
        net_social=slip.net_social,
        net_before_tax=slip.net_before_tax,
        net_taxable=slip.net_taxable,
        tax_withheld=slip.tax_withheld,
        net_paid=slip.net_paid,
        employer_cost=slip.employer_cost,
        pas_rate=D(comp.employee.pas_rate or 0),
        contract_hours=round_cents(base_hours),
        extra_hours=round_cents(comp.extra_hours),
        unpaid_absence_hours=round_cents(comp.worked_time.unpaid_absence_hours),
        worked_hours=round_cents(D(comp.worked_minutes) / _MINUTES),
        earnings=[e.to_json_dict() for e in slip.earnings],
        lines=lines_json(slip),
        rgdu_coefficient=slip.rgdu_coefficient,
        rgdu_ytd={
            "assiette": f"{ytd.assiette:f}",
            "smic_reference": f"{ytd.smic_reference:f}",
            "reduction": f"{ytd.reduction:f}",
        },
        extra_hours_by_week={
            week: f"{hours:f}" for week, hours in comp.worked_time.extra_hours_by_week.items()
        },
        paid_leave=comp.leave.to_dict(),
        employee_snapshot=doc.employee.to_dict(),
        employer_snapshot=doc.employer.to_dict(),
        reference_model=slip.reference_model,
        issued_by_id=user_id,
    )


# ------------------------------------------------------------------------------------------
# Reading issued payslips
# ------------------------------------------------------------------------------------------

TOTALS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "rgdu",
    "reductions",
    "net_social",
    "net_before_tax",
    "net_taxable",
    "tax_withheld",
    "net_paid",
    "employer_cost",
)


def payslip_dict(row: Payslip) -> dict[str, Any]:
    """An issued payslip in the engine's JSON form (amounts as two-decimal strings)."""
    out: dict[str, Any] = {"month": row.month}
    for name in TOTALS:
        out[name] = f"{round_cents(D(getattr(row, name))):f}"
    out["earnings"] = list(row.earnings)
    out["lines"] = list(row.lines)
    out["rgdu_coefficient"] = f"{D(row.rgdu_coefficient):f}"
    out["reference_model"] = row.reference_model
    return out


# SPEC §7: the exposed ``employer_contributions`` (API and CLI) are the employer total AFTER
# reductions, as on the payslip's « total des cotisations » line and in URSSAF's computation;
# the amount before them and the reductions have their own names. The payslip table and the
# engine keep the amount before reductions (gross + employer_contributions − reductions =
# employer_cost): :func:`exposed_totals` translates.
API_TOTALS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "employer_contributions_before_reductions",
    "reductions",
    "net_social",
    "net_before_tax",
    "tax_withheld",
    "net_paid",
    "employer_cost",
)
API_LINE_FIELDS = (
    "heading",
    "label",
    "base",
    "employee_rate",
    "employee_amount",
    "employer_rate",
    "employer_amount",
)


def exposed_totals(data: dict[str, Any]) -> dict[str, str]:
    """The API / CLI totals of a payslip in the engine's JSON form (:func:`payslip_dict` or
    ``PayslipResult.to_json_dict``), whose ``employer_contributions`` are before reductions."""
    before = D(data["employer_contributions"])
    reductions = D(data["reductions"])
    exposed = {
        **data,
        "employer_contributions": f"{before - reductions:f}",
        "employer_contributions_before_reductions": f"{before:f}",
    }
    return {name: str(exposed[name]) for name in API_TOTALS}


def api_dict(row: Payslip) -> dict[str, Any]:
    """SPEC §7 ``GET payslips``: employee code, totals as strings, lines."""
    data = payslip_dict(row)
    return {
        "employee": row.employee.code,
        "number": row.number,
        "month": row.month,
        **exposed_totals(data),
        "rgdu": data["rgdu"],
        "lines": [{k: line.get(k) for k in API_LINE_FIELDS} for line in row.lines],
    }


def month_payslips(month: date) -> list[Payslip]:
    return list(
        db.session.scalars(
            select(Payslip)
            .where(Payslip.month == Month.of(month).key)
            .options(selectinload(Payslip.employee))
            .order_by(Payslip.number)
        )
    )


def employee_payslips(employee_id: int) -> list[Payslip]:
    return list(
        db.session.scalars(
            select(Payslip).where(Payslip.employee_id == employee_id).order_by(Payslip.month.desc())
        )
    )


def months_with_payslips() -> list[str]:
    return list(
        db.session.scalars(
            select(Payslip.month).group_by(Payslip.month).order_by(Payslip.month.desc())
        )
    )


@dataclass(frozen=True)
class MonthTotals:
    count: int
    gross: Decimal
    employer_cost: Decimal
    net_paid: Decimal


def month_totals(month: date) -> MonthTotals:
    count, gross, cost, net = db.session.execute(
        select(
            func.count(Payslip.id),
            func.coalesce(func.sum(Payslip.gross), 0),
            func.coalesce(func.sum(Payslip.employer_cost), 0),
            func.coalesce(func.sum(Payslip.net_paid), 0),
        ).where(Payslip.month == Month.of(month).key)
    ).one()
    return MonthTotals(
        int(count), round_cents(D(str(gross))), round_cents(D(str(cost))), round_cents(D(str(net)))
    )


def journal_rows(month: date) -> list[JournalRow]:
    return [
        JournalRow(
            employee_code=row.employee.code,
            employee_name=str(row.employee_snapshot.get("name") or row.employee.name),
            number=row.number,
            payslip=payslip_dict(row),
        )
        for row in month_payslips(month)
    ]


def _journal_identity() -> tuple[str, str]:
    org = db.session.scalar(select(Organisation).limit(1))
    return (org.name, org.siret) if org else ("", "")


def journal_pdf_bytes(month: date) -> bytes:
    name, siret = _journal_identity()
    return journal_pdf(
        journal_rows(month), month_label=month_label(month), employer_name=name, siret=siret
    )


def journal_xlsx_bytes(month: date) -> bytes:
    name, _siret = _journal_identity()
    return journal_xlsx(journal_rows(month), month_label=month_label(month), employer_name=name)


def grouped_lines(row: Payslip) -> list[tuple[str, list[dict[str, Any]]]]:
    """The lines under their headings, in the order of the « bulletin clarifié »."""
    by_heading: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in row.lines:
        by_heading[line["heading"]].append(line)
    return [(h, by_heading[h]) for h in payroll.HEADINGS if h in by_heading]


def display_totals(
    source: Payslip | payroll.PayslipResult, pas_rate_percent: Decimal
) -> dict[str, Any]:
    """The totals a page shows, employer contributions also after reductions."""
    out: dict[str, Any] = {name: D(getattr(source, name)) for name in TOTALS}
    out["employer_after"] = out["employer_contributions"] - out["reductions"]
    out["pas_rate"] = D(pas_rate_percent)
    return out


def engine_sections(slip: payroll.PayslipResult) -> list[tuple[str, list[dict[str, Any]]]]:
    """A computed (not issued) payslip's lines under their headings."""
    lines = lines_json(slip)
    return [
        (h, [line for line in lines if line["heading"] == h])
        for h in payroll.HEADINGS
        if any(line["heading"] == h for line in lines)
    ]


# ------------------------------------------------------------------------------------------
# Simulator (page and CLI)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Simulation:
    payslip: payroll.PayslipResult
    gross: Decimal
    weekly_hours: Decimal
    cadre: bool
    month: date
    hours_denominator: int
    fte: Decimal
    annual_employer_cost: Decimal
    billable_hours: Decimal
    hourly_cost: Decimal


def simulate(
    gross: Decimal,
    month: date,
    *,
    weekly_hours: Decimal = LEGAL_WEEKLY_HOURS,
    cadre: bool = False,
    atmp_percent: Decimal | None = None,
    health_insurance_monthly: Decimal | None = None,
    health_employer_share_percent: Decimal | None = None,
) -> Simulation:
    """A hiring-cost simulation with the year's settings, and the hourly cost it implies for
    the members: annual employer cost ÷ (hours denominator × weekly hours / 35)."""
    month = month.replace(day=1)
    try:
        params = payroll.load_params(month.year)
    except payroll.ParamsError as exc:
        raise PayslipError(tr("pas de barème de paie pour %(year)s", year=month.year)) from exc
    settings = employer_settings(
        month.year,
        atmp_percent=atmp_percent,
        health_insurance_monthly=health_insurance_monthly,
        health_employer_share_percent=health_employer_share_percent,
    )
    try:
        slip = payroll.simulate(gross, month, weekly_hours, cadre, settings, params)
    except payroll.PayrollError as exc:
        raise PayslipError(str(exc)) from exc
    fiscal_year = db.session.get(FiscalYear, month.year)
    denominator = fiscal_year.hours_denominator if fiscal_year else 1607
    fte = D(weekly_hours) / LEGAL_WEEKLY_HOURS
    annual = slip.employer_cost * 12
    hours = D(denominator) * fte
    return Simulation(
        payslip=slip,
        gross=D(gross),
        weekly_hours=D(weekly_hours),
        cadre=cadre,
        month=month,
        hours_denominator=denominator,
        fte=fte,
        annual_employer_cost=annual,
        billable_hours=round_cents(hours),
        hourly_cost=round_cents(annual / hours),
    )
