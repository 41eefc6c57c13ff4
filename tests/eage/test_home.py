"""The back-office home (issue 14): each role is offered what it can do, and only that —
every action on the page opens for the role that reads it; the manager finds the dashboard
first, and no time entry or import it could not save."""

from __future__ import annotations

import lxml.html
import pytest
from flask_babel import refresh

from tests.eage.dashboard.factories import close_months


def _actions(html: str) -> list[tuple[str, str]]:
    doc = lxml.html.fromstring(html)
    return [
        (a.get("href"), " ".join(a.text_content().split()))
        for a in doc.xpath("//*[@id='home-actions']//a")
    ]


@pytest.mark.parametrize(
    "role, first, absent",
    [
        ("manager", "Tableau de bord gestion", ("/temps/semaine", "/temps/import")),
        ("accountant", "Saisir les temps de la semaine", ("/admin/utilisateurs",)),
        ("admin", "Utilisateurs", ("/temps/semaine", "/temps/import")),
    ],
)
def test_each_role_is_offered_what_it_can_do(login_as, role, first, absent) -> None:  # type: ignore[no-untyped-def]
    client = login_as(role)
    actions = _actions(client.get("/accueil").get_data(as_text=True))
    assert actions[0][1] == first
    hrefs = [href for href, _ in actions]
    for href in absent:
        assert href not in hrefs
    for href in hrefs:  # every action offered opens for this role
        assert client.get(href).status_code == 200, (role, href)


def test_the_manager_home_leads_to_the_dashboard(login_as) -> None:  # type: ignore[no-untyped-def]
    actions = _actions(login_as("manager").get("/accueil").get_data(as_text=True))
    assert ("/tableau-de-bord/", "Tableau de bord gestion") in actions
    assert ("/budget/", "Budget de l'année") in actions


def test_the_home_says_which_months_are_closed(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager")
    doc = lxml.html.fromstring(client.get("/accueil").get_data(as_text=True))
    assert doc.get_element_by_id("home-closed").text_content().strip() == "aucun"
    close_months(*(f"2026-{m:02d}" for m in range(1, 11)))
    doc = lxml.html.fromstring(client.get("/accueil").get_data(as_text=True))
    assert doc.get_element_by_id("home-closed").text_content().strip() == "janvier à octobre 2026"
    client.set_cookie("lang", "en")
    refresh()
    html = client.get("/accueil").get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    assert doc.get_element_by_id("home-closed").text_content().strip() == "January to October 2026"
    assert [label for _, label in _actions(html)][:2] == [
        "Management dashboard",
        "This year's budget",
    ]
