"""Timesheet use cases: import, weekly grid, month views, API reads.

Every write goes through :mod:`eage.timesheets.validation` first; nothing is written
unless the whole proposal is valid, then everything is written in one transaction with its
audit lines.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.dates import format_skeleton
from flask import has_request_context
from flask_babel import get_locale
from sqlalchemy import Integer, case, func, insert, select

from accounting.formats import short_duration
from accounting.money import fmt2
from accounting.months import Month, iso_week_key
from accounting.problems import Problem, ProblemsError, Where
from eage import audit
from eage.extensions import db
from eage.filters import fr_date, tr
from eage.filters import hours as cell_text
from eage.models import (
    ABSENCE_CODES,
    INTERNAL,
    Contract,
    Employee,
    Member,
    Service,
    TimesheetEntry,
    TimesheetImport,
)
from eage.models.base import utcnow
from eage.timesheets import locks as time_locks
from eage.timesheets.parsing import Minutes, parse_minutes
from eage.timesheets.validation import (
    Checked,
    CheckedEntry,
    RawEntry,
    Reference,
    closed_month_problem,
    readable_rows,
    validate,
)
from eage.timesheets.warnings import (
    EXTRA_HOURS,
    OVERTIME,
    ContractHours,
    TimeWarning,
    describe,
    time_warnings,
    weekly_minutes,
)

WEEK_KINDS = (EXTRA_HOURS, OVERTIME)

# ---------------------------------------------------------------------------------------
# Import (file, CLI, API): all or nothing, one bulk insert, one audit line.


@dataclass
class ImportSummary:
    count: int
    minutes: int
    first_day: date | None
    last_day: date | None
    per_employee: list[tuple[str, int, int]]  # code, entries, minutes
    per_member: list[tuple[str, int, int]]


@dataclass(frozen=True)
class Duplicate:
    """A row identical to an entry already recorded (same date, employee, member, service or
    absence, minutes): importing it again would bill the same hours twice."""

    key: Where
    day: date
    employee: str
    member: str
    activity: str
    minutes: int


@dataclass(frozen=True)
class DuplicatePolicy:
    """What an import does with duplicates (issue 14). ``allow_file``: import a file whose
    SHA-256 was already imported; ``allowed_rows``: the rows identical to recorded entries
    that are imported all the same (None: all of them); ``refuse``: any other duplicate
    refuses the whole import (CLI, API) instead of leaving those rows out (the web page,
    where the accountant ticks the ones to keep)."""

    allow_file: bool = False
    allowed_rows: frozenset[Where] | None = frozenset()
    refuse: bool = False


ALLOW_DUPLICATES = DuplicatePolicy(allow_file=True, allowed_rows=None)
REFUSE_DUPLICATES = DuplicatePolicy(refuse=True)


@dataclass
class ImportResult:
    problems: list[Problem]
    summary: ImportSummary | None = None
    written: bool = False
    duplicates: list[Duplicate] = field(default_factory=list)  # vs recorded entries
    repeats: list[tuple[Where, ...]] = field(default_factory=list)  # equal rows of the file
    previous: list[TimesheetImport] = field(default_factory=list)  # same file imported before
    skipped: list[Where] = field(default_factory=list)  # duplicate rows left out
    warnings: list[TimeWarning] = field(default_factory=list)
    blocked: bool = False  # duplicates refused by the policy: nothing written

    @property
    def ok(self) -> bool:
        return not self.problems


def summarise(checked: Checked) -> ImportSummary:
    per_emp: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_member: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = 0
    first = last = None
    for e in checked.entries:
        a = per_emp[e.employee_code]
        a[0] += 1
        a[1] += e.minutes
        b = per_member[e.member_code]
        b[0] += 1
        b[1] += e.minutes
        total += e.minutes
        if first is None or e.date < first:
            first = e.date
        if last is None or e.date > last:
            last = e.date
    return ImportSummary(
        count=len(checked.entries),
        minutes=total,
        first_day=first,
        last_day=last,
        per_employee=sorted((k, v[0], v[1]) for k, v in per_emp.items()),
        per_member=sorted(
            ((k, v[0], v[1]) for k, v in per_member.items()), key=lambda t: (t[0] == INTERNAL, t[0])
        ),
    )


def import_entries(
    raws: list[RawEntry],
    *,
    source: str,
    dry_run: bool = False,
    user_id: int | None = None,
    channel: str = "file",
    file_hash: str | None = None,
    user_label: str | None = None,
    policy: DuplicatePolicy = ALLOW_DUPLICATES,
) -> ImportResult:
    """Validate every entry; when all are valid (and not a dry run, and no duplicate is
    refused by ``policy``) insert them in bulk, with one audit line and, for a file
    (``file_hash``), one line of the import log, in one transaction."""
    reference = Reference.load()
    duplicates, repeats = find_duplicates(readable_rows(raws, reference))
    previous = previous_imports(file_hash) if file_hash else []
    allowed = policy.allowed_rows
    skipped = [d.key for d in duplicates if allowed is not None and d.key not in allowed]
    blocked = (bool(previous) and not policy.allow_file) or (policy.refuse and bool(skipped))
    left_out = set(skipped)
    checked = validate([r for r in raws if r.key not in left_out], reference=reference)
    result = ImportResult(
        checked.problems,
        duplicates=duplicates,
        repeats=repeats,
        previous=previous,
        skipped=skipped,
        blocked=blocked,
    )
    if checked.problems:
        return result
    result.summary = summarise(checked)
    result.warnings = import_warnings(checked.entries)
    if dry_run or blocked or not checked.entries:
        return result
    result.problems = _write_import(
        checked,
        result.summary,
        source=source,
        channel=channel,
        user_id=user_id,
        log=(file_hash, user_label),
    )
    result.written = not result.problems
    return result


def _write_import(
    checked: Checked,
    summary: ImportSummary,
    *,
    source: str,
    channel: str,
    user_id: int | None,
    log: tuple[str | None, str | None],
) -> list[Problem]:
    """The bulk insert, its audit line and its import log line; the problems of months
    closed since the validation (then nothing is written)."""
    # No close of these months may run while they are written (eage/timesheets/locks.py);
    # one that ended since the validation read the locks refuses the import.
    months = {Month.of(day).key for day in {e.date for e in checked.entries}}
    time_locks.lock_months(months)
    closed = time_locks.closed_among(months)
    if closed:
        db.session.rollback()
        return [
            closed_month_problem(e.key, e.date)
            for e in checked.entries
            if Month.of(e.date).key in closed
        ]
    try:
        now = utcnow()  # one timestamp for the batch: the import is one act
        rows = [e.row() for e in checked.entries]
        for row in rows:
            row["created_at"] = now
        db.session.execute(insert(TimesheetEntry), rows)
        audit.record(
            "import",
            "timesheet_entry",
            summary=f"{summary.count} saisies importées ({channel}) : {source}"[:500],
            after={
                "count": summary.count,
                "file": source,
                "channel": channel,
                "minutes": summary.minutes,
            },
            user_id=user_id,
        )
        file_hash, user_label = log
        if file_hash:
            db.session.add(
                TimesheetImport(
                    file_hash=file_hash,
                    file_name=source[:255],
                    user_id=user_id,
                    user_label=(user_label or channel)[:255],
                    channel=channel[:10],
                    entry_count=summary.count,
                    created_at=now,
                )
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return []


def sha256_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex: the same file under any name."""
    return hashlib.sha256(data).hexdigest()


