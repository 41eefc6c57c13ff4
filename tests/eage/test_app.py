"""The app starts in French, logs users in and out, and protects forms against CSRF."""

from __future__ import annotations

import logging

from eage import create_app


def test_login_page_is_french(client) -> None:
    response = client.get("/connexion")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Connexion" in html and "Mot de passe" in html


def test_english_on_request(client) -> None:
    client.set_cookie("lang", "en")
    html = client.get("/connexion").get_data(as_text=True)
    assert '<html lang="en">' in html


def test_login_with_demo_credentials_then_logout(client, demo) -> None:
    response = client.post(
        "/connexion",
        data={"email": "compta@equipe-associee.example", "password": "compta-demo-2026"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/accueil")
    assert client.get("/accueil").status_code == 200
    client.post("/deconnexion")
    assert client.get("/accueil").status_code == 302


def test_wrong_password_is_refused_in_french(client, demo) -> None:
    response = client.post(
        "/connexion", data={"email": "compta@equipe-associee.example", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)


def test_member_user_lands_on_portal(client, demo) -> None:
    response = client.post(
        "/connexion", data={"email": "lefil@equipe-associee.example", "password": "lefil-demo-2026"}
    )
    assert response.headers["Location"].endswith("/portail")


def test_open_redirect_is_ignored(client, demo) -> None:
    response = client.post(
        "/connexion?next=https://evil.example/",
        data={"email": "compta@equipe-associee.example", "password": "compta-demo-2026"},
    )
    assert response.headers["Location"].endswith("/accueil")


def test_csrf_protects_forms(_app, tmp_path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": _app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    response = app.test_client().post("/connexion", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400


def test_secret_key_generated_in_instance(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EAGE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64 and app.config["SECRET_KEY"] == key
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] == key


def test_settings_come_from_the_environment_with_the_eage_prefix(tmp_path, monkeypatch) -> None:
    """docs/deploy.md: EAGE_<NAME> in the services' environment sets <NAME>; instance/config.py
    still wins over it."""
    from eage import create_app

    monkeypatch.setenv("EAGE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EAGE_RATELIMIT_STORAGE_URI", "memory://?from=env")
    monkeypatch.setenv("EAGE_SESSION_MAX_HOURS", "8")
    monkeypatch.setenv("EAGE_PUBLIC_URL", "https://from-env.example")
    (tmp_path / "config.py").write_text('PUBLIC_URL = "https://from-config.example"\n')
    logger = logging.getLogger("eage")  # an app outside the tests installs its log handler
    handlers, level = list(logger.handlers), logger.level
    try:
        app = create_app()
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://?from=env"
    assert app.config["SESSION_MAX_HOURS"] == 8
    assert app.config["PUBLIC_URL"] == "https://from-config.example"
