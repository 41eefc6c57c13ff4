"""Numbers `F-YYYY-NNNN` and `A-YYYY-NNNN`: unique, chronological, continuous (art. 242
nonies A ann. II CGI, 7°) — also when several processes issue at once.

Every issuing transaction starts with `eage.locks.take_issuing_lock()`, so issuers queue up
and each reads the series after the previous one committed. A rollback gives its numbers
back."""

from __future__ import annotations

from typing import cast

from accounting.invoicing import DocumentKind, format_invoice_number
from eage.extensions import db
from eage.models import NumberSequence

SERIES = {"invoice": "F", "credit_note": "A"}


def next_number(kind: str, year: int) -> tuple[str, int]:
    """Next number of the series; call only after take_issuing_lock() in the same transaction."""
    series = SERIES[kind]
    row = db.session.get(NumberSequence, (series, year), with_for_update=True)
    if row is None:
        row = NumberSequence(series=series, year=year, last=0)
        db.session.add(row)
    row.last += 1
    db.session.flush()
    return format_invoice_number(cast(DocumentKind, kind), year, row.last), row.last