def previous_imports(digest: str) -> list[TimesheetImport]:
    """The earlier imports of the file with this SHA-256, oldest first."""
    return list(
        db.session.scalars(
            select(TimesheetImport)
            .where(TimesheetImport.file_hash == digest)
            .order_by(TimesheetImport.created_at, TimesheetImport.id)
        )
    )


def recent_imports(limit: int = 10) -> list[TimesheetImport]:
    """The import log, newest first (« Derniers imports » on the import page)."""
    return list(
        db.session.scalars(
            select(TimesheetImport)
            .order_by(TimesheetImport.created_at.desc(), TimesheetImport.id.desc())
            .limit(limit)
        )
    )


def _same_entry(e: CheckedEntry) -> tuple[Any, ...]:
    return (e.date, e.employee_id, e.member_id, e.service_id, e.absence_code, e.minutes)


def find_duplicates(
    entries: list[CheckedEntry],
) -> tuple[list[Duplicate], list[tuple[Where, ...]]]:
    """(rows identical to an entry already recorded, groups of identical rows within the
    proposal): same date, employee, member, service or absence and minutes."""
    if not entries:
        return [], []
    recorded = {
        tuple(row)
        for row in db.session.execute(
            select(
                TimesheetEntry.date,
                TimesheetEntry.employee_id,
                TimesheetEntry.member_id,
                TimesheetEntry.service_id,
                TimesheetEntry.absence_code,
                TimesheetEntry.minutes,
            ).where(
                TimesheetEntry.employee_id.in_(sorted({e.employee_id for e in entries})),
                TimesheetEntry.date >= min(e.date for e in entries),
                TimesheetEntry.date <= max(e.date for e in entries),
            )
        )
    }
    duplicates = [
        Duplicate(e.key, e.date, e.employee_code, e.member_code, e.activity_code, e.minutes)
        for e in entries
        if _same_entry(e) in recorded
    ]
    groups: dict[tuple[Any, ...], list[Where]] = defaultdict(list)
    for e in entries:
        groups[_same_entry(e)].append(e.key)
    return duplicates, [tuple(keys) for keys in groups.values() if len(keys) > 1]


