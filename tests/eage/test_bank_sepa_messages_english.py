"""The bank and SEPA pages speak the reader's language (issue 14, English mode complete): a
mandate the service refuses, a split the bank service refuses, and the matcher's proposals
read in English on an English page, in French on a French one; the proposal stored with the
line keeps its French label (it becomes the journal entry's label) and the CLI keeps French."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

from flask_babel import refresh
from sqlalchemy import select

from eage.bank import services as bank
from eage.bank.matching import shown_label
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, Service
from eage.models.bank import BankLine
from eage.sepa.mandates import check_mandate
from tests import factories
from tests.eage.bank.camt_builder import Entry, Tx, camt053

BAD_IBAN = "FR1420041010050500013M02607"  # the FBF example IBAN with its last digit changed


def _page(client, language: str, method: str, url: str, **kwargs) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.set_cookie("lang", language)
    refresh()
    response = getattr(client, method)(url, **kwargs)
    return response.status_code, unescape(response.get_data(as_text=True))


def test_a_refused_mandate_in_english_then_in_french(login_as) -> None:
    client = login_as("accountant")
    lefil = factories.member("LEFIL")
    future = (date.today() + timedelta(days=3)).isoformat()
    form = {
        "member_id": lefil.id,
        "reference": "RUM LEFIL 1",  # a space: refused by the SEPA character set
        "signed_on": future,
        "debtor_name": "Le Fil",
        "iban": BAD_IBAN,
        "kind": "recurrent",
    }
    status, english = _page(client, "en", "post", "/sepa/mandats/nouveau", data=form)
    assert status == 200  # the form again, nothing recorded
    assert (
        "Invalid reference: at most 35 characters, letters, digits and / - ? : ( ) . , ' + "
        "without spaces." in english
    )
    assert "The signature date cannot be in the future." in english
    assert f"IBAN {BAD_IBAN} invalid: the check digits do not match." in english
    assert "Référence invalide" not in english and "la clé de contrôle" not in english
    status, french = _page(client, "fr", "post", "/sepa/mandats/nouveau", data=form)
    assert "La date de signature ne peut pas être future." in french
    assert f"IBAN {BAD_IBAN} invalide : la clé de contrôle ne correspond pas." in french
    assert "check digits" not in french


def test_outside_a_request_the_mandate_problems_stay_french(app) -> None:
    data = {"reference": "", "signed_on": None, "debtor_name": "", "iban": "", "kind": "x"}
    messages = [p.message for p in check_mandate(data, date(2026, 11, 20))]
    assert messages == [
        "La référence unique du mandat est obligatoire.",
        "La date de signature est obligatoire.",
        "Le nom du débiteur est obligatoire.",
        "IBAN manquant.",
        "Type de mandat inconnu.",
    ]


def _issue(code: str, excl_tax: str) -> Invoice:
    take_issuing_lock()
    svc = db.session.scalars(select(Service).where(Service.code == "GESTION")).one()
    member = db.session.scalars(select(Member).where(Member.code == code)).one()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=member,
        lines=[LineSpec("service", "Gestion", Decimal(excl_tax), svc)],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=date(2026, 11, 2),
    )
    db.session.commit()
    return inv


def test_proposals_and_a_refused_split_in_the_readers_language(demo, login_as) -> None:
    invoice = _issue("FABRIQUE", "100.00")  # 120.00 € incl. VAT
    data, _closing = camt053(
        "EN-1",
        Decimal("0.00"),
        [
            # 150 € naming the 120 € invoice: more than it owes, proposed (not booked)
            Entry(
                date(2026, 11, 3), True, [Tx(Decimal("150.00"), None, f"Facture {invoice.number}")]
            ),
            Entry(date(2026, 11, 4), False, [Tx(Decimal("12.40"), None, "FRAIS TENUE DE COMPTE")]),
        ],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    bank.import_statement(data, "en-1.xml")  # as the CLI does: outside a request
    charges, payment = (
        db.session.scalars(select(BankLine).where(BankLine.amount == amount)).one()
        for amount in (Decimal("-12.40"), Decimal("150.00"))
    )
    # Stored French: the label becomes the journal entry's label when the line is confirmed.
    assert charges.proposal["label"] == "Frais bancaires"
    assert payment.proposal["label"] == f"Règlement FABRIQUE → {invoice.number} (référence)"
    assert shown_label(payment.proposal) == payment.proposal["label"]  # no request: French

    client = login_as("accountant")
    _status, english = _page(client, "en", "get", "/banque/")
    assert "Bank charges" in english
    assert f"Payment FABRIQUE → {invoice.number} (reference)" in english
    assert "Frais bancaires" not in english and "Règlement FABRIQUE" not in english
    _status, french = _page(client, "fr", "get", "/banque/")
    assert "Frais bancaires" in french and f"Règlement FABRIQUE → {invoice.number}" in french

    url = f"/banque/lignes/{charges.id}/affecter"
    split = {"kind_1": "frais", "amount_1": "douze", "target_1": ""}
    status, english = _page(client, "en", "post", url, data=split)
    assert status == 400 and "part 1: unreadable amount “douze”" in english
    status, english = _page(client, "en", "post", url, data={})
    assert status == 400 and "give at least one part" in english
    status, french = _page(client, "fr", "post", url, data={})
    assert status == 400 and "indiquez au moins une part" in french
    assert db.session.get(BankLine, charges.id).status == "proposed"  # nothing booked
