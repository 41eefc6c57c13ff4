"""Use cases of the books: the chart, posting the documents' entries, typed OD entries, the
inalterability chain, the FEC and the ledgers. The rules live in accounting/ledger.py.

* Posting functions (:func:`post_invoice`, :func:`post_payslips`, :func:`post_payment`) run
  inside the issuing transaction of their caller, which holds the issuing lock and commits
  once; they only add and flush.
* Every commit that issued an invoice, a credit note or a payslip, or validated an entry,
  seals them into the chain just before it commits (a ``before_commit`` listener), after the
  documents are stored, so their SHA-256 are covered.
* A validated entry and a chain link are never changed or deleted: refused here and by the
  ORM listeners below.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, selectinload

from accounting import chart, ledger
from accounting.money import CENT, ZERO, D
from eage import audit
from eage.extensions import db
from eage.models import (
    AppLock,
    Invoice,
    InvoiceLine,
    Member,
    Organisation,
    Payment,
    Service,
    StoredDocument,
)
from eage.models.base import utcnow
from eage.models.books import ChainLink, JournalEntry, JournalLine, LedgerAccount
from eage.models.payroll import Payslip

ISSUING = "issuing"  # the row of eage/invoicing/numbering.py: one writer at a time


class BooksError(ValueError):
    """A request the rules refuse; the messages are French and shown as they are."""

    def __init__(self, problems: list[ledger.Problem] | list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = [
            p if isinstance(p, ledger.Problem) else ledger.Problem(None, p) for p in problems
        ]
        super().__init__(
            "; ".join(
                p.message if p.line is None else f"ligne {p.line} : {p.message}"
                for p in self.problems
            )
        )


class ImmutableEntryError(RuntimeError):
    """Raised on any attempt to change or delete a validated entry or a chain link."""


def _take_lock(session: Session | None = None) -> None:
    """The issuing lock (an UPDATE on one row): numbering and sealing are serialised with
    every issuer, on SQLite and PostgreSQL alike."""
    s = session or db.session
    result = s.execute(
        update(AppLock).where(AppLock.name == ISSUING).values(counter=AppLock.counter + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        s.add(AppLock(name=ISSUING, counter=1))
        s.flush()


# =========================================================================== chart


def ensure_chart() -> None:
    """Seed the default chart (accounting/chart.py) and a 706 sub-account per service, once;
    the accountant's edits are kept."""
    existing = {a.number: a for a in db.session.scalars(select(LedgerAccount))}
    purposes = {a.purpose for a in existing.values() if a.purpose}
    for acc in chart.DEFAULT_ACCOUNTS:
        if acc.purpose not in purposes and acc.number not in existing:
            row = LedgerAccount(number=acc.number, label=acc.label, purpose=acc.purpose)
            db.session.add(row)
            existing[acc.number] = row
    mapped = {a.service_id for a in existing.values() if a.service_id is not None}
    services = db.session.scalars(select(Service).order_by(Service.id)).all()
    unknown = 0
    for svc in services:
        if svc.id in mapped:
            continue
        number = chart.DEFAULT_SERVICE_ACCOUNTS.get(svc.code.upper())
        if number is None:
            number = chart.service_account(svc.code, unknown)
            unknown += 1
        while number in existing:  # taken by hand: next free 706 sub-account
            number = f"{int(number) + 100:06d}"
        row = LedgerAccount(
            number=number, label=f"Mises à disposition — {svc.label}"[:200], service=svc
        )
        db.session.add(row)
        existing[number] = row
    db.session.flush()


def posting_accounts() -> ledger.Accounts:
    ensure_chart()
    rows = db.session.scalars(select(LedgerAccount).options(selectinload(LedgerAccount.service)))
    by_purpose: dict[str, ledger.AccountRef] = {}
    by_service: dict[str, ledger.AccountRef] = {}
    for row in rows:
        ref = ledger.AccountRef(row.number, row.label)
        if row.purpose:
            by_purpose[row.purpose] = ref
        if row.service is not None:
            by_service[row.service.code] = ref
    return ledger.Accounts(by_purpose, by_service)


def chart_of_accounts() -> list[LedgerAccount]:
    ensure_chart()
    db.session.commit()
    return list(
        db.session.scalars(
            select(LedgerAccount)
            .options(selectinload(LedgerAccount.service))
            .order_by(LedgerAccount.number)
        )
    )


