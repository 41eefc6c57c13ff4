"""Helpers to put time on the books and close months."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from eage.extensions import db
from eage.models import Employee, Member, Service, TimesheetEntry


@pytest.fixture()
def add_time(demo) -> Callable[..., None]:
    """add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 5), 450) — straight to the table."""
    employees = {e.code: e.id for e in db.session.scalars(select(Employee))}
    members = {m.code: m.id for m in db.session.scalars(select(Member))}
    services = {s.code: s.id for s in db.session.scalars(select(Service))}

    def _add(
        member: str, service: str, employee: str, day: date, minutes: int, note: str | None = None
    ) -> None:
        db.session.add(
            TimesheetEntry(
                date=day,
                employee_id=employees[employee],
                member_id=None if member == "INTERNE" else members[member],
                service_id=services[service],
                minutes=minutes,
                note=note,
            )
        )
        db.session.commit()

    return _add


@pytest.fixture()
def october_time(add_time) -> None:
    """A small month: an exempt association (FABRIQUE) and a VAT member (LEFIL)."""
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 5), 225)  # 3 h 45
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 6), 301)  # 5 h 01
    add_time("LEFIL", "PAIE", "KBENALI", date(2026, 10, 6), 127)  # 2 h 07
    add_time("FABRIQUE", "RESEAU", "JFOURNIER", date(2026, 10, 7), 95)
    add_time("FABRIQUE", "GESTION", "CMARTIN", date(2026, 10, 8), 61)
    add_time("INTERNE", "GESTION", "CMARTIN", date(2026, 10, 9), 60)


def figures_on_page(html: str) -> str:
    """The fingerprint of the figures the close page showed (its hidden field)."""
    found = re.search(r'<input[^>]*name="figures"[^>]*>', html)
    assert found, "the close page has no figures field"
    value = re.search(r'value="(\w+)"', found.group(0))
    assert value, found.group(0)
    return value.group(1)


@pytest.fixture()
def close_from_page() -> Callable[..., TestResponse]:
    """close_from_page(client, "2026-10") — what the accountant does: open the close page,
    read the figures, tick every confirmation, close. Keyword overrides replace the posted
    fields (``confirm_figures=None`` leaves that box unticked)."""

    def _close(client: FlaskClient, month: str, **fields: str | None) -> TestResponse:
        html = client.get(f"/cloture/?mois={month}").get_data(as_text=True)
        data: dict[str, str | None] = {
            "month": month,
            "figures": figures_on_page(html),
            "confirm_figures": "y",
            "confirm_warnings": "y",
            "confirm_earlier": "y",
            **fields,
        }
        return client.post("/cloture/", data={k: v for k, v in data.items() if v is not None})

    return _close
