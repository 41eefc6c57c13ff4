"""The weekly grid as a person uses it: a session that expires mid-entry loses nothing, a
phone shows which row a cell belongs to without the page scrolling sideways, and the English
grid has no French outside the data. Screenshots: instance/screenshots/grid-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from eage.extensions import db
from tests.conftest import ROLE_EMAILS
from tests.eage.timesheets.helpers import entries

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
GRID = "/temps/semaine?employe=KBENALI&semaine=2026-W45"  # Monday 02/11/2026


def _shot(page: Page, name: str, full_page: bool = True) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"grid-{name}.png"), full_page=full_page)


def _sign_in(page: Page) -> None:
    page.get_by_label("Adresse e-mail").fill(ROLE_EMAILS["accountant"])
    page.get_by_label("Mot de passe").fill("compta-demo-2026")
    page.get_by_role("button", name="Se connecter").click()


def _fill_first_row(page: Page) -> None:
    page.get_by_label("Adhérent, ligne 1").select_option("LEFIL")
    page.get_by_label("Service ou absence, ligne 1").select_option("PAIE")
    page.locator("#cell-0-0").fill("7,5")
    page.locator("#cell-0-2").fill("3:15")


def test_expired_session_keeps_what_was_typed(logged_in, live_server, page) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.goto(live_server + GRID)
    _fill_first_row(page)
    page.context.clear_cookies()  # the session ends while the accountant types

    page.get_by_role("button", name="Enregistrer la semaine").click()
    # Sent to the sign-in page (nothing saved), then back to the same grid.
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert entries() == []
    _sign_in(page)
    expect(page).to_have_url(live_server + GRID)
    expect(page.locator("#grid-draft")).to_be_visible()
    expect(page.locator("#grid-draft")).to_contain_text("Valeurs non enregistrées restaurées")
    expect(page.get_by_label("Adhérent, ligne 1")).to_have_value("LEFIL")
    expect(page.get_by_label("Service ou absence, ligne 1")).to_have_value("PAIE")
    expect(page.locator("#cell-0-0")).to_have_value("7,5")
    expect(page.locator("#cell-0-2")).to_have_value("3:15")
    expect(page.locator("[data-week-total-value]")).to_have_text("10,75")
    _shot(page, "restored-1440-fr")

    page.get_by_role("button", name="Enregistrer la semaine").click()
    expect(page.get_by_text("Semaine enregistrée : 2 saisie(s) créée(s)")).to_be_visible()
    db.session.remove()  # read what the server's own session wrote
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-04", "KBENALI", "LEFIL", "PAIE", 195),
    ]
    # Saved: the browser forgot its draft; reopening the grid shows no notice.
    page.goto(live_server + GRID)
    expect(page.locator("#cell-0-0")).to_have_value("7,50")
    expect(page.locator("#grid-draft")).to_be_hidden()


def test_discarding_the_restored_values(logged_in, live_server, page) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.goto(live_server + GRID)
    _fill_first_row(page)
    page.reload()  # the tab kept the values
    expect(page.locator("#grid-draft")).to_be_visible()
    expect(page.locator("#cell-0-0")).to_have_value("7,5")
    page.get_by_role("button", name="Abandonner ces valeurs").click()
    expect(page.locator("#grid-draft")).to_be_hidden()
    expect(page.locator("#cell-0-0")).to_have_value("")


def _no_page_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"the page scrolls sideways: {width} > {inner}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_phone_grid_keeps_the_row_columns_in_view(logged_in, live_server, page, lang) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.set_viewport_size({"width": 390, "height": 844})
    if lang == "en":
        page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(live_server + GRID)
    page.locator("#member-0").select_option("LEFIL")
    page.locator("#activity-0").select_option("PAIE")
    page.locator("#cell-0-0").fill("7")
    page.locator("#cell-0-6").fill("2")
    _no_page_overflow(page)
    _shot(page, f"390-{lang}")

    # The days scroll inside the grid; the member and service columns stay where they were.
    member = page.locator("#member-0")
    before = member.bounding_box()
    scroller = page.locator(".grid-scroll")
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert scroller.evaluate("el => el.scrollLeft") > 100  # the days did scroll
    after = member.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1
    # What the eye meets at the sticky columns is still the row's member and service.
    for field in ("#member-0", "#activity-0"):
        box = page.locator(field).bounding_box()
        assert box
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).id",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top == field[1:]
    expect(page.locator('[data-row-total="0"]')).to_be_in_viewport()
    _no_page_overflow(page)
    page.locator("#grid-help").scroll_into_view_if_needed()
    _shot(page, f"390-{lang}-scrolled", full_page=False)


FRENCH_WORDS = (
    "Adhérent",
    "Semaine",
    "Enregistr",
    "Total du jour",
    "Dérogation",
    "lun.",
    "dim.",
    "Durée",
    "ligne",
    "Valeurs",
    "heures",
)


def test_english_grid_has_no_french_outside_the_data(logged_in, live_server, page) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + GRID)
    page.get_by_label("Member, line 1").select_option("LEFIL")
    page.get_by_label("Service or absence, line 1").select_option("PAIE")
    page.locator("#cell-0-0").fill("7.5")
    page.locator("#cell-0-1").fill("abc")  # the script's own message, in English
    expect(page.locator("[data-week-total-value]")).to_have_text("7.50")
    expect(page.locator("#cell-0-1")).to_have_attribute("title", "Unreadable duration: 7.5 or 7:30")
    expect(page.get_by_role("columnheader", name="Mon, 11/2")).to_be_visible()
    _shot(page, "1440-en")

    page.get_by_role("button", name="Save the week").click()
    errors = page.locator("#grid-errors li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("Line 1 (LEFIL / PAIE), Tue, 11/3 —")
    # The page's text, selects aside (their options are data: codes, absence labels).
    shown = page.evaluate(
        """() => { const main = document.querySelector('main').cloneNode(true);
                   main.querySelectorAll('select').forEach(s => s.remove());
                   return main.textContent; }"""
    )
    for word in FRENCH_WORDS:
        assert word not in shown, word
    _shot(page, "errors-1440-en")


def test_french_grid_at_1440(logged_in, live_server, page) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + GRID)
    _fill_first_row(page)
    page.locator("#cell-0-1").fill("abc")
    page.get_by_label("Adhérent, ligne 2").select_option("INTERNE")
    page.get_by_label("Service ou absence, ligne 2").select_option("GESTION")
    page.locator("#cell-1-0").fill("4")
    page.get_by_role("button", name="Enregistrer la semaine").click()
    errors = page.locator("#grid-errors li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Lun. 02/11, lignes 1, 2 — plus de 10 h le 02/11/2026")
    expect(errors.nth(1)).to_contain_text("Ligne 1 (LEFIL / PAIE), mar. 03/11 — durée invalide")
    _no_page_overflow(page)
    _shot(page, "errors-1440-fr")
