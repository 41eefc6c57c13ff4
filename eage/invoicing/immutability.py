"""Issued means immutable (ARCHITECTURE §4): the ORM refuses to change or delete an issued
invoice, credit note, line or stored document. Only the follow-up fields may move."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from eage.models import Invoice, InvoiceLine, StoredDocument

# The payment/sending follow-up is not part of the issued document.
MUTABLE_INVOICE_FIELDS = frozenset({"status", "sent_at"})
FROZEN = (Invoice, InvoiceLine, StoredDocument)


class ImmutableDocumentError(RuntimeError):
    """Raised on any attempt to edit or delete an issued document."""


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    changed = set()
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            changed.add(attr.key)
    return changed


def _label(obj: Any) -> str:
    if isinstance(obj, Invoice):
        return f"{'credit note' if obj.is_credit_note else 'invoice'} {obj.number}"
    return f"{type(obj).__name__} {getattr(obj, 'id', '?')}"


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, FROZEN):
            raise ImmutableDocumentError(f"{_label(obj)} is issued: it can never be deleted")
    for obj in session.dirty:
        if not isinstance(obj, FROZEN) or not session.is_modified(obj, include_collections=False):
            continue
        changed = _changed_columns(obj)
        if isinstance(obj, Invoice):
            changed -= MUTABLE_INVOICE_FIELDS
        if changed:
            raise ImmutableDocumentError(
                f"{_label(obj)} is issued: it can never be edited ({', '.join(sorted(changed))});"
                " issue a credit note instead"
            )


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in FROZEN:
            raise ImmutableDocumentError(
                f"bulk {'update' if state.is_update else 'delete'} of {mapper.class_.__name__}"
                " refused: issued documents are immutable"
            )


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
