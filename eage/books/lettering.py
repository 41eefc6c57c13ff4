"""The lettrage of the members' 411 accounts, read from the books and the documents: each
validated 411 line names its document (the entry's invoice or payment), and the payments'
allocations and the credit notes' applications link the documents. The rule itself is pure
(accounting/lettering.py); the FEC and the member ledger show its codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import date
from typing import cast

from sqlalchemy import select

from accounting.lettering import Letter, LetteringLine, letter_account
from accounting.money import D
from eage.extensions import db
from eage.models import CreditApplication, Payment, PaymentAllocation, PaymentReversal
from eage.models.books import JournalEntry, JournalLine

RECEIVABLE_PREFIX = "411"


def _receivable_lines() -> dict[str, list[LetteringLine]]:
    """The validated 411 lines that come from a document, per auxiliary account."""
    query = (
        select(
            JournalLine.id,
            JournalLine.aux_number,
            JournalLine.debit,
            JournalLine.credit,
            JournalEntry.number,
            JournalEntry.date,
            JournalEntry.invoice_id,
            JournalEntry.payment_id,
        )
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalLine.account_number.startswith(RECEIVABLE_PREFIX),
            JournalLine.aux_number.is_not(None),
            (JournalEntry.invoice_id.is_not(None)) | (JournalEntry.payment_id.is_not(None)),
        )
    )
    out: dict[str, list[LetteringLine]] = defaultdict(list)
    for line_id, aux, debit, credit, number, day, invoice_id, payment_id in db.session.execute(
        query
    ):
        document = ("invoice", invoice_id) if invoice_id is not None else ("payment", payment_id)
        out[aux or ""].append(
            LetteringLine(line_id, document, number or "", day, D(debit), D(credit))
        )
    for aux, line in _returned_payment_lines():
        out[aux].append(line)
    return out


def _returned_payment_lines() -> list[tuple[str, LetteringLine]]:
    """The 411 lines of the entries reversing a payment the bank took back (a rejected
    direct debit): they belong to that payment, so the payment and its return letter
    together while the invoice is open again."""
    rows = db.session.execute(
        select(
            JournalLine.id,
            JournalLine.aux_number,
            JournalLine.debit,
            JournalLine.credit,
            JournalEntry.number,
            JournalEntry.date,
            PaymentReversal.payment_id,
        )
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .join(PaymentReversal, PaymentReversal.entry_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalLine.account_number.startswith(RECEIVABLE_PREFIX),
            JournalLine.aux_number.is_not(None),
        )
    )
    return [
        (aux or "", LetteringLine(i, ("payment", p), n or "", day, D(debit), D(credit)))
        for i, aux, debit, credit, n, day, p in rows
    ]


def _links() -> list[tuple[Hashable, Hashable]]:
    """Payment ↔ invoice (allocations) and credit note ↔ invoice (applications)."""
    allocations = db.session.execute(  # a payment the bank took back settles nothing
        select(PaymentAllocation.payment_id, PaymentAllocation.invoice_id).where(
            ~PaymentAllocation.payment.has(Payment.reversal.has())
        )
    )
    applications = db.session.execute(
        select(CreditApplication.credit_note_id, CreditApplication.invoice_id)
    )
    links: list[tuple[Hashable, Hashable]] = [
        (("payment", p), ("invoice", i)) for p, i in allocations
    ]
    links += [(("invoice", c), ("invoice", i)) for c, i in applications]
    return links


def receivable_letters() -> dict[int, Letter]:
    """The lettrage code of every lettered 411 line, by journal line id (codes per member
    auxiliary account, over the whole history of the books)."""
    lines = _receivable_lines()
    account_of = {ln.document: aux for aux, group in lines.items() for ln in group}
    links_of: dict[str, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    for a, b in _links():
        aux = account_of.get(a) or account_of.get(b)
        if aux is not None:
            links_of[aux].append((a, b))
    out: dict[int, Letter] = {}
    for aux, group in lines.items():
        for line_id, letter in letter_account(group, links_of[aux]).items():
            out[cast(int, line_id)] = letter
    return out


def letters_within(start: date, end: date) -> dict[int, Letter]:
    """The codes of the groups whose every line lies in [start, end]: a year's FEC letters
    only what it can show whole (a group spanning two years is open at the first year-end,
    carried by the opening entries, and left unlettered in both files)."""
    return {
        line_id: letter
        for line_id, letter in receivable_letters().items()
        if start <= letter.first_day and letter.day <= end
    }
