"""The main back-office pages in English and in French in a real browser (issue 14): the
English page reads as English (its title, its menu, no French sentence but data), and the
screenshots are kept under instance/screenshots/i18n-*.png to be looked at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"

# (name, path, heading in English, heading in French)
PAGES = [
    ("books", "/comptabilite/", "Accounting", "Comptabilité"),
    ("chart", "/comptabilite/plan", "Chart of accounts", "Plan comptable"),
    ("expenses", "/depenses/", "Overhead expenses", "Dépenses de structure"),
    ("expense-form", "/depenses/nouvelle", "New overhead expense", "Nouvelle dépense"),
    ("budget", "/budget/", "Budget", "Budget"),
    ("members", "/adherents/", "Member organisations", "Structures adhérentes"),
    ("staff", "/salaries/", "Shared employees", "Salariés partagés"),
    ("catalog", "/services/", "Services and hourly rates", "Services et taux horaires"),
    ("rates", "/taux/", "Hourly rate calculation", "Calcul des taux horaires"),
    ("account", "/mon-compte/", "My account", "Mon compte"),
]
# Words of the interface itself (the pages also show data: account labels, names).
FRENCH = re.compile(
    r"\b(Enregistrer|Modifier|Supprimer|Nouveau|Nouvelle|Ajouter|Annuler|Exercice)\b"
)


def _set_language(page, live_server: str, language: str) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])


def test_main_pages_in_english_and_french(live_server, logged_in) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("accountant")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for language in ("en", "fr"):
        _set_language(page, live_server, language)
        for name, path, english, french in PAGES:
            page.set_viewport_size({"width": 1440, "height": 900})
            page.goto(live_server + path)
            heading = page.locator("main h1").first.inner_text()
            assert (english if language == "en" else french) in heading, (path, heading)
            if language == "en":
                main = page.inner_text("main")
                assert not FRENCH.search(main), (path, FRENCH.findall(main))
            page.screenshot(
                path=str(SCREENSHOT_DIR / f"i18n-{name}-{language}.png"), full_page=True
            )
    # A phone in English: the members list.
    _set_language(page, live_server, "en")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/adherents/")
    page.screenshot(path=str(SCREENSHOT_DIR / "i18n-members-en-390.png"), full_page=True)
