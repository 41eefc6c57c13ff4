"""Open items, credit notes applied, the regularisation citing the year's invoices, and the
lettrage of the members' 411 accounts (SPEC §5 "Lettrage"; FEC EcritureLet / DateLet,
art. A47 A-1 LPF; a rectifying document cites the invoices it corrects, art. 242 nonies A
ann. II CGI)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from accounting.documents import render_invoice_docx
from accounting.documents.html import render_invoice_html
from accounting.facturx import build_cii_xml
from accounting.fec_check import audit_fec
from accounting.ledger import fec_decimal, parse_fec
from eage.books.fec import build_fec
from eage.books.ledgers import LedgerFilter, member_account_balance, member_ledger
from eage.extensions import db
from eage.invoicing import documents
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import CreditApplication, Invoice, InvoiceCorrection, Member, Payment, Service
from eage.regularisation import services as regularisation


def member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def service(code: str) -> Service:
    return db.session.scalars(select(Service).where(Service.code == code)).one()


def monthly(code: str, month: int, amount: str, *, year: int = 2026) -> Invoice:
    """The month's service invoice, issued on the 2nd of the next month."""
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=member(code),
        lines=[LineSpec("service", f"Gestion {month:02d}", Decimal(amount), service("GESTION"))],
        period=(start, end),
        issue_date=end + timedelta(days=2),
        month=f"{year}-{month:02d}",
    )
    db.session.commit()
    return inv


def pay(code: str, amount: str, day: date, allocations: dict[int, Decimal] | None = None) -> None:
    invoicing.record_payment(
        member=member(code),
        day=day,
        amount=Decimal(amount),
        method="virement",
        reference=None,
        allocations=allocations,
    )


def assert_open_items_are_the_411_balance(code: str) -> Decimal:
    """SPEC §5: a member's open items equal its 411 balance (and what it owes)."""
    m = member(code)
    total = sum((item.amount for item in invoicing.open_items(m.id)), Decimal("0"))
    assert total == invoicing.member_balance(m.id) == member_account_balance(code)
    return total


def test_open_items_equal_the_411_balance_after_partial_payments(demo) -> None:
    """Three invoices of 120.00 / 240.00 / 360.00 TTC; 200.00 paid oldest first settles the
    first and 80.00 of the second; then 100.00 allocated to the third."""
    a, b, c = (
        monthly("LEFIL", 8, "100.00"),
        monthly("LEFIL", 9, "200.00"),
        monthly("LEFIL", 10, "300.00"),
    )
    assert (a.total_incl_tax, b.total_incl_tax, c.total_incl_tax) == (
        Decimal("120.00"),
        Decimal("240.00"),
        Decimal("360.00"),
    )
    pay("LEFIL", "200.00", date(2026, 11, 5))
    pay("LEFIL", "100.00", date(2026, 11, 6), {c.id: Decimal("100.00")})
    items = invoicing.open_items(member("LEFIL").id)
    assert [(i.document.number, i.amount) for i in items] == [
        (b.number, Decimal("160.00")),
        (c.number, Decimal("260.00")),
    ]
    assert assert_open_items_are_the_411_balance("LEFIL") == Decimal("420.00")
    assert (a.status, b.status, c.status) == ("paid", "partially_paid", "partially_paid")


def test_payment_above_what_is_owed_or_not_wholly_allocated_is_refused(demo) -> None:
    """No advances (no 4191): a payment settles open invoices, all of it, or is refused."""
    a, b = monthly("LEFIL", 9, "100.00"), monthly("LEFIL", 10, "100.00")
    payments = db.session.scalar(select(func.count(Payment.id)))
    with pytest.raises(
        invoicing.InvoicingError,
        match=r"dépasse de 0,01\xa0€ ce que doit l.adhérent \(240,00\xa0€\)",
    ):
        pay("LEFIL", "240.01", date(2026, 11, 5))
    with pytest.raises(invoicing.InvoicingError) as exc:
        pay("LEFIL", "200.00", date(2026, 11, 5), {a.id: Decimal("120.00"), b.id: Decimal("50.00")})
    assert exc.value.errors == [
        "Affectez tout le paiement : 170,00\xa0€ affectés sur 200,00\xa0€ "
        "(pas d'avance : un paiement solde des factures ouvertes)."
    ]
    with pytest.raises(invoicing.InvoicingError, match="dépasse le reste dû"):
        pay("LEFIL", "130.00", date(2026, 11, 5), {a.id: Decimal("130.00")})
    assert db.session.scalar(select(func.count(Payment.id))) == payments
    pay("LEFIL", "240.00", date(2026, 11, 5), {a.id: Decimal("120.00"), b.id: Decimal("120.00")})
    assert assert_open_items_are_the_411_balance("LEFIL") == 0


