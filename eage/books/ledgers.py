"""What the books say, read from the validated lines and summed in the database: the trial
balance, the general ledger, the members' auxiliary ledger (411…), and the cross-checks of
the books against the documents (revenue per service, member balances)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, case, func, select

from accounting.chart import member_aux_number
from accounting.money import ZERO, D, round_cents
from eage.books.lettering import receivable_letters
from eage.extensions import db
from eage.models import Invoice, InvoiceLine, Member, Service
from eage.models.books import JournalEntry, JournalLine, LedgerAccount

# --------------------------------------------------------------------------- the filter


@dataclass(frozen=True)
class LedgerFilter:
    start: date
    end: date
    journal: str | None = None
    account: str | None = None  # a number or a prefix ("6", "706")
    member_id: int | None = None
    service_id: int | None = None
    include_drafts: bool = False


def ledger_filter(
    start: date,
    end: date,
    *,
    journal: str | None = None,
    account: str | None = None,
    member_code: str = "",
    service_code: str = "",
    include_drafts: bool = False,
) -> LedgerFilter:
    """A filter whose member and service are given by their code (unknown codes: none)."""
    member_id = (
        db.session.scalar(select(Member.id).where(Member.code == member_code))
        if member_code
        else None
    )
    service_id = (
        db.session.scalar(select(Service.id).where(Service.code == service_code))
        if service_code
        else None
    )
    return LedgerFilter(start, end, journal, account, member_id, service_id, include_drafts)


def filter_choices() -> tuple[list[Member], list[Service]]:
    """The members and services a ledger can be filtered on, by code."""
    members = db.session.scalars(select(Member).order_by(Member.code)).all()
    services = db.session.scalars(select(Service).order_by(Service.code)).all()
    return list(members), list(services)


def _lines_query(flt: LedgerFilter, *columns: Any) -> Any:
    query = (
        select(*columns)
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(JournalEntry.date >= flt.start, JournalEntry.date <= flt.end)
    )
    if not flt.include_drafts:
        query = query.where(JournalEntry.validated_at.is_not(None))
    if flt.journal:
        query = query.where(JournalEntry.journal == flt.journal)
    if flt.account:
        query = query.where(JournalLine.account_number.startswith(flt.account))
    if flt.member_id:
        query = query.where(JournalLine.member_id == flt.member_id)
    if flt.service_id:
        query = query.where(JournalLine.service_id == flt.service_id)
    return query


def _cents(total: Any) -> Decimal:
    """A sum read from the database (a float on SQLite), back to an amount at the cent."""
    return round_cents(D(str(total or 0)))


# --------------------------------------------------------------------------- trial balance


@dataclass(frozen=True)
class BalanceRow:
    account: str
    label: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit

    @property
    def debit_balance(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def credit_balance(self) -> Decimal:
        return max(-self.balance, ZERO)


@dataclass(frozen=True)
class BalanceTotals:
    debit: Decimal
    credit: Decimal
    debit_balance: Decimal
    credit_balance: Decimal


def _account_label(number: str, labels: dict[str, str]) -> str:
    """The chart's label, else (an account since renumbered) the label it was posted with."""
    if number not in labels:
        labels[number] = (
            db.session.scalar(
                select(JournalLine.account_label)
                .where(JournalLine.account_number == number)
                .limit(1)
            )
            or ""
        )
    return labels[number]


def trial_balance(flt: LedgerFilter) -> list[BalanceRow]:
    """Balance générale: debit and credit totals per account, summed in the database."""
    query = _lines_query(
        flt, JournalLine.account_number, func.sum(JournalLine.debit), func.sum(JournalLine.credit)
    ).group_by(JournalLine.account_number)
    labels = dict(db.session.execute(select(LedgerAccount.number, LedgerAccount.label)).all())
    return [
        BalanceRow(number, _account_label(number, labels), _cents(debit), _cents(credit))
        for number, debit, credit in db.session.execute(query.order_by(JournalLine.account_number))
    ]


def balance_totals(rows: list[BalanceRow]) -> BalanceTotals:
    """The trial balance's total row."""
    return BalanceTotals(
        sum((r.debit for r in rows), ZERO),
        sum((r.credit for r in rows), ZERO),
        sum((r.debit_balance for r in rows), ZERO),
        sum((r.credit_balance for r in rows), ZERO),
    )


# --------------------------------------------------------------------------- ledgers


@dataclass(frozen=True)
class LedgerRow:
    entry_id: int
    day: date
    journal: str
    number: str
    piece_ref: str
    account: str
    aux_number: str | None
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    member: str | None
    service: str | None
    line_id: int = 0
    lettering: str = ""  # the member ledger's lettrage code (eage/books/lettering.py)


@dataclass
class LedgerSection:
    account: str
    label: str
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def _ledger_lines(flt: LedgerFilter, by_aux: bool) -> Any:
    """The lines in the order of the ledger, with their member's and service's codes."""
    query = (
        _lines_query(
            flt,
            JournalEntry.id.label("entry_id"),
            JournalEntry.date,
            JournalEntry.journal,
            JournalEntry.number,
            JournalEntry.piece_ref,
            JournalLine.account_number,
            JournalLine.account_label,
            JournalLine.aux_number,
            JournalLine.aux_label,
            JournalLine.label,
            JournalLine.debit,
            JournalLine.credit,
            Member.code.label("member"),
            Service.code.label("service"),
            JournalLine.id.label("line_id"),
        )
        .outerjoin(Member, JournalLine.member_id == Member.id)
        .outerjoin(Service, JournalLine.service_id == Service.id)
    )
    if by_aux:  # the members' auxiliary accounts (411LEFIL…), not the suppliers' (401…)
        query = query.where(
            JournalLine.aux_number.is_not(None), JournalLine.account_number.like("411%")
        )
    # Within a day, the posting order: the opening entries first, then each entry as it was
    # posted (its id), so that the running balance reads as things happened — an invoice,
    # then the payment that settles it — and not in the journals' alphabetical order (BQ
    # before VT), which showed a credit balance before the invoice existed.
    return query.order_by(
        JournalEntry.date,
        case((JournalEntry.origin == "opening", 0), else_=1),
        JournalEntry.id,
        JournalLine.position,
    )


