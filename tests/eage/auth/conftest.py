from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

COMPTA = "compta@equipe-associee.example"
COMPTA_PASSWORD = "compta-demo-2026"
ADMIN = "admin@equipe-associee.example"
ADMIN_PASSWORD = "admin-demo-2026"


def fresh(client: FlaskClient) -> FlaskClient:
    """The tests share one app context, so Flask-Login's cached user outlives a request: forget
    it, as a new request of the real server would."""
    g.pop("_login_user", None)
    return client


def sign_in(client: FlaskClient, email: str, password: str, path: str = "/connexion") -> int:
    fresh(client)
    response = client.post(path, data={"email": email, "password": password})
    return response.status_code


@pytest.fixture()
def browser(app: Flask, demo: None) -> Callable[[], FlaskClient]:
    """browser() → a new client (another browser: its own cookies)."""
    return app.test_client


def saved_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str, path: str = "/accueil") -> int:
    """Open `path` with a session cookie saved earlier, from a client of its own."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    fresh(other)
    return other.get(path).status_code
