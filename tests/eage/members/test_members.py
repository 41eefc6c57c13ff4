"""Members through the pages: list, create, edit, identifiers, audit, roles."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import AuditLog, Member, PlannedHours

# A valid SIREN / SIRET / VAT triple (Luhn and VAT key computed with python-stdnum).
SIREN = "732829320"
SIRET = "73282932000074"
VAT = "FR44732829320"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "code": "nouvo",
        "name": "Nouvelle Structure",
        "legal_form": "Association loi 1901",
        "siret": "732 829 320 00074",
        "siren": "",
        "vat_number": "FR 44 732829320",
        "vat_regime": "vat_20",
        "address": "1 rue de la Paix",
        "postcode": "42000",
        "city": "Saint-Étienne",
        "email": "Contact@Nouvo.example",
        "joined_on": "2026-01-01",
        "left_on": "",
        "payment_terms_days": "30",
        "previous_year_gross_payroll": "12 345,60",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count(Member.id)))


def test_list_shows_members_with_french_labels(login_as) -> None:
    html = unescape(login_as("manager").get("/adherents/").get_data(as_text=True))
    assert "LEFIL" in html and "CINE3C" in html
    assert "Exonéré (art. 261 B du CGI)" in html and "TVA 20 %" in html
    # LEFIL plans 280 + 230 + 150 hours in 2026.
    assert "660,00" in html


def test_filter_active_and_left(login_as) -> None:
    client = login_as("accountant")
    gaga = db.session.scalar(select(Member).where(Member.code == "GAGA"))
    gaga.left_on = gaga.joined_on.replace(year=2020)
    db.session.commit()
    active = unescape(client.get("/adherents/?statut=actifs").get_data(as_text=True))
    left = unescape(client.get("/adherents/?statut=sortis").get_data(as_text=True))
    assert "GAGA" not in active and "LEFIL" in active
    assert "GAGA" in left and "LEFIL" not in left


def test_create_member_normalises_and_audits(login_as) -> None:
    client = login_as("accountant")
    before = _count()
    response = client.post("/adherents/nouveau", data=_form(), follow_redirects=True)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200, html
    assert "Adhérent NOUVO créé." in html
    assert _count() == before + 1
    m = db.session.scalar(select(Member).where(Member.code == "NOUVO"))
    assert (m.siren, m.siret, m.vat_number) == (SIREN, SIRET, VAT)
    assert m.email == "contact@nouvo.example"
    assert str(m.previous_year_gross_payroll) == "12345.60"
    assert "12\u202f345,60\xa0€" in html and "TVA 20 %" in html
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "member", AuditLog.action == "create")
    )
    assert (
        line.entity_id == str(m.id) and line.after["code"] == "NOUVO" and line.user_id is not None
    )
    assert "NOUVO" in client.get("/adherents/").get_data(as_text=True)


def test_every_identifier_error_at_once_and_nothing_saved(login_as) -> None:
    client = login_as("accountant")
    before = _count()
    response = client.post(
        "/adherents/nouveau",
        data=_form(
            code="LEFIL",
            siret="73282932000075",
            siren="123456789",
            vat_number="FR00732829320",
            joined_on="2026-01-01",
            left_on="2025-01-01",
            email="pas-un-email",
        ),
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "SIRET invalide : la clé de contrôle ne correspond pas." in html
    assert "SIREN invalide : la clé de contrôle ne correspond pas." in html
    assert "Numéro de TVA invalide : la clé ne correspond pas au numéro." in html
    assert "Le code « LEFIL » est déjà utilisé par un autre adhérent." in html
    assert "La date de sortie doit être postérieure ou égale à la date d'adhésion." in html
    assert "Adresse e-mail invalide." in html
    assert "rien n'a été enregistré" in html
    assert _count() == before


def test_siren_must_match_siret_and_vat_must_match_siren(login_as) -> None:
    client = login_as("accountant")
    before = _count()
    other_siren = db.session.scalar(select(Member.siren).where(Member.code == "LEFIL"))
    html = unescape(
        client.post("/adherents/nouveau", data=_form(siren=other_siren)).get_data(as_text=True)
    )
    assert "Le SIREN doit être égal aux 9 premiers chiffres du SIRET (732829320)." in html
    lefil_vat = db.session.scalar(select(Member.vat_number).where(Member.code == "LEFIL"))
    html = unescape(
        client.post("/adherents/nouveau", data=_form(vat_number=lefil_vat)).get_data(as_text=True)
    )
    assert "Le numéro de TVA ne correspond pas au SIREN 732829320." in html
    html = unescape(
        client.post("/adherents/nouveau", data=_form(siret="1234")).get_data(as_text=True)
    )
    assert "SIRET invalide : 14 chiffres attendus." in html
    assert _count() == before


def test_edit_member_audits_before_and_after(login_as) -> None:
    client = login_as("accountant")
    m = db.session.scalar(select(Member).where(Member.code == "GAGA"))
    form = _form(
        code="gaga",
        name="Gaga Jazz Club",
        siret=m.siret,
        vat_number=m.vat_number,
        vat_regime="exempt_261B",
        joined_on="2012-01-01",
        left_on="2026-12-31",
        previous_year_gross_payroll="33000,00",
        email=m.email,
    )
    response = client.post(f"/adherents/{m.id}/modifier", data=form, follow_redirects=True)
    html = unescape(response.get_data(as_text=True))
    assert "Gaga Jazz Club" in html and "31/12/2026" in html
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "member", AuditLog.action == "update")
    )
    assert line.before["name"] == "Gaga jazz" and line.after["name"] == "Gaga Jazz Club"
    assert line.after["left_on"] == "2026-12-31"
    assert "previous_year_gross_payroll" not in line.after  # unchanged 33000.00


def test_edit_with_errors_changes_nothing(login_as) -> None:
    client = login_as("accountant")
    m = db.session.scalar(select(Member).where(Member.code == "GAGA"))
    response = client.post(
        f"/adherents/{m.id}/modifier", data=_form(code="GAGA", name="Changed", siret="1")
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Member, m.id).name == "Gaga jazz"
    assert (
        db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "member")) == 0
    )


def test_planned_hours_edit(login_as) -> None:
    client = login_as("accountant")
    m = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    page = client.get(f"/adherents/{m.id}/heures/2027")
    assert page.status_code == 200
    services = {p.service.code: p.service_id for p in m.planned_hours}
    data = {
        f"s{services['GESTION']}": "100,5",
        f"s{services['PAIE']}": "",
        f"s{services['RESEAU']}": "20",
    }
    html = unescape(
        client.post(f"/adherents/{m.id}/heures/2027", data=data, follow_redirects=True).get_data(
            as_text=True
        )
    )
    assert "100,50" in html and "120,50" in html
    rows = db.session.scalars(
        select(PlannedHours).where(PlannedHours.member_id == m.id, PlannedHours.year == 2027)
    ).all()
    assert sorted(str(r.hours) for r in rows) == ["100.50", "20.00"]
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "planned_hours"))
    assert line.after == {"GESTION": "100.50", "RESEAU": "20.00"}


def test_detail_shows_identity_and_fee(login_as) -> None:
    client = login_as("manager")
    m = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    html = unescape(client.get(f"/adherents/{m.id}").get_data(as_text=True))
    assert m.siret in html and m.vat_number in html and "TVA 20 %" in html
    # Fee: 1 % of 420 000,00 € (under the 5 000 € cap).
    assert "Cotisation 2026" in html and "4\u202f200,00\xa0€" in html
    assert f"/adherents/{m.id}/modifier" not in html  # managers read only


def test_manager_cannot_edit_members(login_as) -> None:
    client = login_as("manager")
    m = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    assert client.get(f"/adherents/{m.id}/modifier").status_code == 403
    assert client.post(f"/adherents/{m.id}/modifier", data=_form()).status_code == 403
    assert client.post("/adherents/nouveau", data=_form()).status_code == 403


def test_unknown_member_is_404(login_as) -> None:
    client = login_as("accountant")
    assert client.get("/adherents/9999").status_code == 404
    assert client.get("/adherents/9999/modifier").status_code == 404
