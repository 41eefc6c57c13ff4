"""Hourly rate calculator (SPEC §5): the year's inputs from the database, the what-if, the
adoption of the rates (audited); and the data of the convention de mise à disposition.

Where each input comes from:

* **Staff cost per employee** — the year's ``staff`` budget lines, split over the employees
  under contract pro rata to their *estimated* annual employer cost (12 × the payroll
  engine's monthly employer cost for their contract, with the fiscal year's employer
  settings). Without a staff budget, the engine's estimate itself. A what-if salary changes
  the employee's estimate and the staff total by the difference.
* **Planned share of each service per employee** — the employee's billable minutes (time
  spent for members) per service over a reference period: the previous year if it has any
  billable time, else the current year so far. Grouped in the database. An employee with
  no billable time in that period (a new hire) is spread like the overheads, pro rata to
  the planned hours, and the page says so.
* **Overheads and income** — the year's ``overhead`` and ``income`` budget lines.
* **Planned hours per service** — the members' planned hours (their conventions).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import payroll
from accounting import rates as domain
from accounting.documents.convention import (
    ConventionDocument,
    ConventionEmployee,
    ConventionService,
    convention_docx,
)
from accounting.invoicing import Party, SellerParty
from accounting.money import ZERO, D, round_cents
from accounting.problems import Problem, ProblemsError
from accounting.split import largest_remainder
from eage import audit
from eage.catalog import services as catalog
from eage.extensions import db
from eage.filters import tr
from eage.models import (
    BudgetLine,
    Contract,
    Employee,
    FiscalYear,
    Member,
    MonthLock,
    Organisation,
    PlannedHours,
    Service,
    ServiceRate,
    TimesheetEntry,
)
from eage.payslips.services import employer_settings

MONTHS = 12
DEFAULT_HOURS_DENOMINATOR = 1607


# ------------------------------------------------------------------------------------------
# What-if
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """Hypotheses typed on the page: monthly gross per employee code, planned hours per
    service code, the overheads total. Empty = the budget as it stands."""

    gross: dict[str, Decimal] = field(default_factory=dict)
    hours: dict[str, Decimal] = field(default_factory=dict)
    overheads: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return not self.gross and not self.hours and self.overheads is None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the audit log."""
        out: dict[str, Any] = {}
        if self.gross:
            out["salaire_brut_mensuel"] = {k: str(v) for k, v in sorted(self.gross.items())}
        if self.hours:
            out["heures_prevues"] = {k: str(v) for k, v in sorted(self.hours.items())}
        if self.overheads is not None:
            out["frais_de_structure"] = str(self.overheads)
        return out


# ------------------------------------------------------------------------------------------
# The study of a year
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeBasis:
    code: str
    name: str
    job: str
    weekly_hours: Decimal
    cadre: bool
    contract_gross: Decimal  # monthly gross of the contract
    monthly_gross: Decimal  # the one used (what-if or contract)
    monthly_employer_cost: Decimal  # payroll engine, one full month
    annual_estimate: Decimal  # 12 × monthly employer cost
    staff_cost: Decimal  # budgeted staff cost attributed to the employee
    minutes: dict[str, int]  # billable minutes per service in the reference period
    spread_like_overheads: bool  # no billable time in the reference period

    @property
    def gross_changed(self) -> bool:
        return self.monthly_gross != self.contract_gross

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    def share_percent(self, service: str) -> Decimal | None:
        """Share of the service in the employee's billable minutes (display, 2 decimals)."""
        if not self.total_minutes:
            return None
        return round_cents(Decimal(self.minutes.get(service, 0)) * 100 / self.total_minutes)


@dataclass(frozen=True)
class ServiceRow:
    """One service on the page: the proposal next to the current rate."""

    code: str
    label: str
    budget_hours: Decimal  # Σ members' planned hours
    line: domain.ServiceRateLine | None
    current: Decimal | None

    @property
    def proposed(self) -> Decimal | None:
        return self.line.rate if self.line else None

    @property
    def difference(self) -> Decimal | None:
        if self.proposed is None or self.current is None:
            return None
        return self.proposed - self.current

    @property
    def difference_percent(self) -> Decimal | None:
        if self.difference is None or not self.current:
            return None
        return round_cents(self.difference * 100 / self.current)


