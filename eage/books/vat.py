"""VAT on receipts and the monthly CA3 figures, from the database (the rules: accounting/vat.py).

* :func:`payment_vat_moves` — what a payment's ``BQ`` entry moves from 44574 to 44571, per
  invoice it settles: computed from the invoice, its earlier payment allocations and the
  credit notes applied to it (a credit note reversed its own VAT from 44574 when it was
  issued, so it moves nothing; only cash does).
* :func:`vat_year` — the twelve months of a year: bases and VAT that became due, exempt and
  out-of-scope operations, deductible VAT, VAT due, and the books' 44571 / 44566 movements
  and 44574 balance to reconcile them. :func:`vat_csv` exports it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select
from sqlalchemy.orm import selectinload

from accounting import vat as rule
from accounting.formats import plain_decimal, safe_cell
from accounting.invoicing import OUT_OF_SCOPE_KINDS
from accounting.money import ZERO, D
from eage.books.chart import posting_accounts
from eage.extensions import db
from eage.models import Invoice, Payment, PaymentReversal
from eage.models.books import JournalEntry, JournalLine
from eage.models.invoicing import CreditApplication, PaymentAllocation
from eage.parties import organisation, vat_on_debits

# --------------------------------------------------------------------------- payments


def credited(invoice: Invoice) -> tuple[Decimal, Decimal]:
    """What credit notes settled on ``invoice``: (amount incl. tax, its VAT share).

    The credit notes applied to it (``CreditApplication``), each application's VAT its share
    of the credit note's VAT. A credit note's credit not applied yet settles nothing: its VAT
    stays reversed on 44574 until it is applied."""
    amount, vat = ZERO, ZERO
    applications = db.session.scalars(
        select(CreditApplication)
        .where(CreditApplication.invoice_id == invoice.id)
        .options(selectinload(CreditApplication.credit_note))
    )
    for app in applications:
        note = app.credit_note
        amount += D(app.amount)
        vat += rule.vat_share(D(app.amount), D(note.vat), D(note.total_incl_tax))
    return amount, vat


def _on_receipt(invoice: Invoice) -> bool:
    return invoice.kind == "invoice" and D(invoice.vat) > 0 and not vat_on_debits(invoice.seller)


def allocation_vat(allocation: PaymentAllocation) -> Decimal:
    """The VAT one payment allocation makes due (0 under the option for debits or without
    VAT): its share, or the VAT left when it settles the invoice. Earlier allocations are
    those recorded before it; later ones are ignored, so the figure never changes."""
    invoice = allocation.invoice
    if not _on_receipt(invoice):
        return ZERO
    allocations = sorted(
        (
            a
            for a in invoice.allocations
            if a.id is not None
            and a.id <= allocation.id
            and (a.id == allocation.id or not a.payment.is_reversed)  # its VAT went back
        ),
        key=lambda a: a.id,
    )
    earlier = [D(a.amount) for a in allocations if a.id != allocation.id]
    vat, total = D(invoice.vat), D(invoice.total_incl_tax)
    credit_amount, credit_vat = credited(invoice)
    cash = sum(earlier, ZERO) + D(allocation.amount)
    return rule.vat_to_move(
        settled=D(allocation.amount),
        invoice_vat=vat,
        invoice_total=total,
        already_moved=rule.moved_by_earlier(earlier, vat, total),
        credited_vat=credit_vat,
        settles_fully=total - cash - credit_amount <= 0,
    )


def payment_vat_moves(payment: Payment) -> list[rule.VatMove]:
    """The VAT moves of a payment's ``BQ`` entry, one per invoice with VAT due on receipt."""
    moves = []
    for allocation in sorted(payment.allocations, key=lambda a: a.id):
        amount = allocation_vat(allocation)
        if amount:
            moves.append(rule.VatMove(allocation.invoice.number, amount))
    return moves


# --------------------------------------------------------------------------- CA3


def _kind(invoice: Invoice) -> rule.OperationKind:
    if D(invoice.vat) > 0:
        return "taxable"
    if invoice.lines and all(line.kind in OUT_OF_SCOPE_KINDS for line in invoice.lines):
        return "outside"
    return "exempt"


def _receipt_operations(year: int) -> list[rule.Operation]:
    """What the year's payments settled, by month: for an invoice with VAT due on receipt,
    the VAT its payment moved (from the BQ entry) and the base that goes with it; exempt and
    out-of-scope amounts as they are received when the invoice is on receipt."""
    payments = db.session.scalars(
        select(Payment)
        .where(extract("year", Payment.date) == year)
        .options(selectinload(Payment.allocations).selectinload(PaymentAllocation.invoice))
    )
    out = []
    for payment in payments:
        for allocation in payment.allocations:
            invoice = allocation.invoice
            if invoice.kind != "invoice" or vat_on_debits(invoice.seller):
                continue
            kind = _kind(invoice)
            moved = allocation_vat(allocation) if kind == "taxable" else ZERO
            base = D(allocation.amount) - moved
            out.append(rule.Operation(payment.date.month, kind, base, moved))
    return out + _returned_operations(year)