def _ledger_row(line: Row[Any], balance: Decimal) -> LedgerRow:
    return LedgerRow(
        line.entry_id,
        line.date,
        line.journal,
        line.number or "brouillon",
        line.piece_ref,
        line.account_number,
        line.aux_number,
        line.label,
        D(line.debit),
        D(line.credit),
        balance,
        line.member,
        line.service,
        line.line_id,
    )


def _ledger(flt: LedgerFilter, by_aux: bool) -> list[LedgerSection]:
    """One section per account (or member auxiliary account), with a running balance."""
    sections: dict[str, LedgerSection] = {}
    running: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in db.session.execute(_ledger_lines(flt, by_aux)):
        key = line.aux_number if by_aux else line.account_number
        title = line.aux_label if by_aux else line.account_label
        section = sections.setdefault(key, LedgerSection(key, title or ""))
        running[key] += D(line.debit) - D(line.credit)
        section.rows.append(_ledger_row(line, running[key]))
    return [sections[k] for k in sorted(sections)]


def general_ledger(flt: LedgerFilter) -> list[LedgerSection]:
    """Grand livre: the lines of each account in date order, with a running balance."""
    return _ledger(flt, by_aux=False)


def member_ledger(flt: LedgerFilter) -> list[LedgerSection]:
    """Grand livre auxiliaire des adhérents: lines per member auxiliary account (411…), each
    lettered line with its code (the payments and credit notes that settle an invoice)."""
    sections = _ledger(flt, by_aux=True)
    letters = receivable_letters()
    for section in sections:
        section.rows = [
            replace(r, lettering=letters[r.line_id].code) if r.line_id in letters else r
            for r in section.rows
        ]
    return sections


def member_account_balance(member_code: str) -> Decimal:
    """Debit − credit of the member's 411 auxiliary account over the whole books (validated
    entries; the opening entries of a year only carry the previous years' lines, so they are
    left out rather than counted twice)."""
    query = (
        select(func.sum(JournalLine.debit) - func.sum(JournalLine.credit))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalEntry.origin != "opening",
            JournalLine.aux_number == member_aux_number(member_code),
        )
    )
    return _cents(db.session.scalar(query))


def aux_balances(year: int) -> dict[str, Decimal]:
    """Debit − credit per member auxiliary account for the year (validated entries)."""
    flt = LedgerFilter(date(year, 1, 1), date(year, 12, 31))
    query = (
        _lines_query(
            flt, JournalLine.aux_number, func.sum(JournalLine.debit) - func.sum(JournalLine.credit)
        )
        .where(JournalLine.aux_number.is_not(None))
        .group_by(JournalLine.aux_number)
    )
    return {aux: _cents(total) for aux, total in db.session.execute(query)}


# --------------------------------------------------------------------------- cross-checks


def revenue_by_service(year: int) -> dict[str | None, Decimal]:
    """VT revenue (credit − debit of class 7) per service for the year."""
    flt = LedgerFilter(date(year, 1, 1), date(year, 12, 31), journal="VT", account="7")
    query = (
        _lines_query(flt, Service.code, func.sum(JournalLine.credit) - func.sum(JournalLine.debit))
        .outerjoin(Service, JournalLine.service_id == Service.id)
        .group_by(Service.code)
    )
    return {code: _cents(total) for code, total in db.session.execute(query)}


def invoiced_by_service(year: int) -> dict[str | None, Decimal]:
    """Invoices − credit notes excl. tax per service (fees under None), from the documents."""
    out: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    query = (
        select(Invoice.kind, InvoiceLine.kind, Service.code, func.sum(InvoiceLine.amount))
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .outerjoin(Service, InvoiceLine.service_id == Service.id)
        .where(Invoice.issue_date >= date(year, 1, 1), Invoice.issue_date <= date(year, 12, 31))
        .group_by(Invoice.kind, InvoiceLine.kind, Service.code)
    )
    for kind, line_kind, code, total in db.session.execute(query):
        key = None if line_kind == "fee" else code
        out[key] += (-1 if kind == "credit_note" else 1) * D(str(total))
    return {k: round_cents(v) for k, v in out.items()}


# --------------------------------------------------------------------------- journals


def journal_lines(flt: LedgerFilter) -> Any:
    """The lines of the journals (brouillard/journal), in the order they are printed: per
    journal, per entry (date, number), per line — each with its entry's header."""
    query = _lines_query(
        flt,
        JournalEntry.id.label("entry_id"),
        JournalEntry.journal,
        JournalEntry.number,
        JournalEntry.date,
        JournalEntry.piece_ref,
        JournalEntry.label.label("entry_label"),
        JournalLine.account_number,
        JournalLine.aux_number,
        JournalLine.label,
        JournalLine.debit,
        JournalLine.credit,
    )
    return db.session.execute(
        query.order_by(
            JournalEntry.journal,
            JournalEntry.date,
            JournalEntry.seq,
            JournalEntry.id,
            JournalLine.position,
        )
    )