@dataclass(frozen=True)
class RateStudy:
    year: int
    whatif: WhatIf
    employees: list[EmployeeBasis]
    services: list[ServiceRow]
    staff_budget: Decimal  # Σ staff budget lines
    staff_source: str  # "budget" or "engine"
    estimate_total: Decimal  # Σ annual estimates (with the what-if)
    overheads_budget: Decimal
    income: Decimal
    hours_denominator: int
    reference: tuple[date, date] | None  # period of the shares; None: no billable time at all
    proposal: domain.RateProposal | None
    problems: list[Problem]
    closed_months: list[str]
    invoiced_months: list[str]

    @property
    def rates(self) -> dict[str, Decimal]:
        return {s.code: s.proposed for s in self.services if s.proposed is not None}

    def employee_split(self, code: str) -> dict[str, Decimal]:
        """The employee's staff cost per service, as the calculator split it."""
        if self.proposal is None:
            return {}
        return next((dict(e.by_service) for e in self.proposal.employees if e.employee == code), {})

    def hours_percent(self, service: str) -> Decimal | None:
        """Share of the service in the planned hours: its share of the net overheads."""
        if self.proposal is None or not self.proposal.total_hours:
            return None
        return round_cents(self.proposal.line(service).hours * 100 / self.proposal.total_hours)


def _contract_for_year(employee: Employee, year: int, today: date) -> Contract | None:
    """The contract in force on the reference day (today, within the year), else the last
    one that overlaps the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    day = min(max(today, start), end)
    current = employee.contract_on(day)
    if current is not None:
        return current
    overlapping = [
        c
        for c in employee.contracts
        if c.start_date <= end and (c.end_date is None or c.end_date >= start)
    ]
    return overlapping[-1] if overlapping else None


def _budget_sums(year: int) -> dict[str, Decimal]:
    rows = db.session.execute(
        select(BudgetLine.kind, func.sum(BudgetLine.amount))
        .where(BudgetLine.year == year)
        .group_by(BudgetLine.kind)
    ).all()
    sums = {kind: D(total) for kind, total in rows if total is not None}
    return {kind: round_cents(sums.get(kind, ZERO)) for kind in ("staff", "overhead", "income")}


def _billable_minutes(start: date, end: date) -> dict[int, dict[str, int]]:
    """employee id → service code → billable minutes between start and end (inclusive),
    grouped in the database."""
    rows = db.session.execute(
        select(TimesheetEntry.employee_id, Service.code, func.sum(TimesheetEntry.minutes))
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id.is_not(None),
            TimesheetEntry.date >= start,
            TimesheetEntry.date <= end,
        )
        .group_by(TimesheetEntry.employee_id, Service.code)
    ).all()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for employee_id, code, minutes in rows:
        out[employee_id][code] = int(minutes)
    return out


def reference_period(year: int, today: date) -> tuple[date, date] | None:
    """The previous year if it has billable time; else the current year so far; else None."""

    def has_time(start: date, end: date) -> bool:
        return (
            db.session.scalar(
                select(TimesheetEntry.id)
                .where(
                    TimesheetEntry.member_id.is_not(None),
                    TimesheetEntry.date >= start,
                    TimesheetEntry.date <= end,
                )
                .limit(1)
            )
            is not None
        )

    previous = (date(year - 1, 1, 1), date(year - 1, 12, 31))
    if has_time(*previous):
        return previous
    current = (date(year, 1, 1), min(date(year, 12, 31), max(today, date(year, 1, 1))))
    if has_time(*current):
        return current
    return None


def _planned_hours(year: int) -> dict[str, Decimal]:
    rows = db.session.execute(
        select(Service.code, func.sum(PlannedHours.hours))
        .join(Service, PlannedHours.service_id == Service.id)
        .where(PlannedHours.year == year)
        .group_by(Service.code)
    ).all()
    return {code: D(hours) for code, hours in rows if hours is not None}


def months_of_year(year: int) -> tuple[list[str], list[str]]:
    """The year's closed months and the months already invoiced (monthly invoices)."""
    prefix = f"{year}-"
    closed = list(
        db.session.scalars(
            select(MonthLock.month)
            .where(MonthLock.month.startswith(prefix))
            .order_by(MonthLock.month)
        )
    )
    return closed, catalog.invoiced_months(year)


