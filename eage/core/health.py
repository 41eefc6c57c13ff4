"""``/healthz``: is this instance able to serve? For the reverse proxy, the process
supervisor and the monitoring. Public (it says nothing but "ok" or which part is down),
never rate-limited, never cached."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from eage.auth.roles import public
from eage.extensions import db

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        logger.warning("healthz: database unreachable (%s)", type(exc).__name__)
        response = jsonify(status="error", reason="database unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Register the blueprint, exempt from every rate limiter the app has (Flask-Limiter
    keeps its instances in ``app.extensions["limiter"]``)."""
    for limiter in app.extensions.get("limiter", ()):
        limiter.exempt(bp)
    app.register_blueprint(bp)