def save_account(
    account: LedgerAccount | None,
    *,
    number: str,
    label: str,
    active: bool = True,
    user_id: int | None = None,
) -> LedgerAccount:
    """Create or edit an account of the chart. Entries already posted keep the number and
    label they were posted with. Every error at once."""
    number = (number or "").strip().upper()
    label = (label or "").strip()
    errors: list[str] = []
    if not ledger._ACCOUNT.match(number):
        errors.append(
            "numéro de compte invalide : de 3 à 20 caractères, commençant par la classe 1 à 8"
        )
    if not label:
        errors.append("indiquez l'intitulé du compte")
    other = db.session.scalar(select(LedgerAccount).where(LedgerAccount.number == number))
    if other is not None and other is not account:
        errors.append(f"le compte {number} existe déjà")
    if account is not None and account.purpose and not active:
        errors.append("ce compte sert aux écritures générées : il ne peut pas être désactivé")
    if errors:
        raise BooksError(errors)
    before = audit.snapshot(account) if account is not None else None
    if account is None:
        account = LedgerAccount(number=number, label=label, active=active)
        db.session.add(account)
    else:
        account.number, account.label, account.active = number, label, active
    db.session.flush()
    audit.record(
        "create" if before is None else "update",
        "ledger_account",
        account.id,
        before=before,
        after=audit.snapshot(account),
        user_id=user_id,
    )
    db.session.commit()
    return account


# =========================================================================== posting


def _next_seq(journal: str, year: int) -> int:
    last = db.session.scalar(
        select(func.max(JournalEntry.seq)).where(
            JournalEntry.journal == journal, JournalEntry.year == year
        )
    )
    return int(last or 0) + 1


def _number(entry: JournalEntry) -> None:
    entry.seq = _next_seq(entry.journal, entry.year)
    entry.number = f"{entry.journal}-{entry.year}-{entry.seq:05d}"


def _persist(
    entry: ledger.Entry, *, origin: str, user_id: int | None, validated: bool, **links: Any
) -> JournalEntry:
    members = (
        {m.code: m.id for m in db.session.scalars(select(Member))}
        if any(ln.member_code for ln in entry.lines)
        else {}
    )
    services = (
        {s.code: s.id for s in db.session.scalars(select(Service))}
        if any(ln.service_code for ln in entry.lines)
        else {}
    )
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
        _number(row)
        row.validated_at = utcnow()
        row.validated_by_id = user_id
    db.session.add(row)
    db.session.flush()
    return row


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
    )


def post_invoice(inv: Invoice, *, user_id: int | None = None) -> JournalEntry:
    """The ``VT`` entry of an issued invoice, credit note, fee or regularisation, validated
    with it (the caller holds the issuing lock and commits)."""
    entry = ledger.sales_entry(sales_document(inv), posting_accounts())
    return _persist(entry, origin="invoice", user_id=user_id, validated=True, invoice_id=inv.id)


def month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def payslip_data(slip: Payslip) -> ledger.PayslipData:
    name = str((slip.employee_snapshot or {}).get("name") or slip.employee.name)
    return ledger.PayslipData(
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
            _persist(entry, origin="payslip", user_id=user_id, validated=True, payslip_id=slip.id)
        )
    return out


def post_payment(payment: Payment, *, user_id: int | None = None) -> JournalEntry:
    """The ``BQ`` entry of a payment received, validated as it is recorded."""
    _take_lock()
    from eage.models.invoicing import PAYMENT_METHODS

    entry = ledger.payment_entry(
        day=payment.date,
        reference=payment.reference or f"REG-{payment.id}",
        member_code=payment.member.code,
        member_name=payment.member.name,
        amount=D(payment.amount),
        method=PAYMENT_METHODS.get(payment.method, payment.method),
        accounts=posting_accounts(),
    )
    return _persist(entry, origin="payment", user_id=user_id, validated=True, payment_id=payment.id)


# =========================================================================== OD


@dataclass
class ManualLine:
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    label: str = ""
    member_id: int | None = None
    service_id: int | None = None