Estimates = dict[str, tuple[Decimal, Decimal, Decimal]]  # code → gross, monthly, base annual


def study(year: int, whatif: WhatIf | None = None, *, today: date | None = None) -> RateStudy:
    """Everything the page shows for ``year``: inputs, the computation, proposed vs current."""
    whatif = whatif or WhatIf()
    today = today or date.today()
    problems: list[Problem] = []
    fiscal_year = db.session.get(FiscalYear, year)
    denominator = fiscal_year.hours_denominator if fiscal_year else DEFAULT_HOURS_DENOMINATOR
    under_contract = _under_contract(year, today)
    for code in sorted(set(whatif.gross) - {e.code for e, _ in under_contract}):
        problems.append(
            Problem(
                f"brut_{code}", tr("%(code)s : aucun contrat en %(year)s.", code=code, year=year)
            )
        )
    estimates, priced = _estimates(year, whatif, under_contract, problems)
    sums = _budget_sums(year)
    staff_cost, staff_source = _staff_costs(year, sums, estimates, priced, problems)

    # --- shares, planned hours, overheads
    reference = reference_period(year, today)
    minutes = _billable_minutes(*reference) if reference else {}
    budget_hours = _planned_hours(year)
    services = list(db.session.scalars(select(Service).order_by(Service.code)))
    known_services = {s.code for s in services}
    for code in sorted(set(whatif.hours) - known_services):
        problems.append(Problem(f"heures_{code}", tr("Service %(code)s inconnu.", code=code)))
    hours = {code: budget_hours.get(code, ZERO) for code in known_services}
    hours.update({k: v for k, v in whatif.hours.items() if k in known_services})
    by_code = {e.code: e.id for e, _ in under_contract}
    shares, spread = _shares(
        staff_cost, {c: minutes.get(by_code[c], {}) for c in staff_cost}, hours
    )
    inputs = domain.RateInputs(
        staff_cost=staff_cost,
        shares=shares,
        overheads=whatif.overheads if whatif.overheads is not None else sums["overhead"],
        income=sums["income"],
        planned_hours=hours,
    )
    proposal: domain.RateProposal | None = None
    if not problems:
        try:
            proposal = domain.propose_rates(inputs)
        except domain.RateError as exc:
            problems.extend(Problem(None, p.message) for p in exc.problems)

    current = _current_rates(year)
    lines = {line.service: line for line in proposal.services} if proposal else {}
    closed, invoiced = months_of_year(year)
    return RateStudy(
        year=year,
        whatif=whatif,
        employees=_basis(under_contract, estimates, staff_cost, minutes, spread),
        services=[
            ServiceRow(
                s.code,
                s.label,
                budget_hours.get(s.code, ZERO),
                lines.get(s.code),
                current.get(s.code),
            )
            for s in services
        ],
        staff_budget=sums["staff"],
        staff_source=staff_source,
        estimate_total=sum((m * MONTHS for _, m, _ in estimates.values()), ZERO),
        overheads_budget=sums["overhead"],
        income=sums["income"],
        hours_denominator=denominator,
        reference=reference,
        proposal=proposal,
        problems=problems,
        closed_months=closed,
        invoiced_months=invoiced,
    )


def _under_contract(year: int, today: date) -> list[tuple[Employee, Contract]]:
    """Each employee with a contract in ``year``, and that contract."""
    employees = db.session.scalars(
        select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.code)
    )
    return [(e, c) for e in employees if (c := _contract_for_year(e, year, today))]


