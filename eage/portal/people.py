"""A member's own people (issue 18): a member user flagged `member_admin` invites and removes
the other users of its member. An invitation is an inactive account and an e-mailed link
(signed, 7 days, single use: it carries a fingerprint of the account's password hash and
session version, which accepting changes); accepting sets a password under the same rules
as everyone (eage/auth/passwords.py) and activates the account. Removing deactivates it and
ends its sessions (its audit lines keep pointing at it). Every action is audited."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from eage import audit, mail
from eage.auth.emails import InvalidEmail, normalise_email
from eage.auth.passwords import password_problems
from eage.extensions import db
from eage.models import AuditLog, User

INVITATION_SALT = "eage-member-invitation"
INVITATION_DAYS = 7


def member_users(member_id: int) -> list[tuple[User, str]]:
    """The member's users with their state: admin, active, invited (the link not used yet)
    or removed — an inactive account's last people action in the audit log tells which."""
    users = list(
        db.session.scalars(
            select(User)
            .where(User.member_id == member_id, User.role == "member")
            .order_by(User.active.desc(), func.lower(User.email))
        )
    )
    inactive = [str(u.id) for u in users if not u.active]
    last: dict[str, str] = {}
    if inactive:
        for entity_id, action in db.session.execute(
            select(AuditLog.entity_id, AuditLog.action)
            .where(
                AuditLog.entity == "user",
                AuditLog.entity_id.in_(inactive),
                AuditLog.action.in_(("invite", "remove")),
            )
            .order_by(AuditLog.id)
        ):
            last[str(entity_id)] = action
    return [(u, _state(u, last.get(str(u.id)))) for u in users]


def _state(user: User, last_action: str | None) -> str:
    if user.active:
        return "admin" if user.member_admin else "active"
    return "invited" if last_action == "invite" else "removed"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def _fingerprint(user: User) -> str:
    text = f"{user.password_hash}|{user.session_version}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def invitation_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_invitation(token: str) -> User | None:
    """The invited account, while the link is fresh and unused and the account not active."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 86400)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.active or user.role != "member" or data.get("f") != _fingerprint(user):
        return None
    return user


def invitation_url(token: str) -> str:
    path = url_for("portal.accept_invitation", token=token)
    base = current_app.config.get("PUBLIC_URL")
    return (
        base.rstrip("/") + path
        if base
        else url_for("portal.accept_invitation", token=token, _external=True)
    )


def _invitation_problems(admin: User, email: str) -> tuple[str, User | None, list[str]]:
    try:
        address = normalise_email(email)
    except InvalidEmail:
        return "", None, [_("Adresse e-mail invalide.")]
    existing = db.session.scalar(select(User).where(func.lower(User.email) == address))
    if existing is not None and (existing.member_id != admin.member_id or existing.active):
        return address, None, [_("Cette adresse a déjà un compte.")]
    return address, existing, []


def invite(admin: User, email: str, name: str) -> list[str]:
    """Create (or renew) the invited account and e-mail its link; every problem at once,
    nothing changed then."""
    address, user, problems = _invitation_problems(admin, email)
    if len(name) > 200:
        problems.append(_("Le nom ne doit pas dépasser 200 caractères."))
    if problems:
        return problems
    if user is None:
        user = User(email=address, role="member", member_id=admin.member_id, active=False)
        db.session.add(user)
    user.name = name.strip() or None
    user.set_password(secrets.token_urlsafe(32))  # unusable; also voids any older link
    db.session.flush()
    member_name = admin.member.name if admin.member else ""
    msg = mail.new_message(_("Invitation à l'espace adhérent eage"), address)
    msg.set_content(
        _(
            "Bonjour,\n\n%(who)s vous invite à l'espace adhérent de %(member)s : factures, "
            "heures, coût de l'année et documents.\n\nPour choisir votre mot de passe, ouvrez "
            "ce lien (valable %(days)s jours, une seule fois) :\n\n%(url)s\n",
            who=admin.display_name,
            member=member_name,
            days=INVITATION_DAYS,
            url=invitation_url(invitation_token(user)),
        )
    )
    where = mail.deliver(msg, f"invitation-{user.id}")
    audit.record(
        "invite", "user", user.id, summary=f"{address} invited to {member_name} via {where}"
    )
    db.session.commit()
    return []


def accept(user: User, password: str, confirm: str) -> list[str]:
    problems = password_problems(password, email=user.email)
    if password != confirm:
        problems.append(_("Les deux mots de passe ne sont pas identiques."))
    if problems:
        return problems
    user.set_password(password)
    user.active = True
    audit.record("accept_invitation", "user", user.id, summary=user.email, user_id=user.id)
    db.session.commit()
    return []


def removable(admin: User, user_id: int) -> User | None:
    """Another user of the admin's own member; None otherwise (the view answers 404)."""
    user = db.session.get(User, user_id)
    if user is None or user.member_id != admin.member_id or user.role != "member":
        return None
    return user


def remove(admin: User, user: User) -> list[str]:
    if user.id == admin.id:
        return [_("Vous ne pouvez pas retirer votre propre compte.")]
    user.active = False
    user.end_sessions()
    audit.record("remove", "user", user.id, summary=f"{user.email} removed by {admin.email}")
    db.session.commit()
    return []