def _manual_entry(
    day: date | None, label: str, piece_ref: str, lines: list[ManualLine]
) -> tuple[ledger.Entry, list[ledger.Problem]]:
    """The pure entry for typed lines, and every problem of the input at once."""
    problems: list[ledger.Problem] = []
    if day is None:
        problems.append(ledger.Problem(None, "indiquez la date de l'écriture"))
    if not (piece_ref or "").strip():
        problems.append(ledger.Problem(None, "indiquez la pièce justificative (référence)"))
    ensure_chart()
    accounts = {a.number: a for a in db.session.scalars(select(LedgerAccount))}
    receivable = next((a.number for a in accounts.values() if a.purpose == "receivable"), None)
    members = {m.id: m for m in db.session.scalars(select(Member))}
    services = {s.id: s for s in db.session.scalars(select(Service))}
    out: list[ledger.EntryLine] = []
    for i, ml in enumerate(lines, start=1):
        number = (ml.account or "").strip().upper()
        acc = accounts.get(number)
        if acc is None:
            problems.append(
                ledger.Problem(i, f"le compte « {number} » n'est pas au plan comptable")
            )
        elif not acc.active:
            problems.append(ledger.Problem(i, f"le compte {number} est désactivé"))
        member = members.get(ml.member_id) if ml.member_id else None
        service = services.get(ml.service_id) if ml.service_id else None
        if number == receivable and member is None:
            problems.append(
                ledger.Problem(i, "le compte adhérents demande l'adhérent (compte auxiliaire)")
            )
        out.append(
            ledger.EntryLine(
                account=number,
                account_label=acc.label if acc else "",
                debit=D(ml.debit or ZERO),
                credit=D(ml.credit or ZERO),
                aux_number=chart.member_aux_number(member.code)
                if member and number == receivable
                else None,
                aux_label=member.name if member and number == receivable else None,
                label=(ml.label or "").strip() or label.strip(),
                member_code=member.code if member else None,
                service_code=service.code if service else None,
            )
        )
    entry = ledger.Entry(
        "OD",
        day or date.today(),
        (label or "").strip(),
        (piece_ref or "").strip(),
        day or date.today(),
        tuple(out),
    )
    problems.extend(ledger.check_entry(entry))
    return entry, problems


def create_manual_entry(
    *,
    day: date | None,
    label: str,
    piece_ref: str,
    lines: list[ManualLine],
    user_id: int | None = None,
) -> JournalEntry:
    """An OD entry typed by the accountant, kept as a draft until validated. Balanced or
    refused, every problem at once; nothing written on error."""
    entry, problems = _manual_entry(day, label, piece_ref, lines)
    if problems:
        db.session.rollback()
        raise BooksError(problems)
    row = _persist(entry, origin="manual", user_id=user_id, validated=False)
    audit.record(
        "create",
        "journal_entry",
        row.id,
        user_id=user_id,
        summary=f"OD brouillon {entry.label} {entry.total_debit} €"[:500],
    )
    db.session.commit()
    return row


def validate_entry(row: JournalEntry, *, user_id: int | None = None) -> JournalEntry:
    """Validate a draft OD: numbered, then immutable and chained at commit."""
    if row.is_validated:
        raise BooksError(f"l'écriture {row.number} est déjà validée")
    _take_lock()
    entry = ledger.Entry(
        row.journal,
        row.date,
        row.label,
        row.piece_ref,
        row.piece_date,
        tuple(
            ledger.EntryLine(ln.account_number, ln.account_label, D(ln.debit), D(ln.credit))
            for ln in row.lines
        ),
    )
    problems = ledger.check_entry(entry)
    if problems:
        db.session.rollback()
        raise BooksError(problems)
    _number(row)
    row.validated_at = utcnow()
    row.validated_by_id = user_id
    db.session.flush()
    audit.record(
        "validate",
        "journal_entry",
        row.number,
        user_id=user_id,
        summary=f"{row.label} {row.total_debit} €"[:500],
    )
    db.session.commit()
    return row


def delete_draft(row: JournalEntry, *, user_id: int | None = None) -> None:
    if row.is_validated:
        raise BooksError(
            f"l'écriture {row.number} est validée : elle ne peut pas être supprimée ;"
            " passez une écriture d'extourne"
        )
    audit.record("delete", "journal_entry", row.id, user_id=user_id, summary=row.label[:500])
    db.session.delete(row)
    db.session.commit()


# =========================================================================== immutability


def _committed(obj: Any, key: str) -> Any:
    """The value of ``key`` as it was loaded from the database (before this flush)."""
    state = inspect(obj)
    if state.transient or state.pending:
        return None
    hist = state.attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    return getattr(obj, key)