def _estimates(
    year: int,
    whatif: WhatIf,
    under_contract: list[tuple[Employee, Contract]],
    problems: list[Problem],
) -> tuple[Estimates, bool]:
    """The payroll engine's monthly employer cost per employee (with the what-if gross, and
    with the contract's for the base), and whether the year has a payroll rate table."""
    try:
        params = payroll.load_params(year)
    except payroll.ParamsError:
        if under_contract:
            problems.append(
                Problem(
                    None,
                    tr(
                        "Pas de barème de paie pour %(year)s : le coût employeur des salariés "
                        "ne peut pas être estimé.",
                        year=year,
                    ),
                )
            )
        return {}, False
    settings = employer_settings(year)
    month = date(year, 1, 1)
    estimates: Estimates = {}
    for employee, contract in under_contract:
        gross = whatif.gross.get(employee.code, D(contract.monthly_gross))
        hours, cadre = D(contract.weekly_hours), contract.cadre
        try:
            monthly = payroll.simulate(gross, month, hours, cadre, settings, params).employer_cost
            base = (
                monthly
                if gross == D(contract.monthly_gross)
                else payroll.simulate(
                    D(contract.monthly_gross), month, hours, cadre, settings, params
                ).employer_cost
            )
        except payroll.PayrollError as exc:
            problems.append(Problem(f"brut_{employee.code}", f"{employee.code} : {exc}"))
            continue
        estimates[employee.code] = (gross, monthly, base * MONTHS)
    return estimates, True


def _staff_costs(
    year: int,
    sums: dict[str, Decimal],
    estimates: Estimates,
    priced: bool,
    problems: list[Problem],
) -> tuple[dict[str, Decimal], str]:
    """The yearly staff cost per employee, and where it comes from ("budget" or "engine")."""
    staff_source = "budget" if sums["staff"] > 0 else "engine"
    if not estimates:
        if sums["staff"] > 0 and priced:
            problems.append(
                Problem(
                    None,
                    tr(
                        "Budget de personnel de %(sums)s € sans salarié sous contrat en "
                        "%(year)s : il ne peut pas être réparti.",
                        sums=sums["staff"],
                        year=year,
                    ),
                )
            )
        return {}, staff_source
    yearly = {code: m * MONTHS for code, (_, m, _) in estimates.items()}
    if staff_source == "engine":
        return yearly, staff_source
    # The budget stays the reference; a what-if salary moves it by the difference.
    base_total = sum((b for _, _, b in estimates.values()), ZERO)
    staff_total = sums["staff"] + (sum(yearly.values(), ZERO) - base_total)
    if staff_total < 0:
        problems.append(
            Problem(None, tr("Le coût de personnel devient négatif avec ces hypothèses."))
        )
        return {}, staff_source
    return largest_remainder(staff_total, yearly), staff_source


def _shares(
    staff_cost: dict[str, Decimal],
    minutes: dict[str, dict[str, int]],
    hours: dict[str, Decimal],
) -> tuple[dict[str, dict[str, Decimal | int]], set[str]]:
    """How each employee's cost splits between services: their billable minutes of the
    reference period, else (no time at all) like the overheads, by planned hours."""
    shares: dict[str, dict[str, Decimal | int]] = {}
    spread: set[str] = set()
    for code in staff_cost:
        own = minutes[code]
        if sum(own.values()) > 0:
            shares[code] = dict(own)
        else:
            shares[code] = {s: h for s, h in hours.items() if h > 0}
            spread.add(code)
    return shares, spread


def _current_rates(year: int) -> dict[str, Decimal]:
    return {
        r.service.code: D(r.rate)
        for r in db.session.scalars(
            select(ServiceRate)
            .options(selectinload(ServiceRate.service))
            .where(ServiceRate.year == year)
        )
    }


def _basis(
    under_contract: list[tuple[Employee, Contract]],
    estimates: Estimates,
    staff_cost: dict[str, Decimal],
    minutes: dict[int, dict[str, int]],
    spread: set[str],
) -> list[EmployeeBasis]:
    """The employees the page lists: those the engine could price."""
    basis = []
    for employee, contract in under_contract:
        if employee.code not in estimates:
            continue
        gross, monthly, _ = estimates[employee.code]
        basis.append(
            EmployeeBasis(
                code=employee.code,
                name=employee.name,
                job=employee.job,
                weekly_hours=D(contract.weekly_hours),
                cadre=contract.cadre,
                contract_gross=D(contract.monthly_gross),
                monthly_gross=gross,
                monthly_employer_cost=monthly,
                annual_estimate=monthly * MONTHS,
                staff_cost=staff_cost.get(employee.code, ZERO),
                minutes=dict(sorted(minutes.get(employee.id, {}).items())),
                spread_like_overheads=employee.code in spread,
            )
        )
    return basis


