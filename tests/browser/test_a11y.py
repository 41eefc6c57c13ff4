"""Accessibility and phones (issue 14): axe-core finds no "serious" or "critical" violation
on the main pages of each role, and at 390 px no main page is wider than the phone.

axe-core comes from the npm registry (scripts/axe.sh, pinned) and is injected by Playwright;
the pages are opened with `bypass_csp` for that injection only (the CSP is test_csp.py's).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow
from tests.eage.dashboard import factories

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    return {**browser_context_args, "bypass_csp": True}


BACK_OFFICE_PAGES = {
    "home": "/accueil",
    "dashboard": "/tableau-de-bord/?annee=2026",
    "timesheets": "/temps/semaine?semaine=2026-W40",
    "import": "/temps/import",
    "close": "/cloture/",
    "invoices": "/factures/",
    "invoice": "/factures/F-2026-0001",
    "payslips": "/paie/",
    "books": "/comptabilite/",
    "members": "/adherents/",
    "bank": "/banque/",  # issue 16
    "sepa": "/sepa/",
    "reminders": "/relances/",
    "deposits": "/depots-de-garantie/",
}
PAGES = {
    "accountant": BACK_OFFICE_PAGES,
    "manager": {k: v for k, v in BACK_OFFICE_PAGES.items() if k != "import"},
    "admin": {"home": "/accueil", "users": "/admin/utilisateurs", "close": "/cloture/"},
    "member": {
        "portal": "/portail",
        "invoices": "/portail/factures",
        "documents": "/portail/documents",  # issue 18
        "users": "/portail/utilisateurs",
    },
}


def _visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status == 200, url


@pytest.mark.parametrize("role", sorted(PAGES))
def test_main_pages_are_accessible_and_fit_a_phone(role, live_server, logged_in, page, axe) -> None:  # type: ignore[no-untyped-def]
    """A year closed to October: every main page of the role has invoices, payslips, books
    to show. At 1440 px axe finds nothing serious; at 390 px nothing is wider than the phone."""
    factories.realistic_year()
    page.set_viewport_size(DESKTOP)
    violations = {}
    if role == "accountant":
        _visit(page, live_server + "/connexion")
        violations["login"] = axe()
    logged_in(role)
    for name, path in PAGES[role].items():
        _visit(page, live_server + path)
        violations[name] = axe()
    assert {name: found for name, found in violations.items() if found} == {}

    page.set_viewport_size(PHONE)
    wide = {}
    for name, path in PAGES[role].items():
        _visit(page, live_server + path)
        if over := horizontal_overflow(page):
            wide[name] = over
    assert wide == {}  # page name → pixels wider than the phone