def _entry_frozen(entry: JournalEntry | None) -> bool:
    return entry is not None and _committed(entry, "validated_at") is not None


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, ChainLink):
            raise ImmutableEntryError(f"chain link {obj.seq} can never be deleted")
        if isinstance(obj, JournalEntry) and _entry_frozen(obj):
            raise ImmutableEntryError(f"entry {obj.number} is validated: it can never be deleted")
        if isinstance(obj, JournalLine) and _entry_frozen(obj.entry):
            raise ImmutableEntryError(
                f"entry {obj.entry.number} is validated: its lines can never be deleted"
            )
    for obj in session.new:
        if isinstance(obj, JournalLine) and obj.entry is not None and _entry_frozen(obj.entry):
            raise ImmutableEntryError(
                f"entry {obj.entry.number} is validated: no line can be added"
            )
    for obj in session.dirty:
        if not isinstance(obj, ChainLink | JournalEntry | JournalLine):
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ChainLink):
            raise ImmutableEntryError(f"chain link {obj.seq} can never be changed")
        entry = obj if isinstance(obj, JournalEntry) else obj.entry
        if _entry_frozen(entry):
            raise ImmutableEntryError(
                f"entry {entry.number} is validated: it can never be edited;"
                " post a reversing entry instead"
            )
    # Something to seal at commit? A new document or entry, or a draft being validated (not
    # an invoice's follow-up status, which is outside the chain and must not wait for the
    # issuing lock).
    if any(isinstance(obj, Invoice | Payslip | JournalEntry) for obj in session.new) or any(
        isinstance(obj, JournalEntry) for obj in session.dirty
    ):
        session.info["books_to_seal"] = True


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in (ChainLink, JournalEntry, JournalLine):
            raise ImmutableEntryError(
                f"bulk {'update' if state.is_update else 'delete'} of {mapper.class_.__name__} "
                "refused: the books are immutable"
            )


def _before_commit(session: Session) -> None:
    if session.info.pop("books_to_seal", False):
        seal_pending(session)


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "before_commit", _before_commit)


# =========================================================================== chain


def _amount(value: Any) -> str:
    return f"{D(value).quantize(CENT):f}"


def _opt_amount(value: Any) -> str | None:
    return None if value is None else _amount(value)


def _documents(docs: Iterable[StoredDocument | None]) -> list[dict[str, Any]]:
    return sorted(
        (
            {"kind": d.kind, "filename": d.filename, "sha256": d.sha256, "size": d.size}
            for d in docs
            if d is not None
        ),
        key=lambda d: (d["kind"], d["filename"]),
    )


def invoice_payload(inv: Invoice) -> dict[str, Any]:
    """What an issued invoice or credit note is: everything but its follow-up (status,
    sending), with the SHA-256 of its stored documents."""
    return {
        "record": "invoice",
        "number": inv.number,
        "kind": inv.kind,
        "origin": inv.origin,
        "year": inv.year,
        "seq": inv.seq,
        "member_id": inv.member_id,
        "issue_date": inv.issue_date,
        "period_start": inv.period_start,
        "period_end": inv.period_end,
        "month": inv.month,
        "vat_regime": inv.vat_regime,
        "total_excl_tax": _amount(inv.total_excl_tax),
        "vat": _amount(inv.vat),
        "total_incl_tax": _amount(inv.total_incl_tax),
        "due_date": inv.due_date,
        "credited_invoice_id": inv.credited_invoice_id,
        "reason": inv.reason,
        "seller": inv.seller,
        "buyer": inv.buyer,
        "lines": [
            {
                "position": ln.position,
                "kind": ln.kind,
                "service_id": ln.service_id,
                "label": ln.label,
                "minutes": ln.minutes,
                "rate": _opt_amount(ln.rate),
                "amount": _amount(ln.amount),
                "vat_rate": _amount(ln.vat_rate),
            }
            for ln in sorted(inv.lines, key=lambda x: x.position)
        ],
        "documents": _documents(inv.documents),
    }


_PAYSLIP_AMOUNTS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "rgdu",
    "reductions",
    "net_social",
    "net_before_tax",
    "net_taxable",
    "tax_withheld",
    "net_paid",
    "employer_cost",
    "pas_rate",
    "contract_hours",
    "extra_hours",
    "unpaid_absence_hours",
    "worked_hours",
)


