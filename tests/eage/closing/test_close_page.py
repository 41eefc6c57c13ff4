"""The close from its page (POST /cloture/): the month closed through the job, then the
managers' dashboard of the year computed once, so their first view reads kept figures."""

from __future__ import annotations

from eage import events
from eage.dashboard import cache
from eage.dashboard import services as dashboard
from eage.extensions import db
from eage.models import Invoice, MonthLock


def test_the_close_page_closes_and_warms_the_dashboard(
    login_as, october_time, close_from_page, monkeypatch
) -> None:
    cache.clear()
    client = login_as("accountant")
    response = close_from_page(client, "2026-10")
    assert response.status_code == 302 and "/cloture/suivi/" in response.headers["Location"]
    assert db.session.get(MonthLock, "2026-10").time_summarised is True
    assert db.session.query(Invoice).count() == 2  # LEFIL and FABRIQUE
    assert cache.stats["misses"] > 0  # computed by the close, not by a view

    calls: list[tuple[object, ...]] = []
    real = dashboard.allocation_services.compute
    monkeypatch.setattr(
        dashboard.allocation_services, "compute", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    page = login_as("manager").get("/tableau-de-bord/?annee=2026")
    assert page.status_code == 200
    assert ("2026-10", "2026-10") not in calls  # October's allocation was kept
    cache.clear()


def test_the_close_page_refuses_unconfirmed_warnings(
    login_as, october_time, close_from_page
) -> None:
    client = login_as("accountant")
    response = close_from_page(client, "2026-10", confirm_warnings="no")
    response = client.get(response.headers["Location"])
    assert "Confirmez que vous avez vérifié les avertissements." in response.get_data(as_text=True)
    assert db.session.get(MonthLock, "2026-10") is None


def test_the_close_job_announces_a_month_closed_once(
    app, login_as, october_time, close_from_page
) -> None:
    heard: list[tuple[object, dict[str, object]]] = []

    def listener(sender: object, **details: object) -> None:
        heard.append((sender, details))

    client = login_as("accountant")
    with events.month_closed.connected_to(listener):
        for _ in range(2):  # the second close changes nothing: nothing to announce
            close_from_page(client, "2026-10")
    assert heard == [(app, {"year": 2026, "month": 10})]
