"""JSON API under /api/v1: Bearer tokens, JSON errors, member tokens see only their member.

The blueprint and its machinery live in eage/api/blueprint.py; each module below adds its
endpoints to it (importing the package registers them all)."""

from __future__ import annotations

from eage.api import allocation, invoices, openapi, payslips, routes, summary, timesheets
from eage.api.blueprint import (
    API_PREFIX,
    ApiError,
    api_roles,
    bp,
    member_scope,
    token_user,
)

__all__ = [
    "API_PREFIX",
    "ApiError",
    "allocation",
    "api_roles",
    "bp",
    "invoices",
    "member_scope",
    "openapi",
    "payslips",
    "routes",
    "summary",
    "timesheets",
    "token_user",
]