def payslip_payload(slip: Payslip) -> dict[str, Any]:
    return {
        "record": "payslip",
        "number": slip.number,
        "employee_id": slip.employee_id,
        "month": slip.month,
        "period_start": slip.period_start,
        "period_end": slip.period_end,
        "payment_date": slip.payment_date,
        "issue_date": slip.issue_date,
        **{name: _amount(getattr(slip, name)) for name in _PAYSLIP_AMOUNTS},
        "rgdu_coefficient": f"{D(slip.rgdu_coefficient).quantize(Decimal('0.0001')):f}",
        "earnings": slip.earnings,
        "lines": slip.lines,
        "rgdu_ytd": slip.rgdu_ytd,
        "extra_hours_by_week": slip.extra_hours_by_week,
        "paid_leave": slip.paid_leave,
        "employee_snapshot": slip.employee_snapshot,
        "employer_snapshot": slip.employer_snapshot,
        "reference_model": slip.reference_model,
        "documents": _documents([slip.pdf_document, slip.docx_document]),
    }


def entry_payload(row: JournalEntry) -> dict[str, Any]:
    validated = row.validated_at
    return {
        "record": "entry",
        "journal": row.journal,
        "number": row.number,
        "date": row.date,
        "label": row.label,
        "piece_ref": row.piece_ref,
        "piece_date": row.piece_date,
        "origin": row.origin,
        "invoice_id": row.invoice_id,
        "payslip_id": row.payslip_id,
        "payment_id": row.payment_id,
        "validated_at": validated.replace(microsecond=0) if validated else None,
        "lines": [
            {
                "position": ln.position,
                "account": ln.account_number,
                "account_label": ln.account_label,
                "aux_number": ln.aux_number,
                "aux_label": ln.aux_label,
                "label": ln.label,
                "debit": _amount(ln.debit),
                "credit": _amount(ln.credit),
                "member_id": ln.member_id,
                "service_id": ln.service_id,
            }
            for ln in sorted(row.lines, key=lambda x: x.position)
        ],
    }


def _reference(kind: str, obj: Any) -> str:
    if kind == "invoice":
        return f"{'credit note' if obj.kind == 'credit_note' else 'invoice'} {obj.number}"
    if kind == "payslip":
        return f"payslip {obj.number}"
    return f"entry {obj.number}"


PAYLOADS = {"invoice": invoice_payload, "payslip": payslip_payload, "entry": entry_payload}
MODELS: dict[str, Any] = {"invoice": Invoice, "payslip": Payslip, "entry": JournalEntry}


def _unsealed(session: Session) -> list[tuple[str, Any]]:
    """Records that should be in the chain and are not yet, in the order they are sealed:
    payslips, invoices and credit notes, then entries (each by id)."""
    out: list[tuple[str, Any]] = []
    for kind in ("payslip", "invoice", "entry"):
        model = MODELS[kind]
        sealed = select(ChainLink.record_id).where(ChainLink.record_type == kind)
        query = select(model).where(model.id.not_in(sealed))
        if kind == "entry":
            query = query.where(JournalEntry.validated_at.is_not(None))
        out.extend((kind, obj) for obj in session.scalars(query.order_by(model.id)))
    return out


def seal_pending(session: Session | None = None) -> list[ChainLink]:
    """Append every issued or validated record not yet chained. Runs just before the commit
    of the transaction that issued them, under the issuing lock, so the sequence stays
    gap-free and the chain linear under concurrent writers."""
    s = session or db.session
    s.flush()
    _take_lock(s)
    s.expire_all()  # hash what the database holds, exactly as verification will read it
    pending = _unsealed(s)
    if not pending:
        return []
    head = s.scalar(select(ChainLink).order_by(ChainLink.seq.desc()).limit(1))
    seq, previous = (head.seq, head.hash) if head else (0, ledger.GENESIS)
    links = []
    for kind, obj in pending:
        seq += 1
        digest = ledger.chain_hash(previous, ledger.canonical_json(PAYLOADS[kind](obj)))
        link = ChainLink(
            seq=seq,
            record_type=kind,
            record_id=obj.id,
            reference=_reference(kind, obj)[:60],
            previous_hash=previous,
            hash=digest,
        )
        s.add(link)
        links.append(link)
        previous = digest
    s.flush()
    s.info.pop("books_to_seal", None)
    return links


