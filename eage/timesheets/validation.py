"""The one validation of time entries (SPEC §5 "Time"), shared by the weekly grid, the file
import, the CLI and the API.

:func:`check_entries` returns *every* problem at once, so a whole file is fixed in one pass.
Reference data (employees and contracts, members, services, closed months, and the minutes
already recorded per employee and day) is loaded once, with a handful of queries; the rows
themselves are then checked in plain Python, which keeps a 100,000-row import to seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, case, func, select

from accounting.formats import short_duration
from accounting.months import Month, iso_week_key
from accounting.problems import Problem, ProblemsError, Where
from eage.extensions import db
from eage.filters import fr_date, tr
from eage.models import (
    ABSENCE_CODES,
    INTERNAL,
    Contract,
    Employee,
    Member,
    MonthLock,
    Service,
    TimesheetEntry,
)
from eage.timesheets import locks as time_locks
from eage.timesheets.parsing import parse_code, parse_date, parse_flag, parse_minutes

# Art. L3121-18 C. trav.: 10 h of effective work a day at most; an authorised exception
# (derogation) may raise it, never beyond 12 h.
DAY_MAX_MINUTES = 10 * 60
DAY_MAX_EXCEPTION_MINUTES = 12 * 60
# Art. L3121-20 C. trav.: 48 h of work in one week at most.
WEEK_MAX_MINUTES = 48 * 60
NOTE_MAX = 500


@dataclass(slots=True)
class RawEntry:
    """One entry as typed or read from a file; `key` is the row number or the grid cell."""

    key: Where
    date: Any
    employee: Any
    member: Any
    service: Any
    hours: Any
    note: Any = None
    exception: Any = None


@dataclass(slots=True)
class CheckedEntry:
    key: Where
    date: date
    employee_id: int
    employee_code: str
    member_id: int | None
    member_code: str
    service_id: int | None
    absence_code: str | None
    activity_code: str
    minutes: int
    note: str | None
    exception: bool

    def row(self) -> dict[str, Any]:
        """Column values for a bulk insert."""
        return {
            "date": self.date,
            "employee_id": self.employee_id,
            "member_id": self.member_id,
            "service_id": self.service_id,
            "absence_code": self.absence_code,
            "minutes": self.minutes,
            "note": self.note,
            "authorised_exception": self.exception,
        }


@dataclass
class Checked:
    entries: list[CheckedEntry]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class EmployeeRef:
    id: int
    code: str
    contracts: tuple[tuple[date, date | None], ...]

    def under_contract(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.contracts)


@dataclass(frozen=True, slots=True)
class MemberRef:
    id: int
    code: str
    joined_on: date
    left_on: date | None


@dataclass
class Reference:
    """Everything a row is checked against, loaded once."""

    employees: dict[str, EmployeeRef]
    members: dict[str, MemberRef]
    services: dict[str, int]
    locked_months: set[str]
    _lock_cache: dict[tuple[int, int], bool] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Reference:
        contracts: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for emp_id, start, end in db.session.execute(
            select(Contract.employee_id, Contract.start_date, Contract.end_date)
        ):
            contracts[emp_id].append((start, end))
        employees = {
            code.upper(): EmployeeRef(emp_id, code, tuple(contracts.get(emp_id, ())))
            for emp_id, code in db.session.execute(select(Employee.id, Employee.code))
        }
        members = {
            code.upper(): MemberRef(mid, code, joined, left)
            for mid, code, joined, left in db.session.execute(
                select(Member.id, Member.code, Member.joined_on, Member.left_on)
            )
        }
        services = {
            code.upper(): sid for sid, code in db.session.execute(select(Service.id, Service.code))
        }
        locked = set(db.session.scalars(select(MonthLock.month)))
        locked |= time_locks.closed_year_months()
        return cls(employees, members, services, locked)

    def is_locked(self, day: date) -> bool:
        ym = (day.year, day.month)
        hit = self._lock_cache.get(ym)
        if hit is None:
            hit = self._lock_cache[ym] = Month.of(day).key in self.locked_months
        return hit


def closed_month_problem(key: Where, day: date) -> Problem:
    """Time on a day of a closed month (SPEC §5 "Time": a closed month's time is frozen)."""
    return Problem(
        "date",
        tr("mois %(month)s clôturé : aucune saisie possible", month=Month.of(day).key),
        row=key,
    )


def week_label(day: date) -> str:
    return iso_week_key(day)


def existing_day_totals(
    employee_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, date], tuple[int, bool]]:
    """Minutes already recorded per (employee, day) between start and end inclusive, and
    whether that day carries an authorised exception — grouped in the database."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    flag = func.max(case((TimesheetEntry.authorised_exception, 1), else_=0).cast(Integer))
    rows = db.session.execute(
        select(
            TimesheetEntry.employee_id, TimesheetEntry.date, func.sum(TimesheetEntry.minutes), flag
        )
        .where(
            TimesheetEntry.employee_id.in_(ids),
            TimesheetEntry.date >= start,
            TimesheetEntry.date <= end,
        )
        .group_by(TimesheetEntry.employee_id, TimesheetEntry.date)
    )
    return {(emp, day): (int(minutes or 0), bool(exc)) for emp, day, minutes, exc in rows}


def _member_message(member: MemberRef, day: date) -> str:
    if day < member.joined_on:
        return tr(
            "%(member)s n'est pas adhérent le %(day)s (adhésion le %(joined)s)",
            member=member.code,
            day=fr_date(day),
            joined=fr_date(member.joined_on),
        )
    assert member.left_on is not None
    return tr(
        "%(member)s n'est plus adhérent le %(day)s (sortie le %(left)s)",
        member=member.code,
        day=fr_date(day),
        left=fr_date(member.left_on),
    )


class _Validation:
    """One pass over the entries: each row checked field by field (every problem kept), and
    the minutes of the readable rows added up per employee and day for the totals' rules."""

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        self.problems: list[Problem] = []
        self.entries: list[CheckedEntry] = []
        # Minutes proposed per (employee id, day), the rows contributing, and exceptions.
        self.new_minutes: dict[tuple[int, date], int] = defaultdict(int)
        self.new_keys: dict[tuple[int, date], list[Where]] = defaultdict(list)
        self.new_exception: set[tuple[int, date]] = set()
        self.employee_codes: dict[int, str] = {}

    def refuse(self, key: Where, field: str, message: str) -> None:
        self.problems.append(Problem(field, message, row=key))

    def check_row(self, raw: RawEntry) -> None:
        key = raw.key
        start = len(self.problems)
        day = self.day(key, raw.date)
        emp = self.employee(key, raw.employee, day)
        member_code, member = self.member(key, raw.member, day)
        activity, service_id, absence = self.activity(key, raw.service, member_code)
        minutes = self.minutes(key, raw.hours)
        exception = self.exception(key, raw.exception)
        note = self.note(key, raw.note)
        if day is not None and self.ref.is_locked(day):
            self.problems.append(closed_month_problem(key, day))
        if day is None or emp is None or minutes is None:
            return
        self.count(key, emp, day, minutes, exception)
        if len(self.problems) == start:
            self.entries.append(
                CheckedEntry(
                    key,
                    day,
                    emp.id,
                    emp.code,
                    member.id if member else None,
                    member.code if member else INTERNAL,
                    service_id,
                    absence,
                    activity,
                    minutes,
                    note,
                    exception,
                )
            )

    def day(self, key: Where, value: Any) -> date | None:
        try:
            return parse_date(value)
        except ProblemsError as exc:
            self.refuse(key, "date", str(exc))
            return None

    def employee(self, key: Where, value: Any, day: date | None) -> EmployeeRef | None:
        code = parse_code(value)
        emp = self.ref.employees.get(code)
        if not code:
            self.refuse(key, "employee", tr("salarié manquant"))
        elif emp is None:
            self.refuse(key, "employee", tr("salarié inconnu : %(code)s", code=code))
        elif day is not None and not emp.under_contract(day):
            self.refuse(
                key,
                "employee",
                tr(
                    "%(employee)s n'est pas sous contrat le %(day)s",
                    employee=emp.code,
                    day=fr_date(day),
                ),
            )
        return emp

    def member(self, key: Where, value: Any, day: date | None) -> tuple[str, MemberRef | None]:
        """The member code as typed (INTERNAL for internal time) and the member it names."""
        code = parse_code(value)
        if not code:
            self.refuse(key, "member", tr("adhérent manquant (code adhérent ou INTERNE)"))
            return code, None
        if code == INTERNAL:
            return code, None
        member = self.ref.members.get(code)
        if member is None:
            self.refuse(key, "member", tr("adhérent inconnu : %(code)s", code=code))
        elif day is not None and not (
            member.joined_on <= day and (member.left_on is None or day <= member.left_on)
        ):
            self.refuse(key, "member", _member_message(member, day))
        return code, member

    def activity(
        self, key: Where, value: Any, member_code: str
    ) -> tuple[str, int | None, str | None]:
        """(activity code, service id, absence code): absences only on internal time."""
        activity = parse_code(value)
        internal = member_code == INTERNAL
        if not activity:
            missing = (
                tr("service ou code d'absence manquant") if internal else tr("service manquant")
            )
            self.refuse(key, "service", missing)
        elif activity in ABSENCE_CODES:
            if internal:
                return activity, None, activity
            if member_code:
                self.refuse(
                    key,
                    "service",
                    tr(
                        "le code d'absence %(code)s n'est possible que pour le temps interne"
                        " (%(internal)s), pas pour un adhérent",
                        code=activity,
                        internal=INTERNAL,
                    ),
                )
        else:
            service_id = self.ref.services.get(activity)
            if service_id is not None:
                return activity, service_id, None
            if internal:
                message = tr(
                    "service inconnu : %(code)s (service ou absence : %(codes)s)",
                    code=activity,
                    codes=", ".join(ABSENCE_CODES),
                )
            else:
                message = tr("service inconnu : %(code)s", code=activity)
            self.refuse(key, "service", message)
        return activity, None, None

    def minutes(self, key: Where, value: Any) -> int | None:
        try:
            minutes = parse_minutes(value)
        except ProblemsError as exc:
            self.refuse(key, "hours", str(exc))
            return None
        if minutes <= 0:
            self.refuse(
                key, "hours", tr("durée nulle ou négative : une saisie dure plus de 0 minute")
            )
            return None
        return minutes

    def exception(self, key: Where, value: Any) -> bool:
        try:
            return parse_flag(value)
        except ProblemsError as exc:
            self.refuse(key, "exception", str(exc))
            return False

    def note(self, key: Where, value: Any) -> str | None:
        note = None if value is None else str(value).strip() or None
        if note is not None and len(note) > NOTE_MAX:
            self.refuse(
                key,
                "note",
                tr(
                    "note trop longue (%(length)s caractères, maximum %(max)s)",
                    length=len(note),
                    max=NOTE_MAX,
                ),
            )
        return note

    def count(self, key: Where, emp: EmployeeRef, day: date, minutes: int, exception: bool) -> None:
        pair = (emp.id, day)
        self.new_minutes[pair] += minutes
        self.new_keys[pair].append(key)
        if exception:
            self.new_exception.add(pair)
        self.employee_codes[emp.id] = emp.code


