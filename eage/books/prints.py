"""The books on paper: the journals, the general ledger, the trial balance and the members'
ledger as PDF (A4 landscape, the group's name and SIREN, the period, the date printed and
« page X / Y » on every page, table headers repeated), and the aged balance of receivables.

The figures are the ones the pages show (eage/books/ledgers.py); this module only groups
them for print and renders the HTML templates templates/books/print_*.html with WeasyPrint
(accounting/documents/pdf.py, the fonts and no-external-resource rule of every document)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting.aging import AgedBalance, OpenItem, aged_balance
from accounting.chart import JOURNALS
from accounting.documents.pdf import html_to_pdf
from accounting.money import ZERO, D
from accounting.texts import N_
from eage.books import ledgers
from eage.books.ledgers import BalanceRow, LedgerFilter
from eage.extensions import db
from eage.invoicing.services import member_balance, outstanding
from eage.models import Invoice, Member
from eage.parties import organisation

# PCG, art. 931-1: the classes of accounts.
ACCOUNT_CLASSES = {
    "1": N_("Comptes de capitaux"),
    "2": N_("Comptes d'immobilisations"),
    "3": N_("Comptes de stocks et en-cours"),
    "4": N_("Comptes de tiers"),
    "5": N_("Comptes financiers"),
    "6": N_("Comptes de charges"),
    "7": N_("Comptes de produits"),
    "8": N_("Comptes spéciaux"),
}

OPENING_JOURNAL = "AN"


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class PrintHeader:
    """What every printed page repeats: who, what, for which period, printed when."""

    title: str
    group: str
    siren: str
    start: date | None
    end: date
    printed_on: date
    criteria: str = ""


def header(title: str, start: date | None, end: date, criteria: str = "") -> PrintHeader:
    org = organisation()
    return PrintHeader(
        title,
        org.name if org else "",
        org.siren if org else "",
        start,
        end,
        date.today(),
        criteria,
    )


def criteria_of(flt: LedgerFilter) -> str:
    """The filter in words, for the header (empty when the print is the whole books)."""
    parts = []
    if flt.journal:
        parts.append(f"journal {flt.journal}")
    if flt.account:
        parts.append(f"comptes {flt.account}…")
    if flt.member_id:
        member = db.session.get(Member, flt.member_id)
        parts.append(f"adhérent {member.code if member else flt.member_id}")
    if flt.service_id:
        parts.append(f"service n° {flt.service_id}")
    if flt.include_drafts:
        parts.append("brouillons compris")
    return ", ".join(parts)


def render_pdf(template: str, *, identifier: str, **context: Any) -> bytes:
    """A print: the HTML template rendered in the request's language, then WeasyPrint
    (plain PDF: a print is not an archived document, PDF/A would only slow it down)."""
    return html_to_pdf(render_template(template, **context), identifier=identifier, pdf_a3=False)


# --------------------------------------------------------------------------- journals


@dataclass(frozen=True)
class PrintedLine:
    account: str
    aux: str
    label: str
    debit: Decimal
    credit: Decimal


@dataclass
class PrintedEntry:
    number: str
    day: date
    piece_ref: str
    label: str
    lines: list[PrintedLine] = field(default_factory=list)

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


@dataclass
class PrintedJournal:
    code: str
    label: str
    entries: list[PrintedEntry] = field(default_factory=list)

    @property
    def debit(self) -> Decimal:
        return sum((e.debit for e in self.entries), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((e.credit for e in self.entries), ZERO)


def journals(flt: LedgerFilter) -> list[PrintedJournal]:
    """The entries of each journal for the period (whole entries: the account, member and
    service criteria of the ledgers do not cut an entry in a journal)."""
    whole = LedgerFilter(flt.start, flt.end, flt.journal, include_drafts=flt.include_drafts)
    books: dict[str, PrintedJournal] = {}
    entries: dict[int, PrintedEntry] = {}
    for row in ledgers.journal_lines(whole):
        journal = books.setdefault(
            row.journal, PrintedJournal(row.journal, JOURNALS.get(row.journal, ""))
        )
        entry = entries.get(row.entry_id)
        if entry is None:
            entry = PrintedEntry(
                row.number or "brouillon", row.date, row.piece_ref, row.entry_label
            )
            entries[row.entry_id] = entry
            journal.entries.append(entry)
        entry.lines.append(
            PrintedLine(
                row.account_number, row.aux_number or "", row.label, D(row.debit), D(row.credit)
            )
        )
    return [books[code] for code in sorted(books)]


# --------------------------------------------------------------------------- trial balance


@dataclass(frozen=True)
class PrintedBalanceRow:
    """An account: its opening balance (à-nouveaux and what came before the period in the
    year), the period's movements, the closing balance."""

    account: str
    label: str
    opening: Decimal  # debit − credit
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass
class BalanceGroup:
    """A class of accounts (or the whole balance) and its totals."""

    key: str
    label: str
    rows: list[PrintedBalanceRow] = field(default_factory=list)

    def _sum(self, values: list[Decimal]) -> Decimal:
        return sum(values, ZERO)

    @property
    def opening_debit(self) -> Decimal:
        return self._sum([max(r.opening, ZERO) for r in self.rows])

    @property
    def opening_credit(self) -> Decimal:
        return self._sum([max(-r.opening, ZERO) for r in self.rows])

    @property
    def debit(self) -> Decimal:
        return self._sum([r.debit for r in self.rows])

    @property
    def credit(self) -> Decimal:
        return self._sum([r.credit for r in self.rows])

    @property
    def closing_debit(self) -> Decimal:
        return self._sum([max(r.closing, ZERO) for r in self.rows])

    @property
    def closing_credit(self) -> Decimal:
        return self._sum([max(-r.closing, ZERO) for r in self.rows])


