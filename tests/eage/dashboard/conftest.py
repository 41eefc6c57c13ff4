"""Fixtures of the dashboard tests: the hand-computed dataset and API tokens."""

from __future__ import annotations

import pytest

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS
from tests.eage.dashboard import factories


@pytest.fixture()
def two_months(demo: None) -> None:
    """January and February 2026 of the demo group (hand computations in test_services)."""
    factories.two_months()


@pytest.fixture()
def token_for(demo: None):  # type: ignore[no-untyped-def]
    def _token(role: str) -> dict[str, str]:
        user = db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _token
