"""Shared fixtures: one app per session on a migrated database (SQLite, or PostgreSQL when
DATABASE_URL is set), emptied before each test; clients logged in per role; factories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import delete, text

from eage import create_app
from eage.auth import sessions
from eage.extensions import db as _db
from eage.extensions import limiter
from eage.models import Base, User

TODAY = date(2026, 11, 28)

# One render process per test worker: pytest-xdist already keeps both cores busy, and a pool
# per close would start a fork server for every month a test closes.
os.environ.setdefault("EAGE_RENDER_WORKERS", "1")


def _database_for_worker(url: str, worker: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, …),
    created on first use; SQLite already lives in each worker's own instance folder."""
    if worker == "master" or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _app(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    url = _database_for_worker(url, worker_id)
    os.environ["EAGE_INSTANCE_PATH"] = str(instance)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "STORAGE_PATH": str(instance / "storage"),
            "OUTBOX_PATH": str(instance / "outbox"),
            "JOB_RUNNER": "inline",
            # a cheap hash: every demo load hashes four passwords, every sign-in checks one
            # (scrypt costs ~90 ms each; tests/eage/auth checks the production default)
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        # Start from nothing, then build the schema through the migrations themselves.
        Base.metadata.drop_all(_db.engine)
        with _db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


KEPT_TABLES = {"app_lock"}  # seeded by the migrations


def _empty_database() -> None:
    tables = [t for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            _db.session.execute(delete(table))
    _db.session.commit()


@pytest.fixture()
def app(_app: Flask) -> Iterator[Flask]:
    with _app.app_context():
        _empty_database()
        for folder in ("STORAGE_PATH", "OUTBOX_PATH"):
            shutil.rmtree(_app.config[folder], ignore_errors=True)
        limiter.reset()  # each test starts with no sign-in failure counted
        yield _app
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture()
def db(app: Flask) -> Any:
    return _db


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture()
def demo(app: Flask) -> None:
    """The demo group for 2026 without generated time (tests add the time they need)."""
    from eage.demo import load_demo

    load_demo(2026, today=TODAY, with_time=False)


ROLE_EMAILS = {
    "accountant": "compta@equipe-associee.example",
    "manager": "bureau@equipe-associee.example",
    "member": "lefil@equipe-associee.example",
    "admin": "admin@equipe-associee.example",
}


@pytest.fixture()
def login_as(app: Flask, client: FlaskClient, demo: None) -> Callable[[str], FlaskClient]:
    """login_as('accountant') → the client, logged in as that demo user."""

    def _login(role: str) -> FlaskClient:
        user = _db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        # The test's app context is shared by its requests: forget Flask-Login's cached user.
        g.pop("_login_user", None)
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            sessions.stamp(session, user)  # the session version and timestamps of a sign-in
        return client

    return _login


@pytest.fixture()
def tmp_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(name: str, content: str) -> Path:
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        return p

    return _write
