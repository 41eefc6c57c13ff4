"""The API against its own OpenAPI document (schemathesis, in the normal suite so `.ci/run`
runs it): every operation, with generated parameters and bodies, answers without a server
error and with a response the document describes (status, content type, JSON schema).
Derandomized and bounded, so it runs the same examples every time."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS

MAX_EXAMPLES = 25
# Every default check but one: "schema-valid data is accepted" cannot hold for rules a JSON
# schema cannot state (a period that ends before it starts, an unknown member code, a
# month already closed), which the API refuses with a documented 4xx and a message.


@pytest.fixture()
def api_schema(app: Flask, demo: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture()
def bearer(demo: None) -> dict[str, str]:
    user = db.session.query(User).filter_by(email=ROLE_EMAILS["accountant"]).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_conforms_to_its_document(api_schema: Any, bearer: dict[str, str]) -> None:
    """Each operation in turn (schemathesis' pytest plugin does not run under pytest 9's
    lazy fixtures: the operations are driven here with Hypothesis directly)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])

        run()
