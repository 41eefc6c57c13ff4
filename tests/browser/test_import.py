"""Issue 14: the accountant imports a timesheet file, imports it again and is stopped (the
duplicates shown, nothing added), imports an XLSX through the page, and checks the month's
hours of the employee: the figure that would have been doubled on the invoices."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.eage.timesheets.conftest import add_entry  # noqa: F401 - the fixture
from tests.eage.timesheets.helpers import entries

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
CSV = (
    "date;salarié;adhérent;service;heures;note\n"
    "02/11/2026;KBENALI;LEFIL;PAIE;2;\n"
    "03/11/2026;KBENALI;LEFIL;PAIE;2;\n"
    "04/11/2026;JFOURNIER;INTERNE;RESEAU;3:30;\n"
).encode()


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "employee", "member", "service", "hours"])
    sheet.append(["05/11/2026", "KBENALI", "CINE3C", "PAIE", 7.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOT_DIR / f"import-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def _upload(page, live_server: str, name: str, data: bytes, mime: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/temps/import")
    page.get_by_label("Fichier de temps (CSV ou XLSX)").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()


def test_import_reimport_is_stopped_then_xlsx(logged_in, live_server, csp_violations) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("accountant")
    page.set_viewport_size({"width": 1440, "height": 900})
    _upload(page, live_server, "novembre.csv", CSV, "text/csv")
    expect(page.get_by_role("heading", name="Fichier valide : prêt à importer")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'import (3)").click()
    expect(
        page.get_by_text("Import terminé : 3 saisie(s) importée(s) depuis novembre.csv.")
    ).to_be_visible()
    assert len(entries()) == 3

    # The same file again, under another name: stopped, each duplicate shown, unticked.
    _upload(page, live_server, "novembre-bis.csv", CSV, "text/csv")
    expect(page.get_by_text("Ce fichier a déjà été importé :")).to_be_visible()
    expect(page.get_by_role("heading", name="Doublons trouvés", exact=False)).to_be_visible()
    duplicates = page.locator("#import-duplicates tbody tr")
    expect(duplicates).to_have_count(3)
    expect(page.get_by_label("Importer quand même la ligne 2")).not_to_be_checked()
    expect(
        page.get_by_label("Importer ce fichier à nouveau (les heures seront comptées deux fois)")
    ).not_to_be_checked()
    _shoot(page, "duplicates")
    page.get_by_role("button", name="Confirmer l'import (0)").click()
    expect(
        page.get_by_role("heading", name="Fichier déjà importé : rien n'a été importé.")
    ).to_be_visible()
    assert len(entries()) == 3  # nothing added

    # An XLSX through the page.
    xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _upload(page, live_server, "jeudi.xlsx", _xlsx(), xlsx_mime)
    expect(page.get_by_role("heading", name="Fichier valide : prêt à importer")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'import (1)").click()
    expect(
        page.get_by_text("Import terminé : 1 saisie(s) importée(s) depuis jeudi.xlsx.")
    ).to_be_visible()
    expect(page.locator("#import-log tbody tr")).to_have_count(2)
    _shoot(page, "done")

    # What the accountant checks: Karim Benali's November, 2 + 2 + 7,5 h, not doubled.
    page.goto(live_server + "/temps/mois?employe=KBENALI&mois=2026-11")
    expect(page.locator("[data-month-total]")).to_have_text("11,50")
    assert csp_violations == []


def _upload_en(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/temps/import")
    page.get_by_label("Time file (CSV or XLSX)").set_input_files(
        {"name": "november.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Check the file").click()


def test_reimport_in_english(logged_in, live_server, page) -> None:  # type: ignore[no-untyped-def]
    logged_in("accountant")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.set_viewport_size({"width": 1440, "height": 900})
    _upload_en(page, live_server)
    page.get_by_role("button", name="Confirm import (3)").click()
    expect(
        page.get_by_text("Import complete: 3 entr(y/ies) imported from november.csv.")
    ).to_be_visible()
    _upload_en(page, live_server)
    expect(page.get_by_text("This file was already imported:")).to_be_visible()
    expect(page.locator("#import-duplicates tbody tr")).to_have_count(3)
    _shoot(page, "duplicates-en")
    assert len(entries()) == 3


def test_grid_shows_the_week_warnings(logged_in, live_server, add_entry) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for day in range(2, 7):
        add_entry(f"2026-11-{day:02d}", "JFOURNIER", None, "RESEAU", 4 * 60)
    add_entry("2026-11-07", "JFOURNIER", None, "RESEAU", 60)
    page = logged_in("accountant")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/temps/semaine?employe=JFOURNIER&semaine=2026-W45")
    warnings = page.locator("#time-warnings")
    expect(warnings).to_contain_text("soit 3 h 30 d'heures complémentaires")
    expect(warnings).to_contain_text("à temps partiel (17 h 30 par semaine), travaille le samedi")
    _shoot(page, "grid-warnings")