# ------------------------------------------------------------------------------------------
# Adoption
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateChange:
    code: str
    before: Decimal | None
    after: Decimal


def check_adoption(
    year: int, rates: dict[str, Decimal | None], *, confirmed: bool, invoiced_months: list[str]
) -> list[Problem]:
    problems: list[Problem] = []
    known = set(db.session.scalars(select(Service.code)))
    for code, rate in sorted(rates.items()):
        if code not in known:
            problems.append(Problem(None, tr("Service %(code)s inconnu.", code=code)))
        elif rate is None:
            problems.append(Problem(f"taux_{code}", tr("Indiquer le taux retenu.")))
        elif rate < 0:
            problems.append(Problem(f"taux_{code}", tr("Le taux doit être positif ou nul.")))
        elif rate != round_cents(rate):
            problems.append(Problem(f"taux_{code}", tr("Au plus 2 décimales.")))
    if not rates:
        problems.append(Problem(None, tr("Aucun taux à adopter.")))
    problems += catalog.rate_change_problems(year, confirmed=confirmed, invoiced=invoiced_months)
    return problems


def adopt(
    year: int,
    rates: dict[str, Decimal | None],
    *,
    proposal: dict[str, Decimal],
    whatif: WhatIf,
    confirmed: bool = False,
    user_id: int | None = None,
) -> list[RateChange]:
    """Write the year's ServiceRate rows (create or update), each change audited with its
    before/after, plus one line recording the proposal and the hypotheses it rests on.
    One commit; nothing written on any problem (ProblemsError with every problem)."""
    _, invoiced = months_of_year(year)
    problems = check_adoption(year, rates, confirmed=confirmed, invoiced_months=invoiced)
    if problems:
        raise ProblemsError(problems)
    services = {
        s.code: s for s in db.session.scalars(select(Service).options(selectinload(Service.rates)))
    }
    changes: list[RateChange] = []
    for code, rate in sorted(rates.items()):
        assert rate is not None  # checked above
        service = services[code]
        row = next((r for r in service.rates if r.year == year), None)
        if row is None:
            row = ServiceRate(year=year, rate=rate)
            service.rates.append(row)
            db.session.flush()
            audit.record(
                "create",
                "service_rate",
                row.id,
                after=audit.snapshot(row),
                summary=f"{code} {year} (calcul des taux)",
                user_id=user_id,
            )
            changes.append(RateChange(code, None, rate))
            continue
        before = audit.snapshot(row)
        previous = D(row.rate)
        if previous == rate:
            continue
        row.rate = rate
        db.session.flush()
        audit.record(
            "update",
            "service_rate",
            row.id,
            before=before,
            after=audit.snapshot(row),
            summary=f"{code} {year} (calcul des taux)",
            user_id=user_id,
        )
        changes.append(RateChange(code, previous, rate))
    if not changes:
        db.session.rollback()
        return []
    audit.record(
        "adopt-rates",
        "fiscal_year",
        year,
        user_id=user_id,
        summary=f"Taux {year} adoptés : "
        + ", ".join(f"{c} {r}" for c, r in sorted(rates.items()))
        + (f" ; factures déjà émises pour {', '.join(invoiced)}" if invoiced else ""),
        after={
            "adopted": {c: str(r) for c, r in sorted(rates.items())},
            "proposed": {c: str(r) for c, r in sorted(proposal.items())},
            "hypotheses": whatif.as_dict(),
            "invoiced_months": invoiced,
        },
    )
    db.session.commit()
    return changes


# ------------------------------------------------------------------------------------------
# Convention de mise à disposition
# ------------------------------------------------------------------------------------------


def member_by_code(code: str) -> Member | None:
    return db.session.scalar(select(Member).where(Member.code == code))


