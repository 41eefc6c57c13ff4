"""A member payment taken back by the bank (a rejected SEPA direct debit, R-transaction:
AM04 insufficient funds, MD01 no mandate, AC04 closed account…). The payment stays as it
was (it happened); a :class:`PaymentReversal` records the return and a new ``BQ`` entry is
the payment's entry reversed, line by line: 411 debited again, 512 credited, and the VAT the
payment had made due goes back from 44571 to 44574 (art. 269-2-c CGI: VAT on services is
due on what is actually received). The invoices are open again; the lettering ignores the
reversed payment's allocations (eage/books/lettering.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from accounting import ledger
from eage import audit
from eage.bank.errors import BankError
from eage.books import periods
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.locks import take_issuing_lock
from eage.models import JournalEntry, Payment
from eage.models.bank import PaymentReversal


def reverse_payment(
    payment: Payment, *, day: date, reason: str | None, user_id: int | None = None
) -> PaymentReversal:
    """Record the return of ``payment`` on ``day`` and post its reversing entry (no commit:
    the caller's transaction)."""
    problems = [
        tr("retour du %(day)s refusé : %(p)s", day=format(day, "%d/%m/%Y"), p=p)
        for p in periods.posting_problems([day])
    ]
    if payment.is_reversed:
        problems.append(
            tr("le règlement %(ref)s est déjà annulé", ref=payment.reference or payment.id)
        )
    original = db.session.scalar(select(JournalEntry).where(JournalEntry.payment_id == payment.id))
    if original is None or not original.is_validated:
        problems.append(
            tr(
                "le règlement %(ref)s n'a pas d'écriture validée",
                ref=payment.reference or payment.id,
            )
        )
    if problems:
        raise BankError(problems)
    assert original is not None
    take_issuing_lock()
    label = f"Rejet prélèvement {payment.member.code} {reason or ''}".strip()
    lines = tuple(
        ledger.EntryLine(
            account=ln.account_number,
            account_label=ln.account_label,
            debit=ln.credit,
            credit=ln.debit,
            aux_number=ln.aux_number,
            aux_label=ln.aux_label,
            label=f"Rejet : {ln.label}"[:300],
            member_code=payment.member.code if ln.member_id else None,
        )
        for ln in original.lines
    )
    entry = ledger.Entry(
        "BQ", day, label, (payment.reference or f"REG-{payment.id}")[:60], day, lines
    )
    row = persist_entry(entry, origin="bank", user_id=user_id, validated=True)
    reversal = PaymentReversal(
        payment=payment, date=day, reason=reason, entry_id=row.id, created_by_id=user_id
    )
    db.session.add(reversal)
    db.session.flush()
    for allocation in payment.allocations:
        invoicing.refresh_status(allocation.invoice)
    audit.record(
        "create",
        "payment_reversal",
        reversal.id,
        user_id=user_id,
        summary=f"{payment.member.code} {payment.amount} € rejeté ({reason or '?'}) → {row.number}",
    )
    return reversal
