"""Every route of app.url_map, for every role: who is let in (SPEC §2, §8).

A route without a declared role list fails this test, so nothing ships unprotected."""

from __future__ import annotations

import pytest
from flask import Flask

from eage.auth.roles import ADMIN, MEMBER
from eage.models import ROLES

PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}
SKIPPED_IN_WALK = {"auth.logout"}  # would end the session mid-walk; tested in test_app
SAMPLE_ARGS = {
    "id": 1,
    "member_id": 1,
    "employee_id": 1,
    "service_id": 1,
    "user_id": 1,
    "line_id": 1,
    "contract_id": 1,
    "year": 2026,
    "month": "2026-11",
    "code": "LEFIL",
    "number": "F-2026-0001",
    "lang": "fr",
    "filename": "eage.css",
    "token_id": 1,
}


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS | SKIPPED_IN_WALK:
            continue
        args = {a: SAMPLE_ARGS.get(a, 1) for a in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        out.append((rule.endpoint, method, url))
    return out


def test_every_view_declares_its_roles(app: Flask) -> None:
    undeclared = [
        ep
        for ep, view in app.view_functions.items()
        if ep not in PUBLIC_ENDPOINTS and not hasattr(view, "allowed_roles")
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
def test_roles_on_every_route(app: Flask, login_as, role: str) -> None:
    client = login_as(role)
    refused, wrongly_refused = [], []
    for endpoint, method, url in _routes(app):
        view = app.view_functions[endpoint]
        allowed = view.allowed_roles  # None = public
        if getattr(view, "api", False):
            continue  # API routes authenticate by token: tested in test_api
        response = client.open(url, method=method)
        if allowed is None:
            continue
        if role in allowed:
            if response.status_code in (401, 403):
                wrongly_refused.append((endpoint, response.status_code))
        elif response.status_code != 403:
            refused.append((endpoint, method, response.status_code))
    assert refused == [], f"{role} was let into routes it must not reach"
    assert wrongly_refused == [], f"{role} was refused routes it may use"


def test_member_user_reaches_no_back_office_page(app: Flask, login_as) -> None:
    client = login_as(MEMBER)
    let_in = []
    for endpoint, method, url in _routes(app):
        view = app.view_functions[endpoint]
        if getattr(view, "api", False) or view.allowed_roles is None:
            continue
        if MEMBER not in view.allowed_roles and client.open(url, method=method).status_code != 403:
            let_in.append(endpoint)
    assert let_in == []
    assert client.get("/portail").status_code == 200


def test_anonymous_is_sent_to_login(app: Flask, client) -> None:
    for endpoint, method, url in _routes(app):
        view = app.view_functions[endpoint]
        if getattr(view, "api", False) or view.allowed_roles is None:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], (
            endpoint
        )


def test_admin_only_pages(app: Flask) -> None:
    admin_only = [
        ep
        for ep, v in app.view_functions.items()
        if getattr(v, "allowed_roles", None) == frozenset({ADMIN})
    ]
    assert "admin.users" in admin_only
