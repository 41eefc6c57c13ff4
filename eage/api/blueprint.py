"""The API blueprint and what every endpoint uses: Bearer tokens, roles, JSON errors; a member's
token sees only its member."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from eage.extensions import db
from eage.models import ApiToken, User
from eage.models.base import utcnow

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"
# A month as the API takes it (accounting.months.Month: years 1 to 9999, months 01 to 12);
# the OpenAPI document states it so that a client (or schemathesis) sends only real months.
MONTH_PATTERN = r"^(?!0000)\d{4}-(0[1-9]|1[0-2])$"
bp = Blueprint("api", __name__)


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return jsonify({"error": exc.message, **exc.extra}), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return jsonify({"error": exc.description or exc.name}), exc.code or 500


def token_user() -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing bearer token (Authorization: Bearer <token>)")
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token.strip()))
    )
    if row is None or row.revoked or not row.user.active:
        raise ApiError(401, "invalid or revoked token")
    if row.expired:
        raise ApiError(401, "token expired")
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


def api_roles(*roles: str) -> Callable[[F], F]:
    """Authenticate the bearer token, then 403 unless its user's role is allowed."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = token_user()
            if user.role not in roles:
                raise ApiError(403, f"role '{user.role}' may not use this endpoint")
            g.api_user = user
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        wrapper.api = True  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def member_scope() -> int | None:
    """The member id a member token is restricted to; None for back-office tokens."""
    user: User = g.api_user
    return user.member_id if user.role == "member" else None
