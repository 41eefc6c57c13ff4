"""The large demo group (issue 17, `eage load-demo --size large`): the demo group of SPEC §1
grown to 500 employees and 1,000 members with five years of time (about 1.1 million
timesheet entries), to run the month-close benchmark and the browser smoke test at scale.

Everything is drawn from a seeded generator, so the same seed and sizes give the same group
and the same minutes, whatever the day of the load (the time simply stops at ``today``).
The 12 demo members, 3 demo employees, their services and users are the normal demo's
(loaded by its own functions); the others are synthetic (codes ``XLM0001``…, ``XLE0001``…).

It loads fast: rows go in by chunks of lists of dicts through SQLAlchemy Core ``insert()``
(``COPY`` on PostgreSQL, eage/demo/bulk.py), never one ORM object per entry. The past
months are NOT closed (closing 60 months of 1,000 members would take hours):
``bench/bench_close.py`` closes one.

Idempotent: what exists (by code, year) is left as it is; each employee's time resumes the
day after its last entry, from the same generated sequence."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from stdnum import luhn
from stdnum.fr import siren as siren_mod

from accounting.calendar import french_public_holidays
from accounting.money import CENT
from eage.demo import bulk
from eage.demo.reference import (
    BUDGET,
    EMPLOYEES,
    MEMBERS,
    load_employees,
    load_members,
    load_organisation,
    load_services,
    load_users,
)
from eage.extensions import db
from eage.models import (
    BudgetLine,
    Contract,
    Employee,
    FiscalYear,
    Member,
    Organisation,
    PlannedHours,
    Service,
    TimesheetEntry,
)
from eage.models.base import utcnow

MEMBER_PREFIX = "XLM"
EMPLOYEE_PREFIX = "XLE"
DEFAULT_SEED = 17
CHUNK = 20_000  # rows per INSERT executemany: memory stays flat, progress is visible
PORTFOLIO_COVER = 3  # each member is in about this many employees' portfolios
LEAVE_DAY = 0.04  # a day of paid leave now and then
INTERNAL_DAY = 0.45  # a day with half an hour of the group's own administration
TWO_MEMBERS_DAY = 0.7  # a day split between two members (else one)

FIRST_NAMES = [
    "Alice",
    "Bruno",
    "Chloé",
    "David",
    "Emma",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
    "Karima",
    "Louis",
    "Manon",
    "Nadia",
    "Olivier",
    "Pauline",
    "Quentin",
    "Rachid",
    "Sarah",
    "Thomas",
    "Ursula",
    "Victor",
    "Wassila",
    "Yanis",
    "Zoé",
]
LAST_NAMES = [
    "Bernard",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Faure",
]
JOBS = (
    ("Comptable", "Technicien — groupe D"),
    ("Chargée de paie", "Technicienne — groupe D"),
    ("Contrôleur de gestion", "Cadre — groupe F"),
    ("Assistante administrative", "Employée — groupe C"),
    ("Technicien informatique", "Technicien — groupe D"),
    ("Chargé de communication", "Technicien — groupe E"),
)
WEEKLY_HOURS = (Decimal("35"), Decimal("35"), Decimal("35"), Decimal("28"), Decimal("24"))
LEGAL_FORMS = ("Association loi 1901", "Association loi 1901", "SCOP SARL", "SCIC SAS")
CITIES = (("42000", "Saint-Étienne"), ("69001", "Lyon"), ("43000", "Le Puy-en-Velay"))

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LargeSize:
    """How large: the normal large group by default; tests ask for a few of each."""

    employees: int = 500
    members: int = 1000
    years: int = 5
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Worker:
    """What the time generator needs of an employee."""

    id: int
    index: int
    service_id: int
    daily_minutes: int
    start: date
    portfolio: tuple[int, ...]


def _rng(size: LargeSize, *parts: object) -> random.Random:
    """An independent generator per purpose (and per employee): adding a member does not
    shift the others' draws."""
    return random.Random("-".join(str(p) for p in (size.seed, *parts)))


