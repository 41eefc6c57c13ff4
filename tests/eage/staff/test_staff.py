"""Employees and contracts through the pages: SSN never shown, overlaps refused, audit."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select
from stdnum.fr import nir

from eage.extensions import db
from eage.models import AuditLog, Contract, Employee

VALID_NIR = "1850578006048" + nir.calc_check_digits("1850578006048")


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def _employee(code: str = "KBENALI") -> Employee:
    return db.session.scalar(select(Employee).where(Employee.code == code))


def _contract_form(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "CDD",
        "start_date": "2027-01-04",
        "end_date": "2027-06-30",
        "weekly_hours": "24,5",
        "monthly_gross": "1 680,00",
    }
    data.update(overrides)
    return data


def test_list_shows_current_contracts_and_total_fte(login_as) -> None:
    html = _page(login_as("manager").get("/salaries/"))
    assert "CMARTIN" in html and "Contrôleuse de gestion" in html
    assert "2\u202f950,00\xa0€" in html and "0,50" in html
    assert "2,50" in html  # 2.5 FTE under contract (SPEC §1)


def test_ssn_never_shown_in_full(login_as) -> None:
    client = login_as("accountant")
    e = _employee("CMARTIN")
    ssn = e.social_security_number
    for url in ("/salaries/", f"/salaries/{e.id}", f"/salaries/{e.id}/modifier"):
        html = _page(client.get(url))
        assert ssn not in html, url
        assert ssn[5:12] not in html, url
    assert e.masked_ssn in _page(client.get(f"/salaries/{e.id}"))


def test_create_employee_with_valid_ssn(login_as) -> None:
    client = login_as("accountant")
    response = client.post(
        "/salaries/nouveau",
        data={
            "code": "adupont",
            "first_name": "Alice",
            "last_name": "Dupont",
            "job": "Chargée de mission",
            "social_security_number": VALID_NIR[:1] + " " + VALID_NIR[1:],
            "pas_rate": "3,5",
        },
        follow_redirects=True,
    )
    html = _page(response)
    assert "Nouveau contrat pour Alice Dupont" in html
    e = _employee("ADUPONT")
    assert e.social_security_number == VALID_NIR and str(e.pas_rate) == "3.50"
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "employee"))
    assert line.action == "create" and VALID_NIR not in str(line.after)
    assert VALID_NIR not in _page(client.get(f"/salaries/{e.id}"))


def test_invalid_ssn_refused_and_nothing_saved(login_as) -> None:
    client = login_as("accountant")
    before = db.session.scalar(select(func.count(Employee.id)))
    html = _page(
        client.post(
            "/salaries/nouveau",
            data={
                "code": "X",
                "first_name": "A",
                "last_name": "B",
                "job": "C",
                "social_security_number": VALID_NIR[:-2] + "00",
                "pas_rate": "120",
            },
        )
    )
    assert "Numéro de sécurité sociale invalide : la clé ne correspond pas." in html
    assert "Code invalide" in html
    assert "La valeur doit être ≥ 0 et ≤ 100." in html
    assert db.session.scalar(select(func.count(Employee.id))) == before


def test_edit_keeps_ssn_when_left_blank(login_as) -> None:
    client = login_as("accountant")
    e = _employee()
    ssn = e.social_security_number
    client.post(
        f"/salaries/{e.id}/modifier",
        data={
            "code": "KBENALI",
            "first_name": "Karim",
            "last_name": "Benali",
            "job": "Responsable paie",
            "social_security_number": "",
            "pas_rate": "2,10",
        },
        follow_redirects=True,
    )
    db.session.expire_all()
    e = _employee()
    assert e.job == "Responsable paie" and e.social_security_number == ssn
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "employee", AuditLog.action == "update")
    )
    assert line.before == {"job": "Gestionnaire paie et RH"} and line.after == {
        "job": "Responsable paie"
    }


def test_add_contract_then_overlap_refused(login_as) -> None:
    client = login_as("accountant")
    e = _employee("JFOURNIER")
    # Close the open-ended CDI first, through its edit page.
    cdi = e.contracts[0]
    response = client.post(
        f"/salaries/{e.id}/contrats/{cdi.id}/modifier",
        data=_contract_form(
            kind="CDI",
            start_date="2019-09-02",
            end_date="2026-12-31",
            weekly_hours="17,5",
            monthly_gross="1250,00",
        ),
        follow_redirects=True,
    )
    assert "31/12/2026" in _page(response)
    html = _page(
        client.post(
            f"/salaries/{e.id}/contrats/nouveau", data=_contract_form(), follow_redirects=True
        )
    )
    assert "Contrat ajouté." in html and "1\u202f680,00\xa0€" in html and "24,50" in html

    before = db.session.scalar(select(func.count(Contract.id)))
    html = _page(
        client.post(
            f"/salaries/{e.id}/contrats/nouveau",
            data=_contract_form(start_date="2026-12-01", end_date=""),
        )
    )
    assert "Ce contrat chevauche le contrat CDI du 02/09/2019 au 31/12/2026" in html
    assert "Ce contrat chevauche le contrat CDD du 04/01/2027 au 30/06/2027" in html
    assert db.session.scalar(select(func.count(Contract.id))) == before
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.entity == "contract")).all()
    assert sorted(actions) == ["create", "update"]


def test_contract_rules(login_as) -> None:
    client = login_as("accountant")
    e = _employee()
    html = _page(
        client.post(
            f"/salaries/{e.id}/contrats/nouveau",
            data=_contract_form(
                start_date="2027-06-30",
                end_date="2027-01-01",
                weekly_hours="50",
                monthly_gross="-1",
            ),
        )
    )
    assert "La date de fin doit être postérieure ou égale à la date de début." in html
    assert "au plus 48 h" in html
    assert "La valeur doit être supérieure ou égale à 0." in html
    html = _page(
        client.post(f"/salaries/{e.id}/contrats/nouveau", data=_contract_form(weekly_hours="0"))
    )
    assert "au plus 48 h" in html


def test_manager_reads_but_cannot_edit_staff(login_as) -> None:
    client = login_as("manager")
    e = _employee()
    assert client.get(f"/salaries/{e.id}").status_code == 200
    assert client.get(f"/salaries/{e.id}/modifier").status_code == 403
    assert (
        client.post(f"/salaries/{e.id}/contrats/nouveau", data=_contract_form()).status_code == 403
    )


def test_contract_of_another_employee_is_404(login_as) -> None:
    client = login_as("accountant")
    a, b = _employee("CMARTIN"), _employee("KBENALI")
    assert client.get(f"/salaries/{a.id}/contrats/{b.contracts[0].id}/modifier").status_code == 404
    assert client.get("/salaries/999").status_code == 404
