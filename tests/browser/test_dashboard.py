"""The manager opens the dashboard in a real browser and finds the charts drawn (issue 5),
reads its summary to the cent, in French and in English, on a desktop and on a phone
(issue 14)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.extensions import db
from eage.models import Invoice
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOT_DIR, horizontal_overflow
from tests.eage.dashboard import factories

pytestmark = pytest.mark.browser


def test_manager_sees_the_dashboard_charts(app, live_server, logged_in, csp_violations) -> None:  # type: ignore[no-untyped-def]
    factories.realistic_year()
    page = logged_in("manager")
    page.set_viewport_size({"width": 1440, "height": 1000})
    # The « Gestion » menu opens with Bootstrap's own script, served by the app (no CDN).
    page.get_by_role("button", name="Gestion").click()
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Tableau de bord gestion").click()
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


# Words of the page itself (never of the data: members, services, budget lines) that an
# English reader must not meet.
FRENCH_UI = (
    "Mois clôturés",
    "Heures facturables",
    "Coût net",
    "Facturé",
    "Prévision",
    "Factures impayées",
    "Alertes",
    "Dépassements",
    "Conventions à surveiller",
    "Budget et réalisé",
    "Répartition des coûts",
    "Capacité",
    "Heures prévues",
    "Régularisation",
    "janvier",
    "octobre",
    " sur ",
    " dont ",
    "Exporter",
)


def _amount(text: str) -> Decimal:
    """« 108 678,94 € » or « €108,678.94 » → Decimal("108678.94")."""
    digits = re.sub(r"[^\d,.\-−]", "", text).replace("−", "-")
    if re.search(r",\d\d$", digits):
        digits = digits.replace(".", "").replace(",", ".")
    return Decimal(digits.replace(",", ""))


def test_manager_reads_the_summary_in_french_and_english(  # type: ignore[no-untyped-def]
    app, live_server, logged_in, screenshot
) -> None:
    factories.realistic_year()
    # What the group invoiced for January to October: the monthly invoices, excl. VAT.
    invoiced = db.session.scalar(
        select(func.sum(Invoice.total_excl_tax)).where(Invoice.kind == "invoice")
    )
    page = logged_in("manager")
    page.set_viewport_size(DESKTOP)
    # The home offers it.
    page.locator("#home-actions").get_by_role("link", name="Tableau de bord gestion").click()
    page.wait_for_url("**/tableau-de-bord/**")
    assert page.locator("#closed-months").inner_text() == "Mois clôturés : janvier à octobre 2026"
    kpi = page.locator("#kpi-invoiced").inner_text()
    assert kpi.endswith("€") and "," in kpi and _amount(kpi) == invoiced
    assert page.get_by_role("heading", name="Facturé à date").is_visible()
    for heading in ("Heures facturables à date", "Coût net à date", "Prévision fin d'année"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("heading", name="Factures impayées").is_visible()
    assert page.locator("#chart-budget-cumul").is_visible()
    assert page.locator("#planned-alerts").is_visible()
    # The detailed tables are folded: a click opens one.
    table = page.locator("table[data-table='budget']")
    assert not table.is_visible()
    page.locator("summary#t-budget").click()
    assert table.is_visible()
    screenshot("dashboard-fr-1440")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    assert page.locator("#kpi-invoiced").bounding_box()["width"] > 200  # type: ignore[index]
    screenshot("dashboard-fr-390")

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/tableau-de-bord/**")
    assert page.locator("#closed-months").inner_text() == "Closed months: January to October 2026"
    kpi = page.locator("#kpi-invoiced").inner_text()
    assert kpi.startswith("€") and _amount(kpi) == invoiced
    assert page.get_by_role("heading", name="Invoiced to date").is_visible()
    text = page.locator("main").inner_text()
    assert [word for word in FRENCH_UI if word in text] == []
    assert horizontal_overflow(page) == 0
    screenshot("dashboard-en-390")
    page.set_viewport_size(DESKTOP)
    screenshot("dashboard-en-1440")


def test_manager_home_at_both_widths(live_server, logged_in, screenshot) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("manager")
    for lang, button in (("fr", None), ("en", "English")):
        if button:
            page.get_by_role("button", name=button).click()
            page.wait_for_load_state()
        for width, size in (("1440", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            assert horizontal_overflow(page) == 0
            screenshot(f"home-{lang}-{width}")
    assert page.get_by_role("link", name="Management dashboard").first.is_visible()
