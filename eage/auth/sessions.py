"""Sessions that end for real (OWASP ASVS V3.3, V3.2.1).

At sign-in the session is emptied and renewed (no fixation), then stamped with the user's
session version and two timestamps. Every request compares them: a version the user has moved
past (logout, password change, admin reset or deactivation), an idle session
(SESSION_IDLE_MINUTES) or an old one (SESSION_MAX_HOURS) is emptied — the check is on the server,
so a cookie saved earlier and replayed opens nothing."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from eage.extensions import db
from eage.models import User

VERSION = "_sv"
SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"
TOUCH_EVERY = 60  # seconds: the last-seen stamp is rewritten at most once a minute


def stamp(store: MutableMapping[str, Any], user: User, now: float | None = None) -> None:
    """Write the user's version and fresh timestamps into a session (also the tests' login)."""
    now = time.time() if now is None else now
    store[VERSION] = user.session_version
    store[SIGNED_IN_AT] = now
    store[SEEN_AT] = now


def start(user: User) -> None:
    """Sign in on a new, empty session."""
    session.clear()
    login_user(user)
    stamp(session, user)


def end() -> None:
    logout_user()
    session.clear()


def problem(store: MutableMapping[str, Any], user: User | None, now: float) -> str | None:
    """Why this session may no longer be used, or None."""
    if user is None or not user.active or store.get(VERSION) != user.session_version:
        return "revoked"
    config = current_app.config
    seen, signed_in = store.get(SEEN_AT), store.get(SIGNED_IN_AT)
    if not isinstance(seen, int | float) or not isinstance(signed_in, int | float):
        return "revoked"
    if now - seen > float(config["SESSION_IDLE_MINUTES"]) * 60:
        return "idle"
    if now - signed_in > float(config["SESSION_MAX_HOURS"]) * 3600:
        return "expired"
    return None


def check_request() -> None:
    """before_request: end a session that is no longer valid, else note it was seen."""
    user_id = session.get("_user_id")
    if user_id is None:
        return
    now = time.time()
    user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
    reason = problem(session, user, now)
    if reason is not None:
        end()
        if reason != "revoked":
            flash(_("Votre session a expiré : reconnectez-vous."), "info")
        return
    if now - session[SEEN_AT] >= TOUCH_EVERY:
        session[SEEN_AT] = now