def _siren(number: int) -> str:
    seed = f"6{number:07d}"
    return seed + luhn.calc_check_digit(seed)


def _ssn(rng: random.Random, female: bool) -> str:
    """A French social security number with its key (97 - n mod 97)."""
    body = (
        f"{2 if female else 1}{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}42"
        f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )
    return body + f"{97 - int(body) % 97:02d}"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _member_rows(size: LargeSize, start_year: int) -> list[dict[str, Any]]:
    rng = _rng(size, "members")
    rows = []
    for n in range(1, size.members - len(MEMBERS) + 1):
        siren = _siren(n)
        nic = "0001"
        regime = "vat_20" if rng.random() < 0.25 else "exempt_261B"
        postcode, city = rng.choice(CITIES)
        rows.append(
            dict(
                code=f"{MEMBER_PREFIX}{n:04d}",
                name=f"Structure adhérente n° {n}",
                legal_form=rng.choice(LEGAL_FORMS),
                siren=siren,
                siret=siren + nic + luhn.calc_check_digit(siren + nic),
                vat_number="FR" + siren_mod.to_tva(siren) if regime == "vat_20" else None,
                address=f"{rng.randint(1, 120)} rue des Adhérents",
                postcode=postcode,
                city=city,
                email=f"contact-{n:04d}@adherents.example",
                joined_on=date(start_year - 1, rng.randint(1, 12), 1),
                left_on=None,
                vat_regime=regime,
                payment_terms_days=30,
                previous_year_gross_payroll=Decimal(rng.randint(20, 400) * 1000),
            )
        )
    return rows


def _employee_rows(size: LargeSize, start: date) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(employee, contract) rows. Four in five were hired before the period, the others
    during its first four years (their time starts on their first day)."""
    rng = _rng(size, "employees")
    rows = []
    span = (date(start.year + size.years - 1, 1, 1) - start).days or 1
    for n in range(1, size.employees - len(EMPLOYEES) + 1):
        female = rng.random() < 0.6
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        job, classification = rng.choice(JOBS)
        weekly = rng.choice(WEEKLY_HOURS)
        hourly = Decimal(rng.randint(1250, 2400)) / 100
        cadre = classification.startswith("Cadre")
        if rng.random() < 0.8:
            hired = date(rng.randint(2010, start.year - 1), rng.randint(1, 12), 1)
        else:
            hired = start + timedelta(days=rng.randrange(span))
        code = f"{EMPLOYEE_PREFIX}{n:04d}"
        employee = dict(
            code=code,
            first_name=first,
            last_name=last,
            job=job,
            classification=classification,
            email=f"{code.lower()}@equipe-associee.example",
            social_security_number=_ssn(rng, female),
            pas_rate=Decimal(rng.choice((0, 0, 150, 290, 430, 750))) / 100,
        )
        contract = dict(
            kind="CDI",
            start_date=hired,
            end_date=None,
            weekly_hours=weekly,
            monthly_gross=_cents(weekly * 52 / 12 * hourly),
            cadre=cadre,
        )
        rows.append((employee, contract))
    return rows


def _insert_chunked(model: Any, rows: list[dict[str, Any]]) -> None:
    """Rows in chunks, on the table (the ORM's bulk insert would split them into one
    statement per run of rows with the same NULL columns)."""
    for i in range(0, len(rows), CHUNK):
        bulk.insert_rows(model.__table__, rows[i : i + CHUNK])


def _load_members(size: LargeSize, years: list[int], report: list[str]) -> None:
    """The synthetic members (those missing) and every member's planned hours per year."""
    known = set(
        db.session.scalars(select(Member.code).where(Member.code.like(f"{MEMBER_PREFIX}%")))
    )
    rows = [r for r in _member_rows(size, years[0]) if r["code"] not in known]
    _insert_chunked(Member, rows)
    if rows:
        report.append(f"members: {len(rows)} synthetic")
    services = db.session.scalars(select(Service).order_by(Service.code)).all()
    planned = {
        (m, y, s)
        for m, y, s in db.session.execute(
            select(PlannedHours.member_id, PlannedHours.year, PlannedHours.service_id)
        )
    }
    rng = _rng(size, "planned")
    members = db.session.execute(
        select(Member.id, Member.code)
        .where(Member.code.like(f"{MEMBER_PREFIX}%"))
        .order_by(Member.code)
    ).all()
    new = []
    for member_id, _code in members:
        for year in years:
            for svc in services:
                hours = Decimal(rng.randint(2, 30) * 10)
                if (member_id, year, svc.id) not in planned:
                    new.append(dict(member_id=member_id, year=year, service_id=svc.id, hours=hours))
    _insert_chunked(PlannedHours, new)


