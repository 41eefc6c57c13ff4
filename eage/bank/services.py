"""Bank statements in (issue 16): import a file all or nothing, never the same statement
twice nor a line twice, book at once what is sure, keep the rest for the accountant, and
book what they confirm, split or assign. Every booking goes through the books' services
(``record_payment``, the payroll ``settle``, ``persist_entry``) into the ``BQ`` journal;
validated entries are never edited, a rejected debit is a new reversing entry."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import func, select

from accounting import ledger
from accounting.money import ZERO, D
from accounting.problems import ProblemsError
from eage import audit
from eage.bank.camt import is_camt, parse_camt
from eage.bank.csv_statement import CsvMapping, parse_csv
from eage.bank.errors import BankError
from eage.bank.matching import SUPPLIER_REF, Proposal, propose
from eage.bank.ofx import is_ofx, parse_ofx
from eage.bank.reversals import reverse_payment
from eage.bank.statement import Statement
from eage.books.chart import posting_accounts
from eage.books.errors import BooksError
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.invoicing.errors import InvoicingError
from eage.models import (
    Expense,
    Invoice,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    Member,
    Payment,
    PaymentAllocation,
)
from eage.models.bank import BankCsvMapping, BankLine, BankMatch, BankStatement
from eage.payslips import settlements
from eage.sepa import statuses as sepa_statuses

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- reading


def csv_mapping(row: BankCsvMapping) -> CsvMapping:
    return CsvMapping(
        account_iban=row.account_iban,
        date_column=row.date_column,
        label_column=row.label_column,
        date_format=row.date_format,
        amount_column=row.amount_column,
        debit_column=row.debit_column,
        credit_column=row.credit_column,
        reference_column=row.reference_column,
        counterparty_column=row.counterparty_column,
        iban_column=row.iban_column,
        decimal_comma=row.decimal_comma,
    )


def read_statement(data: bytes, filename: str, bank: str | None = None) -> Statement:
    """The statement in ``data``: CAMT.053, OFX, or a CSV read with ``bank``'s mapping (the
    only one recorded when not named). Raises ProblemsError with every bad line."""
    if is_camt(data):
        return parse_camt(data)
    if is_ofx(data):
        return parse_ofx(data)
    query = select(BankCsvMapping)
    if bank:
        query = query.where(BankCsvMapping.bank_name == bank)
    rows = list(db.session.scalars(query))
    if len(rows) != 1:
        raise ProblemsError.single(
            tr(
                "format non reconnu : ni CAMT.053 ni OFX ; pour un CSV, enregistrez d'abord le "
                "format de la banque (page Banque › Formats CSV) et choisissez la banque"
            )
            if len(rows) > 1
            else tr(
                "format non reconnu : ni CAMT.053 ni OFX ; pour un CSV, enregistrez d'abord le "
                "format de la banque (page Banque › Formats CSV)"
            )
        )
    return parse_csv(data, csv_mapping(rows[0]), filename)


# --------------------------------------------------------------------------- booking


@dataclass
class Part:
    """One part of a line to book (amounts positive; the line's sign gives the side)."""

    kind: str  # payment / reversal / payroll / account
    amount: Decimal
    member_id: int | None = None
    allocations: dict[int, Decimal] = field(default_factory=dict)
    payment_id: int | None = None
    month: str | None = None
    payroll_kind: str | None = None
    account: str | None = None
    label: str = ""
    supplier: str | None = None


def _part_of(proposal: Proposal, line: BankLine) -> Part:
    return Part(
        kind=proposal.kind,
        amount=abs(D(line.amount)),
        member_id=proposal.member_id,
        allocations=dict(proposal.allocations),
        payment_id=proposal.payment_id,
        month=proposal.month,
        payroll_kind=proposal.payroll_kind,
        account=proposal.account,
        label=proposal.label,
        supplier=proposal.supplier,
    )


def _book_payment(line: BankLine, part: Part, user_id: int | None) -> BankMatch:
    member = db.session.get(Member, part.member_id) if part.member_id else None
    if member is None or line.amount < 0:
        raise BankError(tr("un règlement d'adhérent est un crédit du relevé, avec son adhérent"))
    payment = invoicing.record_payment(
        member=member,
        day=line.booking_date,
        amount=part.amount,
        method="prelevement"
        if line.end_to_end_id and line.end_to_end_id.startswith(("F-", "A-"))
        else "virement",
        reference=(line.end_to_end_id or line.bank_reference or f"BANQUE-{line.id}")[:100],
        allocations=part.allocations or None,
        user_id=user_id,
        commit=False,
    )
    sepa_statuses.mark_done(line.end_to_end_id)
    return BankMatch(kind="payment", amount=part.amount, payment_id=payment.id)


def _book_reversal(line: BankLine, part: Part, user_id: int | None) -> BankMatch:
    payment = db.session.get(Payment, part.payment_id) if part.payment_id else None
    if payment is None or line.amount > 0 or D(payment.amount) != part.amount:
        raise BankError(tr("le rejet doit reprendre un règlement du même montant, au débit"))
    reversal = reverse_payment(
        payment, day=line.booking_date, reason=line.return_reason, user_id=user_id
    )
    sepa_statuses.mark_rejected(line.end_to_end_id or payment.reference)
    return BankMatch(kind="reversal", amount=part.amount, reversal_id=reversal.id)


def _book_account(line: BankLine, part: Part, user_id: int | None) -> BankMatch:
    number = (part.account or "").strip().upper()
    accounts = posting_accounts()  # seeds the chart first
    acc = db.session.scalar(select(LedgerAccount).where(LedgerAccount.number == number))
    bank, receivable = accounts["bank"], accounts["receivable"]
    if acc is None or not acc.active:
        raise BankError(
            tr(
                "le compte « %(number)s » n'est pas au plan comptable (ou est désactivé)",
                number=number,
            )
        )
    if number in (bank.number, receivable.number):
        raise BankError(tr("le compte %(number)s ne peut pas être choisi ici", number=number))
    money_in = line.amount > 0
    label = (part.label or line.remittance or acc.label)[:300]
    entry = ledger.Entry(
        "BQ",
        line.booking_date,
        label,
        (line.bank_reference or line.end_to_end_id or f"BANQUE-{line.id}")[:60],
        line.booking_date,
        (
            ledger.EntryLine(
                bank.number,
                bank.label,
                debit=part.amount if money_in else ZERO,
                credit=ZERO if money_in else part.amount,
                label=label,
            ),
            ledger.EntryLine(
                acc.number,
                acc.label,
                debit=ZERO if money_in else part.amount,
                credit=part.amount if money_in else ZERO,
                label=label,
                **_supplier_aux(acc.number, part.supplier, accounts),
            ),
        ),
    )
    row = persist_entry(entry, origin="bank", user_id=user_id, validated=True)
    if acc.number == accounts["suppliers"].number and not money_in:
        _supplier_paid(line, part.amount)
    return BankMatch(kind="account", amount=part.amount, entry_id=row.id)


def _supplier_paid(line: BankLine, amount: Decimal) -> None:
    """A debit on 401 reading ``FOUR-<expense id>`` (a supplier transfer of eage/sepa) pays
    that expense when it is the whole amount its 401 account owes; the SEPA transaction is
    then done."""
    text = " ".join(t for t in (line.end_to_end_id, line.remittance, line.bank_reference) if t)
    found = SUPPLIER_REF.search(text)
    expense = db.session.get(Expense, int(found.group(1))) if found else None
    if expense is None or expense.paid_by != "supplier" or expense.paid_on is not None:
        return
    if D(expense.amount) + D(expense.vat or 0) != amount:
        return
    expense.paid_on = line.booking_date
    sepa_statuses.mark_done(line.end_to_end_id or f"FOUR-{expense.id}")


def _supplier_aux(number: str, supplier: str | None, accounts: ledger.Accounts) -> dict[str, str]:
    """On the suppliers' account, the supplier's auxiliary account, as the HA entry of its
    expense wrote it (accounting/ledger.py supplier_aux_number)."""
    if number != accounts["suppliers"].number:
        return {}
    return {
        "aux_number": ledger.supplier_aux_number(supplier),
        "aux_label": supplier or ledger.DEFAULT_SUPPLIER,
    }


def _payroll_lines(part: Part) -> list[BankLine]:
    """The open lines proposing the same payroll debt: net salaries go out as one transfer
    per employee, the settlement pays the month's 421 at once."""
    rows = db.session.scalars(select(BankLine).where(BankLine.status.in_(("open", "proposed"))))
    return [
        ln
        for ln in rows
        if ln.proposal
        and ln.proposal.get("kind") == "payroll"
        and ln.proposal.get("month") == part.month
        and ln.proposal.get("payroll_kind") == part.payroll_kind
    ]


def _book_payroll(
    line: BankLine, part: Part, user_id: int | None
) -> list[tuple[BankLine, BankMatch]]:
    if not part.month or part.payroll_kind not in settlements.KINDS or line.amount > 0:
        raise BankError(tr("indiquez le mois et la nature de la paie réglée (au débit)"))
    group = [ln for ln in _payroll_lines(part) if ln.id != line.id] + [line]
    paid = sum((-D(ln.amount) for ln in group), ZERO)
    owed = next(o for o in settlements.month_settlements(part.month) if o.kind == part.payroll_kind)
    if paid != owed.amount:
        raise BankError(
            tr(
                "%(kind)s %(month)s : les lignes du relevé font %(paid)s €, la paie doit "
                "%(owed)s €",
                kind=str(settlements.KIND_LABELS[part.payroll_kind]),
                month=part.month,
                paid=paid,
                owed=owed.amount,
            )
        )
    day = max(ln.booking_date for ln in group)
    try:
        row = settlements.settle(
            part.month,
            part.payroll_kind,
            day,
            paid,
            line.end_to_end_id,
            user_id=user_id,
            commit=False,
        )
    except BooksError as exc:
        raise BankError(exc.messages()) from exc
    for ln in group:
        sepa_statuses.mark_done(ln.end_to_end_id)
    return [
        (ln, BankMatch(kind="settlement", amount=-D(ln.amount), settlement_id=row.id))
        for ln in group
    ]


def _book(
    line: BankLine, parts: list[Part], *, automatic: bool, user_id: int | None
) -> list[BankLine]:
    """Book ``parts`` of ``line`` (no commit); the lines done (a payroll part may close
    several). Raises BankError with every reason."""
    if line.is_done:
        raise BankError(tr("ligne %(line)s : déjà rapprochée", line=line.position))
    total = sum((D(p.amount) for p in parts), ZERO)
    if any(D(p.amount) <= 0 for p in parts) or total != abs(D(line.amount)):
        raise BankError(
            tr(
                "les parts (%(total)s €) doivent faire le montant de la ligne (%(amount)s €)",
                total=total,
                amount=abs(D(line.amount)),
            )
        )
    done: list[tuple[BankLine, BankMatch]] = []
    try:
        for part in parts:
            if part.kind == "payment":
                done.append((line, _book_payment(line, part, user_id)))
            elif part.kind == "reversal":
                done.append((line, _book_reversal(line, part, user_id)))
            elif part.kind == "payroll":
                done.extend(_book_payroll(line, part, user_id))
            elif part.kind == "account":
                done.append((line, _book_account(line, part, user_id)))
            else:
                raise BankError(tr("nature inconnue : %(kind)s", kind=part.kind))
    except (InvoicingError, BooksError) as exc:
        raise BankError(exc.errors if isinstance(exc, InvoicingError) else exc.messages()) from exc
    for ln, match in done:
        match.automatic = automatic
        match.created_by_id = user_id
        ln.matches.append(match)
        ln.status = "matched" if automatic else "confirmed"
    db.session.flush()
    return list(dict.fromkeys(ln for ln, _m in done))


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    statement: BankStatement | None
    already: bool = False
    dry_run: bool = False
    matched: list[BankLine] = field(default_factory=list)
    review: list[BankLine] = field(default_factory=list)
    skipped: int = 0


def _already(data: bytes, statement: Statement) -> BankStatement | None:
    digest = hashlib.sha256(data).hexdigest()
    return db.session.scalar(
        select(BankStatement).where(
            (BankStatement.file_hash == digest)
            | (
                (BankStatement.account_iban == statement.account_iban)
                & (BankStatement.statement_ref == statement.statement_id)
            )
        )
    )


def _store(data: bytes, filename: str, st: Statement, user_id: int | None) -> BankStatement:
    row = BankStatement(
        account_iban=st.account_iban,
        statement_ref=st.statement_id[:100],
        file_format=st.file_format,
        file_name=filename[:255],
        file_hash=hashlib.sha256(data).hexdigest(),
        opening_balance=st.opening_balance,
        closing_balance=st.closing_balance,
        date_from=st.date_from,
        date_to=st.date_to,
        imported_by_id=user_id,
        skipped_lines=0,
    )
    seen: Counter[str] = Counter()
    prints = []
    for ln in st.lines:
        base = ln.fingerprint(st.account_iban)
        prints.append(ln.fingerprint(st.account_iban, seen[base]))
        seen[base] += 1
    known = set(
        db.session.scalars(select(BankLine.fingerprint).where(BankLine.fingerprint.in_(prints)))
    )
    for pos, (ln, fp) in enumerate(zip(st.lines, prints, strict=True), start=1):
        if fp in known:  # already read from an overlapping statement
            row.skipped_lines += 1
            continue
        row.lines.append(
            BankLine(
                position=pos,
                fingerprint=fp,
                booking_date=ln.booking_date,
                value_date=ln.value_date,
                amount=ln.amount,
                counterparty_name=ln.counterparty_name[:200] if ln.counterparty_name else None,
                counterparty_iban=ln.counterparty_iban,
                remittance=ln.remittance[:500] if ln.remittance else None,
                end_to_end_id=ln.end_to_end_id and ln.end_to_end_id[:100],
                bank_reference=ln.bank_reference and ln.bank_reference[:100],
                reversal=ln.reversal,
                return_reason=ln.return_reason,
                status="open",
            )
        )
    db.session.add(row)
    db.session.flush()
    return row


def _match(line: BankLine, user_id: int | None) -> None:
    """Book ``line`` when its reading is sure; else keep the proposal for the accountant.
    A sure booking the rules refuse (a locked period…) falls back to a proposal."""
    if line.is_done:  # settled with another line of its payroll group
        return
    proposal = propose(line)
    line.proposal = proposal.as_json() if proposal else None
    line.status = "proposed" if proposal else "open"
    if proposal is None or not proposal.sure:
        return
    savepoint = db.session.begin_nested()
    try:
        with force_locale("fr"):  # a refusal is stored with the proposal: French, as its label
            _book(line, [_part_of(proposal, line)], automatic=True, user_id=user_id)
        savepoint.commit()
    except BankError as exc:
        savepoint.rollback()
        line.proposal = {**proposal.as_json(), "problem": str(exc)}
        line.status = "proposed"


def import_statement(
    data: bytes,
    filename: str,
    *,
    bank: str | None = None,
    dry_run: bool = False,
    user_id: int | None = None,
) -> ImportResult:
    """Import a statement file: ProblemsError (every bad line) and nothing written, or the
    statement stored with its sure lines booked; the same statement again changes nothing.
    ``dry_run`` does it all and rolls back."""
    st = read_statement(data, filename, bank)
    existing = _already(data, st)
    if existing is not None:
        return ImportResult(existing, already=True, dry_run=dry_run)
    row = _store(data, filename, st, user_id)
    # Money in first: a rejected debit reverses a payment the same statement may credit.
    for line in sorted(row.lines, key=lambda ln: (ln.reversal or ln.amount < 0, ln.position)):
        _match(line, user_id)
    db.session.flush()
    result = ImportResult(
        row,
        dry_run=dry_run,
        matched=[ln for ln in row.lines if ln.is_done],
        review=[ln for ln in row.lines if not ln.is_done],
        skipped=row.skipped_lines,
    )
    if dry_run:
        for ln in row.lines:  # load them, then keep them out of the rollback's reach
            _ = (ln.proposal, ln.matches, ln.id)
        db.session.expunge(row)  # cascades to its lines and their matches
        db.session.rollback()
        return result
    audit.record(
        "create",
        "bank_statement",
        row.id,
        user_id=user_id,
        summary=f"{filename} {st.account_iban} {st.statement_id}: "
        f"{len(result.matched)} rapprochées, {len(result.review)} à revoir, "
        f"{row.skipped_lines} déjà lues",
    )
    db.session.commit()
    logger.info(
        "bank statement %s imported: %s matched, %s to review",
        st.statement_id,
        len(result.matched),
        len(result.review),
    )
    return result


# --------------------------------------------------------------------------- review


def confirm_line(line: BankLine, *, user_id: int | None = None) -> list[BankLine]:
    """Book the line as its proposal says (the accountant agrees)."""
    if not line.proposal:
        raise BankError(tr("ligne %(line)s : aucune proposition ; affectez-la", line=line.position))
    return assign_line(line, [_part_of(Proposal.from_json(line.proposal), line)], user_id=user_id)


def assign_line(line: BankLine, parts: list[Part], *, user_id: int | None = None) -> list[BankLine]:
    """Book ``line`` as ``parts`` (one, or several: a split); one transaction."""
    try:
        done = _book(line, parts, automatic=False, user_id=user_id)
    except BankError:
        db.session.rollback()
        raise
    audit.record(
        "update",
        "bank_line",
        line.id,
        user_id=user_id,
        summary=f"{line.booking_date} {line.amount} € → "
        + ", ".join(f"{p.kind} {p.amount}" for p in parts),
    )
    db.session.commit()
    return done


# --------------------------------------------------------------------------- overview


def bank_balance(until: date) -> Decimal:
    """Debit − credit of the bank account (512) over the validated entries up to ``until``."""
    number = posting_accounts()["bank"].number
    debit, credit = db.session.execute(
        select(
            func.coalesce(func.sum(JournalLine.debit), 0),
            func.coalesce(func.sum(JournalLine.credit), 0),
        )
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(
            JournalLine.account_number == number,
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date <= until,
        )
    ).one()
    return D(debit) - D(credit)


@dataclass(frozen=True)
class StatementView:
    statement: BankStatement
    books_balance: Decimal
    to_review: int

    @property
    def difference(self) -> Decimal | None:
        closing = self.statement.closing_balance
        return None if closing is None else D(closing) - self.books_balance


def statements() -> list[StatementView]:
    rows = db.session.scalars(
        select(BankStatement).order_by(BankStatement.date_to.desc(), BankStatement.id.desc())
    )
    return [
        StatementView(s, bank_balance(s.date_to), sum(1 for ln in s.lines if not ln.is_done))
        for s in rows
    ]


def lines_to_review() -> list[BankLine]:
    return list(
        db.session.scalars(
            select(BankLine)
            .where(BankLine.status.in_(("open", "proposed")))
            .order_by(BankLine.booking_date, BankLine.id)
        )
    )


def save_csv_mapping(values: dict[str, object]) -> BankCsvMapping:
    """Record (or replace) a bank's CSV columns."""
    name = str(values["bank_name"]).strip()
    row = db.session.scalar(select(BankCsvMapping).where(BankCsvMapping.bank_name == name))
    if row is None:
        row = BankCsvMapping(bank_name=name)
        db.session.add(row)
    for key, value in values.items():
        if key != "bank_name":
            setattr(
                row,
                key,
                value.strip()
                if isinstance(value, str) and value.strip()
                else (value if not isinstance(value, str) else None),
            )
    db.session.commit()
    return row


# --------------------------------------------------------------------------- the assign form

ASSIGN_KINDS = (
    "facture",
    "rejet",
    "net_pay",
    "urssaf",
    "retirement",
    "health",
    "withholding_tax",
    "frais",
    "subvention",
    "fournisseur",
    "compte",
)
FIXED_ACCOUNTS = {"frais": "627000", "subvention": "740000", "fournisseur": "401000"}


def _invoice_part(amount: Decimal, target: str) -> Part:
    numbers = [n.strip().upper() for n in target.replace(";", ",").split(",") if n.strip()]
    rows = list(
        db.session.scalars(
            select(Invoice).where(Invoice.number.in_(numbers), Invoice.kind == "invoice")
        )
    )
    if not numbers or len(rows) != len(numbers) or len({r.member_id for r in rows}) != 1:
        raise BankError(
            tr(
                "facture(s) « %(target)s » introuvable(s) ou de plusieurs adhérents",
                target=target,
            )
        )
    plan: dict[int, Decimal] = {}
    left = amount
    for inv in sorted(rows, key=lambda r: (r.issue_date, r.seq)):
        part = min(left, invoicing.outstanding(inv))
        if part > 0:
            plan[inv.id] = part
            left -= part
    if left:
        raise BankError(
            tr(
                "%(amount)s € dépasse ce qui reste dû sur %(numbers)s",
                amount=amount,
                numbers=", ".join(numbers),
            )
        )
    return Part("payment", amount, member_id=rows[0].member_id, allocations=plan)


def _reversal_part(amount: Decimal, target: str) -> Part:
    number = target.strip().upper()
    payment = db.session.scalar(
        select(Payment)
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .join(Invoice, PaymentAllocation.invoice_id == Invoice.id)
        .where(Invoice.number == number, Payment.amount == amount, ~Payment.reversal.has())
        .limit(1)
    )
    if payment is None:
        raise BankError(
            tr(
                "aucun règlement de %(amount)s € sur %(number)s à annuler",
                amount=amount,
                number=number,
            )
        )
    return Part("reversal", amount, payment_id=payment.id)


def parse_parts(rows: list[tuple[str, str, str]]) -> list[Part]:
    """The assign form's rows (kind, amount, target) → parts; every problem at once."""
    parts: list[Part] = []
    problems: list[str] = []
    for n, (kind, raw_amount, target) in enumerate(rows, start=1):
        if not kind and not raw_amount:
            continue
        try:
            amount = D(raw_amount.replace("\u202f", "").replace(" ", "").replace(",", "."))
        except (ArithmeticError, ValueError):
            problems.append(
                tr("part %(n)s : montant « %(amount)s » illisible", n=n, amount=raw_amount)
            )
            continue
        try:
            if kind == "facture":
                parts.append(_invoice_part(amount, target))
            elif kind == "rejet":
                parts.append(_reversal_part(amount, target))
            elif kind in settlements.KINDS:
                parts.append(Part("payroll", amount, month=target.strip(), payroll_kind=kind))
            elif kind in FIXED_ACCOUNTS or kind == "compte":
                account = (
                    target.strip()
                    if kind == "compte" or (kind == "subvention" and target.strip())
                    else FIXED_ACCOUNTS[kind]
                )
                parts.append(Part("account", amount, account=account))
            else:
                problems.append(tr("part %(n)s : nature inconnue", n=n))
        except BankError as exc:
            problems.extend(tr("part %(n)s : %(p)s", n=n, p=p) for p in exc.problems)
    if not parts and not problems:
        problems.append(tr("indiquez au moins une part"))
    if problems:
        raise BankError(problems)
    return parts


def proposed_row(line: BankLine) -> tuple[str, str, str]:
    """The assign form's first row as the proposal reads it: (kind, amount, target)."""
    amount = f"{abs(D(line.amount)):.2f}".replace(".", ",")
    proposal = Proposal.from_json(line.proposal) if line.proposal else None
    if proposal is None:
        return ("", amount, "")
    if proposal.kind == "payment":
        numbers = db.session.scalars(
            select(Invoice.number).where(Invoice.id.in_(proposal.allocations))
        )
        return ("facture", amount, ", ".join(sorted(numbers)))
    if proposal.kind == "payroll":
        return (proposal.payroll_kind or "", amount, proposal.month or "")
    if proposal.kind == "account":
        fixed = {v: k for k, v in FIXED_ACCOUNTS.items()}
        kind = fixed.get(proposal.account or "", "compte")
        return (kind, amount, "" if kind != "compte" else proposal.account or "")
    return ("", amount, "")
