"""Fixtures of the member portal's tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS


@pytest.fixture()
def bearer_member(demo):  # type: ignore[no-untyped-def]
    """The Authorization header of a new API token of the demo LEFIL user."""
    user = db.session.scalars(select(User).filter_by(email=ROLE_EMAILS["member"])).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}
