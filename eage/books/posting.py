"""Posting the documents' entries (SPEC §5 "Accounting entries"): ``VT`` for invoices, credit
notes, fees and regularisations, ``PA`` for payslips, ``BQ`` for payments received. The
rules live in accounting/ledger.py; this module gives them the documents as plain data and
stores the entries they return, numbered and validated.

The posting functions run inside the issuing transaction of their caller, which holds the
issuing lock and commits once; they only add and flush. The commit seals the new entries
into the chain (eage/books/chain.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from accounting import ledger
from accounting.money import D
from eage.books import periods
from eage.books.chart import posting_accounts
from eage.books.vat import payment_vat_moves
from eage.extensions import db
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, Payment, Service
from eage.models.base import utcnow
from eage.models.books import JournalEntry, JournalLine
from eage.models.invoicing import PAYMENT_METHODS
from eage.models.payroll import Payslip
from eage.parties import vat_on_debits
from payroll import load_params
from payroll.imputation import reduction_retirement_ratio as reduction_retirement_ratio_on

# --------------------------------------------------------------------------- entries


def _next_seq(journal: str, year: int) -> int:
    last = db.session.scalar(
        select(func.max(JournalEntry.seq)).where(
            JournalEntry.journal == journal, JournalEntry.year == year
        )
    )
    return int(last or 0) + 1


def number_entry(entry: JournalEntry) -> None:
    """The next number of the entry's journal and year (``VT-2026-00001``); call under the
    issuing lock, in the transaction that validates the entry."""
    entry.seq = _next_seq(entry.journal, entry.year)
    entry.number = f"{entry.journal}-{entry.year}-{entry.seq:05d}"


def _codes_to_ids(entry: ledger.Entry) -> tuple[dict[str, int], dict[str, int]]:
    """The ids of the members and services the entry's lines name by code."""
    # only the codes named (a large group's 1,000 members are not read for each entry)
    member_codes = {ln.member_code for ln in entry.lines if ln.member_code}
    service_codes = {ln.service_code for ln in entry.lines if ln.service_code}
    members: dict[str, int] = (
        dict(
            db.session.execute(
                select(Member.code, Member.id).where(Member.code.in_(member_codes))
            ).all()
        )
        if member_codes
        else {}
    )
    services: dict[str, int] = (
        dict(
            db.session.execute(
                select(Service.code, Service.id).where(Service.code.in_(service_codes))
            ).all()
        )
        if service_codes
        else {}
    )
    return members, services


def persist_entry(
    entry: ledger.Entry, *, origin: str, user_id: int | None, validated: bool, **links: Any
) -> JournalEntry:
    """Store a pure entry with its lines, numbered and validated now if ``validated``
    (else a draft); ``links`` name the document it comes from (``invoice_id=…``). A
    validated entry is refused (:class:`BooksError`) in a missing or closed fiscal year or
    a locked period (eage/books/periods.py)."""
    if validated:
        periods.check_postable(entry.day)
    members, services = _codes_to_ids(entry)
    row = JournalEntry(
        journal=entry.journal,
        year=entry.day.year,
        date=entry.day,
        label=entry.label[:300],
        piece_ref=entry.piece_ref[:60],
        piece_date=entry.piece_date,
        origin=origin,
        created_by_id=user_id,
        **links,
    )
    for pos, ln in enumerate(entry.lines, start=1):
        row.lines.append(
            JournalLine(
                position=pos,
                account_number=ln.account,
                account_label=ln.account_label,
                aux_number=ln.aux_number,
                aux_label=ln.aux_label,
                label=(ln.label or entry.label)[:300],
                debit=ln.debit,
                credit=ln.credit,
                member_id=members.get(ln.member_code) if ln.member_code else None,
                service_id=services.get(ln.service_code) if ln.service_code else None,
            )
        )
    if validated:
        number_entry(row)
        row.validated_at = utcnow()
        row.validated_by_id = user_id
    db.session.add(row)
    db.session.flush()
    return row


# --------------------------------------------------------------------------- VT: sales


def sales_document(inv: Invoice) -> ledger.SalesDocument:
    return ledger.SalesDocument(
        number=inv.number,
        kind=inv.kind,
        issue_date=inv.issue_date,
        member_code=inv.member.code,
        member_name=inv.member.name,
        lines=tuple(
            ledger.SalesLine(line.kind, D(line.amount), line.service.code if line.service else None)
            for line in inv.lines
        ),
        vat=D(inv.vat),
        total_incl_tax=D(inv.total_incl_tax),
        origin=inv.origin,
        vat_on_receipt=not vat_on_debits(inv.seller),
    )


