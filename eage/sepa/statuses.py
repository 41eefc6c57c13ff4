"""What the bank statement says of the SEPA files (issue 16): a transaction is `done` once
its line is booked from the statement, `rejected` when the bank returns it (an R-transaction);
a rejected debit's invoice can then go into a new batch. Called by the reconciliation
(eage/bank) with the statement line's EndToEndId, which is the transaction's."""

from __future__ import annotations

from sqlalchemy import select

from eage.extensions import db
from eage.models.sepa import SepaTransaction


def _latest(end_to_end_id: str, statuses: tuple[str, ...]) -> SepaTransaction | None:
    return db.session.scalar(
        select(SepaTransaction)
        .where(
            SepaTransaction.end_to_end_id == end_to_end_id,
            SepaTransaction.status.in_(statuses),
        )
        .order_by(SepaTransaction.id.desc())
        .limit(1)
    )


def mark_done(end_to_end_id: str | None) -> None:
    """The statement books the transaction: nothing when no SEPA file carried that id."""
    found = _latest(end_to_end_id, ("pending",)) if end_to_end_id else None
    if found is not None:
        found.status = "done"


def mark_rejected(end_to_end_id: str | None) -> None:
    """The bank returned the transaction (debit rejected, transfer sent back)."""
    found = _latest(end_to_end_id, ("pending", "done")) if end_to_end_id else None
    if found is not None:
        found.status = "rejected"