def _net(rows: list[BalanceRow]) -> dict[str, BalanceRow]:
    return {r.account: r for r in rows}


def _opening_rows(flt: LedgerFilter) -> tuple[dict[str, BalanceRow], dict[str, BalanceRow]]:
    """What opens the period: the lines of the year before its first day, and the
    à-nouveaux (journal AN) inside it."""
    before: dict[str, BalanceRow] = {}
    year_start = date(flt.start.year, 1, 1)
    if flt.start > year_start:
        earlier = replace(flt, start=year_start, end=flt.start - timedelta(days=1))
        before = _net(ledgers.trial_balance(earlier))
    carried: dict[str, BalanceRow] = {}
    if flt.journal in (None, OPENING_JOURNAL):
        carried = _net(ledgers.trial_balance(replace(flt, journal=OPENING_JOURNAL)))
    return before, carried


def printed_balance(flt: LedgerFilter) -> tuple[list[BalanceGroup], BalanceGroup]:
    """Balance générale in three pairs of columns, with totals per class and overall."""
    period = _net(ledgers.trial_balance(flt))
    before, carried = _opening_rows(flt)
    rows = []
    for number in sorted(set(period) | set(before)):
        moved, earlier, opened = period.get(number), before.get(number), carried.get(number)
        any_row = moved or earlier
        assert any_row is not None
        opening = (earlier.balance if earlier else ZERO) + (opened.balance if opened else ZERO)
        debit = (moved.debit if moved else ZERO) - (opened.debit if opened else ZERO)
        credit = (moved.credit if moved else ZERO) - (opened.credit if opened else ZERO)
        rows.append(PrintedBalanceRow(number, any_row.label, opening, debit, credit))
    classes: dict[str, BalanceGroup] = {}
    for row in rows:
        key = row.account[:1]
        group = classes.setdefault(key, BalanceGroup(key, ACCOUNT_CLASSES.get(key, "")))
        group.rows.append(row)
    return [classes[k] for k in sorted(classes)], BalanceGroup("", "Total", rows)


# --------------------------------------------------------------------------- aged receivables


@dataclass(frozen=True)
class AgedReceivables:
    balance: AgedBalance
    names: dict[str, str]  # member code → name


def aged_receivables(at: date) -> AgedReceivables:
    """The invoices still owed at ``at`` by days past due (what is owed is
    ``invoicing.outstanding``: payments and credit notes as recorded today), and per member
    what is to its credit and applied to no invoice: its balance (invoices − credit notes −
    payments) less what its invoices still owe."""
    invoices = db.session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.allocations), selectinload(Invoice.member))
        .where(Invoice.kind == "invoice")
        .order_by(Invoice.member_id, Invoice.due_date, Invoice.seq)
    ).all()
    items: list[OpenItem] = []
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    members: dict[str, Member] = {}
    for inv in invoices:
        left = outstanding(inv)
        members[inv.member.code] = inv.member
        owed[inv.member.code] += left
        items.append(OpenItem(inv.member.code, inv.number, inv.issue_date, inv.due_date, left))
    for member in db.session.scalars(select(Member)):
        members.setdefault(member.code, member)
    unapplied = {code: member_balance(member.id) - owed[code] for code, member in members.items()}
    names = {code: member.name for code, member in members.items()}
    return AgedReceivables(aged_balance(items, at, unapplied), names)
