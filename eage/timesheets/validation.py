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

from eage.extensions import db
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
from eage.timesheets.parsing import (
    ParseError,
    fmt_day,
    fmt_hours,
    parse_code,
    parse_date,
    parse_flag,
    parse_minutes,
)

# Art. L3121-18 C. trav.: 10 h of effective work a day at most; an authorised exception
# (derogation) may raise it, never beyond 12 h.
DAY_MAX_MINUTES = 10 * 60
DAY_MAX_EXCEPTION_MINUTES = 12 * 60
# Art. L3121-20 C. trav.: 48 h of work in one week at most.
WEEK_MAX_MINUTES = 48 * 60
NOTE_MAX = 500

Key = int | str


@dataclass(slots=True)
class RawEntry:
    """One entry as typed or read from a file; `key` is the row number or the grid cell."""

    key: Key
    date: Any
    employee: Any
    member: Any
    service: Any
    hours: Any
    note: Any = None
    exception: Any = None


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, where: `key` (row or cell), the `field`, a French message naming the
    rule. `keys` lists every entry concerned when the rule is about a total (day, week)."""

    key: Key
    field: str
    message: str
    keys: tuple[Key, ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class CheckedEntry:
    key: Key
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
        return cls(employees, members, services, locked)

    def is_locked(self, day: date) -> bool:
        ym = (day.year, day.month)
        hit = self._lock_cache.get(ym)
        if hit is None:
            hit = self._lock_cache[ym] = f"{day.year:04d}-{day.month:02d}" in self.locked_months
        return hit


def closed_month_problem(key: Key, day: date) -> Problem:
    """Time on a day of a closed month (SPEC §5 "Time": a closed month's time is frozen)."""
    return Problem(key, "date", f"mois {month_key(day)} clôturé : aucune saisie possible")


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_label(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


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
        return (
            f"{member.code} n'est pas adhérent le {fmt_day(day)} "
            f"(adhésion le {fmt_day(member.joined_on)})"
        )
    assert member.left_on is not None
    return (
        f"{member.code} n'est plus adhérent le {fmt_day(day)} (sortie le {fmt_day(member.left_on)})"
    )


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
    ref = reference or Reference.load()
    problems: list[Problem] = []
    entries: list[CheckedEntry] = []
    # Minutes proposed per (employee id, day), with the keys contributing, and exceptions.
    new_minutes: dict[tuple[int, date], int] = defaultdict(int)
    new_keys: dict[tuple[int, date], list[Key]] = defaultdict(list)
    new_exception: set[tuple[int, date]] = set()
    employee_codes: dict[int, str] = {}
    absences = ABSENCE_CODES
    services = ref.services
    add = problems.append

    for raw in raws:
        key = raw.key
        start = len(problems)

        day: date | None
        try:
            day = parse_date(raw.date)
        except ParseError as exc:
            add(Problem(key, "date", str(exc)))
            day = None

        emp_code = parse_code(raw.employee)
        emp = ref.employees.get(emp_code)
        if not emp_code:
            add(Problem(key, "employee", "salarié manquant"))
        elif emp is None:
            add(Problem(key, "employee", f"salarié inconnu : {emp_code}"))
        elif day is not None and not emp.under_contract(day):
            add(Problem(key, "employee", f"{emp.code} n'est pas sous contrat le {fmt_day(day)}"))

        member_code = parse_code(raw.member)
        member: MemberRef | None = None
        internal = member_code == INTERNAL
        if not member_code:
            add(Problem(key, "member", "adhérent manquant (code adhérent ou INTERNE)"))
        elif not internal:
            member = ref.members.get(member_code)
            if member is None:
                add(Problem(key, "member", f"adhérent inconnu : {member_code}"))
            elif day is not None and not (
                member.joined_on <= day and (member.left_on is None or day <= member.left_on)
            ):
                add(Problem(key, "member", _member_message(member, day)))

        activity = parse_code(raw.service)
        service_id: int | None = None
        absence: str | None = None
        if not activity:
            add(
                Problem(
                    key,
                    "service",
                    "service ou code d'absence manquant" if internal else "service manquant",
                )
            )
        elif activity in absences:
            if internal:
                absence = activity
            elif member_code:
                add(
                    Problem(
                        key,
                        "service",
                        f"le code d'absence {activity} n'est possible que pour"
                        f" le temps interne ({INTERNAL}), pas pour un adhérent",
                    )
                )
        else:
            service_id = services.get(activity)
            if service_id is None:
                extra = f" (service ou absence : {', '.join(absences)})" if internal else ""
                add(Problem(key, "service", f"service inconnu : {activity}{extra}"))

        minutes: int | None
        try:
            minutes = parse_minutes(raw.hours)
        except ParseError as exc:
            add(Problem(key, "hours", str(exc)))
            minutes = None
        else:
            if minutes <= 0:
                add(
                    Problem(
                        key, "hours", "durée nulle ou négative : une saisie dure plus de 0 minute"
                    )
                )
                minutes = None

        try:
            exception = parse_flag(raw.exception)
        except ParseError as exc:
            add(Problem(key, "exception", str(exc)))
            exception = False

        note = None if raw.note is None else str(raw.note).strip() or None
        if note is not None and len(note) > NOTE_MAX:
            add(
                Problem(
                    key, "note", f"note trop longue ({len(note)} caractères, maximum {NOTE_MAX})"
                )
            )

        if day is not None and ref.is_locked(day):
            add(closed_month_problem(key, day))

        if day is not None and emp is not None and minutes is not None:
            pair = (emp.id, day)
            new_minutes[pair] += minutes
            new_keys[pair].append(key)
            if exception:
                new_exception.add(pair)
            employee_codes[emp.id] = emp.code

        if len(problems) == start:
            assert day is not None and emp is not None and minutes is not None
            entries.append(
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

    if new_minutes:
        problems.extend(
            _check_totals(new_minutes, new_keys, new_exception, employee_codes, set(replaced))
        )
        order = {raw.key: i for i, raw in enumerate(raws)}
        problems.sort(key=lambda p: order.get(p.key, len(order)))
    return Checked(entries if not problems else [], problems)


def _check_totals(
    new_minutes: dict[tuple[int, date], int],
    new_keys: dict[tuple[int, date], list[Key]],
    new_exception: set[tuple[int, date]],
    employee_codes: dict[int, str],
    replaced: set[tuple[int, date]],
) -> list[Problem]:
    """Daily and weekly maxima, counting what is already recorded (minus what is replaced)."""
    days = [d for _, d in new_minutes]
    first = min(days)
    last = max(days)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    existing = existing_day_totals(employee_codes, start, end)
    for pair in replaced:
        existing.pop(pair, None)

    problems: list[Problem] = []
    for pair, minutes in new_minutes.items():
        emp_id, day = pair
        old, old_exception = existing.get(pair, (0, False))
        total = old + minutes
        authorised = old_exception or pair in new_exception
        if total > DAY_MAX_MINUTES:
            keys = tuple(new_keys[pair])
            who = employee_codes[emp_id]
            if not authorised:
                problems.append(
                    Problem(
                        keys[-1],
                        "hours",
                        (
                            f"plus de 10 h le {fmt_day(day)} pour {who} ({fmt_hours(total)}) : "
                            "maximum légal 10 h par jour (art. L3121-18 C. trav.)"
                        ),
                        keys,
                    )
                )
            elif total > DAY_MAX_EXCEPTION_MINUTES:
                problems.append(
                    Problem(
                        keys[-1],
                        "hours",
                        (
                            f"plus de 12 h le {fmt_day(day)} pour {who} ({fmt_hours(total)}) : "
                            "maximum 12 h par jour même avec dérogation autorisée "
                            "(art. L3121-18 C. trav.)"
                        ),
                        keys,
                    )
                )

    # Weekly totals: day sums (grouped in SQL above) added up per ISO week.
    week_total: dict[tuple[int, int, int], int] = defaultdict(int)
    week_keys: dict[tuple[int, int, int], list[Key]] = defaultdict(list)
    week_days: dict[tuple[int, int, int], date] = {}
    for (emp_id, day), (minutes, _) in existing.items():
        if emp_id in employee_codes:
            iso = day.isocalendar()
            week_total[(emp_id, iso.year, iso.week)] += minutes
    for (emp_id, day), minutes in sorted(new_minutes.items(), key=lambda kv: kv[0][1]):
        iso = day.isocalendar()
        wk = (emp_id, iso.year, iso.week)
        week_total[wk] += minutes
        week_keys[wk].extend(new_keys[(emp_id, day)])
        week_days.setdefault(wk, day)
    for wk, keys in week_keys.items():
        total = week_total[wk]
        if total > WEEK_MAX_MINUTES:
            emp_id, year, week = wk
            problems.append(
                Problem(
                    keys[-1],
                    "hours",
                    (
                        f"plus de 48 h la semaine {year}-W{week:02d} pour {employee_codes[emp_id]} "
                        f"({fmt_hours(total)}) : maximum légal 48 h par semaine (art. L3121-20 C. trav.)"
                    ),
                    tuple(keys),
                )
            )
    return problems


def check_entries(
    raws: Sequence[RawEntry],
    *,
    replaced: Iterable[tuple[int, date]] = (),
    reference: Reference | None = None,
) -> list[Problem]:
    """Every problem of the proposed entries (empty list: all good)."""
    return validate(raws, replaced=replaced, reference=reference).problems
