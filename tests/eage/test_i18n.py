"""The interface is French by default and English with the `lang=en` cookie (footer buttons);
the English catalog translates every French msgid and its compiled .mo is up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import refresh

import eage

LC_MESSAGES = Path(eage.__file__).parent / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalog() -> Catalog:
    with (LC_MESSAGES / "messages.po").open("rb") as f:
        return read_po(f, locale="en")


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_login_page_in_english_with_the_cookie(client) -> None:
    client.set_cookie("lang", "en")
    html = _html(client, "/connexion")
    assert '<html lang="en">' in html
    assert "Sign in" in html and "Email address" in html and "Password" in html
    assert "Skip to content" in html
    assert "Connexion" not in html and "Mot de passe" not in html and "Se connecter" not in html


def test_login_page_stays_french_without_the_cookie(client) -> None:
    html = _html(client, "/connexion")
    assert '<html lang="fr">' in html
    assert "Connexion" in html and "Adresse e-mail" in html and "Mot de passe" in html
    assert "Sign in" not in html


def test_footer_button_switches_to_english(client) -> None:
    response = client.post("/langue/en")
    assert response.status_code == 302
    assert "Sign in" in _html(client, "/connexion")


def test_accountant_home_nav_in_english(login_as) -> None:
    client = login_as("accountant")
    client.set_cookie("lang", "en")
    html = _html(client, "/accueil")
    assert '<html lang="en">' in html
    for text in (
        "Home",
        "Time",
        "Month close",
        "Invoices",
        "Payroll",
        "Accounting",
        "Members",
        "Employees",
        "Services and rates",
        "Rate calculation",
        "Sign out",
        "accountant",
        "Management dashboard",
        "Shared employees",
    ):
        assert f">{text}<" in html or text in html, text
    for text in (
        "Accueil",
        "Clôture",
        "Adhérents",
        "Salariés",
        "Se déconnecter",
        "Tableau de bord",
    ):
        assert text not in html, text


def test_accountant_home_nav_stays_french_without_the_cookie(login_as) -> None:
    html = _html(login_as("accountant"), "/accueil")
    assert '<html lang="fr">' in html
    for text in (
        "Accueil",
        "Clôture",
        "Factures",
        "Adhérents",
        "Salariés",
        "Se déconnecter",
        "Tableau de bord",
    ):
        assert text in html, text
    assert "Sign out" not in html and "Dashboard" not in html


@pytest.mark.parametrize(
    "path, english, french",
    [
        ("/comptabilite/", "Chart of accounts", "Plan comptable"),
        ("/comptabilite/plan", "Chart of accounts", "Plan comptable"),
        ("/comptabilite/plan/nouveau", "New account", "Nouveau compte"),
        ("/comptabilite/balance", "Trial balance", "Balance générale"),
        ("/comptabilite/grand-livre", "Include drafts", "Brouillons compris"),
        ("/comptabilite/adherents", "Members (411)", "Adhérents (411)"),
        ("/comptabilite/integrite", "Record integrity", "Intégrité des enregistrements"),
        ("/comptabilite/ecritures/nouvelle", "New miscellaneous entry (OD)", "Nouvelle écriture"),
        ("/cloture/", "Closed months", "Mois clôturés"),
        ("/factures/", "Invoices and credit notes", "Factures et avoirs"),
        ("/paiements/", "Record a payment", "Enregistrer un paiement"),
        ("/factures/retards", "Overdue unpaid invoices", "Factures échues impayées"),
    ],
)
def test_accountant_pages_render_in_both_languages(login_as, path, english, french) -> None:
    client = login_as("accountant")
    html = _html(client, path)
    assert french in html and english not in html
    client.set_cookie("lang", "en")
    refresh()  # the test's requests share one app context, where Flask-Babel caches the locale
    html = _html(client, path)
    assert english in html and french not in html


def test_every_msgid_is_translated() -> None:
    catalog = _catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 500
    for m in messages:
        assert not m.fuzzy, m.id
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert strings and all(s.strip() for s in strings), m.id
        # The same %(name)s placeholders, or the page would fail to render.
        for s in strings:
            assert sorted(PLACEHOLDER.findall(s)) == sorted(PLACEHOLDER.findall(ids[0])), m.id


def test_compiled_catalog_matches_the_po() -> None:
    with (LC_MESSAGES / "messages.mo").open("rb") as f:
        compiled = read_mo(f)

    def entries(catalog: Catalog) -> dict:
        return {
            tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id: tuple(m.string)
            if isinstance(m.string, (list, tuple))
            else m.string
            for m in catalog
            if m.id
        }

    po, mo = entries(_catalog()), entries(compiled)
    assert mo == po, "run `make translations` (pybabel compile) after editing the .po"
