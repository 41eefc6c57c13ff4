"""GET/POST /api/v1/timesheets: member tokens see only their member; POST all or nothing."""

from __future__ import annotations

from sqlalchemy import select

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS
from tests.eage.timesheets.helpers import counts, entries


def _token(role: str) -> dict[str, str]:
    user = db.session.scalar(select(User).where(User.email == ROLE_EMAILS[role]))
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _seed(add_entry) -> None:  # type: ignore[no-untyped-def]
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450)
    add_entry("2026-11-02", "KBENALI", "CINE3C", "PAIE", 60)
    add_entry("2026-11-03", "KBENALI", None, "CP", 420)
    add_entry("2026-12-01", "KBENALI", "LEFIL", "PAIE", 60)


def test_get_month_for_back_office(client, add_entry) -> None:
    _seed(add_entry)
    response = client.get("/api/v1/timesheets?month=2026-11", headers=_token("manager"))
    assert response.status_code == 200
    data = response.get_json()
    assert [(e["date"], e["member"], e["service"], e["minutes"], e["hours"]) for e in data] == [
        ("2026-11-02", "LEFIL", "PAIE", 450, "7.50"),
        ("2026-11-02", "CINE3C", "PAIE", 60, "1.00"),
        ("2026-11-03", "INTERNE", "CP", 420, "7.00"),
    ]
    assert set(data[0]) == {
        "id",
        "date",
        "employee",
        "member",
        "service",
        "minutes",
        "hours",
        "note",
    }
    assert data[0]["employee"] == "KBENALI"


def test_member_token_sees_only_its_member(client, add_entry) -> None:
    _seed(add_entry)
    data = client.get("/api/v1/timesheets?month=2026-11", headers=_token("member")).get_json()
    assert [(e["member"], e["minutes"]) for e in data] == [("LEFIL", 450)]


def test_month_is_required_and_checked(client, demo) -> None:
    headers = _token("accountant")
    for url in (
        "/api/v1/timesheets",
        "/api/v1/timesheets?month=2026-13",
        "/api/v1/timesheets?month=nov",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 400
        assert "month" in response.get_json()["error"]
    assert client.get("/api/v1/timesheets?month=2026-11").status_code == 401


def test_post_imports_all(client, demo) -> None:
    before = counts()
    body = [
        {
            "date": "2026-11-02",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "7,5",
            "note": "paie",
        },
        {
            "date": "03/11/2026",
            "employee": "KBENALI",
            "member": "interne",
            "service": "CP",
            "hours": 7,
        },
        {
            "date": "2026-11-04",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": 8,
            "note": None,
        },
        {
            "date": "2026-11-04",
            "employee": "KBENALI",
            "member": "INTERNE",
            "service": "GESTION",
            "hours": "3:00",
            "exception": True,
        },
    ]
    response = client.post("/api/v1/timesheets", json=body, headers=_token("accountant"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"imported": 4}
    assert counts()[0] == before[0] + 4
    assert entries()[0] == ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450)


def test_post_reports_every_error_and_writes_nothing(client, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    headers = _token("accountant")
    before = counts()
    body = [
        {
            "date": "2026-11-03",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "7",
        },
        {
            "date": "2026-11-02",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "4",
        },
        {
            "date": "2026-11-05",
            "employee": "NOBODY",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "1,333",
        },
        "not an object",
    ]
    response = client.post("/api/v1/timesheets", json=body, headers=headers)
    assert response.status_code == 422
    data = response.get_json()
    assert "nothing imported" in data["error"]
    found = [(e["index"], e["message"]) for e in data["errors"]]
    assert (
        1,
        "plus de 10 h le 02/11/2026 pour KBENALI (11 h) : maximum légal 10 h par jour "
        "(art. L3121-18 C. trav.)",
    ) in found
    assert (2, "salarié inconnu : NOBODY") in found
    assert any(i == 2 and "pas un nombre entier de minutes" in m for i, m in found)
    assert (3, "entry must be a JSON object") in found
    assert counts() == before


def test_post_refuses_non_lists_and_other_roles(client, demo) -> None:
    headers = _token("accountant")
    for body in ({"date": "2026-11-02"}, "x", 3):
        response = client.post("/api/v1/timesheets", json=body, headers=headers)
        assert response.status_code == 400 and "array" in response.get_json()["error"]
    response = client.post(
        "/api/v1/timesheets", data="not json", headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    entry = [
        {
            "date": "2026-11-02",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "1",
        }
    ]
    for role in ("manager", "member", "admin"):
        response = client.post("/api/v1/timesheets", json=entry, headers=_token(role))
        assert response.status_code == 403
    assert counts()[0] == 0
