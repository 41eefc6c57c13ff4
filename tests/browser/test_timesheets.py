"""The accountant types a week with the keyboard: totals follow, one save, values stay."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_accountant_types_a_cell_sees_totals_and_saves(
    logged_in, live_server, csp_violations
) -> None:
    page = logged_in("accountant")
    page.goto(live_server + "/temps/semaine?employe=KBENALI&semaine=2026-W45")
    expect(page.get_by_role("heading", name="Temps de la semaine — Karim Benali")).to_be_visible()

    page.get_by_label("Adhérent, ligne 1").select_option("LEFIL")
    page.get_by_label("Service ou absence, ligne 1").select_option("PAIE")
    monday = page.locator("#cell-0-0")
    monday.click()
    page.keyboard.type("7:30")
    page.keyboard.press("Tab")
    expect(page.locator("#cell-0-1")).to_be_focused()  # Tab goes to the next day
    expect(page.locator('[data-row-total="0"]')).to_have_text("7,50")
    expect(page.locator('[data-day-total="0"]')).to_have_text("7,50")
    expect(page.locator("[data-week-total-value]")).to_have_text("7,50")

    # Enter moves down to the same day of the next row instead of submitting.
    page.keyboard.type("1,5")
    page.keyboard.press("Enter")
    expect(page.locator("#cell-1-1")).to_be_focused()
    expect(page.locator("[data-week-total-value]")).to_have_text("9,00")

    page.get_by_role("button", name="Enregistrer la semaine").click()
    expect(page.get_by_text("Semaine enregistrée")).to_be_visible()
    expect(page.locator("#cell-0-0")).to_have_value("7,50")
    expect(page.locator("#cell-0-1")).to_have_value("1,50")
    expect(page.locator("[data-week-total-value]")).to_have_text("9,00")
    assert csp_violations == []  # the grid's script and styles run under the CSP


def test_errors_are_shown_on_the_cell(logged_in, live_server) -> None:
    page = logged_in("accountant")
    page.goto(live_server + "/temps/semaine?employe=KBENALI&semaine=2026-W45")
    page.get_by_label("Adhérent, ligne 1").select_option("LEFIL")
    page.get_by_label("Service ou absence, ligne 1").select_option("PAIE")
    page.locator("#cell-0-0").fill("11")
    page.get_by_role("button", name="Enregistrer la semaine").click()
    cell = page.locator("#cell-0-0")
    expect(cell).to_have_value("11")
    expect(cell).to_have_class("form-control form-control-sm cell is-invalid")
    message = page.locator("#grid-errors li")
    expect(message).to_have_count(1)  # one message for the day, not one per cell
    expect(message).to_contain_text("Ligne 1 (LEFIL / PAIE), lun. 02/11")
    expect(message).to_contain_text("maximum légal 10 h par jour")
    expect(cell).to_have_attribute("aria-describedby", "grid-msg-1")
