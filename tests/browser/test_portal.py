"""The member in a real browser (issue 14): it signs in, lands on its last closed month and
reads its hours and invoice to the cent; the open month is provisional; another member's
invoice answers the app's own 404 page; the same in English, with English formats and no
French outside the data. Screenshots at 1440 and 390 px under instance/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.eage.partial_year import october_closed_november_open

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
NBSP = "\u00a0"
# What the member's pages say in French; in English mode none may show (data aside: the
# member's name and the service labels are the group's own words).
FRENCH = (
    "Heures",
    "Mois",
    "mois clôturé",
    "provisoire",
    "Facturé",
    "octobre",
    "novembre",
    "Bilan annuel",
    "Espace adhérent",
    "Factures, avoirs",
    "Aucune",
    "Page introuvable",
)


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOT_DIR / f"portal-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} overflows by {overflow} px at {width} px"
    page.set_viewport_size({"width": 1440, "height": 900})


def _data_free(text: str) -> str:
    for data in ("Le Fil (association Limace)", "Gestion et contrôle de gestion"):
        text = text.replace(data, "")
    return text.replace("Service paye et gestion sociale", "")


def test_member_reads_its_last_closed_month_and_cannot_reach_another(  # type: ignore[no-untyped-def]
    app, live_server, logged_in, csp_violations
) -> None:
    october_closed_november_open()
    page = logged_in("member")
    page.wait_for_url("**/portail")
    heading = page.locator("#month-title")
    assert "octobre 2026" in heading.inner_text() and "mois clôturé" in heading.inner_text()
    hours = page.locator("#month-hours")
    assert hours.locator("tfoot").inner_text().split() == ["Total", "10,88"]
    invoice = page.locator("#month-invoices tbody tr").first.inner_text()
    assert "F-2026-0002" in invoice and f"391,95{NBSP}€" in invoice
    assert f"470,34{NBSP}€" in invoice
    _shots(page, "octobre")

    # the open month: provisional, not invoiced
    page.get_by_label("Mois").fill("2026-11")
    page.get_by_role("button", name="Afficher").click()
    assert "provisoire" in page.locator("#month-title").inner_text()
    assert "Heures (provisoire)" in page.locator("#month-hours thead").inner_text()
    assert "4,00" in page.locator("#month-hours tbody").inner_text()
    assert "Pas encore facturé" in page.inner_text("main")
    _shots(page, "novembre")

    # another member's invoice: the app's 404 page, nothing of it shown
    response = page.goto(live_server + "/factures/F-2026-0001")
    assert response is not None and response.status == 404
    assert "Page introuvable" in page.inner_text("main")
    assert "FABRIQUE" not in page.content() and "86,99" not in page.content()
    assert page.get_by_role("link", name="Retour à l'accueil").is_visible()  # a way back

    # English
    page.goto(live_server + "/portail")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/portail")
    main = page.inner_text("main")
    assert "October 2026" in main and "closed month" in main
    assert "10.88" in main and "€391.95" in main and "€470.34" in main
    assert "Closed months: October 2026" in main
    for french in FRENCH:
        assert french not in _data_free(main), french
    _shots(page, "en-october")
    page.goto(live_server + "/portail?mois=2026-11")
    main = page.inner_text("main")
    assert "Hours (provisional)" in main and "Not invoiced yet" in main
    for french in FRENCH:
        assert french not in _data_free(main), french
    response = page.goto(live_server + "/factures/F-2026-0001")
    assert response is not None and response.status == 404
    assert "Page not found" in page.inner_text("main")
    _shots(page, "en-404")
    assert csp_violations == []