def contract_hours(employee_ids: list[int]) -> dict[str, list[ContractHours]]:
    """Each employee's contracts (code → weekly minutes per period), for the warnings."""
    rows = db.session.execute(
        select(Employee.code, Contract.start_date, Contract.end_date, Contract.weekly_hours)
        .join(Contract, Contract.employee_id == Employee.id)
        .where(Employee.id.in_(employee_ids))
    )
    contracts: dict[str, list[ContractHours]] = defaultdict(list)
    for code, start, end, weekly in rows:
        contracts[code].append(ContractHours(start, end, weekly_minutes(Decimal(weekly))))
    return contracts


def import_warnings(entries: list[CheckedEntry], today: date | None = None) -> list[TimeWarning]:
    """Warnings on the weeks an import touches (eage/timesheets/warnings.py), the work
    already recorded in those weeks counted; day warnings only on the imported days."""
    work: dict[tuple[str, date], int] = defaultdict(int)
    ids: dict[int, str] = {}
    for e in entries:
        if e.service_id is not None:
            work[(e.employee_code, e.date)] += e.minutes
            ids[e.employee_id] = e.employee_code
    if not work:
        return []
    new_days = set(work)
    first = min(d for _, d in work)
    last = max(d for _, d in work)
    recorded = db.session.execute(
        select(TimesheetEntry.employee_id, TimesheetEntry.date, func.sum(TimesheetEntry.minutes))
        .where(
            TimesheetEntry.employee_id.in_(sorted(ids)),
            TimesheetEntry.service_id.is_not(None),
            TimesheetEntry.date >= first - timedelta(days=first.weekday()),
            TimesheetEntry.date <= last + timedelta(days=6 - last.weekday()),
        )
        .group_by(TimesheetEntry.employee_id, TimesheetEntry.date)
    )
    for emp_id, day, minutes in recorded:
        work[(ids[emp_id], day)] += int(minutes or 0)
    found = time_warnings(work, contract_hours(sorted(ids)), today or date.today())
    return [w for w in found if w.kind in WEEK_KINDS or (w.employee, w.day) in new_days]


def grid_warnings(grid: WeekGrid | None, today: date | None = None) -> list[str]:
    """The warnings of a weekly grid as displayed (its work rows, absences apart)."""
    if grid is None:
        return []
    work: dict[tuple[str, date], int] = defaultdict(int)
    for row in grid.rows:
        if row.activity and row.activity not in ABSENCE_CODES:
            for i, minutes in enumerate(row.minutes):
                work[(grid.employee.code, grid.monday + timedelta(days=i))] += minutes
    found = time_warnings(work, contract_hours([grid.employee.id]), today or date.today())
    return warning_texts(found)


def warning_texts(found: list[TimeWarning]) -> list[str]:
    """The warnings' sentences in the reader's language and formats."""
    return [describe(w, tr, short_duration, fr_date) for w in found]


