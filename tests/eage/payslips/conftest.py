"""Fixtures: the demo group with its 2026 time, and November 2026's payslips issued."""

from __future__ import annotations

from datetime import date

import pytest

from eage.extensions import db
from eage.models import User
from tests.conftest import TODAY

NOVEMBER = date(2026, 11, 1)


@pytest.fixture()
def demo_time(app) -> None:
    from eage.demo import load_demo

    load_demo(2026, today=TODAY, with_time=True)


@pytest.fixture()
def issued(demo_time):
    """November 2026's payslips, issued in one transaction then committed (as the close does)."""
    from eage.payslips import services

    user = db.session.query(User).filter_by(role="accountant").first()
    rows = services.issue_month_payslips(
        NOVEMBER, user_id=user.id if user else None, issue_date=TODAY
    )
    db.session.commit()
    return rows
