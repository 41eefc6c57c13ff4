"""Redirects go only to this site (eage/auth/redirects.py): `?next=` after sign-in and the
language switch, against the classic open-redirect payloads."""

from __future__ import annotations

import pytest

from eage.auth.redirects import safe_next, same_site_path

# What a browser would follow to another host (or run), each written the way it arrives.
HOSTILE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "//evil.example/%2F..",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/ /evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "accueil",
    "https:/evil.example",
    "/\x00/evil.example",
    "",
    None,
]
KEPT = ["/accueil", "/factures/?mois=2026-11", "/paie/bulletin/3", "/", "/a//b"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", KEPT)
def test_paths_on_this_site_are_kept(target: str) -> None:
    assert safe_next(target) == target


def test_referer_of_this_site_only() -> None:
    here = "https://eage.example/"
    assert same_site_path("https://eage.example/factures/?mois=2026-11", here) == (
        "/factures/?mois=2026-11"
    )
    assert same_site_path("https://evil.example/factures/", here) is None
    assert same_site_path("http://eage.example/factures/", here) is None  # downgraded
    assert same_site_path("https://eage.example.evil.example/", here) is None
    assert same_site_path(None, here) is None


LOGIN = {"email": "compta@equipe-associee.example", "password": "compta-demo-2026"}


@pytest.mark.parametrize("target", [t for t in HOSTILE if t])
def test_login_never_leaves_the_site(client, demo, target: str) -> None:
    response = client.post("/connexion", query_string={"next": target}, data=LOGIN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accueil"


def test_login_follows_a_local_next(client, demo) -> None:
    response = client.post("/connexion?next=/factures/%3Fmois%3D2026-11", data=LOGIN)
    assert response.headers["Location"] == "/factures/?mois=2026-11"


def test_flask_login_next_round_trip(client, demo) -> None:
    """A page asked before signing in: Flask-Login's own `next` is a local path and is kept."""
    login = client.get("/factures/?mois=2026-11").headers["Location"]
    assert login.startswith("/connexion?next=")
    response = client.post(login, data=LOGIN)
    assert response.headers["Location"] == "/factures/?mois=2026-11"


@pytest.mark.parametrize("target", [t for t in HOSTILE if t])
def test_language_switch_never_leaves_the_site(client, target: str) -> None:
    response = client.post("/langue/en", data={"next": target})
    assert response.headers["Location"] == "/"
    if "\n" not in target:  # a header cannot carry a line break
        response = client.post("/langue/en", headers={"Referer": target})
        assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page(client) -> None:
    response = client.post("/langue/en", data={"next": "/connexion?x=1"})
    assert response.headers["Location"] == "/connexion?x=1"
    response = client.post("/langue/fr", headers={"Referer": "http://localhost/connexion"})
    assert response.headers["Location"] == "/connexion"
    response = client.post("/langue/fr", headers={"Referer": "http://evil.example/connexion"})
    assert response.headers["Location"] == "/"


def test_footer_carries_the_current_page(client) -> None:
    html = client.get("/connexion?x=1").get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/connexion?x=1">' in html
