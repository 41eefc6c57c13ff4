"""VAT on services due on receipt (art. 269-2-c CGI), the option for debits and the CA3 page.

What the group's accountant checks: an invoice credits 44574 (TVA collectée à régulariser),
each payment moves its VAT share to 44571 and an invoice fully paid has moved exactly its VAT;
44574 always equals the VAT of what is unpaid; under the option for debits 44571 is credited
at invoicing, nothing moves at payment and every invoice carries the mention "Option pour le
paiement de la taxe d'après les débits" (art. 242 nonies A ann. II CGI as amended by décret
2022-1299); the monthly CA3 figures agree with the 4457x accounts."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from accounting.invoicing import DEBIT_OPTION_MENTION
from eage.books import vat
from eage.books.integrity import verify_integrity
from eage.extensions import db
from eage.invoicing import documents
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import AuditLog, Invoice, Member, Organisation, Payment, Service
from eage.models.books import JournalEntry, JournalLine

NOV = date(2026, 11, 10)
PENDING, COLLECTED = "445740", "445710"


def member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def service(code: str) -> Service:
    return db.session.scalars(select(Service).where(Service.code == code)).one()


def issue(
    code: str,
    excl_tax: str,
    *,
    kind: str = "invoice",
    fee: bool = False,
    credited: Invoice | None = None,
    day: date = NOV,
) -> Invoice:
    take_issuing_lock()
    line = (
        LineSpec("fee", "Cotisation", Decimal(excl_tax))
        if fee
        else LineSpec("service", "Gestion", Decimal(excl_tax), service("GESTION"))
    )
    inv = invoicing.issue_document(
        kind=kind,
        origin="fee" if fee else ("credit" if credited else "monthly"),
        member=member(code),
        lines=[line],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=day,
        credited=credited,
        reason="Erreur de temps" if credited else None,
    )
    db.session.commit()
    return inv


def pay(inv: Invoice, amount: str, day: date = date(2026, 11, 20)) -> Payment:
    return invoicing.record_payment(
        member=inv.member,
        day=day,
        amount=Decimal(amount),
        method="virement",
        reference=f"VIR-{inv.number}-{amount}",
        allocations={inv.id: Decimal(amount)},
    )


def lines_of(*, invoice: Invoice | None = None, payment: Payment | None = None) -> dict:
    """(debit, credit) per account of the document's entry."""
    where = (
        JournalEntry.invoice_id == invoice.id
        if invoice is not None
        else JournalEntry.payment_id == payment.id  # type: ignore[union-attr]
    )
    entry = db.session.scalars(select(JournalEntry).where(where)).one()
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for ln in entry.lines:
        d, c = out.get(ln.account_number, (Decimal(0), Decimal(0)))
        out[ln.account_number] = (d + ln.debit, c + ln.credit)
    return out


def balance(account: str) -> Decimal:
    """Credit − debit of an account over every validated entry."""
    debit, credit = db.session.execute(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit)).where(
            JournalLine.account_number == account
        )
    ).one()
    return Decimal(credit or 0) - Decimal(debit or 0)


def unpaid_vat() -> Decimal:
    """VAT of what is still unpaid, invoice by invoice: VAT × outstanding / total."""
    total = Decimal(0)
    for inv in db.session.scalars(select(Invoice).where(Invoice.kind == "invoice")):
        left = invoicing.outstanding(inv)
        if left and inv.vat:
            total += (left * inv.vat / inv.total_incl_tax).quantize(Decimal("0.01"))
    return total


def opt_for_debits(on: bool = True) -> None:
    org = db.session.scalars(select(Organisation)).one()
    org.vat_on_debits = on
    db.session.commit()


# --------------------------------------------------------------------------- on receipt