# ---------------------------------------------------------------------------------------
# Weekly grid


_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EMPTY_ROWS = 3


def parse_week(text: str | None) -> date | None:
    """'2026-W48' → the Monday of that ISO week; None when absent or malformed."""
    if not text:
        return None
    m = _WEEK.match(text.strip().upper())
    if not m:
        return None
    try:
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return None


def week_param(monday: date) -> str:
    return iso_week_key(monday)


def locked_months(first: date, last: date) -> set[str]:
    wanted = {Month.of(first).key, Month.of(last).key}
    return time_locks.closed_among(wanted)


@dataclass
class GridRow:
    member: str  # member code or INTERNE ('' for an empty row)
    activity: str  # service or absence code
    cells: list[str]  # 7 typed values
    minutes: list[int] = field(default_factory=lambda: [0] * 7)

    @property
    def total(self) -> int:
        return sum(self.minutes)


@dataclass
class WeekGrid:
    employee: Employee
    monday: date
    days: list[date]
    locked: list[bool]
    rows: list[GridRow]
    exceptions: list[bool]
    problems: list[Problem] = field(default_factory=list)

    @property
    def day_totals(self) -> list[int]:
        return [sum(r.minutes[i] for r in self.rows) for i in range(7)]

    @property
    def total(self) -> int:
        return sum(self.day_totals)

    def messages(self) -> list[GridMessage]:
        """Each problem once, saying where: the row (member / service) and the day."""
        return grid_messages(self)


@dataclass(frozen=True)
class GridMessage:
    """One line of the grid's error list: where (row and day), what, and the fields it marks
    (cells `cell-R-D`, selects `member-R` / `activity-R`); `focus` is the field a click on it
    goes to."""

    number: int
    place: str
    text: str
    fields: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"grid-msg-{self.number}"

    @property
    def focus(self) -> str:
        return self.fields[0] if self.fields else "week-grid"


def marks(messages: list[GridMessage]) -> dict[str, list[GridMessage]]:
    """The messages of each field they mark, for its red border and description."""
    out: dict[str, list[GridMessage]] = defaultdict(list)
    for m in messages:
        for name in m.fields:
            out[name].append(m)
    return out


def day_label(day: date) -> str:
    """A grid day in the reader's language: 'lun. 02/11', 'Mon, 11/2' (CLDR 'MEd')."""
    locale = "fr"
    if has_request_context():
        locale = str(get_locale() or "fr")
    return format_skeleton("MEd", day, locale=locale)


def _cells_of(problem: Problem) -> list[tuple[int, int]]:
    """The grid cells a problem is about, as (row, day) pairs."""
    found = []
    for key in (*problem.rows, problem.row):
        parts = str(key).split("-")
        if parts[0] == "cell" and len(parts) == 3 and (int(parts[1]), int(parts[2])) not in found:
            found.append((int(parts[1]), int(parts[2])))
    return found


def _row_place(grid: WeekGrid, r: int) -> str:
    row = grid.rows[r] if r < len(grid.rows) else GridRow("", "", [""] * 7)
    return tr(
        "ligne %(number)s (%(member)s / %(activity)s)",
        number=r + 1,
        member=row.member or "—",
        activity=row.activity or "—",
    )


def _place(grid: WeekGrid, rows: list[int], days: list[int]) -> str:
    """'ligne 2 (LEFIL / PAIE), mar. 03/11' · 'lun. 02/11, lignes 1, 2' · 'semaine 2026-W45'."""
    day_text = ", ".join(day_label(grid.days[d]) for d in sorted(days))
    if len(rows) == 1:
        return f"{_row_place(grid, rows[0])}, {day_text}" if days else _row_place(grid, rows[0])
    if len(days) == 1:
        numbers = ", ".join(str(r + 1) for r in sorted(rows))
        return tr("%(day)s, lignes %(numbers)s", day=day_text, numbers=numbers)
    return tr("semaine %(week)s", week=week_param(grid.monday))