def _load_employees(size: LargeSize, start: date, report: list[str]) -> None:
    known = set(
        db.session.scalars(select(Employee.code).where(Employee.code.like(f"{EMPLOYEE_PREFIX}%")))
    )
    pairs = [(e, c) for e, c in _employee_rows(size, start) if e["code"] not in known]
    if not pairs:
        return
    _insert_chunked(Employee, [e for e, _c in pairs])
    ids = dict(
        db.session.execute(
            select(Employee.code, Employee.id).where(
                Employee.code.in_([e["code"] for e, _ in pairs])
            )
        ).all()
    )
    _insert_chunked(Contract, [{**c, "employee_id": ids[e["code"]]} for e, c in pairs])
    report.append(f"employees: {len(pairs)} synthetic, with their contracts")


def _load_years(size: LargeSize, years: list[int], report: list[str]) -> None:
    """Fiscal years and their budgets (the demo's budget scaled to the staff)."""
    scale = Decimal(size.employees) / len(EMPLOYEES)
    for year in years:
        if db.session.get(FiscalYear, year) is None:
            db.session.add(FiscalYear(year=year))
            report.append(f"fiscal year {year}")
        exists = db.session.scalar(select(func.count(BudgetLine.id)).where(BudgetLine.year == year))
        if not exists:
            amounts = [_cents(amount * scale) for _a, _l, _k, amount in BUDGET]
            lines = [
                dict(year=year, account=a, label=label, kind=k, amount=amount)
                for (a, label, k, _), amount in zip(BUDGET, amounts, strict=True)
            ]
            _insert_chunked(BudgetLine, lines)
            report.append(f"budget {year}: {sum(amounts)} €")