def test_credit_note_on_a_paid_invoice_stays_a_credit_then_applies_to_the_next(
    demo, login_as
) -> None:
    """A 50.00 HT credit note (60.00 TTC) on a paid invoice settles nothing: it is an
    unapplied credit of the member (an open item of −60.00). Applied to the next invoice it
    reduces what is still owed on it; every error at once beforehand."""
    a = monthly("LEFIL", 9, "100.00")
    pay("LEFIL", "120.00", date(2026, 10, 5))
    note = invoicing.create_credit_note(
        a,
        reason="heures comptées deux fois",
        amounts={1: Decimal("50.00")},
        issue_date=date(2026, 10, 20),
    )
    assert note.total_incl_tax == Decimal("60.00") and a.status == "paid"
    assert invoicing.credit_applications(note) == [] and invoicing.unapplied_credit(
        note
    ) == Decimal("60.00")
    assert [(i.document.number, i.amount) for i in invoicing.open_items(member("LEFIL").id)] == [
        (note.number, Decimal("-60.00"))
    ]
    assert assert_open_items_are_the_411_balance("LEFIL") == Decimal("-60.00")

    b = monthly("LEFIL", 10, "40.00")  # 48.00 TTC
    other = monthly("FABRIQUE", 10, "10.00")
    with pytest.raises(invoicing.InvoicingError) as exc:
        invoicing.apply_credit(note, other, Decimal("60.01"))
    assert exc.value.errors == [
        f"{other.number} est une facture d'un autre adhérent",
        "60.01 € dépasse le crédit restant de l'avoir (60.00 €)",
        f"60.01 € dépasse le reste dû de {other.number} (10.00 €)",
    ]
    with pytest.raises(invoicing.InvoicingError, match=r"reste dû de F-2026-\d+ \(48.00 €\)"):
        invoicing.apply_credit(note, b, Decimal("50.00"))
    assert db.session.scalar(select(func.count(CreditApplication.id))) == 0

    client = login_as("accountant")
    done = client.post(
        f"/factures/{note.number}/imputer", data={"invoice_id": b.id, "amount": "48,00"}
    )
    assert done.status_code == 302
    assert invoicing.outstanding(b) == 0 and b.status == "paid"
    assert invoicing.unapplied_credit(note) == Decimal("12.00")
    assert assert_open_items_are_the_411_balance("LEFIL") == Decimal("-12.00")
    page = client.get(f"/factures/{note.number}").get_data(as_text=True)
    assert b.number in page and "12,00" in page
    page = client.get("/paiements/?adherent=LEFIL").get_data(as_text=True)
    assert "Avoirs à imputer" in page and note.number in page
    assert (
        login_as("manager")
        .post(f"/factures/{note.number}/imputer", data={"invoice_id": b.id, "amount": "1"})
        .status_code
        == 403
    )


def test_a_credit_note_citing_an_open_invoice_is_applied_to_it(demo) -> None:
    a = monthly("LEFIL", 9, "100.00")
    pay("LEFIL", "20.00", date(2026, 10, 5))
    note = invoicing.create_credit_note(a, reason="erreur", issue_date=date(2026, 10, 20))
    # 120.00 credited, 100.00 still open on the invoice: 100.00 applied, 20.00 left to the member.
    assert [(x.invoice_id, x.amount) for x in invoicing.credit_applications(note)] == [
        (a.id, Decimal("100.00"))
    ]
    assert invoicing.outstanding(a) == 0 and invoicing.unapplied_credit(note) == Decimal("20.00")
    assert assert_open_items_are_the_411_balance("LEFIL") == Decimal("-20.00")