@dataclass
class IntegrityReport:
    chain: ledger.ChainReport
    unsealed: list[str] = field(default_factory=list)
    altered_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.unsealed and not self.altered_files

    def lines(self) -> list[str]:
        c = self.chain
        out = [
            f"chain length: {c.length}",
            f"first hash: {c.first_hash or '-'}",
            f"last hash: {c.last_hash or '-'}",
        ]
        if c.broken:
            out.append(f"BROKEN at link {c.broken.seq} ({c.broken.reference}): {c.broken.reason}")
        else:
            out.append("chain intact")
        out += [f"NOT CHAINED: {ref}" for ref in self.unsealed]
        out += [f"FILE ALTERED: {ref}" for ref in self.altered_files]
        return out


def _chain_items(check_files: bool, altered: list[str]) -> Iterator[ledger.ChainItem]:
    from eage.storage import verify

    links = db.session.scalars(select(ChainLink).order_by(ChainLink.seq)).all()
    loaded: dict[str, dict[int, Any]] = {}
    for kind, model in MODELS.items():
        ids = [ln.record_id for ln in links if ln.record_type == kind]
        query = select(model).where(model.id.in_(ids))
        if kind == "invoice":
            query = query.options(selectinload(Invoice.lines), selectinload(Invoice.documents))
        elif kind == "entry":
            query = query.options(selectinload(JournalEntry.lines))
        loaded[kind] = {obj.id: obj for obj in db.session.scalars(query)} if ids else {}
    for link in links:
        obj = loaded[link.record_type].get(link.record_id)
        payload = None if obj is None else ledger.canonical_json(PAYLOADS[link.record_type](obj))
        if obj is not None and check_files and link.record_type != "entry":
            docs = (
                obj.documents
                if link.record_type == "invoice"
                else [obj.pdf_document, obj.docx_document]
            )
            for doc in docs:
                if doc is None:
                    continue
                try:
                    good = verify(doc)
                except FileNotFoundError:
                    good = False
                if not good:
                    altered.append(f"{link.reference}: {doc.filename}")
        yield ledger.ChainItem(link.seq, link.reference, link.previous_hash, link.hash, payload)


def verify_integrity(*, check_files: bool = True) -> IntegrityReport:
    """Re-walk the chain from the database as it is now (read only), list the records that
    should be chained and are not, and (optionally) the stored documents whose bytes no
    longer give their recorded SHA-256."""
    db.session.expire_all()
    altered: list[str] = []
    report = ledger.verify_chain(_chain_items(check_files, altered))
    unsealed = [_reference(kind, obj) for kind, obj in _unsealed(db.session)]
    return IntegrityReport(report, unsealed, altered)


# =========================================================================== queries


def entries(
    *,
    journal: str | None = None,
    year: int | None = None,
    month: str | None = None,
    status: str | None = None,
) -> list[JournalEntry]:
    query = select(JournalEntry).options(selectinload(JournalEntry.lines))
    if journal:
        query = query.where(JournalEntry.journal == journal)
    if year:
        query = query.where(
            JournalEntry.date >= date(year, 1, 1), JournalEntry.date <= date(year, 12, 31)
        )
    if month:
        query = query.where(
            JournalEntry.date >= date(int(month[:4]), int(month[5:7]), 1),
            JournalEntry.date <= month_end(month),
        )
    if status == "draft":
        query = query.where(JournalEntry.validated_at.is_(None))
    elif status == "validated":
        query = query.where(JournalEntry.validated_at.is_not(None))
    return list(
        db.session.scalars(
            query.order_by(
                JournalEntry.date, JournalEntry.journal, JournalEntry.seq, JournalEntry.id
            )
        )
    )


def _in_validation_order(year: int) -> list[JournalEntry]:
    """Validated entries dated in ``year``, in the order of the chain (validation order)."""
    link = (
        select(ChainLink.record_id, ChainLink.seq)
        .where(ChainLink.record_type == "entry")
        .subquery()
    )
    query = (
        select(JournalEntry)
        .outerjoin(link, link.c.record_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date >= date(year, 1, 1),
            JournalEntry.date <= date(year, 12, 31),
        )
        .options(selectinload(JournalEntry.lines))
        .order_by(link.c.seq.is_(None), link.c.seq, JournalEntry.id)
    )
    return list(db.session.scalars(query))


# =========================================================================== FEC


@dataclass(frozen=True)
class FecFile:
    filename: str
    data: bytes
    entries: int
    lines: int