def is_member_during(member: Member, year: int) -> bool:
    return member.joined_on <= date(year, 12, 31) and (
        member.left_on is None or member.left_on >= date(year, 1, 1)
    )


def _seller(org: Organisation) -> SellerParty:
    return SellerParty(
        name=org.name,
        address_lines=(org.address,),
        postcode=org.postcode,
        city=org.city,
        legal_form=org.legal_form,
        siren=org.siren,
        siret=org.siret,
        vat_number=org.vat_number or "",
        email=org.email or "",
        iban=org.iban or "",
        bic=org.bic or "",
        ape=org.ape_code or "",
        phone=org.phone or "",
    )


def _party(member: Member) -> Party:
    return Party(
        name=member.name,
        address_lines=(member.address or "",),
        postcode=member.postcode or "",
        city=member.city or "",
        legal_form=member.legal_form,
        siren=member.siren or "",
        siret=member.siret or "",
        vat_number=member.vat_number or "",
        email=member.email or "",
    )


def convention_document(
    member: Member, year: int, *, today: date | None = None
) -> ConventionDocument:
    """The pure document of ``member``'s convention for ``year``: its planned hours, the
    year's rates, the staff who may be made available, the group's terms."""
    today = today or date.today()
    org = db.session.scalar(select(Organisation).limit(1))
    if org is None:
        raise ProblemsError.single(tr("L'identité du groupement n'est pas renseignée."))
    fiscal_year = db.session.get(FiscalYear, year)
    planned = {p.service_id: D(p.hours) for p in member.planned_hours if p.year == year}
    rates = {
        r.service_id: D(r.rate)
        for r in db.session.scalars(select(ServiceRate).where(ServiceRate.year == year))
    }
    services = list(db.session.scalars(select(Service).order_by(Service.code)))
    lines = tuple(
        ConventionService(s.code, s.label, planned.get(s.id, ZERO), rates.get(s.id))
        for s in services
        if s.id in planned or s.id in rates
    )

    reference = reference_period(year, today)
    minutes = _billable_minutes(*reference) if reference else {}
    labels = {s.code: s.label for s in services}
    staff = []
    for employee in db.session.scalars(
        select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.last_name)
    ):
        contract = _contract_for_year(employee, year, today)
        if contract is None:
            continue
        worked = sorted(minutes.get(employee.id, {}))
        staff.append(
            ConventionEmployee(
                name=employee.name,
                job=employee.job,
                classification=employee.classification or "",
                masked_ssn=employee.masked_ssn,
                contract_kind=contract.kind,
                weekly_hours=D(contract.weekly_hours),
                services=tuple(labels.get(c, c) for c in worked),
            )
        )
    start = max(date(year, 1, 1), member.joined_on)
    end = min(date(year, 12, 31), member.left_on) if member.left_on else date(year, 12, 31)
    return ConventionDocument(
        year=year,
        reference=f"CMD-{year}-{member.code}",
        seller=_seller(org),
        member=_party(member),
        member_joined_on=member.joined_on,
        start=start,
        end=end,
        collective_agreement=org.collective_agreement or "",
        services=lines,
        employees=tuple(staff),
        payment_terms_days=member.payment_terms_days,
        late_penalty_rate=D(org.late_penalty_rate),
        vat_exempt=member.vat_regime == "exempt_261B",
        fee_rate=D(fiscal_year.fee_rate) if fiscal_year else None,
        fee_cap=D(fiscal_year.fee_cap) if fiscal_year else None,
        hours_denominator=fiscal_year.hours_denominator
        if fiscal_year
        else DEFAULT_HOURS_DENOMINATOR,
        issue_date=today,
    )


def convention_bytes(member: Member, year: int, *, today: date | None = None) -> bytes:
    """Generated on demand (not stored): the convention is a draft to sign, and must follow
    the member's planned hours and the year's rates until it is signed."""
    return convention_docx(convention_document(member, year, today=today))


def convention_members(year: int) -> list[Member]:
    """Members during ``year`` (for the list of conventions on the page)."""
    return [
        m
        for m in db.session.scalars(select(Member).order_by(Member.code))
        if is_member_during(m, year)
    ]