@pytest.fixture()
def regularised(demo) -> dict[str, Invoice]:
    """Oct / Nov / Dec 2026 invoiced 333.33 / 333.33 / 100.00 HT; October paid. The real cost
    is 500.00 HT below: the regularisation issues a 500.00 HT credit note (VAT 100.00, more
    than December's 20.00) in January 2027."""
    oct_, nov, dec = (
        monthly("LEFIL", 10, "333.33"),
        monthly("LEFIL", 11, "333.33"),
        monthly("LEFIL", 12, "100.00"),
    )
    pay("LEFIL", "400.00", date(2026, 11, 20))
    diff = regularisation.MemberDifference(
        member("LEFIL"),
        Decimal("266.66"),
        Decimal("766.66"),
        {service("GESTION"): Decimal("-500.00")},
    )
    take_issuing_lock()
    [note] = regularisation._issue_difference(diff, 2026, today=date(2027, 1, 10), user_id=None)
    db.session.commit()
    return {"oct": oct_, "nov": nov, "dec": dec, "note": note}


def test_regularisation_credit_note_cites_every_invoice_of_the_year_with_its_vat(
    regularised,
) -> None:
    """500.00 HT split pro rata 333.33 / 333.33 / 100.00 (largest remainder, SPEC §5):
    217.39 / 217.39 / 65.22; its 100.00 VAT split the same way: 43.48 / 43.48 / 13.04 —
    December gets 13.04 of VAT corrected, not the 100.00 it never carried (20.00)."""
    note, dec = regularised["note"], regularised["dec"]
    assert (note.total_excl_tax, note.vat, note.total_incl_tax) == (
        Decimal("500.00"),
        Decimal("100.00"),
        Decimal("600.00"),
    )
    assert note.vat > dec.vat and note.credited_invoice_id == dec.id  # BT-25: December
    rows = db.session.scalars(
        select(InvoiceCorrection).where(InvoiceCorrection.document_id == note.id)
    ).all()
    got = {r.invoice.number: (r.amount_excl_tax, r.vat) for r in rows}
    assert got == {
        regularised["oct"].number: (Decimal("217.39"), Decimal("43.48")),
        regularised["nov"].number: (Decimal("217.39"), Decimal("43.48")),
        dec.number: (Decimal("65.22"), Decimal("13.04")),
    }
    assert sum(a for a, _v in got.values()) == note.total_excl_tax
    assert sum(v for _a, v in got.values()) == note.vat
    assert all(r.vat <= r.invoice.vat for r in rows)


def test_regularisation_credit_is_applied_most_recent_first_the_rest_stays_credit(
    regularised,
) -> None:
    """600.00 TTC: December (120.00) then November (400.00) are settled; October was paid,
    so 80.00 stays an unapplied credit of the member."""
    note = regularised["note"]
    applied = [(a.invoice.number, a.amount, a.date) for a in invoicing.credit_applications(note)]
    assert applied == [
        (regularised["dec"].number, Decimal("120.00"), date(2027, 1, 10)),
        (regularised["nov"].number, Decimal("400.00"), date(2027, 1, 10)),
    ]
    assert invoicing.unapplied_credit(note) == Decimal("80.00")
    assert assert_open_items_are_the_411_balance("LEFIL") == Decimal("-80.00")


