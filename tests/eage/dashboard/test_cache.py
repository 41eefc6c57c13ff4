"""Closed months' figures are kept between views, and never served stale (cache.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eage.dashboard import cache, services
from eage.dashboard.board import Dashboard
from eage.models import MonthLock
from tests.eage.dashboard.factories import add_expense, add_payslip

TODAY = date(2026, 11, 28)


@pytest.fixture()
def closed(two_months, db):  # type: ignore[no-untyped-def]
    cache.clear()  # two_months closed January and February
    assert db.session.query(MonthLock).count() == 2
    yield
    cache.clear()


def _regularisation_total(board: Dashboard) -> Decimal:
    total: Decimal = board.tables["regularisation"].totals[0].total_cost
    return total


def test_second_view_reuses_closed_months(closed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = services.dashboard(2026, today=TODAY)
    calls = []
    real = services.allocation_services.compute
    monkeypatch.setattr(
        services.allocation_services, "compute", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    second = services.dashboard(2026, today=TODAY)
    assert calls == []
    assert second.tables["repartition"].all_rows() == first.tables["repartition"].all_rows()
    assert second.tables["capacite"].all_rows() == first.tables["capacite"].all_rows()


def test_a_change_is_seen_at_once(closed) -> None:  # type: ignore[no-untyped-def]
    assert _regularisation_total(services.dashboard(2026, today=TODAY)) == Decimal("8450.00")
    add_expense("2026-02-11", "100.00", "613200")  # an expense in a closed month
    assert _regularisation_total(services.dashboard(2026, today=TODAY)) == Decimal("8550.00")
    add_payslip("JFOURNIER", "2026-02", "100.00", "0.00")  # a payslip issued late
    assert _regularisation_total(services.dashboard(2026, today=TODAY)) == Decimal("8650.00")


def test_an_open_month_is_always_computed(closed, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db.session.delete(db.session.get(MonthLock, "2026-02"))  # reopened by the admin
    db.session.commit()
    services.dashboard(2026, today=TODAY)
    calls = []
    real = services.allocation_services.compute
    monkeypatch.setattr(
        services.allocation_services, "compute", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    services.dashboard(2026, today=TODAY)
    assert ("2026-01", "2026-02") in calls and ("2026-02", "2026-02") in calls
    assert ("2026-01", "2026-01") not in calls  # January is still closed