def validate(
    raws: Sequence[RawEntry],
    *,
    replaced: Iterable[tuple[int, date]] = (),
    reference: Reference | None = None,
) -> Checked:
    """Check every entry; return the valid ones ready to write and every problem found.

    `replaced` lists (employee id, day) pairs whose recorded entries the caller is about to
    replace (the weekly grid): they do not count towards the existing totals.
    """
    run = _Validation(reference or Reference.load())
    for raw in raws:
        run.check_row(raw)
    problems = run.problems
    if run.new_minutes:
        problems.extend(_check_totals(run, set(replaced)))
        order: dict[Where | None, int] = {raw.key: i for i, raw in enumerate(raws)}
        problems.sort(key=lambda p: order.get(p.row, len(order)))
    return Checked(run.entries if not problems else [], problems)


def _check_totals(run: _Validation, replaced: set[tuple[int, date]]) -> list[Problem]:
    """Daily and weekly maxima, counting what is already recorded (minus what is replaced)."""
    days = [d for _, d in run.new_minutes]
    first = min(days)
    last = max(days)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    existing = existing_day_totals(run.employee_codes, start, end)
    for pair in replaced:
        existing.pop(pair, None)
    return _day_problems(run, existing) + _week_problems(run, existing)


def _day_problems(
    run: _Validation, existing: dict[tuple[int, date], tuple[int, bool]]
) -> list[Problem]:
    """Art. L3121-18 C. trav.: 10 h a day, 12 h with an authorised exception."""
    problems: list[Problem] = []
    for pair, minutes in run.new_minutes.items():
        emp_id, day = pair
        old, old_exception = existing.get(pair, (0, False))
        total = old + minutes
        if total <= DAY_MAX_MINUTES:
            continue
        authorised = old_exception or pair in run.new_exception
        if authorised and total <= DAY_MAX_EXCEPTION_MINUTES:
            continue
        keys = tuple(run.new_keys[pair])
        who = run.employee_codes[emp_id]
        rule = (
            tr("maximum 12 h par jour même avec dérogation autorisée (art. L3121-18 C. trav.)")
            if authorised
            else tr("maximum légal 10 h par jour (art. L3121-18 C. trav.)")
        )
        limit = (DAY_MAX_EXCEPTION_MINUTES if authorised else DAY_MAX_MINUTES) // 60
        message = tr(
            "plus de %(limit)s h le %(day)s pour %(employee)s (%(total)s) : %(rule)s",
            limit=limit,
            day=fr_date(day),
            employee=who,
            total=short_duration(total),
            rule=rule,
        )
        problems.append(Problem("hours", message, row=keys[-1], rows=keys))
    return problems


