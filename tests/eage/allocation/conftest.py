"""Factories for the allocation tests: minimal issued payslips and invoices written
directly (the allocation only reads their totals), timesheet entries, expenses, income."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from eage.extensions import db
from eage.models import (
    ApiToken,
    User,
)
from tests.conftest import ROLE_EMAILS
from tests.factories import (  # noqa: F401  (re-exported for the allocation and expenses tests)
    add_expense,
    add_income,
    add_invoice,
    add_payslip,
    add_time,
    employee,
    member,
    service,
)

D = Decimal


@pytest.fixture()
def october(demo: None) -> None:
    """The hand-computed period of test_services.test_allocation_by_hand."""
    add_payslip("KBENALI", "2026-10", "2400.00", "600.00")  # 3 000.00
    add_payslip("CMARTIN", "2026-10", "800.00", "200.00")  # 1 000.00
    add_payslip("JFOURNIER", "2026-10", "400.00", "100.00")  # 500.00, no time
    add_payslip("KBENALI", "2026-11", "2400.00", "600.00")  # outside the period
    add_time("2026-10", "KBENALI", "LEFIL", "PAIE", 3600)
    add_time("2026-10", "KBENALI", "GAGA", "GESTION", 1800)
    add_time("2026-10", "KBENALI", None, "CP", 600)
    add_time("2026-10", "CMARTIN", "GAGA", "GESTION", 1200)
    add_time("2026-11", "CMARTIN", "LEFIL", "GESTION", 420)  # outside the period
    add_expense("2026-10-05", "400.00")
    add_expense("2026-11-05", "999.00")  # outside the period
    add_income("2026-10-15", "200.00")
    october_period = (date(2026, 10, 1), date(2026, 10, 31))
    add_invoice("LEFIL", "invoice", "monthly", october_period, [("service", "PAIE", "1500.00")])
    add_invoice("LEFIL", "credit_note", "monthly", october_period, [("service", "PAIE", "100.00")])
    add_invoice("LEFIL", "invoice", "fee", october_period, [("fee", None, "3120.00")])
    add_invoice(
        "GAGA",
        "invoice",
        "monthly",
        (date(2026, 11, 1), date(2026, 11, 30)),
        [("service", "GESTION", "77.00")],
    )  # outside the period


@pytest.fixture()
def token_for(demo: None) -> Callable[[str], dict[str, str]]:
    def _token(role: str) -> dict[str, str]:
        user = db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _token
