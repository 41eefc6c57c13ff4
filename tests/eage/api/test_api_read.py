"""JSON API: bearer tokens, JSON errors, member tokens scoped to their member (SPEC §7)."""

from __future__ import annotations

import pytest
from stdnum.fr import siret, tva

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS


@pytest.fixture()
def token_for(demo):
    def _token(role: str) -> dict[str, str]:
        user = db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _token


def test_no_token_is_401_json(client, demo) -> None:
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.get_json() == {"error": "missing bearer token (Authorization: Bearer <token>)"}


def test_bad_token_is_401(client, demo) -> None:
    response = client.get("/api/v1/members", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and "error" in response.get_json()


def test_revoked_token_is_refused(client, token_for) -> None:
    headers = token_for("accountant")
    db.session.query(ApiToken).update({"revoked": True})
    db.session.commit()
    assert client.get("/api/v1/members", headers=headers).status_code == 401


def test_members_fields(client, token_for) -> None:
    members = client.get("/api/v1/members", headers=token_for("accountant")).get_json()
    assert len(members) == 12
    lefil = next(m for m in members if m["code"] == "LEFIL")
    assert set(lefil) == {
        "code",
        "name",
        "legal_form",
        "siren",
        "siret",
        "vat_number",
        "vat_regime",
        "email",
        "address",
    }
    assert lefil["vat_regime"] == "vat_20"
    for m in members:
        assert siret.is_valid(m["siret"]) and m["siret"].startswith(m["siren"])
        assert tva.is_valid(m["vat_number"]) and m["vat_number"].endswith(m["siren"])


def test_member_token_sees_only_its_member(client, token_for) -> None:
    headers = token_for("member")
    members = client.get("/api/v1/members", headers=headers).get_json()
    assert [m["code"] for m in members] == ["LEFIL"]
    assert client.get("/api/v1/employees", headers=headers).status_code == 403


def test_employees_make_two_and_a_half_fte(client, token_for) -> None:
    employees = client.get("/api/v1/employees", headers=token_for("manager")).get_json()
    assert [e["code"] for e in employees] == ["CMARTIN", "JFOURNIER", "KBENALI"]
    assert sum(float(e["fte"]) for e in employees) == 2.5
    assert set(employees[0]) == {"code", "name", "job", "weekly_hours", "fte", "monthly_gross"}
    assert employees[1]["weekly_hours"] == "17.50" and employees[1]["fte"] == "0.50"


def test_services_by_year(client, token_for) -> None:
    headers = token_for("accountant")
    services = client.get("/api/v1/services?year=2026", headers=headers).get_json()
    assert services == [
        {
            "code": "GESTION",
            "label": "Gestion et contrôle de gestion",
            "year": 2026,
            "rate": "36.50",
        },
        {"code": "PAIE", "label": "Service paye et gestion sociale", "year": 2026, "rate": "34.00"},
        {
            "code": "RESEAU",
            "label": "Administration réseau et extranet",
            "year": 2026,
            "rate": "31.50",
        },
    ]
    assert client.get("/api/v1/services?year=2019", headers=headers).get_json() == []
    bad = client.get("/api/v1/services?year=abc", headers=headers)
    assert bad.status_code == 400 and "year" in bad.get_json()["error"]


def test_unknown_api_route_is_json_404(client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and "error" in response.get_json()
    assert client.get("/nothing-here").status_code == 404


def test_openapi_document(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/members", "/employees", "/services", "/timesheets", "/invoices", "/payslips"):
        assert path in doc["paths"]
    assert "post" in doc["paths"]["/timesheets"]
