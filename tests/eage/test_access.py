"""Every route of app.url_map, for every role and for a visitor not signed in (SPEC §2, §8).

The expectation is the hand-written table in tests/eage/access_table.py, not the decorators
under test: an allowed role is never refused (401/403) and never meets a server error (5xx); a
refused role gets 403 or 404; a visitor is sent to the login page (401 on the API). An endpoint
missing from the table fails the walk, so nothing ships without an entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from eage.auth.roles import ADMIN, MEMBER
from eage.extensions import db
from eage.models import ROLES, ApiToken, User
from tests.conftest import ROLE_EMAILS
from tests.eage.access_table import ACCESS, ANONYMOUS, SIGNED_IN, allowed

LoginAs = Callable[[str], FlaskClient]
Bearer = Callable[[str], dict[str, str]]

PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}
LAST_OF_THE_WALK = "auth.logout"  # ends the session: walked after everything else
# Ids of rows the demo group has (member 1, employee 1 and its contract 1, service 1…).
SAMPLE_ARGS: dict[str, str | int] = {
    "id": 1,
    "member_id": 1,
    "employee_id": 1,
    "service_id": 1,
    "user_id": 1,
    "line_id": 1,
    "contract_id": 1,
    "account_id": 1,
    "year": 2026,
    "month": "2026-11",
    "code": "LEFIL",
    "member_code": "LEFIL",
    "number": "F-2026-0001",
    "ref": "F-2026-0001",
    "lang": "fr",
    "filename": "eage.css",
    "token_id": 1,
    "name": "budget",
    "fmt": "pdf",
}


@dataclass(frozen=True)
class Visit:
    endpoint: str
    method: str
    url: str
    status: int
    location: str

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")


def _requests(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule and method: the API first (the admin's walk
    revokes token 1), then pages to read, then forms to post (a deletion does not hide a page
    still to be read), signing out last."""
    out = []
    for rule in app.url_map.iter_rules():
        values: dict[str, Any] = {a: SAMPLE_ARGS.get(a, 1) for a in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        out += [(rule.endpoint, m, url) for m in methods]
    return sorted(
        out,
        key=lambda r: (r[0] == LAST_OF_THE_WALK, not r[2].startswith("/api/"), r[1] != "GET", r),
    )


def _walk(app: Flask, client: FlaskClient, headers: dict[str, str] | None = None) -> list[Visit]:
    visits = []
    for endpoint, method, url in _requests(app):
        api_headers = headers if url.startswith("/api/") else None
        with client.open(url, method=method, headers=api_headers) as response:
            location = response.headers.get("Location", "")
            visits.append(Visit(endpoint, method, url, response.status_code, location))
    return visits


def _problem(who: str, visit: Visit) -> str | None:
    """What is wrong with this answer to `who`, or None."""
    if visit.endpoint not in ACCESS:
        return "missing from tests/eage/access_table.py"
    if visit.status >= 500:
        return "server error"
    if who in allowed(visit.endpoint, visit.method):
        return "refused" if visit.status in (401, 403) else None
    if who != ANONYMOUS:
        return None if visit.status in (403, 404) else "let in"
    if visit.is_api:
        return None if visit.status == 401 else "let in without a token"
    sent_to_login = visit.status == 302 and "/connexion" in visit.location
    return None if sent_to_login else "not sent to the login page"


def _problems(who: str, visits: list[Visit]) -> list[tuple[str, str, int, str]]:
    found = [(v.endpoint, v.method, v.status, _problem(who, v)) for v in visits]
    return [(ep, m, status, p) for ep, m, status, p in found if p is not None]


@pytest.fixture()
def bearer(demo: None) -> Bearer:
    """bearer('member') → the Authorization header of a new API token of that demo user."""

    def _headers(role: str) -> dict[str, str]:
        user = db.session.scalars(select(User).filter_by(email=ROLE_EMAILS[role])).one()
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _headers


def test_the_table_names_every_endpoint_and_only_those(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ACCESS)) == [], "add these endpoints to access_table.py"
    assert sorted(set(ACCESS) - endpoints) == [], "these rows of access_table.py are stale"
    assert set(ROLES) == SIGNED_IN


def test_every_view_declares_its_roles(app: Flask) -> None:
    undeclared = [
        ep
        for ep, view in app.view_functions.items()
        if ep not in PUBLIC_ENDPOINTS and not hasattr(view, "allowed_roles")
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
def test_roles_on_every_route(app: Flask, login_as: LoginAs, bearer: Bearer, role: str) -> None:
    client = login_as(role)
    visits = _walk(app, client, headers=bearer(role))
    assert _problems(role, visits) == [], f"{role}: (endpoint, method, status, problem)"


def test_anonymous_is_sent_to_login(app: Flask, client: FlaskClient, demo: None) -> None:
    visits = _walk(app, client)
    assert _problems(ANONYMOUS, visits) == []


def test_member_user_reaches_no_back_office_page(app: Flask, login_as: LoginAs) -> None:
    client = login_as(MEMBER)
    assert client.get("/portail").status_code == 200
    let_in = [
        v.endpoint
        for v in _walk(app, client)
        if not v.is_api
        and MEMBER not in allowed(v.endpoint, v.method)
        and v.status not in (403, 404)
    ]
    assert let_in == []


def test_a_browser_session_does_not_open_the_api(app: Flask, login_as: LoginAs) -> None:
    """The API authenticates by token only: a signed-in session without one gets 401."""
    client = login_as("accountant")
    opened = [
        (v.endpoint, v.status)
        for v in _walk(app, client)
        if v.is_api and ANONYMOUS not in ACCESS[v.endpoint] and v.status != 401
    ]
    assert opened == []


def test_admin_only_pages(app: Flask) -> None:
    admin_only = [
        ep
        for ep, v in app.view_functions.items()
        if getattr(v, "allowed_roles", None) == frozenset({ADMIN})
    ]
    assert "admin.users" in admin_only