def grid_messages(grid: WeekGrid) -> list[GridMessage]:
    """The problems of a posted grid, grouped so that each is said once: a row's member or
    service problem once for the row (with the days concerned), a day's or week's total once,
    the same message of one day once for the rows that share it."""
    groups: dict[tuple[object, ...], tuple[Problem, list[tuple[int, int]], list[str]]] = {}
    for p in grid.problems:
        cells = _cells_of(p)
        r = int(str(p.row).split("-")[1]) if str(p.row).startswith("member-") else None
        if p.field in ("member", "service", "row") and r is not None:
            selects = {"member": [f"member-{r}"], "service": [f"activity-{r}"]}
            key: tuple[object, ...] = ("row", r, p.field)
            fields = selects.get(p.field or "", [f"member-{r}", f"activity-{r}"])
            cells = cells or []
            found = groups.setdefault(key, (p, [], fields))
            found[1].extend(c for c in cells if c not in found[1])
            continue
        if len(cells) > 1:
            key = ("total", p.message)
        else:
            key = ("cell", p.message, cells[0][1] if cells else None)
        found = groups.setdefault(key, (p, [], []))
        for c in cells:
            if c not in found[1]:
                found[1].append(c)
                found[2].append(f"cell-{c[0]}-{c[1]}")
    placed = []
    for key, (p, cells, fields) in groups.items():
        rows = [int(str(key[1]))] if key[0] == "row" else sorted({r for r, _ in cells})
        days = sorted({d for _, d in cells})
        order = (min(rows, default=len(grid.rows)), min(days, default=-1) if rows else 7)
        placed.append((order, _place(grid, rows, days), p.message, tuple(fields)))
    placed.sort(key=lambda item: item[0])  # top to bottom, then left to right
    return [GridMessage(n, *item[1:]) for n, item in enumerate(placed, start=1)]


def _row_order(member: str, activity: str) -> tuple[int, str, int, str]:
    return (member == INTERNAL, member, activity in ABSENCE_CODES, activity)


def load_week(employee: Employee, monday: date) -> WeekGrid:
    days = [monday + timedelta(days=i) for i in range(7)]
    locks = locked_months(days[0], days[-1])
    flag = func.max(case((TimesheetEntry.authorised_exception, 1), else_=0).cast(Integer))
    rows = db.session.execute(
        select(
            TimesheetEntry.date,
            Member.code,
            Service.code,
            TimesheetEntry.absence_code,
            func.sum(TimesheetEntry.minutes),
            flag,
        )
        .outerjoin(Member, TimesheetEntry.member_id == Member.id)
        .outerjoin(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.employee_id == employee.id,
            TimesheetEntry.date >= days[0],
            TimesheetEntry.date <= days[-1],
        )
        .group_by(TimesheetEntry.date, Member.code, Service.code, TimesheetEntry.absence_code)
    )
    grid: dict[tuple[str, str], GridRow] = {}
    exceptions = [False] * 7
    for day, member_code, service_code, absence, minutes, exc in rows:
        key = (member_code or INTERNAL, service_code or absence or "")
        row = grid.setdefault(key, GridRow(key[0], key[1], [""] * 7))
        i = (day - monday).days
        row.minutes[i] += int(minutes)
        # What the cell shows (450 → '7,50', '7.50' in English): read back as it is.
        row.cells[i] = cell_text(row.minutes[i])
        if exc:
            exceptions[i] = True
    ordered = [grid[k] for k in sorted(grid, key=lambda k: _row_order(*k))]
    ordered += [GridRow("", "", [""] * 7) for _ in range(EMPTY_ROWS)]
    return WeekGrid(
        employee, monday, days, [Month.of(d).key in locks for d in days], ordered, exceptions
    )


@dataclass
class SaveResult:
    grid: WeekGrid
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def ok(self) -> bool:
        return not self.grid.problems

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.deleted