def fec(year: int) -> FecFile:
    """The year's FEC (A47 A-1 LPF): validated entries of the year in validation order."""
    org = db.session.scalar(select(Organisation).limit(1))
    if org is None or not org.siren:
        raise BooksError("le SIREN du groupement n'est pas renseigné")
    rows = _in_validation_order(year)
    lines = []
    for row in rows:
        assert row.number is not None and row.validated_at is not None
        for ln in row.lines:
            lines.append(
                ledger.FecLine(
                    journal_code=row.journal,
                    journal_label=chart.JOURNALS.get(row.journal, row.journal),
                    entry_number=row.number,
                    entry_date=row.date,
                    account_number=ln.account_number,
                    account_label=ln.account_label,
                    aux_number=ln.aux_number,
                    aux_label=ln.aux_label,
                    piece_ref=row.piece_ref,
                    piece_date=row.piece_date,
                    label=ln.label,
                    debit=D(ln.debit),
                    credit=D(ln.credit),
                    valid_date=row.validated_at.date(),
                )
            )
    data = ledger.write_fec(lines)
    return FecFile(ledger.fec_filename(org.siren, date(year, 12, 31)), data, len(rows), len(lines))


# =========================================================================== ledgers


@dataclass(frozen=True)
class LedgerFilter:
    start: date
    end: date
    journal: str | None = None
    account: str | None = None  # a number or a prefix ("6", "706")
    member_id: int | None = None
    service_id: int | None = None
    include_drafts: bool = False


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


def trial_balance(flt: LedgerFilter) -> list[BalanceRow]:
    """Balance générale: debit and credit totals per account, summed in the database."""
    query = _lines_query(
        flt, JournalLine.account_number, func.sum(JournalLine.debit), func.sum(JournalLine.credit)
    ).group_by(JournalLine.account_number)
    labels = dict(db.session.execute(select(LedgerAccount.number, LedgerAccount.label)).all())
    rows = []
    for number, debit, credit in db.session.execute(query.order_by(JournalLine.account_number)):
        if number not in labels:
            labels[number] = (
                db.session.scalar(
                    select(JournalLine.account_label)
                    .where(JournalLine.account_number == number)
                    .limit(1)
                )
                or ""
            )
        rows.append(
            BalanceRow(
                number,
                labels[number],
                D(str(debit or 0)).quantize(CENT),
                D(str(credit or 0)).quantize(CENT),
            )
        )
    return rows


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


def _ledger(flt: LedgerFilter, key: str) -> list[LedgerSection]:
    columns = (
        JournalEntry.id,
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
        Member.code,
        Service.code,
    )
    query = (
        _lines_query(flt, *columns)
        .outerjoin(Member, JournalLine.member_id == Member.id)
        .outerjoin(Service, JournalLine.service_id == Service.id)
    )
    if key == "aux":
        query = query.where(JournalLine.aux_number.is_not(None))
    query = query.order_by(
        JournalEntry.date,
        JournalEntry.journal,
        JournalEntry.seq,
        JournalEntry.id,
        JournalLine.position,
    )
    sections: dict[str, LedgerSection] = {}
    running: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (
        eid,
        day,
        journal,
        number,
        piece,
        account,
        account_label,
        aux,
        aux_label,
        label,
        debit,
        credit,
        member,
        service,
    ) in db.session.execute(query):
        section_key = aux if key == "aux" else account
        title = aux_label if key == "aux" else account_label
        section = sections.setdefault(section_key, LedgerSection(section_key, title or ""))
        debit, credit = D(debit), D(credit)
        running[section_key] += debit - credit
        section.rows.append(
            LedgerRow(
                eid,
                day,
                journal,
                number or "brouillon",
                piece,
                account,
                aux,
                label,
                debit,
                credit,
                running[section_key],
                member,
                service,
            )
        )
    return [sections[k] for k in sorted(sections)]


def general_ledger(flt: LedgerFilter) -> list[LedgerSection]:
    """Grand livre: the lines of each account in date order, with a running balance."""
    return _ledger(flt, "account")


def member_ledger(flt: LedgerFilter) -> list[LedgerSection]:
    """Grand livre auxiliaire des adhérents: lines per member auxiliary account (411…)."""
    return _ledger(flt, "aux")


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
    return {aux: D(str(total)).quantize(CENT) for aux, total in db.session.execute(query)}


# =========================================================================== xlsx


