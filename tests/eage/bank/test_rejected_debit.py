"""A rejected SEPA direct debit (R-transaction, here AM04 « insufficient funds ») on an
invoice with VAT due on receipt (art. 269-2-c CGI): the payment the batch credit booked is
reversed by a new BQ entry — 411 owed again, 512 credited, the VAT back from 44571 to
44574 — the invoice is open again and its lettering undone; the CA3 of each month still
agrees with the books; a later payment settles the invoice and letters it again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eage.bank import services as bank
from eage.books import vat
from eage.books.lettering import receivable_letters
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, JournalEntry, JournalLine, Member, PaymentReversal, Service
from tests.eage.bank.camt_builder import Entry, Tx, camt053

D = Decimal


def _balance(account: str) -> Decimal:
    """Credit − debit."""
    debit, credit = db.session.execute(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit)).where(
            JournalLine.account_number == account
        )
    ).one()
    return D(credit or 0) - D(debit or 0)


def _invoice_411_lettered(inv: Invoice) -> bool:
    entry = db.session.scalars(select(JournalEntry).where(JournalEntry.invoice_id == inv.id)).one()
    line = next(ln for ln in entry.lines if ln.account_number.startswith("411"))
    return line.id in receivable_letters()


def test_a_rejected_debit_reopens_the_invoice_and_puts_its_vat_back(demo) -> None:
    take_issuing_lock()
    svc = db.session.scalars(select(Service).where(Service.code == "GESTION")).one()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=db.session.scalars(select(Member).where(Member.code == "CINE3C")).one(),
        lines=[LineSpec("service", "Gestion", D("1000.00"), svc)],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=date(2026, 11, 2),
    )
    db.session.commit()
    assert (inv.total_incl_tax, inv.vat) == (D("1200.00"), D("200.00"))
    pending, collected = _balance("445740"), _balance("445710")

    debit, _ = camt053(
        "S-11",
        D("0"),
        [Entry(date(2026, 11, 5), True, [Tx(D("1200.00"), inv.number, "Prélèvement")])],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert len(bank.import_statement(debit, "nov.xml").matched) == 1
    assert inv.status == "paid" and _invoice_411_lettered(inv)
    assert _balance("445740") == pending - D("200.00")
    assert _balance("445710") == collected + D("200.00")

    reject, _ = camt053(
        "S-12",
        D("1200.00"),
        [
            Entry(
                date(2026, 12, 3),
                False,
                [Tx(D("1200.00"), inv.number, "Retour prélèvement", None, None, "AM04")],
                reversal=True,
            )
        ],
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    result = bank.import_statement(reject, "dec.xml")
    assert len(result.matched) == 1 and result.matched[0].matches[0].kind == "reversal"
    assert invoicing.outstanding(inv) == D("1200.00") and inv.status != "paid"
    assert not _invoice_411_lettered(inv)
    reversal = db.session.get(PaymentReversal, result.matched[0].matches[0].reversal_id)
    payment = reversal.payment
    returned = [
        ln.id
        for e in db.session.scalars(
            select(JournalEntry).where(
                (JournalEntry.id == reversal.entry_id) | (JournalEntry.payment_id == payment.id)
            )
        )
        for ln in e.lines
        if ln.account_number.startswith("411")
    ]
    letters = receivable_letters()
    assert len(returned) == 2 and letters[returned[0]].code == letters[returned[1]].code
    assert (_balance("445740"), _balance("445710")) == (pending, collected)  # VAT back
    assert invoicing.member_balance(inv.member_id) >= D("1200.00")
    rows = invoicing.statement_of_account(inv.member_id)
    assert rows[-1].label == f"Rejet du paiement {inv.number}" and rows[-1].debit == D("1200.00")
    assert rows[-1].balance == invoicing.member_balance(inv.member_id)
    assert bank.bank_balance(date(2026, 12, 31)) == D("0.00")
    months = {m.month: m for m in vat.vat_year(2026).months}
    assert months[11].collected_vat == D("200.00") and months[12].collected_vat == D("-200.00")
    assert all(m.reconciled for m in months.values())

    again, _ = camt053(
        "S-12B",
        D("0"),
        [Entry(date(2026, 12, 20), True, [Tx(D("1200.00"), None, f"Virement {inv.number}")])],
        date(2026, 12, 15),
        date(2026, 12, 31),
    )
    assert len(bank.import_statement(again, "dec2.xml").matched) == 1
    assert inv.status == "paid" and _invoice_411_lettered(inv)
    assert _balance("445740") == pending - D("200.00")
