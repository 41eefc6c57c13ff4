"""Use cases of signing in: checking a password, recording failures, changing and resetting a
password, two-factor codes. The views call these; each change is audit-logged and committed."""

from __future__ import annotations

import hashlib
from functools import cache

import pyotp
from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from eage import audit, mail
from eage.extensions import db
from eage.models import User

TOTP_ROLES = ("admin", "accountant")
RESET_SALT = "eage.password-reset"


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check against when the e-mail is unknown: the answer takes as long."""
    return generate_password_hash("not-a-password-of-anyone", method=method)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def authenticate(email: str, password: str) -> tuple[User | None, str]:
    """(the user, "") when the password is right; else (None, why) — one hash either way."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None, "unknown e-mail"
    if not user.check_password(password):
        return None, "wrong password"
    if not user.active:
        return None, "inactive account"
    return user, ""


def record_failure(email: str, address: str | None, reason: str, user: User | None = None) -> None:
    """One audit line per failed sign-in: the e-mail tried, the address, why (never the
    password)."""
    audit.record(
        "login_failed",
        "user",
        user.id if user else None,
        after={"email": email[:200], "address": address, "reason": reason},
        summary=f"{email[:200]} ({reason})",
    )
    db.session.commit()


def set_password(user: User, password: str, *, summary: str) -> None:
    """A new password ends every session of the user (the caller re-stamps its own)."""
    user.set_password(password)
    user.end_sessions()
    audit.record("update", "user", user.id, summary=f"{user.email} ({summary})")
    db.session.commit()


def log_out(user: User) -> None:
    user.end_sessions()
    db.session.commit()


# --------------------------------------------------------------------------- reset links


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    """Changes with the password and the session version: a used link stops working."""
    text = f"{user.password_hash}|{user.session_version}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset(token: str) -> User | None:
    """The user a reset link is for, while it is fresh, unused and the account active."""
    max_age = int(current_app.config["PASSWORD_RESET_MINUTES"]) * 60
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def _reset_url(token: str) -> str:
    """Built on PUBLIC_URL when set: never on the Host header a visitor sent."""
    path = url_for("auth.reset_password", token=token)
    base = current_app.config.get("PUBLIC_URL")
    return (
        base.rstrip("/") + path
        if base
        else url_for("auth.reset_password", token=token, _external=True)
    )


def send_reset_link(email: str, address: str | None) -> None:
    """E-mail a reset link to an active user; nothing visible happens for an unknown one."""
    user = find_user(email)
    if user is None or not user.active:
        return
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    msg = mail.new_message(_("Réinitialisation de votre mot de passe eage"), user.email)
    msg.set_content(
        _(
            "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable "
            "%(minutes)s minutes, une seule fois) :\n\n%(url)s\n\nSi vous n'avez rien demandé, "
            "ignorez ce message : votre mot de passe ne change pas.\n",
            minutes=minutes,
            url=_reset_url(reset_token(user)),
        )
    )
    where = mail.deliver(msg, f"reset-{user.id}")
    audit.record("reset_link", "user", user.id, summary=f"{user.email} via {where} from {address}")
    db.session.commit()


# --------------------------------------------------------------------------- two-factor


def totp_allowed(user: User) -> bool:
    return user.role in TOTP_ROLES


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="eage")


def code_is_right(secret: str | None, code: str) -> bool:
    """The 6-digit code of now, or of the 30 s step before or after (clock drift)."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit():
        return False
    return bool(pyotp.TOTP(secret).verify(code, valid_window=1))


def enable_totp(user: User, secret: str) -> None:
    user.totp_secret = secret
    audit.record(
        "update", "user", user.id, summary=f"{user.email} (double authentification activée)"
    )
    db.session.commit()


def disable_totp(user: User) -> None:
    user.totp_secret = None
    audit.record(
        "update", "user", user.id, summary=f"{user.email} (double authentification désactivée)"
    )
    db.session.commit()