def grid_from_form(
    employee: Employee, monday: date, form: Any, saved: WeekGrid | None = None
) -> WeekGrid:
    """The grid as posted (values kept as typed, so an error page shows them back).
    Locked days keep what is recorded: their inputs are not part of the form."""
    saved = saved or load_week(employee, monday)
    try:
        count = min(int(form.get("rows", "0")), 200)
    except ValueError:
        count = 0
    rows: list[GridRow] = []
    for r in range(count):
        member = (form.get(f"member-{r}") or "").strip().upper()
        activity = (form.get(f"activity-{r}") or "").strip().upper()
        cells = [(form.get(f"cell-{r}-{d}") or "").strip() for d in range(7)]
        rows.append(GridRow(member, activity, cells))
    saved_cells = {(r.member, r.activity): r for r in saved.rows if r.member}
    problems = _typed_on_locked_days(rows, saved_cells, saved)
    for row in rows:
        _read_cells(row, saved_cells.get((row.member, row.activity)), saved.locked)
    _keep_locked_days(rows, saved)
    exceptions = [bool(form.get(f"exception-{d}")) and not saved.locked[d] for d in range(7)]
    for d in range(7):
        if saved.locked[d]:
            exceptions[d] = saved.exceptions[d]
    return WeekGrid(employee, monday, saved.days, saved.locked, rows, exceptions, problems)


def _typed_on_locked_days(
    rows: list[GridRow], saved_cells: dict[tuple[str, str], GridRow], saved: WeekGrid
) -> list[Problem]:
    """A value typed on a day whose month was closed since the grid was opened (the page had
    an input then; it has none now): refused by name, rather than silently dropped."""
    problems = []
    for r, row in enumerate(rows):
        before = saved_cells.get((row.member, row.activity))
        for d in range(7):
            typed = row.cells[d]
            if not saved.locked[d] or not typed:
                continue
            if before is not None and typed == before.cells[d]:
                continue
            message = tr(
                "mois %(month)s clôturé depuis l'ouverture de la grille : « %(value)s » n'est"
                " pas enregistré (ce jour est maintenant en lecture seule)",
                month=Month.of(saved.days[d]).key,
                value=typed,
            )
            problems.append(Problem("date", message, row=f"cell-{r}-{d}"))
    return problems


def _read_cells(row: GridRow, before: GridRow | None, locked: list[bool]) -> None:
    """The minutes of a posted row's open cells (0 where unreadable: the check says why)."""
    for d in range(7):
        if locked[d]:
            row.cells[d] = ""
        if not row.cells[d]:
            continue
        if before is not None and before.minutes[d] and row.cells[d] == before.cells[d]:
            # Left as displayed ("2,17" for 130 min): keep the recorded minutes exactly.
            row.minutes[d] = before.minutes[d]
            continue
        try:
            row.minutes[d] = max(parse_minutes(row.cells[d]), 0)
        except ProblemsError:
            row.minutes[d] = 0


def _keep_locked_days(rows: list[GridRow], saved: WeekGrid) -> None:
    """Locked days: the recorded time stays, shown read-only on its own rows."""
    for old in saved.rows:
        if any(old.minutes[d] for d in range(7) if saved.locked[d]):
            target = next(
                (r for r in rows if (r.member, r.activity) == (old.member, old.activity)), None
            )
            if target is None:
                target = GridRow(old.member, old.activity, [""] * 7)
                rows.append(target)
            for d in range(7):
                if saved.locked[d]:
                    target.cells[d] = old.cells[d]
                    target.minutes[d] = old.minutes[d]


def save_week(
    employee: Employee, monday: date, form: Any, user_id: int | None = None
) -> SaveResult:
    """Validate the whole proposed week; on success each cell's value replaces that cell's
    entries (employee, day, member, service/absence), a cleared cell deletes them."""
    # First: no close of the week's months runs until this is saved, and the locked days
    # read below include a close that ended just before (eage/timesheets/locks.py).
    time_locks.lock_months({Month.of(monday).key, Month.of(monday + timedelta(days=6)).key})
    saved = load_week(employee, monday)
    grid = grid_from_form(employee, monday, form, saved)
    raws, problems = _grid_entries(employee, grid, saved)
    problems = grid.problems + problems
    replaced = [(employee.id, day) for i, day in enumerate(grid.days) if not grid.locked[i]]
    checked = validate(raws, replaced=replaced, reference=Reference.load())
    problems += [_on_grid_row(p) for p in checked.problems]
    if problems:
        grid.problems = problems
        return SaveResult(grid)
    # Only open days are replaced: a closed month's entries are never touched.
    open_days = [day for i, day in enumerate(grid.days) if not grid.locked[i]]
    result = SaveResult(grid)
    if not open_days:
        return result
    _write_week(employee, monday, checked.entries, open_days, result)
    result.grid = load_week(employee, monday)
    return result


