"""GET /api/v1/allocation (SPEC §7) and the /repartition/ page: roles, member scoping, bad
parameters, and the page showing the same figures as the API."""

from __future__ import annotations

import pytest

from eage.allocation import services

URL = "/api/v1/allocation?from=2026-10&to=2026-10"


def test_back_office_token_gets_every_row(client, october, token_for) -> None:
    for role in ("accountant", "manager", "admin"):
        response = client.get(URL, headers=token_for(role))
        assert response.status_code == 200, role
        assert response.get_json() == [
            {
                "member": "GAGA",
                "service": "GESTION",
                "hours": "50.00",
                "direct_cost": "1900.00",
                "structure_cost": "454.55",
                "total_cost": "2354.55",
                "invoiced": "0.00",
            },
            {
                "member": "LEFIL",
                "service": "PAIE",
                "hours": "60.00",
                "direct_cost": "1800.00",
                "structure_cost": "545.45",
                "total_cost": "2345.45",
                "invoiced": "1400.00",
            },
        ]


def test_member_token_sees_only_its_member(client, october, token_for) -> None:
    rows = client.get(
        "/api/v1/allocation?from=2026-10&to=2026-11", headers=token_for("member")
    ).get_json()
    assert {r["member"] for r in rows} == {"LEFIL"}
    assert {r["service"] for r in rows} == {"PAIE", "GESTION"}
    # The structure share is still that of the whole group's allocation.
    everything = services.allocation("2026-10", "2026-11", member="LEFIL")
    assert [r["total_cost"] for r in rows] == [f"{r.total_cost}" for r in everything]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "from is required as YYYY-MM"),
        ("?from=2026-10", "to is required as YYYY-MM"),
        ("?from=2026-13&to=2026-12", "from must be YYYY-MM, got '2026-13'"),
        ("?from=2026-10&to=octobre", "to must be YYYY-MM, got 'octobre'"),
        ("?from=2026-11&to=2026-10", "the period ends (2026-10) before it starts (2026-11)"),
    ],
)
def test_bad_parameters_are_400_json(client, demo, token_for, query, message) -> None:
    response = client.get(f"/api/v1/allocation{query}", headers=token_for("manager"))
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


def test_no_token_is_401(client, demo) -> None:
    response = client.get(URL)
    assert response.status_code == 401 and "error" in response.get_json()


def test_page_roles(login_as, october) -> None:
    for role in ("accountant", "manager", "admin"):
        client = login_as(role)
        assert client.get("/repartition/?de=2026-10&a=2026-10").status_code == 200, role
    assert login_as("member").get("/repartition/").status_code == 403


def test_anonymous_goes_to_login(client, demo) -> None:
    response = client.get("/repartition/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_page_shows_the_api_figures(login_as, october) -> None:
    html = login_as("manager").get("/repartition/?de=2026-10&a=2026-10").get_data(as_text=True)
    assert "Répartition des coûts par adhérent et service" in html
    # French formats: 2 345,45 € (narrow no-break space), 60,00 h
    assert "2\u202f345,45\u00a0€" in html and "2\u202f354,55\u00a0€" in html
    assert "4\u202f700,00\u00a0€" in html  # total allocated
    assert "1\u202f400,00\u00a0€" in html  # invoiced LEFIL
    assert "60,00" in html and 'data-member="LEFIL"' in html


def test_page_default_period_and_bad_months(login_as, demo) -> None:
    client = login_as("accountant")
    assert client.get("/repartition/").status_code == 200
    response = client.get("/repartition/?de=2026-13&a=2026-10")
    assert response.status_code == 400
    assert "Mois de début invalide" in response.get_data(as_text=True)
    response = client.get("/repartition/?de=2026-11&a=2026-10")
    assert response.status_code == 400
    assert "se termine avant de commencer" in response.get_data(as_text=True)
