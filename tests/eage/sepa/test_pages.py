"""The SEPA pages: the accountant records a mandate, previews then generates a debit batch and
downloads it; the manager reads but cannot generate; a member user reaches nothing; the ICS
and the employee's IBAN are validated on their forms."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eage.extensions import db
from eage.models.sepa import SepaBatch, SepaMandate
from eage.sepa import mandates, rules
from tests import factories
from tests.eage.sepa.conftest import IBAN_FR, validate

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def test_accountant_records_a_mandate_then_generates_a_batch(sepa, login_as, app) -> None:
    client = login_as("accountant")
    lefil = factories.member("LEFIL")
    page = client.get("/sepa/mandats/nouveau?adherent=LEFIL")
    assert page.status_code == 200 and "RUM-LEFIL-1" in page.text
    bad = client.post(
        "/sepa/mandats/nouveau",
        data={
            "member_id": lefil.id,
            "reference": "RUM-LEFIL-1",
            "signed_on": "2026-01-05",
            "debtor_name": "Le Fil",
            "iban": "FR1420041010050500013M02607",
            "kind": "recurrent",
        },
    )
    assert "la clé de contrôle ne correspond pas" in bad.text
    assert db.session.scalar(select(func.count(SepaMandate.id))) == 0
    ok = client.post(
        "/sepa/mandats/nouveau",
        data={
            "member_id": lefil.id,
            "reference": "RUM-LEFIL-1",
            "signed_on": "2026-01-05",
            "debtor_name": "Le Fil",
            "iban": "fr14 2004 1010 0505 0001 3m02 606",
            "kind": "recurrent",
        },
    )
    assert ok.status_code == 302
    assert db.session.scalar(select(SepaMandate.iban)) == IBAN_FR
    inv = factories.add_invoice("LEFIL", "invoice", "monthly", NOV, [("service", None, "456.78")])

    day = rules.next_business_day(date.today()).isoformat()
    preview = client.post("/sepa/prelevements", data={"collection_date": day, "preview": "1"})
    assert inv.number in preview.text and "456,78" in preview.text
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0  # a preview writes nothing
    done = client.post("/sepa/prelevements", data={"collection_date": day, "generate": "1"})
    assert done.status_code == 302
    batch = db.session.scalar(select(SepaBatch))
    listing = client.get("/sepa/")
    assert batch.msg_id in listing.text
    download = client.get(f"/sepa/lots/{batch.id}/fichier")
    assert download.status_code == 200
    validate(download.data, "pain.008.001.02")


def test_generate_refused_shows_every_problem(sepa, login_as, give_mandate, app) -> None:
    give_mandate("LEFIL", iban="FR1420041010050500013M02607")
    factories.add_invoice("LEFIL", "invoice", "monthly", NOV, [("service", None, "10.00")])
    client = login_as("accountant")
    page = client.post(
        "/sepa/prelevements", data={"collection_date": "2026-12-26", "generate": "1"}
    )
    assert "rien n&#39;a été généré" in page.text or "rien n'a été généré" in page.text
    assert "RUM-LEFIL-1" in page.text and "jour ouvré" in page.text
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0


def test_settings_validate_the_ics(login_as, app) -> None:
    client = login_as("accountant")
    page = client.post("/sepa/parametres", data={"creditor_identifier": "FR54ZZZ00000012345"})
    assert "la clé de contrôle ne correspond pas" in page.text
    assert mandates.settings().creditor_identifier is None
    client.post("/sepa/parametres", data={"creditor_identifier": "fr53 zzz 00000012345"})
    db.session.expire_all()
    assert mandates.settings().creditor_identifier == "FR53ZZZ00000012345"


def test_manager_reads_but_does_not_generate_and_member_sees_nothing(login_as, app) -> None:
    manager = login_as("manager")
    assert manager.get("/sepa/").status_code == 200
    assert manager.get("/sepa/mandats").status_code == 200
    assert manager.get("/sepa/prelevements").status_code == 403
    assert manager.post("/sepa/virements", data={}).status_code == 403
    member = login_as("member")
    for url in ("/sepa/", "/sepa/mandats", "/sepa/lots/1/fichier"):
        assert member.get(url).status_code in (403, 404), url


def test_employee_iban_is_validated_on_the_staff_form(login_as, app) -> None:
    client = login_as("accountant")
    emp = factories.employee("KBENALI")
    url = f"/salaries/{emp.id}/modifier"
    form = {
        "code": emp.code,
        "first_name": emp.first_name,
        "last_name": emp.last_name,
        "job": emp.job,
        "pas_rate": "0",
        "iban": "DE89370400440532013001",
    }
    page = client.post(url, data=form)
    assert "clé de contrôle" in page.text
    ok = client.post(
        url, data={**form, "iban": "de89 3704 0044 0532 0130 00", "bic": "cobadeffxxx"}
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert (emp.iban, emp.bic) == ("DE89370400440532013000", "COBADEFFXXX")


def test_mandates_of_one_member(login_as, give_mandate, app) -> None:
    give_mandate("LEFIL")
    give_mandate("CINE3C")
    client = login_as("manager")
    page = client.get("/sepa/mandats?adherent=LEFIL")
    assert "RUM-LEFIL-1" in page.text and "RUM-CINE3C-1" not in page.text
    assert client.get("/sepa/mandats?adherent=NOPE").status_code == 404