def _grid_entries(
    employee: Employee, grid: WeekGrid, saved: WeekGrid
) -> tuple[list[RawEntry], list[Problem]]:
    """The typed cells of open days as entries to check (a cell left as displayed keeps its
    recorded minutes), and the rows entered twice."""
    saved_cells = {(r.member, r.activity): r for r in saved.rows if r.member}
    raws: list[RawEntry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for r, row in enumerate(grid.rows):
        typed = [d for d in range(7) if row.cells[d] and not grid.locked[d]]
        if not typed:
            continue
        pair = (row.member, row.activity)
        if pair in seen and row.member and row.activity:
            message = tr(
                "ligne en double : même adhérent et même service que la ligne %(line)s ;"
                " saisissez ces heures sur une seule ligne",
                line=seen[pair] + 1,
            )
            problems.append(Problem("row", message, row=f"member-{r}"))
        seen.setdefault(pair, r)
        before = saved_cells.get(pair)
        for d in typed:
            typed_hours: object = row.cells[d]
            if before is not None and before.minutes[d] and row.cells[d] == before.cells[d]:
                typed_hours = Minutes(before.minutes[d])
            raws.append(
                RawEntry(
                    f"cell-{r}-{d}",
                    grid.days[d],
                    employee.code,
                    row.member or None,
                    row.activity or None,
                    typed_hours,
                    None,
                    grid.exceptions[d],
                )
            )
    return raws, problems


def _on_grid_row(problem: Problem) -> Problem:
    """A problem of a cell's member or service belongs to its row's selects; the cell stays
    in `rows`, so the message can still say which day."""
    if problem.field not in ("member", "service"):
        return problem
    r = str(problem.row).split("-")[1]
    return Problem(problem.field, problem.message, row=f"member-{r}", rows=(str(problem.row),))


def _write_week(
    employee: Employee,
    monday: date,
    entries: list[CheckedEntry],
    open_days: list[date],
    result: SaveResult,
) -> None:
    """Each checked cell replaces the entries of its cell (kept, updated or created); the open
    days' other entries are deleted; one audit line each, one commit."""
    existing = db.session.scalars(
        select(TimesheetEntry)
        .where(TimesheetEntry.employee_id == employee.id, TimesheetEntry.date.in_(open_days))
        .order_by(TimesheetEntry.id)
    )
    by_cell: dict[tuple[date, int | None, int | None, str | None], list[TimesheetEntry]] = (
        defaultdict(list)
    )
    for e in existing:
        by_cell[(e.date, e.member_id, e.service_id, e.absence_code)].append(e)
    summary = f"grille {week_param(monday)} {employee.code}"
    created: list[TimesheetEntry] = []
    try:
        for c in entries:
            olds = by_cell.pop((c.date, c.member_id, c.service_id, c.absence_code), [])
            if olds:
                _replace_cell(olds, c, summary, result)
            else:
                created.append(TimesheetEntry(**c.row()))
                db.session.add(created[-1])
        for olds in by_cell.values():
            for e in olds:
                _delete_entry(e, summary, result)
        db.session.flush()
        for entry in created:
            audit.record(
                "create", "timesheet_entry", entry.id, after=audit.snapshot(entry), summary=summary
            )
        result.created = len(created)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _replace_cell(
    olds: list[TimesheetEntry], cell: CheckedEntry, summary: str, result: SaveResult
) -> None:
    """The cell's first entry takes the new value; the others (older duplicates) go."""
    keep, extra = olds[0], olds[1:]
    for e in extra:
        _delete_entry(e, summary, result)
    if keep.minutes != cell.minutes or keep.authorised_exception != cell.exception or extra:
        before = audit.snapshot(keep)
        keep.minutes = cell.minutes
        keep.authorised_exception = cell.exception
        audit.record(
            "update",
            "timesheet_entry",
            keep.id,
            before=before,
            after=audit.snapshot(keep),
            summary=summary,
        )
        result.updated += 1


def _delete_entry(entry: TimesheetEntry, summary: str, result: SaveResult) -> None:
    audit.record(
        "delete", "timesheet_entry", entry.id, before=audit.snapshot(entry), summary=summary
    )
    db.session.delete(entry)
    result.deleted += 1


# ---------------------------------------------------------------------------------------
# Month views


@dataclass
class Matrix:
    """A table of minutes: row labels × column labels, with totals."""

    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], int]

    def row_total(self, row: Any) -> int:
        return sum(self.cells.get((row, c), 0) for c in self.columns)

    def column_total(self, column: Any) -> int:
        return sum(self.cells.get((r, column), 0) for r in self.rows)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def employee_month(employee: Employee, month: Month) -> Matrix:
    """Days × (member, service/absence) for one employee."""
    rows = db.session.execute(
        select(
            TimesheetEntry.date,
            Member.code,
            Service.code,
            TimesheetEntry.absence_code,
            func.sum(TimesheetEntry.minutes),
        )
        .outerjoin(Member, TimesheetEntry.member_id == Member.id)
        .outerjoin(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.employee_id == employee.id,
            TimesheetEntry.date >= month.start,
            TimesheetEntry.date < month.end,
        )
        .group_by(TimesheetEntry.date, Member.code, Service.code, TimesheetEntry.absence_code)
    )
    cells: dict[tuple[Any, Any], int] = {}
    columns: set[tuple[str, str]] = set()
    for day, member_code, service_code, absence, minutes in rows:
        col = (member_code or INTERNAL, service_code or absence or "")
        columns.add(col)
        cells[(day, col)] = cells.get((day, col), 0) + int(minutes)
    return Matrix(month.days(), sorted(columns, key=lambda c: _row_order(*c)), cells)


