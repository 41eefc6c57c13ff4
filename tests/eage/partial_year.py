"""A group in the middle of its year (issue 14, honest figures): the demo group (no generated
time) with October 2026 closed and November open, on 28/11/2026. Shared by the portal and
regularisation tests and the member's browser journey."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eage.closing import services as closing
from eage.extensions import db
from eage.models import Employee, Member, Service, TimesheetEntry
from tests.placeholders import use_placeholder_documents

TODAY = date(2026, 11, 28)
OCTOBER_TIME = [  # member, service, employee, day, minutes
    ("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 5), 225),  # 3 h 45
    ("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 6), 301),  # 5 h 01
    ("LEFIL", "PAIE", "KBENALI", date(2026, 10, 6), 127),  # 2 h 07
    ("FABRIQUE", "RESEAU", "JFOURNIER", date(2026, 10, 7), 95),
    ("FABRIQUE", "GESTION", "CMARTIN", date(2026, 10, 8), 61),
    ("INTERNE", "GESTION", "CMARTIN", date(2026, 10, 9), 60),
]
NOVEMBER_TIME = [  # the open month: time to date, not invoiced
    ("LEFIL", "GESTION", "CMARTIN", date(2026, 11, 10), 240),  # 4 h
    ("FABRIQUE", "GESTION", "CMARTIN", date(2026, 11, 12), 90),
]


def add_time(rows: list[tuple[str, str, str, date, int]]) -> None:
    employees = {e.code: e.id for e in db.session.scalars(select(Employee))}
    members = {m.code: m.id for m in db.session.scalars(select(Member))}
    services = {s.code: s.id for s in db.session.scalars(select(Service))}
    for member, service, employee, day, minutes in rows:
        db.session.add(
            TimesheetEntry(
                date=day,
                employee_id=employees[employee],
                member_id=None if member == "INTERNE" else members[member],
                service_id=services[service],
                minutes=minutes,
            )
        )
    db.session.commit()


def october_closed_november_open() -> None:
    """Through the services: time entered, October closed (payslips, invoices, entries),
    November's time to date left open."""
    add_time(OCTOBER_TIME)
    with pytest.MonkeyPatch.context() as mp:
        use_placeholder_documents(mp)
        closing.close_month(date(2026, 10, 1), today=TODAY)
    add_time(NOVEMBER_TIME)
