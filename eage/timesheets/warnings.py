"""Warnings on time that is valid but deserves a look before it reaches a payslip or an invoice
(issue 14): they never block a save or an import, unlike the legal maxima of
:mod:`eage.timesheets.validation` (10 h a day, art. L3121-18; 48 h a week, art. L3121-20).

Pure functions over plain data (no Flask, no database): the callers give the minutes of work
per (employee, day), each employee's contract hours, and today's date.

- A week beyond the contract: for a part-timer (contract under the legal 35 h) the hours
  beyond the contract are *heures complémentaires* (art. L3123-8 et s. C. trav.: at most a
  tenth of the contract, or a third by agreement, paid with a 10 % / 25 % increase); for a
  full-timer the hours beyond 35 h are *heures supplémentaires* (art. L3121-28 C. trav.:
  every hour beyond the legal 35 h a week, paid with a 25 % / 50 % increase, art. L3121-36).
  The payroll counts them; the warning makes sure nobody discovers them on the payslip.
- A part-timer working on a Saturday (usually outside the distribution of hours the
  part-time contract must state, art. L3123-6); any work on a Sunday (weekly rest given on
  Sunday, art. L3132-3).
- A date in the future (time entered in advance is rarely time worked).

Only work counts (entries on a service): absences (paid leave, sick leave…) are not
effective work time (art. L3121-1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FULL_TIME_MINUTES = 35 * 60  # the legal working week, art. L3121-27 C. trav.
SATURDAY, SUNDAY = 5, 6

OVERTIME = "overtime"  # heures supplémentaires (full-time)
EXTRA_HOURS = "extra_hours"  # heures complémentaires (part-time)
SATURDAY_PART_TIME = "saturday"
SUNDAY_WORK = "sunday"
FUTURE = "future"


def N_(text: str) -> str:
    """Marks a message for translation; the caller translates it (this module has no Flask)."""
    return text


MESSAGES = {
    EXTRA_HOURS: N_(
        "%(employee)s, semaine %(week)s : %(total)s pour un contrat de %(contract)s,"
        " soit %(extra)s d'heures complémentaires (art. L3123-8 et s. C. trav.)"
    ),
    OVERTIME: N_(
        "%(employee)s, semaine %(week)s : %(total)s pour un contrat de %(contract)s,"
        " soit %(extra)s d'heures supplémentaires (art. L3121-28 C. trav.)"
    ),
    SATURDAY_PART_TIME: N_(
        "%(employee)s, à temps partiel (%(contract)s par semaine), travaille le samedi %(day)s"
    ),
    SUNDAY_WORK: N_("%(employee)s travaille le dimanche %(day)s"),
    FUTURE: N_("%(employee)s : saisie du %(day)s, une date future"),
}


@dataclass(frozen=True)
class ContractHours:
    """A contract's weekly minutes from ``start`` to ``end`` (None: open-ended)."""

    start: date
    end: date | None
    weekly_minutes: int

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def weekly_minutes(weekly_hours: Decimal) -> int:
    """A contract's weekly hours (Decimal, e.g. 24.50) in whole minutes, rounded half up."""
    return int((weekly_hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TimeWarning:
    kind: str
    employee: str
    day: date  # the day concerned; for a week, its Monday
    total: int = 0  # minutes: the week's work (week warnings)
    contract: int = 0  # minutes: the contract's week
    extra: int = 0  # minutes beyond the contract

    @property
    def week(self) -> str:
        iso = self.day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"


def _contract_on(contracts: Sequence[ContractHours], day: date) -> ContractHours | None:
    return next((c for c in contracts if c.covers(day)), None)


def time_warnings(
    work: Mapping[tuple[str, date], int],
    contracts: Mapping[str, Sequence[ContractHours]],
    today: date,
) -> list[TimeWarning]:
    """Every warning on ``work`` (minutes of work per (employee code, day), what is already
    recorded included), sorted by employee then day; a week's total is compared with the
    contract covering its first day worked."""
    warnings: list[TimeWarning] = []
    weeks: dict[tuple[str, date], list[tuple[date, int]]] = defaultdict(list)
    for (employee, day), minutes in sorted(work.items()):
        if minutes <= 0:
            continue
        contract = _contract_on(contracts.get(employee, ()), day)
        weeks[(employee, date.fromordinal(day.toordinal() - day.weekday()))].append((day, minutes))
        if day.weekday() == SUNDAY:
            warnings.append(TimeWarning(SUNDAY_WORK, employee, day))
        elif day.weekday() == SATURDAY and contract and contract.weekly_minutes < FULL_TIME_MINUTES:
            warnings.append(
                TimeWarning(SATURDAY_PART_TIME, employee, day, contract=contract.weekly_minutes)
            )
        if day > today:
            warnings.append(TimeWarning(FUTURE, employee, day))
    for (employee, monday), days in weeks.items():
        warning = week_warning(employee, monday, days, contracts.get(employee, ()))
        if warning:
            warnings.append(warning)
    return sorted(warnings, key=lambda w: (w.employee, w.day, w.kind))


def week_warning(
    employee: str,
    monday: date,
    days: Sequence[tuple[date, int]],
    contracts: Sequence[ContractHours],
) -> TimeWarning | None:
    """Heures complémentaires (part-time, art. L3123-8 et s.) or supplémentaires (35 h and
    more, art. L3121-28) when the week's work exceeds the contract's weekly hours."""
    if not days:
        return None
    contract = _contract_on(contracts, min(d for d, _ in days))
    total = sum(m for _, m in days)
    if contract is None or total <= contract.weekly_minutes:
        return None
    kind = EXTRA_HOURS if contract.weekly_minutes < FULL_TIME_MINUTES else OVERTIME
    return TimeWarning(
        kind,
        employee,
        monday,
        total=total,
        contract=contract.weekly_minutes,
        extra=total - contract.weekly_minutes,
    )


def describe(
    warning: TimeWarning,
    translate: Callable[..., str],
    duration: Callable[[int], str],
    day: Callable[[date], str],
) -> str:
    """The warning's sentence: ``translate(msgid, **values)`` (e.g. flask_babel.gettext),
    durations and dates written by the caller's formats."""
    return translate(
        MESSAGES[warning.kind],
        employee=warning.employee,
        week=warning.week,
        day=day(warning.day),
        total=duration(warning.total),
        contract=duration(warning.contract),
        extra=duration(warning.extra),
    )


def plain(msgid: str, **values: object) -> str:
    """``translate`` without a catalog: the French message with its values."""
    return msgid % values
