"""Credit notes, membership fees, payments and statuses, overdue penalties, sending."""

from __future__ import annotations

import email
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services
from eage.models import Invoice, Member, Payment

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


@pytest.fixture()
def lefil_invoice(app, october_time) -> Invoice:
    closing.close_month(OCT, today=TODAY)
    return db.session.scalar(select(Invoice).join(Member).where(Member.code == "LEFIL"))


def test_full_credit_note_cites_the_invoice(lefil_invoice) -> None:
    note = services.create_credit_note(lefil_invoice, reason="erreur de saisie", issue_date=TODAY)
    assert note.number == "A-2026-0001" and note.kind == "credit_note"
    assert note.credited_invoice_id == lefil_invoice.id and note.reason == "erreur de saisie"
    assert (note.total_excl_tax, note.vat, note.total_incl_tax) == (
        lefil_invoice.total_excl_tax,
        lefil_invoice.vat,
        lefil_invoice.total_incl_tax,
    )
    assert services.outstanding(lefil_invoice) == 0 and lefil_invoice.status == "paid"
    assert note.document("invoice_pdf") and note.document("invoice_xml")
    with pytest.raises(services.InvoicingError, match="déjà entièrement créditée"):
        services.create_credit_note(lefil_invoice, reason="encore", issue_date=TODAY)


def test_partial_credit_note_and_its_errors(lefil_invoice) -> None:
    count = db.session.scalar(select(func.count(Invoice.id)))
    with pytest.raises(services.InvoicingError) as exc:
        services.create_credit_note(lefil_invoice, reason="", amounts={1: Decimal("400")})
    assert len(exc.value.errors) == 2  # every error at once: no reason, too much
    assert db.session.scalar(select(func.count(Invoice.id))) == count
    note = services.create_credit_note(
        lefil_invoice, reason="geste", amounts={1: Decimal("100.00")}, issue_date=TODAY
    )
    assert (note.total_excl_tax, note.vat, note.total_incl_tax) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    assert services.outstanding(lefil_invoice) == Decimal("350.34")


def test_credit_note_page_asks_why(lefil_invoice, login_as) -> None:
    client = login_as("accountant")
    page = client.post(
        f"/factures/{lefil_invoice.number}/avoir", data={"mode": "full", "reason": ""}
    )
    assert "Indiquez le motif de l" in page.get_data(as_text=True)
    done = client.post(
        f"/factures/{lefil_invoice.number}/avoir", data={"mode": "full", "reason": "doublon"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/factures/A-2026-0001")
    assert (
        login_as("manager")
        .post(f"/factures/{lefil_invoice.number}/avoir", data={"mode": "full", "reason": "x"})
        .status_code
        == 403
    )


def test_payments_move_the_status(lefil_invoice) -> None:
    member = lefil_invoice.member
    services.record_payment(
        member=member, day=TODAY, amount=Decimal("100.00"), method="virement", reference="VIR 1"
    )
    assert lefil_invoice.status == "partially_paid"
    assert services.outstanding(lefil_invoice) == Decimal("370.34")
    assert services.member_balance(member.id) == Decimal("370.34")
    with pytest.raises(services.InvoicingError, match="dépasse"):
        services.record_payment(
            member=member, day=TODAY, amount=Decimal("500.00"), method="virement", reference=None
        )
    services.record_payment(
        member=member,
        day=TODAY,
        amount=Decimal("370.34"),
        method="cheque",
        reference=None,
        allocations={lefil_invoice.id: Decimal("370.34")},
    )
    assert lefil_invoice.status == "paid" and services.member_balance(member.id) == 0
    rows = services.statement_of_account(member.id)
    assert [r.balance for r in rows] == [Decimal("470.34"), Decimal("370.34"), Decimal("0.00")]


def test_payment_errors_all_at_once_and_nothing_written(lefil_invoice) -> None:
    with pytest.raises(services.InvoicingError) as exc:
        services.record_payment(
            member=lefil_invoice.member,
            day=TODAY,
            amount=Decimal("-1"),
            method="bitcoin",
            reference=None,
        )
    assert len(exc.value.errors) == 2
    assert db.session.scalar(select(func.count(Payment.id))) == 0


def test_overdue_list_with_penalty_and_indemnity(lefil_invoice) -> None:
    rows = services.overdue_invoices(today=date(2027, 1, 27))  # due 28/12/2026: 30 days late
    row = next(r for r in rows if r.invoice.id == lefil_invoice.id)
    # 470.34 × 12.15 % × 30 / 365 = 4.697 → 4.70
    assert (row.days_late, row.penalty, row.indemnity) == (30, Decimal("4.70"), Decimal("40.00"))
    assert services.display_status(lefil_invoice, date(2027, 1, 27)) == "overdue"
    assert services.display_status(lefil_invoice, TODAY) == "issued"


def test_send_writes_an_eml_with_the_pdf(lefil_invoice, app) -> None:
    where = services.send_invoice(lefil_invoice)
    message = email.message_from_bytes(Path(where).read_bytes())
    assert message["To"] == lefil_invoice.member.email
    assert lefil_invoice.number in message["Subject"]
    attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert attachments and attachments[0].get_payload(decode=True)[:5] == b"%PDF-"
    assert lefil_invoice.status == "sent" and lefil_invoice.sent_at is not None


def test_membership_fees_are_idempotent(app, demo, runner) -> None:
    result = runner.invoke(args=["invoice-fees", "2026"])
    assert result.exit_code == 0, result.output
    fees = db.session.scalars(select(Invoice).where(Invoice.origin == "fee")).all()
    assert len(fees) == 12
    by_code = {f.member.code: f for f in fees}
    # SPEC §1: 1 % of previous-year gross payroll, capped at 5,000 €, outside VAT scope
    assert by_code["LEFIL"].total_incl_tax == Decimal("4200.00")
    assert by_code["CINE3C"].total_incl_tax == Decimal("3120.00")
    assert all(f.vat == 0 for f in fees)
    again = runner.invoke(args=["invoice-fees", "2026"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert db.session.scalar(select(func.count(Invoice.id))) == 12
