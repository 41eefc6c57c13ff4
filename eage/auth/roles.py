"""Who may open what. Every view declares its roles; a test walks the url_map to check it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from eage.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

ACCOUNTANT = "accountant"
MANAGER = "manager"
MEMBER = "member"
ADMIN = "admin"

# Back-office readers: everyone but member users (SPEC §2).
BACK_OFFICE = (ACCOUNTANT, MANAGER, ADMIN)
OPERATIONS = (ACCOUNTANT,)  # members, staff, timesheets, imports, close, payments
BUDGETING = (ACCOUNTANT, MANAGER)  # budgets, rates, allocation keys
ADMINISTRATION = (ADMIN,)  # users, roles, reopening months, settings
PORTAL = (MEMBER,)
ROLES_ALL = (ACCOUNTANT, MANAGER, MEMBER, ADMIN)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Login required, then 403 unless the user's role is one of `roles`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as open to anonymous users (login page…)."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view


def can(*roles: str) -> bool:
    """For templates: show an action only to the roles that may use it."""
    return bool(current_user.is_authenticated and current_user.role in roles)
