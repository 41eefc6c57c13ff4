"""The large demo group (issue 17, `eage load-demo --size large`), at a small size: 5
employees, 15 members (the demo's 12 and 3 synthetic ones), January and February 2026.
What the benchmark relies on: the same seed gives the same figures, the counts asked for,
every entry valid as the timesheet rules of SPEC §5 "Time" define it (under contract, the
member a member that day, at most 10 h a day — art. L3121-18 C. trav. — and 48 h a week —
art. L3121-20), a second load changes nothing, and the month close accepts the result."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from eage.closing import services as closing
from eage.demo import LargeSize, load_large
from eage.extensions import db
from eage.models import (
    BudgetLine,
    Contract,
    Employee,
    FiscalYear,
    Invoice,
    Member,
    MonthLock,
    Organisation,
    PlannedHours,
    Service,
    TimesheetEntry,
    User,
)

SMALL = LargeSize(employees=5, members=15, years=1)
MARCH_1 = date(2026, 3, 1)


def _entries() -> list[tuple[object, ...]]:
    """Every entry as the accountant reads it (codes, not ids: PostgreSQL's sequences go on
    after a table is emptied), in a stable order."""
    rows = db.session.execute(
        select(
            TimesheetEntry.date,
            Employee.code,
            Member.code,
            Service.code,
            TimesheetEntry.absence_code,
            TimesheetEntry.minutes,
        )
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .outerjoin(Member, TimesheetEntry.member_id == Member.id)
        .outerjoin(Service, TimesheetEntry.service_id == Service.id)
        .order_by(TimesheetEntry.date, Employee.code, Member.code, TimesheetEntry.minutes)
    )
    return [tuple(r) for r in rows]


def _count(model: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def _empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "app_lock":
            db.session.execute(table.delete())
    db.session.commit()


def test_small_large_demo_counts_and_a_second_load_changes_nothing(app) -> None:
    lines = load_large(2026, today=MARCH_1, size=SMALL)
    assert "members: 3 synthetic" in lines
    assert "employees: 2 synthetic, with their contracts" in lines
    assert _count(Member) == 15 and _count(Employee) == 5 and _count(Contract) == 5
    assert _count(User) == 4  # the demo's users: their passwords are the README's
    assert db.session.scalar(select(Organisation.headcount)) == 5
    assert list(db.session.scalars(select(FiscalYear.year))) == [2026]
    # the demo budget (115,000 €) × 5/3 line by line, half-up to the cent: 20,300 € of
    # contributions → 33,833.33 €, 500 € of bank fees → 833.33 €
    total = db.session.scalar(select(func.sum(BudgetLine.amount)).where(BudgetLine.year == 2026))
    assert str(total) == "191666.66"
    assert _count(PlannedHours) == 15 * 3  # each member plans hours of each service
    entries = _entries()
    assert {e[0].month for e in entries} == {1, 2}  # type: ignore[attr-defined]
    # Working days of Jan–Feb 2026: 21 + 20 minus New Year's day; 1 to 3 entries a day.
    assert len(entries) == _count(TimesheetEntry)
    assert 5 * 40 <= len(entries) <= 5 * 40 * 3

    again = load_large(2026, today=MARCH_1, size=SMALL)
    assert again == ["large demo group for 2026 already loaded: nothing to do"]
    assert _entries() == entries


def test_same_seed_same_figures_other_seed_other_figures(app) -> None:
    load_large(2026, today=MARCH_1, size=SMALL)
    first = _entries()
    _empty_database()
    load_large(2026, today=MARCH_1, size=SMALL)
    assert _entries() == first
    _empty_database()
    load_large(2026, today=MARCH_1, size=LargeSize(employees=5, members=15, years=1, seed=18))
    assert _entries() != first


def test_a_later_load_adds_the_days_since_as_one_load_would(app) -> None:
    """Loaded on 1 February then on 1 March: the same entries as one load on 1 March."""
    load_large(2026, today=date(2026, 2, 1), size=SMALL)
    assert max(e[0] for e in _entries()) == date(2026, 1, 30)  # type: ignore[type-var]
    load_large(2026, today=MARCH_1, size=SMALL)
    resumed = _entries()
    _empty_database()
    load_large(2026, today=MARCH_1, size=SMALL)
    assert resumed == _entries()


def test_every_entry_is_valid(app) -> None:
    load_large(2026, today=MARCH_1, size=SMALL)
    employees = {e.id: e for e in db.session.scalars(select(Employee))}
    members = {m.id: m for m in db.session.scalars(select(Member))}
    per_day: dict[tuple[int, date], int] = defaultdict(int)
    per_week: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    for entry in db.session.scalars(select(TimesheetEntry)):
        assert entry.minutes > 0
        assert employees[entry.employee_id].contract_on(entry.date) is not None
        assert entry.date.weekday() < 5 and entry.date != date(2026, 1, 1)
        if entry.member_id is not None:
            assert members[entry.member_id].is_member_on(entry.date)
            assert entry.service_id is not None and entry.absence_code is None
        else:
            assert (entry.service_id is None) != (entry.absence_code is None)
        per_day[(entry.employee_id, entry.date)] += entry.minutes
        per_week[(entry.employee_id, entry.date.isocalendar()[:2])] += entry.minutes
    assert max(per_day.values()) <= 10 * 60
    assert max(per_week.values()) <= 48 * 60
    # each employee works its contract hours each day (7 h for 35 h a week)
    for (employee_id, _day), minutes in per_day.items():
        weekly = employees[employee_id].contracts[0].weekly_hours
        assert minutes == int(weekly * 60 / 5)


def test_the_close_accepts_a_month_of_the_large_demo(app) -> None:
    """No blocking problem: every member with time can be invoiced, no time outside a
    contract, every service has its rate."""
    load_large(2026, today=MARCH_1, size=SMALL)
    problems = closing.check_month(date(2026, 2, 1), today=MARCH_1)
    assert [p.message for p in problems if p.blocking] == []


def test_the_command_loads_the_large_group_and_prints_its_progress(
    app, runner, monkeypatch
) -> None:
    """`eage load-demo --size large` (here shrunk to the small size): progress per chunk of
    employees, the demo users' passwords, no month closed."""
    import eage.demo

    monkeypatch.setattr(eage.demo, "LargeSize", lambda: SMALL)
    monkeypatch.setattr(eage.demo, "_today", lambda: MARCH_1)
    result = runner.invoke(args=["load-demo", "--size", "large"])
    assert result.exit_code == 0, result.output
    assert "timesheets: 5/5 employees," in result.output
    assert "timesheets 2026–2026:" in result.output and "Demo users" in result.output
    assert _count(MonthLock) == 0 and _count(Invoice) == 0
    again = runner.invoke(args=["load-demo", "--size", "large"])
    assert "already loaded: nothing to do" in again.output
