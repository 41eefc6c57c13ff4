"""A person logs in with the keyboard and lands on the right home page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_accountant_logs_in_and_sees_the_home(logged_in) -> None:
    page = logged_in("accountant")
    # The home is « Accueil » (the « Tableau de bord gestion » is the managers' dashboard).
    assert page.get_by_role("heading", name="Accueil", exact=True).is_visible()
    assert page.get_by_role("link", name="Saisir les temps de la semaine").is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_member_lands_on_its_portal(logged_in) -> None:
    page = logged_in("member")
    assert page.get_by_role("heading", name="Le Fil (association Limace)").is_visible()
    assert page.get_by_role("link", name="Adhérents").count() == 0
