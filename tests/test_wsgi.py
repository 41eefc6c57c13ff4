"""wsgi.py exposes the application for a WSGI server (`gunicorn wsgi:app`)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from flask import Flask

AREAS = {
    "core",
    "auth",
    "members",
    "staff",
    "catalog",
    "budget",
    "timesheets",
    "rates",
    "expenses",
    "allocation",
    "dashboard",
    "regularisation",
    "admin",
    "invoicing",
    "closing",
    "payslips",
    "books",
    "api",
}


def test_wsgi_exposes_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EAGE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)
    wsgi = importlib.import_module("wsgi")
    monkeypatch.delitem(sys.modules, "wsgi")

    assert isinstance(wsgi.app, Flask)
    assert AREAS - set(wsgi.app.blueprints) == set()
    assert wsgi.app.instance_path == str(tmp_path)
    assert wsgi.app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'eage.sqlite'}"
    assert not wsgi.app.testing
