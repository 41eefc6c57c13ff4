"""Structured logs: one line per request and per job, through Python logging.

Each line is ``key=value`` pairs (``LOG_FORMAT="keyvalue"``, the default) or one JSON object
(``LOG_FORMAT="json"``) on stderr, where gunicorn, systemd or docker collect it. A request
line carries the method, the path (never the query string, which may hold a searched name),
the status, the duration in ms and the signed-in user's id — no other personal data. A job
line (eage/jobs.py) carries the job's name, duration and outcome.

``create_app`` installs the handler for a real run only; the tests keep pytest's capture (a
test reads the lines with ``caplog``)."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, request
from flask.logging import default_handler
from flask_login import current_user

request_logger = logging.getLogger("eage.request")

FORMATS = ("keyvalue", "json")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "msg": record.getMessage(),
    }
    fields.update(getattr(record, "fields", {}))
    if record.exc_info:
        fields["exc"] = logging.Formatter().formatException(record.exc_info)
    return fields


def _quoted(value: object) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "=\n'):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={_quoted(v)}" for k, v in _fields(record).items())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


def formatter(name: str) -> logging.Formatter:
    if name not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {FORMATS}, got {name!r}")
    return JsonFormatter() if name == "json" else KeyValueFormatter()


def install_handler(app: Flask) -> None:
    """The app's loggers ("eage", "eage.*") write structured lines on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(app.config["LOG_FORMAT"]))
    app.logger.removeHandler(default_handler)
    for old in [h for h in app.logger.handlers if getattr(h, "eage", False)]:
        app.logger.removeHandler(old)
    handler.eage = True  # type: ignore[attr-defined]
    app.logger.addHandler(handler)
    app.logger.setLevel(app.config["LOG_LEVEL"])


def _user_id() -> str | None:
    """The signed-in user (session), or the API token's user."""
    api_user = g.get("api_user")
    if api_user is not None:
        return str(api_user.id)
    if current_user and current_user.is_authenticated:
        return str(current_user.get_id())
    return None


def install_request_log(app: Flask) -> None:
    """One line per request, written when the response leaves."""
    formatter(app.config["LOG_FORMAT"])  # a wrong LOG_FORMAT fails at start, not per line

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):  # type: ignore[no-untyped-def]
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        user = _user_id()
        request_logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": float(f"{duration:.1f}"),  # not round(): money's rule
                    "user": user or "-",
                }
            },
        )
        return response