def post_invoice(inv: Invoice, *, user_id: int | None = None) -> JournalEntry:
    """The ``VT`` entry of an issued invoice, credit note, fee or regularisation, validated
    with it (the caller holds the issuing lock and commits). Its VAT goes to 44574 (due on
    receipt) or 44571 (option for debits), as frozen in the document's seller snapshot."""
    entry = ledger.sales_entry(sales_document(inv), posting_accounts())
    entry = _label_closed_year(inv, entry)
    row = persist_entry(entry, origin="invoice", user_id=user_id, validated=True, invoice_id=inv.id)
    post_cut_off(inv, entry, user_id=user_id)
    return row


# --------------------------------------------------------------------------- cut-off


def _service_year(inv: Invoice) -> int | None:
    """The year of the document's service when it is earlier than its issue year."""
    year = inv.period_end.year
    return year if year < inv.issue_date.year else None


def _label_closed_year(inv: Invoice, entry: ledger.Entry) -> ledger.Entry:
    """A document of a year that can no longer be accrued (closed, or locked at 31/12) is
    booked in its issue year, its label saying the year of its service."""
    year = _service_year(inv)
    if year is None or periods.is_postable(date(year, 12, 31)):
        return entry
    return ledger.with_year_label(entry, year)


def post_cut_off(
    inv: Invoice, entry: ledger.Entry, *, user_id: int | None = None
) -> list[JournalEntry]:
    """SPEC §5 "Cut-off": a document for year Y issued after Y, while Y's books are open,
    is accrued in Y at 31/12 (4181 / 4198, VAT on 44587) and reversed on 01/01/Y+1; both
    ``OD`` entries name the document (``accrued_invoice_id``)."""
    year = _service_year(inv)
    if year is None or not periods.is_postable(date(year, 12, 31)):
        return []
    accrual, reversal = ledger.accrual_entries(entry, year, posting_accounts())
    return [
        persist_entry(
            accrual, origin="accrual", user_id=user_id, validated=True, accrued_invoice_id=inv.id
        ),
        persist_entry(
            reversal,
            origin="reversal",
            user_id=user_id,
            validated=True,
            accrued_invoice_id=inv.id,
        ),
    ]


# --------------------------------------------------------------------------- PA: payroll


def month_end(month: str) -> date:
    """The last day of ``YYYY-MM``."""
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def reduction_retirement_ratio(slip: Payslip) -> Decimal:
    """The share of the payslip's general reduction imputed on Agirc-Arrco (DSN), from the
    year's parameters; the employer size is the one the payslip was computed with, read from
    its FNAL line (``fnal_50`` from 50 staff, art. L834-1 CSS)."""
    params = load_params(int(slip.month[:4]))
    large = any(str(line.get("code", "")) == "fnal_50" for line in slip.lines)
    return reduction_retirement_ratio_on(params, month_end(slip.month), large_employer=large)


def payslip_data(slip: Payslip) -> ledger.PayslipData:
    name = str((slip.employee_snapshot or {}).get("name") or slip.employee.name)
    return ledger.PayslipData(
        reduction_retirement_ratio=reduction_retirement_ratio(slip),
        number=slip.number,
        day=month_end(slip.month),
        employee_code=slip.employee.code,
        employee_name=name,
        gross=D(slip.gross),
        tax_withheld=D(slip.tax_withheld),
        net_paid=D(slip.net_paid),
        piece_date=slip.issue_date,
        lines=tuple(
            ledger.PayslipLineData(
                str(line.get("code", "")),
                str(line["heading"]),
                D(line["employee_amount"]),
                D(line["employer_amount"]),
            )
            for line in slip.lines
        ),
    )


def post_payslips(payslips: Iterable[Payslip], *, user_id: int | None = None) -> list[JournalEntry]:
    """The ``PA`` entry of each payslip issued by the month close, validated at the close."""
    accounts = None
    out = []
    for slip in payslips:
        accounts = accounts or posting_accounts()
        entry = ledger.payroll_entry(payslip_data(slip), accounts)
        out.append(
            persist_entry(
                entry, origin="payslip", user_id=user_id, validated=True, payslip_id=slip.id
            )
        )
    return out


# --------------------------------------------------------------------------- BQ: payments


def post_payment(payment: Payment, *, user_id: int | None = None) -> JournalEntry:
    """The ``BQ`` entry of a payment received, validated as it is recorded, with the VAT of
    the invoices it settles that becomes due (44574 → 44571, eage/books/vat.py)."""
    take_issuing_lock()
    entry = ledger.payment_entry(
        day=payment.date,
        reference=payment.reference or f"REG-{payment.id}",
        member_code=payment.member.code,
        member_name=payment.member.name,
        amount=D(payment.amount),
        method=PAYMENT_METHODS.get(payment.method, payment.method),
        accounts=posting_accounts(),
        vat_moves=payment_vat_moves(payment),
    )
    return persist_entry(
        entry, origin="payment", user_id=user_id, validated=True, payment_id=payment.id
    )
