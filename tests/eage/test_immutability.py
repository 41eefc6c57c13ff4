"""Issued means immutable (ARCHITECTURE §4), checked from the declaration in
eage/immutability.py: every declared model refuses edits, deletions and bulk statements once
frozen, and lets its follow-up fields move."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import inspect, select, update

from eage.books import entries
from eage.closing import services as closing
from eage.extensions import db
from eage.immutability import FROZEN, Freeze, ImmutableError
from eage.models import Expense, Invoice, InvoiceLine, OperatingIncome, StoredDocument
from eage.models.books import ChainLink, JournalEntry, JournalLine
from eage.models.payroll import Payslip
from tests.eage.closing.conftest import add_time, october_time  # noqa: F401

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)

# One field each declared model must refuse to change once frozen, and the new value tried.
FROZEN_EDITS: dict[type[Any], tuple[str, Any]] = {
    Invoice: ("total_excl_tax", Decimal("1.00")),
    InvoiceLine: ("amount", Decimal("0.01")),
    StoredDocument: ("sha256", "0" * 64),
    Payslip: ("gross", Decimal("1.00")),
    JournalEntry: ("label", "autre chose"),
    JournalLine: ("debit", Decimal("1.00")),
    ChainLink: ("hash", "0" * 64),
    Expense: ("amount", Decimal("1.00")),
    OperatingIncome: ("amount", Decimal("1.00")),
}
# A value for every field a frozen row may still change.
FOLLOW_UP = {
    "status": "sent",
    "sent_at": datetime(2026, 11, 28, 9, 30),
    "paid_on": date(2026, 12, 4),  # an expense paid: the bank statement booked FOUR-<id>
}


@pytest.fixture()
def closed(app, october_time) -> None:  # noqa: F811
    """October closed: invoices and their lines and documents, payslips, an expense and an
    operating income, their VT, PA, HA and BQ entries, and the chain links sealing them —
    every declared model, frozen."""
    db.session.add(Expense(date=OCT, account="613200", label="Loyer", amount=Decimal("100.00")))
    db.session.add(
        OperatingIncome(date=OCT, account="740000", label="Subvention", amount=Decimal("50.00"))
    )
    db.session.commit()
    closing.close_month(OCT, today=TODAY)


def frozen_row(rule: Freeze) -> Any:
    first = select(rule.model).order_by(*inspect(rule.model).primary_key).limit(1)
    row = db.session.scalars(first).first()
    assert row is not None and rule.frozen_when(row), rule.model.__name__
    return row


def refused(change: Any, match: str) -> None:
    with pytest.raises(ImmutableError, match=match):
        change()
        db.session.flush()
    db.session.rollback()


def test_every_declared_model_is_exercised() -> None:
    assert set(FROZEN_EDITS) == {rule.model for rule in FROZEN}
    assert {field for rule in FROZEN for field in rule.mutable} <= set(FOLLOW_UP)


@pytest.mark.parametrize("rule", FROZEN, ids=lambda rule: rule.model.__name__)
def test_frozen_rows_refuse_edits_deletions_and_bulk_statements(closed, rule: Freeze) -> None:
    field, value = FROZEN_EDITS[rule.model]
    refused(lambda: setattr(frozen_row(rule), field, value), f"can never be edited \\({field}\\)")
    refused(lambda: db.session.delete(frozen_row(rule)), "can never be deleted")
    refused(lambda: db.session.execute(update(rule.model).values({field: value})), "bulk update")


def test_follow_up_fields_still_move(closed) -> None:
    for rule in FROZEN:
        if not rule.mutable:
            continue
        row = frozen_row(rule)
        for field in rule.mutable:
            setattr(row, field, FOLLOW_UP[field])
        db.session.commit()
        db.session.expire_all()
        row = frozen_row(rule)
        assert {field: getattr(row, field) for field in rule.mutable} == {
            field: FOLLOW_UP[field] for field in rule.mutable
        }


def test_a_draft_entry_moves_until_validated_then_takes_no_new_line(app, demo) -> None:
    draft = entries.create_manual_entry(
        day=date(2026, 11, 16),
        label="Essai",
        piece_ref="X",
        lines=[
            entries.ManualLine("512000", debit=Decimal("1.00")),
            entries.ManualLine("756000", credit=Decimal("1.00")),
        ],
    )
    draft.label = "Essai corrigé"
    draft.lines[0].label = "Banque"
    db.session.commit()  # a draft is not frozen
    entries.validate_entry(draft)
    new_line = JournalLine(
        position=3, account_number="512000", account_label="Banque", label="x", debit=0, credit=0
    )
    refused(
        lambda: db.session.get(JournalEntry, draft.id).lines.append(new_line), "cannot be added"
    )
    refused(lambda: setattr(db.session.get(JournalEntry, draft.id), "label", "x"), "reversing")
