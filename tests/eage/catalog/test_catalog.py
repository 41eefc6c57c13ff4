"""Services and their hourly rates per year."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import AuditLog, Service, ServiceRate


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def _service(code: str) -> Service:
    return db.session.scalar(select(Service).where(Service.code == code))


def test_list_shows_rates_per_year(login_as) -> None:
    html = _page(login_as("manager").get("/services/"))
    assert "GESTION" in html and "Taux 2026" in html and "36,50\xa0€" in html


def test_manager_sets_a_rate_for_a_new_year(login_as) -> None:
    client = login_as("manager")
    svc = _service("PAIE")
    assert "Taux 2027" in _page(client.get("/services/?annee=2027"))
    html = _page(
        client.post(f"/services/{svc.id}/taux/2027", data={"rate": "35,20"}, follow_redirects=True)
    )
    assert "Taux 2027 du service PAIE enregistré." in html and "35,20\xa0€" in html
    rate = db.session.scalar(
        select(ServiceRate).where(ServiceRate.service_id == svc.id, ServiceRate.year == 2027)
    )
    assert str(rate.rate) == "35.20"
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "service_rate"))
    assert line.action == "create" and line.after["rate"] == "35.20"


def test_rate_update_is_audited_with_before_and_after(login_as) -> None:
    client = login_as("accountant")
    svc = _service("GESTION")
    client.post(f"/services/{svc.id}/taux/2026", data={"rate": "37"})
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "service_rate"))
    assert (
        line.action == "update"
        and line.before == {"rate": "36.50"}
        and line.after == {"rate": "37.00"}
    )


def test_bad_rate_refused(login_as) -> None:
    client = login_as("accountant")
    svc = _service("GESTION")
    html = _page(client.post(f"/services/{svc.id}/taux/2026", data={"rate": "abc"}))
    assert "Nombre attendu" in html
    html = _page(client.post(f"/services/{svc.id}/taux/2026", data={"rate": "-3"}))
    assert "La valeur doit être ≥ 0 et ≤ 10\u202f000." in html
    db.session.expire_all()
    assert str(_service("GESTION").rates[0].rate) == "36.50"


def test_accountant_creates_and_edits_a_service(login_as) -> None:
    client = login_as("accountant")
    html = _page(
        client.post(
            "/services/nouveau",
            data={"code": "com", "label": "Communication"},
            follow_redirects=True,
        )
    )
    assert "Service COM créé." in html and "Communication" in html
    svc = _service("COM")
    client.post(
        f"/services/{svc.id}/modifier", data={"code": "COM", "label": "Communication et web"}
    )
    db.session.expire_all()
    assert _service("COM").label == "Communication et web"
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.entity == "service")).all()
    assert sorted(actions) == ["create", "update"]


def test_duplicate_or_reserved_code_refused(login_as) -> None:
    client = login_as("accountant")
    before = db.session.scalar(select(func.count(Service.id)))
    assert "déjà utilisé" in _page(
        client.post("/services/nouveau", data={"code": "paie", "label": "x"})
    )
    assert "réservé" in _page(
        client.post("/services/nouveau", data={"code": "INTERNE", "label": "x"})
    )
    assert db.session.scalar(select(func.count(Service.id))) == before


def test_manager_cannot_create_services(login_as) -> None:
    client = login_as("manager")
    assert client.post("/services/nouveau", data={"code": "X1", "label": "x"}).status_code == 403
    assert client.get("/services/999/taux/2026").status_code == 404
