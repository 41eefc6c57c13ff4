"""The demo group (SPEC §1, `eage load-demo`): its reference data, and by default the state
a real group would be in on the day it is loaded — its time to date and, with
``close_past=True`` (the command's default), every month that has ended already closed by
the real month close, with the payments a group would have received by then.

``load_demo(year, today=..., with_time=...)`` keeps the reference data and generated time
only unless ``close_past`` is asked for: tests bring their own closes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from eage import audit
from eage.demo.history import load_history
from eage.demo.large import LargeSize, load_large_demo
from eage.demo.reference import (
    BUDGET,
    DEMO_PASSWORDS,
    EMPLOYEES,
    MEMBERS,
    SERVICES,
    credentials,
    load_employees,
    load_fiscal_year,
    load_members,
    load_organisation,
    load_services,
    load_users,
    real_data,
)
from eage.demo.timegen import load_time
from eage.extensions import db

__all__ = [
    "BUDGET",
    "DEMO_PASSWORDS",
    "EMPLOYEES",
    "MEMBERS",
    "SERVICES",
    "LargeSize",
    "Report",
    "credentials",
    "load_demo",
    "load_large",
    "real_data",
]


class Report(list[str]):
    """What the load did, line by line, each line also handed to `progress` as it happens
    (the command prints them while the months are being closed)."""

    def __init__(self, progress: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.progress = progress

    def append(self, line: str) -> None:
        super().append(line)
        if self.progress is not None:
            self.progress(line)


def _today() -> date:
    """The day the demo is loaded for (a test of the command replaces it)."""
    return date.today()


def load_demo(
    year: int | None = None,
    today: date | None = None,
    with_time: bool = True,
    *,
    close_past: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Load (or complete) the demo group for `year`; return what was done, line by line.

    ``with_time``: the year's generated time up to `today`; ``close_past`` (needs it): the
    months of the year that have ended closed, salaries paid, fees invoiced, overheads
    booked, payments received. ``progress`` receives each line as it is done."""
    today = today or _today()
    year = year or today.year
    report = Report(progress)
    load_organisation(report)
    services = load_services(year, report)
    members = load_members(year, services, report)
    employees = load_employees(report)
    load_fiscal_year(year, report)
    load_users(members, report)
    db.session.flush()
    if with_time:
        load_time(
            year,
            today,
            members=members,
            services=services,
            employees=employees,
            report=report,
            to_date=close_past,
        )
    db.session.commit()
    if with_time and close_past:
        load_history(year, today, report)
    if report:
        audit.record("load-demo", "demo", year, summary="; ".join(report)[:500])
    db.session.commit()
    return list(report) or [f"demo group for {year} already loaded: nothing to do"]


def load_large(
    year: int | None = None,
    today: date | None = None,
    with_time: bool = True,
    *,
    size: LargeSize | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Load (or complete) the large demo group (``eage load-demo --size large``): five
    fiscal years ending with `year`, 500 employees, 1,000 members and, with ``with_time``,
    their time up to `today` — no month closed. ``size`` overrides the counts (tests)."""
    today = today or _today()
    year = year or today.year
    report = Report(progress)
    load_large_demo(
        year,
        today,
        size=size or LargeSize(),
        with_time=with_time,
        report=report,
        progress=progress,
    )
    if report:
        audit.record("load-demo", "demo", year, summary=("large: " + "; ".join(report))[:500])
    db.session.commit()
    return list(report) or [f"large demo group for {year} already loaded: nothing to do"]