def test_invoice_credits_44574_and_payments_move_exactly_its_vat_to_44571(demo) -> None:
    inv = issue("CINE3C", "1000.00")  # 1,200.00 TTC, 200.00 VAT
    assert inv.seller["vat_on_debits"] is False
    assert lines_of(invoice=inv)[PENDING] == (Decimal("0"), Decimal("200.00"))
    assert COLLECTED not in lines_of(invoice=inv)  # not due yet (art. 269-2-c CGI)
    other = issue("LEFIL", "100.00")  # 120.00 TTC, 20.00 VAT, stays unpaid

    first = pay(inv, "600.00")  # half the price: round_half_up(600 × 200 / 1200) = 100.00
    assert lines_of(payment=first) == {
        "512000": (Decimal("600.00"), Decimal("0")),
        "411000": (Decimal("0"), Decimal("600.00")),
        PENDING: (Decimal("100.00"), Decimal("0")),
        COLLECTED: (Decimal("0"), Decimal("100.00")),
    }
    assert balance(PENDING) == Decimal("120.00") == unpaid_vat()

    rest = pay(inv, "600.00", date(2026, 12, 3))  # settles: exactly the 100.00 left
    assert lines_of(payment=rest)[COLLECTED] == (Decimal("0"), Decimal("100.00"))
    assert balance(COLLECTED) == Decimal("200.00")  # the invoice's VAT, to the cent
    assert balance(PENDING) == other.vat == unpaid_vat() == Decimal("20.00")
    assert verify_integrity().ok


def test_three_payments_with_rounding_move_exactly_the_invoice_vat(demo) -> None:
    inv = issue("CINE3C", "83.33")  # VAT round_half_up(16.666) = 16.67, 100.00 TTC
    assert (inv.vat, inv.total_incl_tax) == (Decimal("16.67"), Decimal("100.00"))
    moved = [
        lines_of(payment=pay(inv, amount))[COLLECTED][1] for amount in ("33.33", "33.33", "33.34")
    ]
    # 33.33 × 16.67 / 100 = 5.556 → 5.56 twice; the settling payment takes the 5.55 left.
    assert moved == [Decimal("5.56"), Decimal("5.56"), Decimal("5.55")]
    assert sum(moved) == inv.vat and balance(PENDING) == Decimal("0.00")


def test_a_credit_note_reverses_44574_and_the_payment_moves_only_the_rest(demo) -> None:
    inv = issue("CINE3C", "1000.00")
    note = issue("CINE3C", "500.00", kind="credit_note", credited=inv)  # 600 TTC, 100 VAT
    assert lines_of(invoice=note)[PENDING] == (Decimal("100.00"), Decimal("0"))
    payment = pay(inv, "600.00")  # what is left to pay: it settles the invoice
    assert lines_of(payment=payment)[COLLECTED] == (Decimal("0"), Decimal("100.00"))
    assert balance(PENDING) == Decimal("0.00") == unpaid_vat()
    assert balance(COLLECTED) == Decimal("100.00")  # VAT of what was really received


def test_exempt_invoices_and_fees_move_nothing(demo) -> None:
    exempt = issue("FABRIQUE", "400.00")  # art. 261 B CGI: no VAT
    fee = issue("CINE3C", "30.00", fee=True)  # membership fee: outside the scope
    assert exempt.vat == fee.vat == 0
    for inv in (exempt, fee):
        lines = lines_of(payment=pay(inv, str(inv.total_incl_tax)))
        assert set(lines) == {"512000", "411000"}
    assert balance(PENDING) == balance(COLLECTED) == Decimal("0")


# --------------------------------------------------------------------------- on debits


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("\u2019", "'").split())


def _docx_text(data: bytes) -> str:
    return " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs).replace("\u2019", "'")


def test_option_for_debits_posts_44571_at_invoicing_and_prints_the_mention(demo, tmp_path) -> None:
    before = issue("CINE3C", "100.00")  # issued on receipt: keeps it after the option
    opt_for_debits()
    inv = issue("CINE3C", "1000.00")
    assert inv.seller["vat_on_debits"] is True
    assert lines_of(invoice=inv)[COLLECTED] == (Decimal("0"), Decimal("200.00"))
    assert PENDING not in lines_of(invoice=inv)
    assert set(lines_of(payment=pay(inv, "1200.00"))) == {"512000", "411000"}  # nothing moves
    assert balance(COLLECTED) == Decimal("200.00")
    assert balance(PENDING) == before.vat == Decimal("20.00")

    bundle = documents.render_invoice_bundle(documents.to_document(inv))
    assert DEBIT_OPTION_MENTION in _pdf_text(bundle["pdf"], tmp_path)
    assert DEBIT_OPTION_MENTION in _docx_text(bundle["docx"])
    assert DEBIT_OPTION_MENTION.encode() in bundle["xml"]  # Factur-X IncludedNote (TXD)

    old = documents.render_invoice_bundle(documents.to_document(before))
    assert DEBIT_OPTION_MENTION not in _pdf_text(old["pdf"], tmp_path)
    assert DEBIT_OPTION_MENTION not in _docx_text(old["docx"])
    # the old invoice keeps its regime: paying it still moves its VAT to 44571
    assert lines_of(payment=pay(before, "120.00"))[COLLECTED] == (Decimal("0"), Decimal("20.00"))


