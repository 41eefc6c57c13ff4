"""Audit trail: every change to time, members, staff, rates and budget (SPEC §3)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_login import current_user
from sqlalchemy import inspect

from eage.extensions import db
from eage.models import AuditLog

# Secrets, and the session version (bookkeeping of sign-in, not a change anyone made).
SKIPPED = {"password_hash", "token_hash", "totp_secret", "session_version"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Column values of a model instance, JSON-ready (password hashes and secrets left out)."""
    mapper = inspect(obj).mapper
    return {
        c.key: _jsonable(getattr(obj, c.key)) for c in mapper.column_attrs if c.key not in SKIPPED
    }


def _user_id(user_id: int | None) -> int | None:
    if user_id is not None:
        return user_id
    try:
        if current_user and current_user.is_authenticated:
            return int(current_user.id)
    except (RuntimeError, AttributeError):  # no request context (CLI)
        pass
    return None


def record(
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str | None = None,
    user_id: int | None = None,
) -> AuditLog:
    """Add an audit line to the session; the caller's commit writes it with the change."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    line = AuditLog(
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        summary=summary,
        user_id=_user_id(user_id),
    )
    db.session.add(line)
    return line