def member_month(member: Member, month: Month) -> Matrix:
    """(employee, service) × days for one member."""
    rows = db.session.execute(
        select(Employee.code, Service.code, TimesheetEntry.date, func.sum(TimesheetEntry.minutes))
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id == member.id,
            TimesheetEntry.date >= month.start,
            TimesheetEntry.date < month.end,
        )
        .group_by(Employee.code, Service.code, TimesheetEntry.date)
    )
    cells: dict[tuple[Any, Any], int] = {}
    row_keys: set[tuple[str, str]] = set()
    for emp_code, service_code, day, minutes in rows:
        row_keys.add((emp_code, service_code))
        cells[((emp_code, service_code), day)] = int(minutes)
    return Matrix(sorted(row_keys), month.days(), cells)


def member_month_by_service(matrix: Matrix) -> list[tuple[str, int]]:
    per: dict[str, int] = defaultdict(int)
    for (row, _day), minutes in matrix.cells.items():
        per[row[1]] += minutes
    return sorted(per.items())


# ---------------------------------------------------------------------------------------
# API reads


def month_entries(month: date, member_id: int | None = None) -> list[dict[str, Any]]:
    """The entries of `month` (any day of it), as the API lists them."""
    start, end = Month.of(month).start, Month.of(month).end
    query = (
        select(
            TimesheetEntry.id,
            TimesheetEntry.date,
            Employee.code,
            Member.code,
            Service.code,
            TimesheetEntry.absence_code,
            TimesheetEntry.minutes,
            TimesheetEntry.note,
        )
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .outerjoin(Member, TimesheetEntry.member_id == Member.id)
        .outerjoin(Service, TimesheetEntry.service_id == Service.id)
        .where(TimesheetEntry.date >= start, TimesheetEntry.date < end)
        .order_by(TimesheetEntry.date, Employee.code, TimesheetEntry.id)
    )
    if member_id is not None:
        query = query.where(TimesheetEntry.member_id == member_id)
    return [
        {
            "id": id_,
            "date": day.isoformat(),
            "employee": emp,
            "member": member or INTERNAL,
            "service": service or absence,
            "minutes": minutes,
            "hours": fmt2(Decimal(minutes) / 60),
            "note": note,
        }
        for id_, day, emp, member, service, absence, minutes, note in db.session.execute(query)
    ]
