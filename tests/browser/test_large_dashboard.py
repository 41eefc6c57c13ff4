"""Smoke test at scale (issue 17), marked ``slow``: not in the default run nor in the
browser journeys (`-m 'browser and not slow'`); run it with
``pytest -m slow tests/browser/test_large_dashboard.py``. A reduced large demo (50
employees, 100 members, two years of time: about 45,000 entries) is loaded, and the manager
opens the dashboard: it answers and draws its charts."""

from __future__ import annotations

from datetime import date

import pytest

from eage.demo import LargeSize, load_large
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REDUCED = LargeSize(employees=50, members=100, years=2)


@pytest.fixture()
def demo(app) -> None:  # type: ignore[no-untyped-def]
    """The reduced large demo instead of the normal one (live_server asks for `demo`)."""
    load_large(2026, today=date(2026, 11, 28), size=REDUCED)


def test_the_dashboard_of_a_large_group_opens(live_server, logged_in) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("manager")
    page.set_viewport_size(DESKTOP)
    response = page.goto(live_server + "/tableau-de-bord/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name="Tableau de bord gestion — 2026").is_visible()
    assert page.locator("svg.chart[role=img]").count() >= 4