def _week_problems(
    run: _Validation, existing: dict[tuple[int, date], tuple[int, bool]]
) -> list[Problem]:
    """Art. L3121-20 C. trav.: 48 h a week; day sums (grouped in SQL) added up per ISO week."""
    week_total: dict[tuple[int, int, int], int] = defaultdict(int)
    week_keys: dict[tuple[int, int, int], list[Where]] = defaultdict(list)
    for (emp_id, day), (minutes, _) in existing.items():
        if emp_id in run.employee_codes:
            iso = day.isocalendar()
            week_total[(emp_id, iso.year, iso.week)] += minutes
    for (emp_id, day), minutes in sorted(run.new_minutes.items(), key=lambda kv: kv[0][1]):
        iso = day.isocalendar()
        week = (emp_id, iso.year, iso.week)
        week_total[week] += minutes
        week_keys[week].extend(run.new_keys[(emp_id, day)])
    problems: list[Problem] = []
    for (emp_id, year, number), keys in week_keys.items():
        total = week_total[(emp_id, year, number)]
        if total > WEEK_MAX_MINUTES:
            message = tr(
                "plus de 48 h la semaine %(week)s pour %(employee)s (%(total)s) : maximum"
                " légal 48 h par semaine (art. L3121-20 C. trav.)",
                week=f"{year}-W{number:02d}",
                employee=run.employee_codes[emp_id],
                total=short_duration(total),
            )
            problems.append(Problem("hours", message, row=keys[-1], rows=tuple(keys)))
    return problems


def readable_rows(raws: Sequence[RawEntry], reference: Reference) -> list[CheckedEntry]:
    """The rows that are right on their own (the daily and weekly totals not checked): what
    the duplicate detection compares with the entries already recorded."""
    run = _Validation(reference)
    for raw in raws:
        run.check_row(raw)
    return run.entries


def check_entries(
    raws: Sequence[RawEntry],
    *,
    replaced: Iterable[tuple[int, date]] = (),
    reference: Reference | None = None,
) -> list[Problem]:
    """Every problem of the proposed entries (empty list: all good)."""
    return validate(raws, replaced=replaced, reference=reference).problems
