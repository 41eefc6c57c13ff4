"""Issued means immutable (ARCHITECTURE §4): the ORM refuses to change or delete what has
been issued, validated or sealed. Corrections are new documents (a credit note, a reversing
entry), never edits.

:data:`FROZEN` declares, as data, which models freeze, when, and which fields may still move
afterwards; :func:`install` (called once by ``create_app``) puts one guard on every session:

* a flush that edits a frozen row (apart from its mutable fields) or deletes one is refused;
* a row added under a frozen parent (a line of a validated entry) is refused;
* bulk ``UPDATE``/``DELETE`` statements on a declared model are refused outright, frozen or
  not, since they bypass the per-row check.

Raw SQL bypasses the ORM; the inalterability chain (eage/books/chain.py) detects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import MANYTOONE, ORMExecuteState, Session, object_session

from eage.models import Expense, Invoice, InvoiceLine, OperatingIncome, StoredDocument
from eage.models.books import ChainLink, JournalEntry, JournalLine
from eage.models.payroll import Payslip


class ImmutableError(RuntimeError):
    """Raised on any attempt to edit or delete a frozen row (an issued document, a validated
    entry, a chain link)."""


# --------------------------------------------------------------------------- when rows freeze


def stored(obj: Any) -> bool:
    """Frozen as soon as it is in the database: these rows are only ever stored issued."""
    return bool(inspect(obj).has_identity)


def _committed(obj: Any, key: str) -> Any:
    """The value of ``key`` as it was loaded from the database (before this flush)."""
    history = inspect(obj).attrs[key].history
    return history.deleted[0] if history.deleted else getattr(obj, key)


def validated(entry: JournalEntry | None) -> bool:
    """A journal entry freezes once its validation is in the database (drafts stay free)."""
    return entry is not None and stored(entry) and _committed(entry, "validated_at") is not None


def in_validated_entry(line: JournalLine) -> bool:
    return validated(line.entry)


def posted(row: Expense | OperatingIncome) -> bool:
    """An expense or an operating income freezes once its entry (HA / BQ) is validated.
    The query runs inside the flush, where the session does not autoflush."""
    session = object_session(row)
    if session is None or not stored(row):
        return False
    link = JournalEntry.expense_id if isinstance(row, Expense) else JournalEntry.income_id
    found = session.scalar(
        select(JournalEntry.id).where(link == row.id, JournalEntry.validated_at.is_not(None))
    )
    return found is not None


# --------------------------------------------------------------------------- what they are called


def _invoice(inv: Invoice) -> str:
    return f"{'credit note' if inv.is_credit_note else 'invoice'} {inv.number}"


def _invoice_line(line: InvoiceLine) -> str:
    return f"line {line.position} of {_invoice(line.invoice)}"


def _document(doc: StoredDocument) -> str:
    return f"stored document {doc.id} ({doc.filename})"


def _payslip(slip: Payslip) -> str:
    return f"payslip {slip.number}"


def _entry(entry: JournalEntry) -> str:
    return f"entry {entry.number}"


def _entry_line(line: JournalLine) -> str:
    return f"line {line.position} of entry {line.entry.number}"


def _expense(row: Expense) -> str:
    return f"expense {row.id}"


def _income(row: OperatingIncome) -> str:
    return f"operating income {row.id}"


def _chain_link(link: ChainLink) -> str:
    return f"chain link {link.seq}"


# --------------------------------------------------------------------------- the declaration


@dataclass(frozen=True)
class Freeze:
    """``model`` rows are frozen once ``frozen_when(row)``; then only ``mutable`` fields may
    change. ``state`` and ``correction`` make the message; ``guards_new`` also refuses new
    rows that are frozen from the start (lines added under a frozen parent)."""

    model: type[Any]
    frozen_when: Callable[[Any], bool]
    name: Callable[[Any], str]
    state: str
    correction: str = ""
    mutable: frozenset[str] = frozenset()
    guards_new: bool = False


_CREDIT_NOTE = "issue a credit note instead"
_REVERSAL = "post a reversing entry instead"

FROZEN: tuple[Freeze, ...] = (
    # The payment and sending follow-up is not part of the issued document.
    Freeze(Invoice, stored, _invoice, "issued", _CREDIT_NOTE, frozenset({"status", "sent_at"})),
    Freeze(InvoiceLine, stored, _invoice_line, "issued", _CREDIT_NOTE),
    Freeze(StoredDocument, stored, _document, "stored", "store a new version instead"),
    Freeze(Payslip, stored, _payslip, "issued"),
    Freeze(JournalEntry, validated, _entry, "validated", _REVERSAL),
    Freeze(JournalLine, in_validated_entry, _entry_line, "validated", _REVERSAL, guards_new=True),
    Freeze(ChainLink, stored, _chain_link, "sealed"),
    # Overheads and operating income once posted (eage/expenses/posting.py).
    # Its payment day is set later, by the bank statement booking FOUR-<id> (eage/bank).
    Freeze(
        Expense,
        posted,
        _expense,
        "posted",
        "enter a negative expense instead",
        frozenset({"paid_on"}),
    ),
    Freeze(OperatingIncome, posted, _income, "posted", "post an OD correction instead"),
)

_BY_MODEL = {rule.model: rule for rule in FROZEN}


def rule_for(obj: Any) -> Freeze | None:
    return _BY_MODEL.get(type(obj))


# --------------------------------------------------------------------------- the guard


def changed_fields(obj: Any) -> set[str]:
    """Columns and many-to-one references changed on ``obj`` since it was loaded."""
    state = inspect(obj)
    columns = {attr.key for attr in state.mapper.column_attrs}
    references = {rel.key for rel in state.mapper.relationships if rel.direction is MANYTOONE}
    return {key for key in columns | references if state.attrs[key].history.has_changes()}


def _refuse_edit(obj: Any, rule: Freeze) -> None:
    changed = changed_fields(obj) - rule.mutable
    if changed and rule.frozen_when(obj):
        advice = f"; {rule.correction}" if rule.correction else ""
        raise ImmutableError(
            f"{rule.name(obj)} is {rule.state}: it can never be edited"
            f" ({', '.join(sorted(changed))}){advice}"
        )


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        rule = rule_for(obj)
        if rule is not None and rule.frozen_when(obj):
            raise ImmutableError(f"{rule.name(obj)} is {rule.state}: it can never be deleted")
    for obj in session.new:
        rule = rule_for(obj)
        if rule is not None and rule.guards_new and rule.frozen_when(obj):
            raise ImmutableError(
                f"{rule.name(obj)} cannot be added: what it belongs to is {rule.state}"
            )
    for obj in session.dirty:
        rule = rule_for(obj)
        if rule is not None:
            _refuse_edit(obj, rule)


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in _BY_MODEL:
            raise ImmutableError(
                f"bulk {'update' if state.is_update else 'delete'} of {mapper.class_.__name__}"
                f" refused: its rows freeze once {_BY_MODEL[mapper.class_].state} and a bulk"
                " statement would bypass that check"
            )


def install() -> None:
    """Guard every Session of the process (idempotent); called by ``create_app``."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
