"""pain.008 direct debits of the members' invoices (issue 16): the file validates against the
ISO 20022 XSD, carries the right totals, IBANs and mandate data; FRST then RCUR; a member
without a mandate is skipped and listed; an invalid IBAN refuses the batch, nothing written."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounting.problems import ProblemsError
from eage import storage
from eage.extensions import db
from eage.models import StoredDocument
from eage.models.sepa import SepaBatch, SepaTransaction
from eage.sepa import debits, rules
from tests import factories
from tests.eage.sepa.conftest import BIC_FR, IBAN_DE, IBAN_FR, ICS, validate

TODAY = date(2026, 11, 30)  # a Monday
COLLECTION = date(2026, 12, 2)  # a Wednesday, TARGET2 business day
NOV = (date(2026, 11, 1), date(2026, 11, 30))
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def _xml(batch: SepaBatch) -> ET.Element:
    return ET.fromstring(storage.read(batch.document))


def _invoice(code: str, amount: str, period: tuple[date, date] = NOV):  # type: ignore[no-untyped-def]
    return factories.add_invoice(code, "invoice", "monthly", period, [("service", None, amount)])


def test_batch_validates_and_carries_amounts_iban_and_mandate(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    give_mandate("CINE3C", iban=IBAN_DE, bic=None)
    f1 = _invoice("LEFIL", "1234.56")
    f2 = _invoice("CINE3C", "800.10")
    _invoice("FABRIQUE", "99.00")  # no mandate: skipped and listed

    batch, plan = debits.create_debit_batch(COLLECTION, today=TODAY)

    data = storage.read(batch.document)
    validate(data, "pain.008.001.02")
    root = ET.fromstring(data)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "2034.66"
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == batch.msg_id
    assert root.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS) == ICS
    assert root.findtext(".//p:ReqdColltnDt", namespaces=NS) == "2026-12-02"
    txs = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx
        for tx in root.iterfind(".//p:DrctDbtTxInf", namespaces=NS)
    }
    assert set(txs) == {f1.number, f2.number}
    lefil = txs[f1.number]
    assert lefil.findtext("p:InstdAmt", namespaces=NS) == "1234.56"
    assert lefil.findtext(".//p:MndtId", namespaces=NS) == "RUM-LEFIL-1"
    assert lefil.findtext(".//p:DtOfSgntr", namespaces=NS) == "2026-01-05"
    assert lefil.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_FR
    assert lefil.findtext("p:DbtrAgt//p:BIC", namespaces=NS) == BIC_FR
    assert txs[f2.number].findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_DE
    assert f1.number in lefil.findtext(".//p:Ustrd", namespaces=NS)
    # stored: batch, its transactions with the PmtInfId of the file, the file's hash
    assert (batch.count, batch.total) == (2, Decimal("2034.66"))
    assert batch.sha256 == storage.sha256(data)
    info_ids = {
        i.findtext("p:PmtInfId", namespaces=NS) for i in root.iterfind(".//p:PmtInf", namespaces=NS)
    }
    assert {t.payment_info_id for t in batch.transactions} == info_ids
    assert [s for s in plan.skipped if "FABRIQUE" in s and "pas de mandat" in s]


def test_first_collection_is_frst_then_rcur(sepa, give_mandate, app) -> None:
    mandate = give_mandate("LEFIL")
    _invoice("LEFIL", "100.00")
    first, _ = debits.create_debit_batch(COLLECTION, today=TODAY)
    assert first.transactions[0].sequence_type == "FRST"
    assert _xml(first).findtext(".//p:SeqTp", namespaces=NS) == "FRST"
    assert mandate.first_collected_on == COLLECTION

    _invoice("LEFIL", "200.00", (date(2026, 12, 1), date(2026, 12, 31)))
    second, _ = debits.create_debit_batch(date(2027, 1, 4), today=date(2026, 12, 31))
    assert [t.amount for t in second.transactions] == [Decimal("200.00")]  # not the first again
    assert _xml(second).findtext(".//p:SeqTp", namespaces=NS) == "RCUR"


def test_one_pmtinf_per_sequence_type(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    used = give_mandate("CINE3C")
    used.first_collected_on = used.last_collected_on = date(2026, 10, 2)
    db.session.commit()
    _invoice("LEFIL", "10.00")
    _invoice("CINE3C", "20.00")
    _invoice("CINE3C", "30.00")
    batch, _ = debits.create_debit_batch(COLLECTION, today=TODAY)
    infos = {
        i.findtext(".//p:SeqTp", namespaces=NS): (
            i.findtext("p:NbOfTxs", namespaces=NS),
            i.findtext("p:CtrlSum", namespaces=NS),
        )
        for i in _xml(batch).iterfind(".//p:PmtInf", namespaces=NS)
    }
    assert infos == {"FRST": ("1", "10.00"), "RCUR": ("2", "50.00")}


def test_invalid_iban_refuses_the_whole_batch(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL", iban="FR1420041010050500013M02607")  # wrong check digits
    give_mandate("CINE3C", bic="PSSTFRP")  # a BIC of 7 characters
    give_mandate("FABRIQUE")
    for code in ("LEFIL", "CINE3C", "FABRIQUE"):
        _invoice(code, "10.00")
    with pytest.raises(ProblemsError) as refused:
        debits.create_debit_batch(COLLECTION, today=TODAY)
    messages = [p.message for p in refused.value.problems]
    assert any("LEFIL" in m and "IBAN" in m and "clé" in m for m in messages)
    assert any("CINE3C" in m and "BIC" in m for m in messages)
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0
    assert db.session.scalar(select(func.count(StoredDocument.id))) == 0
    assert not list(Path(app.config["STORAGE_PATH"]).rglob("*.xml"))
    assert not list(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))


def test_collection_date_must_be_a_future_business_day(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    _invoice("LEFIL", "10.00")
    for day in (TODAY, date(2026, 12, 5), date(2026, 12, 25)):  # today, Saturday, Christmas
        plan = debits.plan_debits(day, today=TODAY)
        assert [p for p in plan.problems if p.field == "collection_date"], day
    assert rules.next_business_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_missing_creditor_identifier_refuses(demo, give_mandate, app) -> None:
    give_mandate("LEFIL")
    _invoice("LEFIL", "10.00")
    plan = debits.plan_debits(COLLECTION, today=TODAY)
    assert any("ICS" in p.message for p in plan.problems)


def test_prenotification_email_per_member(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    inv = _invoice("LEFIL", "1234.56")
    batch, _ = debits.create_debit_batch(COLLECTION, today=TODAY)
    assert batch.notified_at is not None
    (eml,) = Path(app.config["OUTBOX_PATH"]).glob("prenotification-LEFIL-*.eml")
    text = eml.read_text(encoding="utf-8")
    assert "Pré-notification" in text or "=?utf-8?" in text
    body = eml.read_bytes().decode("utf-8", "replace")
    import email

    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    content = msg.get_body().get_content()  # type: ignore[union-attr]
    assert "1\u202f234,56\xa0€" in content and "02/12/2026" in content
    assert "RUM-LEFIL-1" in content and ICS in content and inv.number in content
    assert msg["To"] == factories.member("LEFIL").email
    assert body


def test_invoice_already_in_a_pending_batch_is_not_collected_twice(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    _invoice("LEFIL", "10.00")
    debits.create_debit_batch(COLLECTION, today=TODAY)
    with pytest.raises(ProblemsError, match="aucune facture"):
        debits.create_debit_batch(date(2026, 12, 3), today=TODAY)
    # a rejected debit (R-transaction) may be presented again
    for tx in db.session.scalars(select(SepaTransaction)):
        tx.status = "rejected"  # what the bank reconciliation records
    db.session.commit()
    again, _ = debits.create_debit_batch(date(2026, 12, 3), today=TODAY)
    assert again.count == 1


def test_one_off_mandate_is_used_once(sepa, give_mandate, app) -> None:
    mandate = give_mandate("LEFIL", kind="one_off")
    _invoice("LEFIL", "10.00")
    _invoice("LEFIL", "20.00")
    batch, plan = debits.create_debit_batch(COLLECTION, today=TODAY)
    assert [(t.sequence_type, t.amount) for t in batch.transactions] == [("OOFF", Decimal("10.00"))]
    assert plan.skipped and "ponctuel" in plan.skipped[0]
    assert not mandate.is_active_on(date(2026, 12, 10))


def test_short_prenotification_is_said(sepa, give_mandate, app) -> None:
    """SEPA Core rulebook PT-03.02: 14 calendar days unless agreed otherwise."""
    give_mandate("LEFIL")
    _invoice("LEFIL", "10.00")
    assert debits.plan_debits(COLLECTION, today=TODAY).notices  # 2 days
    assert not debits.plan_debits(date(2026, 12, 14), today=TODAY).notices  # 14 days


def test_unapplied_credit_note_is_pointed_out(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    _invoice("LEFIL", "100.00")
    factories.add_invoice("LEFIL", "credit_note", "credit", NOV, [("service", None, "40.00")])
    notices = debits.plan_debits(date(2026, 12, 14), today=TODAY).notices
    assert notices == [
        "LEFIL détient un avoir non imputé de 40,00\xa0€ : l'imputer sur ses factures avant "
        "de prélever évite de trop prélever"
    ]


def test_the_portal_tells_the_next_debit(sepa, give_mandate, app) -> None:
    """Issue 18: a member with a mandate sees its next direct debit (date and amount): its
    open invoices' next due date before a batch exists, the batch's collection date after."""
    from eage.models import Member
    from eage.portal.services import next_direct_debit

    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    invoice = _invoice("LEFIL", "1234.56")
    assert next_direct_debit(lefil, invoice.issue_date) is None  # no mandate yet
    give_mandate("LEFIL")
    upcoming = next_direct_debit(lefil, invoice.issue_date)
    assert upcoming is not None
    assert (upcoming.day, upcoming.amount) == (invoice.due_date, Decimal("1234.56"))

    debits.create_debit_batch(COLLECTION, today=TODAY)

    prepared = next_direct_debit(lefil, TODAY)
    assert prepared is not None
    assert (prepared.day, prepared.amount) == (COLLECTION, Decimal("1234.56"))
    assert next_direct_debit(lefil, COLLECTION + (COLLECTION - TODAY)) is None  # collected
