"""Users, their role, and API tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from eage.models.base import Base, utcnow
from eage.models.members import Member

ROLES = ("accountant", "manager", "member", "admin")
DEFAULT_TOKEN_DAYS = 365
MAX_TOKEN_DAYS = 3650


class User(UserMixin, Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('accountant', 'manager', 'member', 'admin')", name="role"),
        CheckConstraint("role <> 'member' OR member_id IS NOT NULL", name="member_has_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Stored in the session at sign-in and compared on every request: incrementing it ends
    # every session of the user (logout, password change, admin reset or deactivation).
    session_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Base32 TOTP secret once two-factor sign-in is confirmed (admin and accountant only).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # A member user who may invite and remove the other users of its member (issue 18).
    member_admin: Mapped[bool] = mapped_column(default=False, server_default=false())

    member: Mapped[Member | None] = relationship()

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Every session opened before this stops working at its next request."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email


class ApiToken(Base):
    """Bearer token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()

    @classmethod
    def issue(cls, user: User, days: int = DEFAULT_TOKEN_DAYS) -> tuple[ApiToken, str]:
        token = "eage_" + secrets.token_urlsafe(32)
        row = cls(
            user=user,
            token_hash=cls.hash(token),
            prefix=token[:12],
            expires_at=utcnow() + timedelta(days=days),
        )
        return row, token
