"""/healthz (public, checks the database) and the structured request log (issue 15)."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from eage import logs
from eage.extensions import db


def test_healthz_answers_ok_without_signing_in(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_is_503_when_the_database_is_down(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused by 10.0.0.5"))

    monkeypatch.setattr(db.session, "execute", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "reason": "database unreachable"}
    assert b"10.0.0.5" not in response.data  # no detail of the infrastructure


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [r.fields for r in caplog.records if r.name == "eage.request"]  # type: ignore[attr-defined]


def test_one_line_per_request_with_the_user_id_and_no_query_string(
    login_as, caplog: pytest.LogCaptureFixture
) -> None:
    client = login_as("accountant")
    caplog.set_level(logging.INFO, logger="eage.request")
    client.get("/adherents/?q=Sophie+Marin")
    client.get("/healthz")
    first, second = _request_lines(caplog)
    assert first["method"] == "GET" and first["path"] == "/adherents/"
    assert first["status"] == 200 and isinstance(first["duration_ms"], float)
    assert first["user"] != "-" and str(first["user"]).isdigit()
    assert "Sophie" not in " ".join(r.getMessage() for r in caplog.records)
    assert second["path"] == "/healthz"


def test_an_anonymous_request_logs_no_user(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="eage.request")
    client.get("/connexion")
    assert [line["user"] for line in _request_lines(caplog)] == ["-"]


def _record() -> logging.LogRecord:
    record = logging.LogRecord("eage.request", logging.INFO, __file__, 1, "request", (), None)
    record.fields = {"method": "GET", "path": "/a b", "status": 200, "user": "7"}
    return record


def test_the_two_formats() -> None:
    line = logs.formatter("keyvalue").format(_record())
    assert 'logger=eage.request msg=request method=GET path="/a b" status=200 user=7' in line
    data = json.loads(logs.formatter("json").format(_record()))
    assert data["path"] == "/a b" and data["status"] == 200 and data["level"] == "info"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.formatter("xml")


def test_a_real_run_writes_json_lines_on_stderr(
    app: Flask, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """create_app without test settings installs the handler LOG_FORMAT names."""
    from eage import create_app

    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("LOG_FORMAT", "json")
    real = create_app()
    try:
        real.test_client().get("/healthz")
        lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
        assert {"path": "/healthz", "status": 200} | lines[-1] == lines[-1]
    finally:
        real.logger.handlers.clear()