def test_settings_page_switches_the_option_audit_logged(login_as) -> None:
    client = login_as("admin")
    page = client.get("/admin/parametres").get_data(as_text=True)
    assert "Option pour le paiement de la TVA d'après les débits" in page
    response = client.post("/admin/parametres", data={"vat_on_debits": "y"})
    assert response.status_code == 302
    org = db.session.scalars(select(Organisation)).one()
    assert org.vat_on_debits is True
    log = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "organisation").order_by(AuditLog.id.desc())
    ).first()
    assert log is not None and log.before["vat_on_debits"] is False
    assert log.after["vat_on_debits"] is True
    assert issue("CINE3C", "10.00").seller["vat_on_debits"] is True
    client.post("/admin/parametres", data={})  # unticked: back to VAT on receipt
    assert db.session.scalars(select(Organisation)).one().vat_on_debits is False
    assert login_as("accountant").get("/admin/parametres").status_code == 403


# --------------------------------------------------------------------------- CA3 page


def test_vat_page_gives_the_ca3_figures_reconciled_with_the_books(login_as) -> None:
    inv = issue("CINE3C", "1000.00")
    issue("LEFIL", "100.00")  # unpaid: its 20.00 stay in 44574
    exempt = issue("FABRIQUE", "400.00")
    fee = issue("CINE3C", "30.00", fee=True)
    pay(inv, "600.00")
    pay(exempt, "400.00")
    pay(fee, "30.00")
    pay(inv, "600.00", date(2026, 12, 3))

    report = vat.vat_year(2026)
    months = vat.months_by_key(report)
    nov, dec = months["2026-11"], months["2026-12"]
    # November: 600.00 received on a taxable invoice = 500.00 HT + 100.00 VAT now due
    assert (nov.taxable_base, nov.collected_vat) == (Decimal("500.00"), Decimal("100.00"))
    assert (nov.exempt_base, nov.outside_base) == (Decimal("400.00"), Decimal("30.00"))
    assert nov.books_collected == nov.collected_vat and nov.reconciled
    assert nov.vat_due == Decimal("100.00")  # no purchases: nothing deductible
    assert nov.pending_balance == Decimal("120.00")  # 100 of CINE3C + 20 of LEFIL unpaid
    assert (dec.taxable_base, dec.collected_vat, dec.pending_balance) == (
        Decimal("500.00"),
        Decimal("100.00"),
        Decimal("20.00"),
    )
    assert report.totals["collected_vat"] == Decimal("200.00") and report.reconciled
    assert months["2026-10"].pending_balance == 0

    client = login_as("manager")
    page = client.get("/comptabilite/tva?annee=2026").get_data(as_text=True)
    assert "Base HT 20 %" in page and "Solde 44574 fin de mois" in page
    response = client.get("/comptabilite/tva.csv?annee=2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = response.data.decode("utf-8-sig").splitlines()
    assert rows[11].split(";")[:3] == ["2026-11", "500,00", "100,00"]
    assert rows[-1].split(";")[2] == "200,00"


def test_vat_page_under_debits_takes_the_invoices_of_the_month(demo) -> None:
    opt_for_debits()
    inv = issue("CINE3C", "1000.00")
    issue("CINE3C", "250.00", kind="credit_note", credited=inv)  # −250 HT, −50 VAT
    nov = vat.months_by_key(vat.vat_year(2026))["2026-11"]
    assert (nov.taxable_base, nov.collected_vat) == (Decimal("750.00"), Decimal("150.00"))
    assert nov.books_collected == Decimal("150.00") and nov.reconciled
    assert nov.pending_balance == 0


@pytest.mark.parametrize("role", ["member"])
def test_vat_page_is_not_for_member_users(login_as, role: str) -> None:
    assert login_as(role).get("/comptabilite/tva").status_code in (302, 403)