def _returned_operations(year: int) -> list[rule.Operation]:
    """A payment the bank took back (a rejected direct debit, eage/bank/reversals.py) was not
    received after all: what it settled comes off the month of its return."""
    out = []
    for reversal in db.session.scalars(
        select(PaymentReversal).where(extract("year", PaymentReversal.date) == year)
    ):
        for allocation in reversal.payment.allocations:
            invoice = allocation.invoice
            if invoice.kind != "invoice" or vat_on_debits(invoice.seller):
                continue
            kind = _kind(invoice)
            moved = allocation_vat(allocation) if kind == "taxable" else ZERO
            base = D(allocation.amount) - moved
            out.append(rule.Operation(reversal.date.month, kind, -base, -moved))
    return out


def _debit_operations(year: int) -> list[rule.Operation]:
    """The documents issued in the year under the option for debits: their VAT is due at
    invoicing (a credit note counts negative)."""
    documents = db.session.scalars(
        select(Invoice)
        .where(Invoice.year == year)
        .options(selectinload(Invoice.lines))
        .order_by(Invoice.issue_date, Invoice.id)
    )
    out = []
    for inv in documents:
        if not vat_on_debits(inv.seller):
            continue
        sign = -1 if inv.is_credit_note else 1
        out.append(
            rule.Operation(
                inv.issue_date.month,
                _kind(inv),
                sign * D(inv.total_excl_tax),
                sign * D(inv.vat),
            )
        )
    return out


def _net_by_month(account: str, year: int) -> dict[int, Decimal]:
    """Debit − credit of an account per month of the year (validated entries)."""
    month = extract("month", JournalEntry.date)
    rows = db.session.execute(
        select(month, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalLine.account_number == account,
            JournalEntry.validated_at.is_not(None),
            extract("year", JournalEntry.date) == year,
        )
        .group_by(month)
    )
    return {int(m): D(d or 0) - D(c or 0) for m, d, c in rows}


def _balance_before(account: str, day: date) -> Decimal:
    """Credit − debit of an account over the validated entries dated before ``day``."""
    debit, credit = db.session.execute(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalLine.account_number == account,
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date < day,
        )
    ).one()
    return D(credit or 0) - D(debit or 0)


def _books(year: int) -> dict[int, rule.BooksMonth]:
    accounts = posting_accounts()
    collected = _net_by_month(accounts["vat_collected"].number, year)
    deductible = _net_by_month(accounts["vat_deductible"].number, year)
    pending_account = accounts["vat_pending"].number
    pending = _balance_before(pending_account, date(year, 1, 1))
    pending_moves = _net_by_month(pending_account, year)
    out = {}
    for month in range(1, 13):
        pending -= pending_moves.get(month, ZERO)
        out[month] = rule.BooksMonth(
            collected=-collected.get(month, ZERO),
            deductible=deductible.get(month, ZERO),
            pending_balance=pending,
        )
    return out


@dataclass(frozen=True)
class VatYear:
    year: int
    months: list[rule.Ca3Month]
    totals: dict[str, Decimal]
    on_debits: bool  # the option as it stands today (documents keep their own)

    @property
    def reconciled(self) -> bool:
        return all(m.reconciled for m in self.months)


def vat_year(year: int) -> VatYear:
    """The year's CA3 figures per month, reconciled with the books."""
    operations = _receipt_operations(year) + _debit_operations(year)
    months = rule.ca3_year(operations, _books(year))
    org = organisation()
    db.session.commit()  # the chart may have been seeded
    return VatYear(
        year, months, rule.ca3_totals(months), bool(org is not None and org.vat_on_debits)
    )


CSV_COLUMNS = (
    ("Mois", None),
    ("Base HT 20 %", "taxable_base"),
    ("TVA collectée exigible", "collected_vat"),
    ("Opérations exonérées (art. 261 B CGI)", "exempt_base"),
    ("Opérations hors champ (cotisations)", "outside_base"),
    ("TVA déductible", "deductible_vat"),
    ("TVA nette due", "vat_due"),
    ("Mouvement 44571 (livres)", "books_collected"),
    ("Mouvement 44566 (livres)", "books_deductible"),
    ("Solde 44574 fin de mois", "pending_balance"),
)


def vat_csv(report: VatYear) -> bytes:
    """The year's CA3 figures as CSV (semicolon, decimal comma, UTF-8 with BOM for Excel)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(title) for title, _ in CSV_COLUMNS])
    for m in report.months:
        writer.writerow(
            [f"{report.year}-{m.month:02d}"]
            + [plain_decimal(getattr(m, name), 2) for _t, name in CSV_COLUMNS[1:] if name]
        )
    writer.writerow(
        ["Total"] + [plain_decimal(report.totals[name], 2) for _t, name in CSV_COLUMNS[1:] if name]
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def months_by_key(report: VatYear) -> dict[str, rule.Ca3Month]:
    """The months keyed ``YYYY-MM`` (for the tests and the page's anchors)."""
    return {f"{report.year}-{m.month:02d}": m for m in report.months}


__all__ = [
    "CSV_COLUMNS",
    "VatYear",
    "allocation_vat",
    "credited",
    "months_by_key",
    "payment_vat_moves",
    "vat_csv",
    "vat_year",
]