def test_regularisation_credit_note_documents_print_the_corrected_invoices(regularised) -> None:
    note = regularised["note"]
    doc = documents.to_document(note)
    numbers = [c.number for c in doc.corrected_invoices]
    assert numbers == [regularised[k].number for k in ("oct", "nov", "dec")]
    mention = next(n for n in doc.notes if n.startswith("Avoir portant sur les factures"))
    assert all(n in mention for n in numbers)
    xml = build_cii_xml(doc).decode()
    assert "Avoir portant sur les factures" in xml and "<ram:IncludedNote>" in xml
    assert f"<ram:IssuerAssignedID>{regularised['dec'].number}</ram:IssuerAssignedID>" in xml
    html = render_invoice_html(doc)
    assert "Factures rectifiées" in html and "65,22" in html and "13,04" in html
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(render_invoice_docx(doc))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "217,39" in text and "43,48" in text


def test_fec_lettrage_pairs_net_to_zero_and_paid_invoices_are_lettered(demo, login_as) -> None:
    """August paid in two payments, September by a credit note and a payment, October in
    part: the 411 lines of August and September (and their settlements) carry a code whose
    lines net to zero, DateLet the last settling date; October has none."""
    aug, sep, oct_ = (
        monthly("LEFIL", 8, "100.00"),
        monthly("LEFIL", 9, "50.00"),
        monthly("LEFIL", 10, "10.00"),
    )
    pay("LEFIL", "100.00", date(2026, 9, 10), {aug.id: Decimal("100.00")})
    pay("LEFIL", "20.00", date(2026, 9, 25), {aug.id: Decimal("20.00")})
    note = invoicing.create_credit_note(
        sep, reason="geste", amounts={1: Decimal("10.00")}, issue_date=date(2026, 10, 15)
    )
    pay("LEFIL", "50.00", date(2026, 11, 3), {sep.id: Decimal("48.00"), oct_.id: Decimal("2.00")})
    fec = build_fec(2026)
    assert audit_fec(fec.data, fec.filename, 2026) == []  # lettrage codes net to zero
    records = parse_fec(fec.data)
    receivable = [r for r in records if r["CompAuxNum"] == "411LEFIL"]
    by_piece = {
        (r["PieceRef"], r["Debit"], r["Credit"]): (r["EcritureLet"], r["DateLet"])
        for r in receivable
    }
    # August and its two payments: AA on 25/09; September, its credit note and the payment
    # that also touches October: that payment leaves October open, so the group is open.
    assert by_piece[(aug.number, "120,00", "0,00")] == ("AA", "20260925")
    lettered = [r for r in receivable if r["EcritureLet"]]
    assert len(lettered) == 3
    assert sum(fec_decimal(r["Debit"]) - fec_decimal(r["Credit"]) for r in lettered) == 0
    assert by_piece[(sep.number, "60,00", "0,00")] == ("", "")
    assert by_piece[(note.number, "0,00", "12,00")] == ("", "")

    pay("LEFIL", "10.00", date(2026, 12, 1), {oct_.id: Decimal("10.00")})
    fec = build_fec(2026)
    assert audit_fec(fec.data, fec.filename, 2026) == []
    records = parse_fec(fec.data)
    codes = {
        r["PieceRef"]: (r["EcritureLet"], r["DateLet"])
        for r in records
        if r["CompAuxNum"] == "411LEFIL" and r["Debit"] != "0,00"
    }
    assert codes == {
        aug.number: ("AA", "20260925"),
        sep.number: ("AB", "20261201"),
        oct_.number: ("AB", "20261201"),
    }
    assert all(r["EcritureLet"] for r in records if r["CompAuxNum"] == "411LEFIL")

    [section] = member_ledger(
        LedgerFilter(date(2026, 1, 1), date(2026, 12, 31), member_id=member("LEFIL").id)
    )
    assert [r.lettering for r in section.rows] == ["AA", "AA", "AA", "AB", "AB", "AB", "AB", "AB"]
    client = login_as("accountant")
    page = client.get("/comptabilite/adherents?annee=2026&adherent=LEFIL")
    assert "Let." in page.get_data(as_text=True)
    xlsx = client.get("/comptabilite/adherents?format=xlsx&annee=2026&adherent=LEFIL").data
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert ws["M4"].value == "Lettrage"
    assert [ws[f"M{row}"].value for row in range(5, 13)] == ["AA"] * 3 + ["AB"] * 5