def _workbook(
    title: str,
    subtitle: str,
    header: list[str],
    rows: Iterable[list[Any]],
    money_columns: set[int],
    total_rows: set[int] | None = None,
) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([subtitle])
    ws["A2"].font = Font(italic=True, color="555555")
    ws.append([])
    ws.append(header)
    head_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(h) + 2 for h in header]
    thin = Side(style="thin", color="999999")
    count = 0
    for count, values in enumerate(rows, start=1):
        ws.append(values)
        r = ws.max_row
        for i, value in enumerate(values):
            cell = ws.cell(row=r, column=i + 1)
            if i in money_columns:
                cell.number_format = '#,##0.00;-#,##0.00;""'
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            widths[i] = min(max(widths[i], len(str(value if value is not None else "")) + 2), 60)
        if total_rows and count in total_rows:
            for cell in ws[r]:
                cell.font = Font(bold=True)
                cell.border = Border(top=thin)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(width, 10)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(header))}{max(ws.max_row, 4)}"
    ws.sheet_view.showGridLines = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _period(flt: LedgerFilter) -> str:
    parts = [f"du {flt.start:%d/%m/%Y} au {flt.end:%d/%m/%Y}"]
    if flt.journal:
        parts.append(f"journal {flt.journal}")
    if flt.account:
        parts.append(f"comptes {flt.account}…")
    return ", ".join(parts) + ("" if not flt.include_drafts else ", brouillons compris")


def trial_balance_xlsx(flt: LedgerFilter) -> bytes:
    rows = trial_balance(flt)
    data: list[list[Any]] = [
        [r.account, r.label, r.debit, r.credit, r.debit_balance, r.credit_balance] for r in rows
    ]
    data.append(
        [
            "Total",
            "",
            sum((r.debit for r in rows), ZERO),
            sum((r.credit for r in rows), ZERO),
            sum((r.debit_balance for r in rows), ZERO),
            sum((r.credit_balance for r in rows), ZERO),
        ]
    )
    return _workbook(
        "Balance générale",
        _period(flt),
        ["Compte", "Intitulé", "Débit", "Crédit", "Solde débiteur", "Solde créditeur"],
        data,
        {2, 3, 4, 5},
        {len(data)},
    )


def _ledger_xlsx(title: str, sections: list[LedgerSection], flt: LedgerFilter) -> bytes:
    data: list[list[Any]] = []
    totals: set[int] = set()
    for s in sections:
        for r in s.rows:
            data.append(
                [
                    s.account,
                    r.day,
                    r.journal,
                    r.number,
                    r.piece_ref,
                    r.account,
                    r.label,
                    r.member or "",
                    r.service or "",
                    r.debit,
                    r.credit,
                    r.balance,
                ]
            )
        data.append(
            [
                s.account,
                None,
                "",
                "",
                "",
                "",
                f"Total {s.account} {s.label}",
                "",
                "",
                s.debit,
                s.credit,
                s.balance,
            ]
        )
        totals.add(len(data))
    return _workbook(
        title,
        _period(flt),
        [
            "Compte",
            "Date",
            "Journal",
            "N° écriture",
            "Pièce",
            "Compte général",
            "Libellé",
            "Adhérent",
            "Service",
            "Débit",
            "Crédit",
            "Solde",
        ],
        data,
        {9, 10, 11},
        totals,
    )


def general_ledger_xlsx(flt: LedgerFilter) -> bytes:
    return _ledger_xlsx("Grand livre", general_ledger(flt), flt)


def member_ledger_xlsx(flt: LedgerFilter) -> bytes:
    return _ledger_xlsx("Grand livre adhérents", member_ledger(flt), flt)


# =========================================================================== cross-checks


def revenue_by_service(year: int) -> dict[str | None, Decimal]:
    """VT revenue (credit − debit of class 7) per service for the year."""
    flt = LedgerFilter(date(year, 1, 1), date(year, 12, 31), journal="VT", account="7")
    query = (
        _lines_query(flt, Service.code, func.sum(JournalLine.credit) - func.sum(JournalLine.debit))
        .outerjoin(Service, JournalLine.service_id == Service.id)
        .group_by(Service.code)
    )
    return {code: D(str(total)).quantize(CENT) for code, total in db.session.execute(query)}


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
    return {k: v.quantize(CENT) for k, v in out.items()}


# The listeners guard every session of the process as soon as the books are imported (the
# invoicing services import this module, so does the app factory through the blueprint).
install()
