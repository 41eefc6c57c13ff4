"""Users, roles and API tokens; the audit log read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from accounting.problems import Problem
from accounting.texts import N_
from eage import audit
from eage.auth.passwords import password_problems
from eage.extensions import db
from eage.filters import tr
from eage.models import ApiToken, AuditLog, Member, Organisation, User

ROLE_LABELS = {
    "accountant": N_("Comptable"),
    "manager": N_("Gestionnaire (bureau, comité de pilotage)"),
    "member": N_("Adhérent (portail)"),
    "admin": N_("Administrateur"),
}
USER_FIELDS = ("email", "name", "role", "member_id", "active", "member_admin")


def check_user(data: dict[str, Any], user: User | None, acting: User | None) -> list[Problem]:
    """Every problem at once. `acting` is the administrator doing the change."""
    problems: list[Problem] = []
    email = data.get("email")
    if email:
        clash = db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower()))
        if clash is not None and (user is None or clash != user.id):
            problems.append(
                Problem("email", tr("Cette adresse e-mail est déjà celle d'un autre utilisateur."))
            )
    problems += _membership_problems(data.get("role"), data.get("member_id"))
    problems += _password_problems(data, user)
    if user is not None and acting is not None and user.id == acting.id:
        role = data.get("role")
        if role and role != "admin":
            problems.append(
                Problem(
                    "role", tr("Vous ne pouvez pas retirer votre propre rôle d'administrateur.")
                )
            )
        if data.get("active") is False:
            problems.append(
                Problem("active", tr("Vous ne pouvez pas désactiver votre propre compte."))
            )
    return problems


def _membership_problems(role: str | None, member_id: int | None) -> list[Problem]:
    """A member user belongs to a member structure; no other user does."""
    problems: list[Problem] = []
    if role == "member" and not member_id:
        problems.append(
            Problem(
                "member_id",
                tr("Un utilisateur adhérent doit être rattaché à une structure adhérente."),
            )
        )
    if role and role != "member" and member_id:
        problems.append(
            Problem(
                "member_id",
                tr("Seul un utilisateur adhérent est rattaché à une structure adhérente."),
            )
        )
    if member_id and db.session.get(Member, member_id) is None:
        problems.append(Problem("member_id", tr("Structure adhérente inconnue.")))
    return problems


def _password_problems(data: dict[str, Any], user: User | None) -> list[Problem]:
    """A new user needs a password; a password follows the policy and is typed twice alike."""
    password, confirm = data.get("password"), data.get("password_confirm")
    problems: list[Problem] = []
    if user is None and not password:
        problems.append(
            Problem("password", tr("Le mot de passe est obligatoire pour un nouvel utilisateur."))
        )
    if password:
        email = data.get("email") or (user.email if user else None)
        problems += [Problem("password", p) for p in password_problems(password, email=email)]
        if password != confirm:
            problems.append(
                Problem("password_confirm", tr("Les deux mots de passe ne sont pas identiques."))
            )
    return problems


def _apply(user: User, data: dict[str, Any]) -> None:
    for key in USER_FIELDS:
        if key in data:
            setattr(user, key, data[key])
    if user.role != "member":
        user.member_id = None
        user.member_admin = False


def create_user(data: dict[str, Any]) -> User:
    user = User()
    _apply(user, data)
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    audit.record("create", "user", user.id, after=audit.snapshot(user), summary=user.email)
    db.session.commit()
    return user


def update_user(user: User, data: dict[str, Any]) -> User:
    """A new password, a deactivation or another role ends the user's open sessions."""
    before = audit.snapshot(user)
    _apply(user, data)
    changed_password = bool(data.get("password"))
    if changed_password:
        user.set_password(data["password"])
    if changed_password or before["active"] != user.active or before["role"] != user.role:
        user.end_sessions()
    db.session.flush()
    after = audit.snapshot(user)
    if before != after or changed_password:
        audit.record(
            "update",
            "user",
            user.id,
            before=before,
            after=after,
            summary=user.email + (" (mot de passe modifié)" if changed_password else ""),
        )
    db.session.commit()
    return user


def tokens_last_used() -> dict[int, datetime]:
    """Per user, when one of their API tokens was last used (users that never used one are
    left out)."""
    rows = db.session.execute(
        select(ApiToken.user_id, func.max(ApiToken.last_used_at))
        .where(ApiToken.last_used_at.is_not(None))
        .group_by(ApiToken.user_id)
    ).all()
    return {user_id: last for user_id, last in rows if last is not None}


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(user: User) -> str:
    """Issue a token valid a year; only its hash is stored, the token itself is returned to be
    shown once."""
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "api_token",
        row.id,
        after={"user": user.email, "prefix": row.prefix, "expires_at": row.expires_at.isoformat()},
    )
    db.session.commit()
    return token


def revoke_token(token: ApiToken) -> None:
    if token.revoked:
        return
    token.revoked = True
    audit.record(
        "revoke",
        "api_token",
        token.id,
        before={"revoked": False},
        after={"revoked": True},
        summary=f"{token.user.email} {token.prefix}…",
    )
    db.session.commit()


# --- audit log ---------------------------------------------------------------------------

PAGE_SIZE = 100


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class JournalLine:
    entry: AuditLog
    changes: list[Change]


def _changes(entry: AuditLog) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [Change(k, before.get(k), after.get(k)) for k in keys if k != "id"]


def journal(entity: str | None, user_id: int | None, page: int) -> tuple[list[JournalLine], bool]:
    """The latest audit lines, filtered; and whether there is a next page."""
    query = select(AuditLog)
    if entity:
        query = query.where(AuditLog.entity == entity)
    if user_id:
        query = query.where(AuditLog.user_id == user_id)
    rows = db.session.scalars(
        query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return [JournalLine(e, _changes(e)) for e in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE


def journal_filters() -> tuple[list[str], list[User]]:
    entities = list(
        db.session.scalars(select(AuditLog.entity).distinct().order_by(AuditLog.entity))
    )
    users = list(db.session.scalars(select(User).order_by(User.email)))
    return entities, users


# --------------------------------------------------------------------------- group settings


def set_vat_on_debits(org: Organisation, on_debits: bool, *, user_id: int | None) -> bool:
    """Opt for paying VAT on debits (art. 269-2-c CGI) or go back to VAT on receipt.

    Only the documents issued afterwards follow it: each invoice froze the option in its
    seller snapshot (its entry and its mention never change). Audit-logged; returns whether
    anything changed."""
    if bool(org.vat_on_debits) == bool(on_debits):
        return False
    before = audit.snapshot(org)
    org.vat_on_debits = bool(on_debits)
    db.session.flush()
    audit.record(
        "update",
        "organisation",
        org.id,
        before=before,
        after=audit.snapshot(org),
        user_id=user_id,
        summary="option TVA sur les débits " + ("activée" if on_debits else "désactivée"),
    )
    db.session.commit()
    return True
