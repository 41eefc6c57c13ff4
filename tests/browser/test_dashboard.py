"""The manager opens the dashboard in a real browser and finds the charts drawn (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.eage.dashboard import factories

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_manager_sees_the_dashboard_charts(app, live_server, logged_in, csp_violations) -> None:  # type: ignore[no-untyped-def]
    factories.realistic_year()
    page = logged_in("manager")
    page.set_viewport_size({"width": 1440, "height": 1000})
    # The « Gestion » menu opens with Bootstrap's own script, served by the app (no CDN).
    page.get_by_role("button", name="Gestion").click()
    page.get_by_role("link", name="Tableau de bord gestion").click()
    page.wait_for_url("**/tableau-de-bord/**")
    assert page.get_by_role("heading", name="Tableau de bord gestion — 2026").is_visible()
    assert "fin octobre 2026" in page.inner_text("main")

    charts = page.locator("svg.chart[role=img]")
    ids = charts.evaluate_all("nodes => nodes.map(n => n.id)")
    assert ids == [
        "chart-budget-cumul",
        "chart-budget-lignes",
        "chart-repartition-mois",
        "chart-parts",
        "chart-capacite",
        "chart-regularisation",
    ]
    for chart_id in ids:
        svg = page.locator(f"#{chart_id}")
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, chart_id
        drawn = svg.locator("rect.bar, polyline.series")
        assert drawn.count() > 0, chart_id
    # Ten months of stacked bars, one slice per member drawn (8 + the others).
    assert page.locator("#chart-repartition-mois rect.bar").count() >= 10 * 9
    # Bars have real sizes once laid out.
    heights = page.locator("#chart-repartition-mois rect.bar").evaluate_all(
        "nodes => nodes.map(n => n.getBoundingClientRect().height)"
    )
    assert max(heights) > 5
    # Accessible names: every chart has its title.
    assert page.get_by_role("img", name="Capacité par salarié, 2026 à date").is_visible()
    assert csp_violations == []  # the charts and the dashboard's stylesheet, under the CSP

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "dashboard-top.png"))
    page.screenshot(path=str(SCREENSHOT_DIR / "dashboard-full.png"), full_page=True)
    for section in ("budget", "repartition", "capacite", "heures-prevues", "regularisation"):
        page.locator(f"#{section}").screenshot(
            path=str(SCREENSHOT_DIR / f"dashboard-{section}.png")
        )