def _workers(size: LargeSize, report: list[str]) -> list[Worker]:
    """Every employee of the large group with its main service and portfolio of members."""
    member_ids = list(db.session.scalars(select(Member.id).order_by(Member.code)))
    employees = db.session.scalars(
        select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.code)
    ).all()
    services = {s.code: s.id for s in db.session.scalars(select(Service))}
    demo_main = {e[0]: e[8] for e in EMPLOYEES}
    per = max(2, -(-PORTFOLIO_COVER * len(member_ids) // max(1, len(employees))))
    rng = _rng(size, "portfolios")
    workers = []
    for index, emp in enumerate(employees):
        contract = emp.contracts[0]
        main = demo_main.get(emp.code) or rng.choice(("GESTION", "GESTION", "PAIE", "RESEAU"))
        first = (index * per) % len(member_ids)
        portfolio = tuple(member_ids[(first + j) % len(member_ids)] for j in range(per))
        workers.append(
            Worker(
                id=emp.id,
                index=index,
                service_id=services[main],
                daily_minutes=int(contract.weekly_hours * 60 / 5),
                start=contract.start_date,
                portfolio=portfolio,
            )
        )
    return workers


def _working_days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in french_public_holidays(day.year):
            yield day
        day += timedelta(days=1)


def worker_days(
    size: LargeSize, worker: Worker, first: date, until: date
) -> Iterator[tuple[date, int | None, int | None, str | None, int]]:
    """(day, member, service, absence, minutes) of `worker` from `first` to `until`: its
    contract hours each working day (never over 7 h: at most 35 h a week), on one or two
    members of its portfolio, half an hour of internal work some days, a day of paid leave
    now and then. The draws of every day are made even before the contract starts, so the
    sequence does not depend on `first`."""
    rng = _rng(size, "time", worker.index)
    for day in _working_days(first, until):
        leave, internal, split, a, b = (rng.random() for _ in range(5))
        if day < worker.start:
            continue
        if leave < LEAVE_DAY:
            yield day, None, None, "CP", worker.daily_minutes
            continue
        left = worker.daily_minutes
        if internal < INTERNAL_DAY:
            yield day, None, worker.service_id, None, 30
            left -= 30
        pick = worker.portfolio[int(a * len(worker.portfolio))]
        if split < TWO_MEMBERS_DAY:
            other = worker.portfolio[int(b * len(worker.portfolio))]
            if other != pick:
                half = left // 2 // 15 * 15
                yield day, pick, worker.service_id, None, half
                yield day, other, worker.service_id, None, left - half
                continue
        yield day, pick, worker.service_id, None, left


def _load_time(
    size: LargeSize, first: date, today: date, report: list[str], progress: Progress | None
) -> int:
    workers = _workers(size, report)
    last = dict(
        db.session.execute(
            select(TimesheetEntry.employee_id, func.max(TimesheetEntry.date)).group_by(
                TimesheetEntry.employee_id
            )
        ).all()
    )
    stamp = utcnow()
    rows: list[dict[str, Any]] = []
    total = 0
    started = time.perf_counter()
    for n, worker in enumerate(workers, start=1):
        done = last.get(worker.id)
        for day, member, service, absence, minutes in worker_days(size, worker, first, today):
            if done is not None and day <= done:
                continue
            rows.append(
                dict(
                    date=day,
                    employee_id=worker.id,
                    member_id=member,
                    service_id=service,
                    absence_code=absence,
                    minutes=minutes,
                    note="Congés payés" if absence else None,
                    authorised_exception=False,
                    created_at=stamp,
                )
            )
        if rows and (len(rows) >= CHUNK or n == len(workers)):
            bulk.insert_rows(TimesheetEntry.__table__, rows)  # type: ignore[arg-type]
            total += len(rows)
            rows = []
            if progress is not None:
                progress(
                    f"  timesheets: {n}/{len(workers)} employees, {total} entries"
                    f" ({time.perf_counter() - started:.0f} s)"
                )
    return total


def load_large_demo(
    year: int,
    today: date,
    *,
    size: LargeSize = LargeSize(),
    with_time: bool = True,
    report: list[str],
    progress: Progress | None = None,
) -> None:
    """Load (or complete) the large group: `size.years` fiscal years ending with `year`,
    and with ``with_time`` their time up to `today` (no month closed)."""
    years = list(range(year - size.years + 1, year + 1))
    load_organisation(report)
    for y in years:
        services = load_services(y, report)
        demo_members = load_members(y, services, report)
    load_employees(report)
    db.session.flush()
    load_users(demo_members, report)
    _load_members(size, years, report)
    _load_employees(size, date(years[0], 1, 1), report)
    _load_years(size, years, report)
    org = db.session.scalar(select(Organisation).limit(1))
    if org is not None:
        org.headcount = db.session.scalar(select(func.count(Employee.id))) or org.headcount
    db.session.commit()
    if with_time:
        n = _load_time(size, date(years[0], 1, 1), min(today, date(year, 12, 31)), report, progress)
        if n:
            report.append(f"timesheets {years[0]}–{year}: {n} entries")
    db.session.commit()
