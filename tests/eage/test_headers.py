"""What every response says about itself (eage/http_security.py), as a browser or an attacker
reads it: cookie flags, the Content-Security-Policy and its companions, HSTS behind TLS only,
no-store on pay data and tokens; the error pages (eage/errors.py)."""

from __future__ import annotations

import re
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import refresh
from sqlalchemy import select
from werkzeug.exceptions import InternalServerError, TooManyRequests

from eage import create_app
from eage.auth import sessions
from eage.errors import error_page
from eage.extensions import db
from eage.http_security import CONTENT_SECURITY_POLICY
from eage.models import ApiToken, User
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def _set_cookies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """name → the whole Set-Cookie line (attributes included)."""
    return {
        next(iter(SimpleCookie(line).keys())): line
        for line in response.headers.getlist("Set-Cookie")
    }


# --- headers on every response ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/connexion", "/", "/nulle-part", "/api/v1/openapi.json"])
def test_every_response_carries_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP


def test_no_hsts_on_plain_http(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/connexion").headers


def test_hsts_over_tls(client) -> None:
    response = client.get("/connexion", base_url="https://eage.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _prod_app(base: Flask, **config: object) -> Flask:
    """A second app on the tests' database, configured like production (no TESTING)."""
    return create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": base.config["SQLALCHEMY_DATABASE_URI"]}
        | config
    )


def test_forwarded_proto_is_ignored_without_proxy_fix(_app, monkeypatch) -> None:
    """Without a proxy in front, a client claiming TLS must not be believed."""
    monkeypatch.delenv("PROXY_FIX", raising=False)
    client = _prod_app(_app).test_client()
    response = client.get("/connexion", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_behind_the_tls_proxy_with_proxy_fix(_app, monkeypatch) -> None:
    monkeypatch.setenv("PROXY_FIX", "1")
    client = _prod_app(_app).test_client()
    response = client.get(
        "/connexion", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "eage.example"}
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


# --- cookies --------------------------------------------------------------------------------


def test_production_session_cookie_is_secure_httponly_lax(_app, monkeypatch) -> None:
    monkeypatch.delenv("EAGE_INSECURE_COOKIES", raising=False)
    client = _prod_app(_app).test_client()
    response = client.get("/connexion")  # the CSRF token opens the session
    line = _set_cookies(response)["session"]
    assert "Secure" in line and "HttpOnly" in line and "SameSite=Lax" in line


def test_insecure_cookies_only_when_asked(_app, monkeypatch) -> None:
    monkeypatch.setenv("EAGE_INSECURE_COOKIES", "1")
    app = _prod_app(_app)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    line = _set_cookies(app.test_client().get("/connexion"))["session"]
    assert "Secure" not in line and "HttpOnly" in line and "SameSite=Lax" in line


def test_explicit_setting_wins(_app, monkeypatch) -> None:
    monkeypatch.setenv("EAGE_INSECURE_COOKIES", "1")
    assert _prod_app(_app, SESSION_COOKIE_SECURE=True).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.delenv("EAGE_INSECURE_COOKIES")
    app = _prod_app(_app)
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_make_run_asks_for_insecure_cookies() -> None:
    """`make run` serves plain HTTP on the loopback: without the flag nobody could sign in."""
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert re.search(r"EAGE_INSECURE_COOKIES=1 \S*flask --app eage run", run)


def test_language_cookie_is_lax_and_httponly(client) -> None:
    line = _set_cookies(client.post("/langue/en"))["lang"]
    assert "SameSite=Lax" in line and "HttpOnly" in line


def test_language_cookie_secure_in_production(_app, monkeypatch) -> None:
    monkeypatch.delenv("EAGE_INSECURE_COOKIES", raising=False)
    client = _prod_app(_app, WTF_CSRF_ENABLED=False).test_client()
    assert "Secure" in _set_cookies(client.post("/langue/en"))["lang"]


# --- no-store --------------------------------------------------------------------------------


def test_new_api_token_page_is_not_stored(login_as) -> None:
    client = login_as("admin")
    user = db.session.scalar(select(User).where(User.role == "accountant"))
    response = client.post(f"/admin/utilisateurs/{user.id}/jetons")
    assert response.status_code == 200 and 'id="jeton"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is not None
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "role, path",
    [("accountant", "/paie/"), ("member", "/portail"), ("admin", "/admin/utilisateurs")],
)
def test_pay_and_account_pages_are_not_stored(login_as, role: str, path: str) -> None:
    response = login_as(role).get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_payslip_pdf_is_not_stored(app, client) -> None:
    from eage.demo import load_demo
    from eage.payslips import services

    load_demo(2026, today=TODAY, with_time=True)
    accountant = db.session.scalar(select(User).where(User.role == "accountant"))
    rows = services.issue_month_payslips(date(2026, 11, 1), user_id=accountant.id, issue_date=TODAY)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(accountant.id)
        sessions.stamp(session, accountant)  # the session version and timestamps of a sign-in
    response = client.get(f"/paie/bulletin/{rows[0].id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_stay_cacheable(client) -> None:
    response = client.get("/static/eage.css")
    response.close()  # a file response: let go of the file
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- what the CSP needs from the templates --------------------------------------------------

WEB_TEMPLATES = [
    p
    for p in (ROOT / "templates").rglob("*.html")
    if not p.name.startswith("print_")  # rendered to PDF only, never served as a page
]


@pytest.mark.parametrize("template", WEB_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_style_or_handler(template: Path) -> None:
    """An inline script, an on…= handler or a style attribute would be refused by the
    browser under `script-src 'self'; style-src 'self'`: the page would silently break."""
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "event handler attribute"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"
    assert "<style" not in html, "<style> element"
    assert "javascript:" not in html.lower()


def test_pages_render_without_inline_styles(login_as) -> None:
    """The Python side too (form render_kw, the SVG charts): rendered pages carry none."""
    client = login_as("accountant")
    for path in ("/services/nouveau", "/adherents/nouveau", "/salaries/nouveau", "/accueil"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert " style=" not in html and "<script>" not in html, path


# --- error pages ----------------------------------------------------------------------------


def test_404_is_the_apps_page_in_french_then_english(client) -> None:
    response = client.get("/nulle-part")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Page introuvable" in html and "eage" in html
    client.set_cookie("lang", "en")
    refresh()  # the test's requests share one app context, where Flask-Babel caches the locale
    html = client.get("/nulle-part").get_data(as_text=True)
    assert "Page not found" in html and '<html lang="en">' in html


def test_403_for_a_member_on_a_back_office_page(login_as) -> None:
    response = login_as("member").get("/paie/")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_405_keeps_allow(client) -> None:
    response = client.get("/deconnexion")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "Méthode non autorisée" in response.get_data(as_text=True)


def test_400_on_a_missing_csrf_token(_app) -> None:
    app = _prod_app(_app, TESTING=True)
    response = app.test_client().post("/connexion", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_413_on_a_too_large_upload(app, client, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)  # restored after the test
    response = client.post("/connexion", data={"email": "a" * 5000, "password": "x"})
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)


def test_429_and_500_pages(app) -> None:
    with app.test_request_context("/connexion"):
        response = error_page(TooManyRequests(retry_after=60))
        assert response.status_code == 429 and response.headers["Retry-After"] == "60"
        assert "Trop de tentatives" in response.get_data(as_text=True)
        response = error_page(InternalServerError())
        assert response.status_code == 500
        assert "rien n'a été enregistré" in response.get_data(as_text=True)
    with app.test_request_context("/connexion", headers={"Cookie": "lang=en"}):
        refresh()
        assert "Too many attempts" in error_page(TooManyRequests()).get_data(as_text=True)


def test_api_errors_stay_json(client) -> None:
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404 and response.is_json
    assert client.delete("/api/v1/openapi.json").is_json
