"""Bad input anywhere is a 4xx with a clear message, never a 500: huge or negative ids in
URLs, out-of-range years, months and dates in query strings, malformed numbers, deeply nested
JSON. The crawler walks every GET route of app.url_map as the accountant (who reads every
back-office page) with such values in each path argument and query parameter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS

HUGE = "99999999999999999999"
# Values for a path argument: too big for any integer column, negative, not a number, a month
# that does not exist, a year far away.
PATH_VALUES = (HUGE, "-1", "0", "abc", "2026-13", "99999", "1e9999", "NaN")
# Query strings the pages read (years, months, dates, pages, ids, amounts, filters).
QUERY_PARAMS = (
    "annee",
    "mois",
    "date",
    "du",
    "au",
    "debut",
    "fin",
    "page",
    "adherent",
    "salarie",
    "service",
    "compte",
    "journal",
    "semaine",
    "jour",
    "format",
    "statut",
    "month",
    "year",
    "gross",
    "weekly_hours",
    "employee_id",
    "member_id",
    "id",
    "utilisateur",
    "entite",
    "tout",
)
QUERY_VALUES = (HUGE, "-1", "99999", "2026-13", "0000-00", "2026-02-30", "1e9999", "NaN", "x")
SKIPPED = {"auth.logout", "static", "bootstrap.static"}


def _get_rules(app: Flask) -> Iterator[Rule]:
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or set()) and rule.endpoint not in SKIPPED:
            yield rule


def _build(rule: Rule, value: str) -> str | None:
    """The rule's URL with ``value`` in every argument, or None if the converter refuses it
    (the router answers 404 then, which is right)."""
    try:
        return rule.build({a: value for a in rule.arguments}, append_unknown=False)[1]
    except Exception:  # a converter (int, path) that does not take this value
        return None


def _urls(app: Flask) -> list[str]:
    urls: set[str] = set()
    for rule in _get_rules(app):
        bases = {u for v in PATH_VALUES if (u := _build(rule, v)) is not None}
        sample = _build(rule, "1") if rule.arguments else rule.rule
        if sample is not None:
            bases.add(sample)
        for base in sorted(bases):
            urls.add(base)
        if sample is not None and not sample.startswith("/api/"):
            for value in QUERY_VALUES:
                urls.add(f"{sample}?" + "&".join(f"{p}={value}" for p in QUERY_PARAMS))
                for param in ("annee", "mois", "date", "page"):
                    urls.add(f"{sample}?{param}={value}")
    return sorted(urls)


@pytest.fixture()
def accountant(login_as: Any) -> FlaskClient:
    return login_as("accountant")


def _token() -> dict[str, str]:
    user = db.session.query(User).filter_by(email=ROLE_EMAILS["accountant"]).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_every_get_route_answers_bad_input_without_a_server_error(
    app: Flask, accountant: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a 500, not a raise
    headers = _token()
    errors = []
    for url in _urls(app):
        with accountant.get(url, headers=headers if url.startswith("/api/") else None) as r:
            if r.status_code >= 500:
                errors.append((url, r.status_code))
                db.session.rollback()
    assert errors == [], "\n".join(f"{status} {url}" for url, status in errors)


# --- the API: deeply nested JSON and malformed numbers ---------------------------------------

ENTRY = {
    "date": "2026-11-02",
    "employee": "KBENALI",
    "member": "LEFIL",
    "service": "PAIE",
    "hours": "7",
}


def _post(client: FlaskClient, body: bytes) -> Any:
    return client.post(
        "/api/v1/timesheets", data=body, content_type="application/json", headers=_token()
    )


def test_deeply_nested_json_is_a_400(client: FlaskClient, demo: None) -> None:
    response = _post(client, b"[" * 10_000 + b"]" * 10_000)
    assert response.status_code == 400
    assert "error" in response.get_json()


@pytest.mark.parametrize(
    "hours",
    ['"1e9999"', '"NaN"', "NaN", "Infinity", "-Infinity", "1e400", '"-1"', HUGE, '"7,5e3"', "[[]]"],
)
def test_malformed_hours_are_a_422_and_import_nothing(
    client: FlaskClient, demo: None, hours: str
) -> None:
    from eage.models import TimesheetEntry

    entry = ",".join(f'"{k}": "{v}"' for k, v in ENTRY.items() if k != "hours")
    response = _post(client, f'[{{{entry}, "hours": {hours}}}]'.encode())
    assert response.status_code in (400, 422), response.get_data(as_text=True)
    assert "error" in response.get_json()
    assert db.session.query(TimesheetEntry).count() == 0
