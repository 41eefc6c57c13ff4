"""Refund of an unapplied credit (issue 16): a credit note left over once the member has
paid everything is paid back — D 411<member> / C 512 — which closes its remaining credit;
the member's balance, open items and 411 account come back to zero (SPEC §5: open items
equal the 411 balance). Refused while the member still owes an invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting.problems import ProblemsError
from eage.books.ledgers import member_account_balance
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, JournalEntry
from eage.reminders import refunds
from tests.eage.test_lettering import member, monthly, pay


def _note(inv: Invoice, amount_excl_tax: str, day: date) -> Invoice:
    take_issuing_lock()
    note = invoicing.issue_document(
        kind="credit_note",
        origin="credit",
        member=member("LEFIL"),
        lines=[LineSpec("service", "Heures facturées en trop", Decimal(amount_excl_tax), None)],
        period=(inv.period_start, inv.period_end),
        issue_date=day,
        credited=inv,
        reason="heures en trop",
    )
    db.session.commit()
    return note


def test_refund_closes_the_credit_and_posts_411_512(app, demo) -> None:
    inv = monthly("LEFIL", 9, "1200.00")  # 1 440.00 TTC, paid in full
    pay("LEFIL", "1440.00", date(2026, 10, 10))
    note = _note(inv, "100.00", date(2026, 10, 15))  # 120.00 TTC the member holds
    lefil = member("LEFIL")
    assert invoicing.unapplied_credit(note) == Decimal("120.00")
    assert invoicing.member_balance(lefil.id) == Decimal("-120.00")

    refund = refunds.refund_credit(note, date(2026, 10, 20), reference="VIR-RBT-1")

    entry = db.session.get(JournalEntry, refund.entry_id)
    assert entry.journal == "BQ" and entry.number
    assert [(ln.account_number, ln.aux_number, ln.debit, ln.credit) for ln in entry.lines] == [
        ("411000", "411LEFIL", Decimal("120.00"), Decimal("0.00")),
        ("512000", None, Decimal("0.00"), Decimal("120.00")),
    ]
    assert invoicing.unapplied_credit(note) == Decimal("0.00")
    assert invoicing.member_balance(lefil.id) == Decimal("0.00")
    assert invoicing.open_items(lefil.id) == []
    assert member_account_balance("LEFIL") == Decimal("0.00")
    rows = invoicing.statement_of_account(lefil.id)
    assert rows[-1].label == f"Remboursement de l'avoir {note.number}"
    assert (rows[-1].debit, rows[-1].balance) == (Decimal("120.00"), Decimal("0.00"))
    with pytest.raises(ProblemsError, match="plus de crédit"):
        refunds.refund_credit(note, date(2026, 10, 21))


def test_refund_refused_while_an_invoice_is_open(app, demo) -> None:
    inv = monthly("LEFIL", 9, "1200.00")
    note = _note(inv, "100.00", date(2026, 10, 15))
    # The credit was applied at issue to the open invoice: nothing is left to refund, and the
    # invoice is still owed — both reasons at once.
    invoicing.apply_credit_automatically(note, [inv], day=date(2026, 10, 15))
    db.session.commit()
    with pytest.raises(ProblemsError) as refused:
        refunds.refund_credit(note, None)
    messages = [p.message for p in refused.value.problems]
    assert len(messages) == 3, messages
    assert any(inv.number in m for m in messages)


def test_refund_through_the_page(app, demo, login_as) -> None:
    inv = monthly("LEFIL", 9, "1200.00")
    pay("LEFIL", "1440.00", date(2026, 10, 10))
    note = _note(inv, "100.00", date(2026, 10, 15))
    client = login_as("accountant")
    page = client.get(f"/factures/{note.number}").get_data(as_text=True)
    assert "Rembourser 120,00" in page
    response = client.post(
        f"/factures/{note.number}/rembourser", data={"day": "2026-10-20"}, follow_redirects=True
    )
    assert "remboursé" in response.get_data(as_text=True)
    assert invoicing.unapplied_credit(note) == Decimal("0.00")
    assert login_as("manager").post(f"/factures/{note.number}/rembourser").status_code == 403
