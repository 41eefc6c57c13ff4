"""A written SEPA file becomes a batch: the XML stored with its SHA-256 under
``sepa/YYYY/<MsgId>-<pain>.xml`` and the batch row that points to it. Debits and transfers
both go through here, inside the caller's ``storage.transaction()``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eage import storage
from eage.extensions import db
from eage.models.sepa import SepaBatch
from eage.sepa import files

PAINS = {"debit": ("pain008", files.DEBIT_SCHEMA), "transfer": ("pain001", files.TRANSFER_SCHEMA)}


def store_batch(
    written: files.Written,
    *,
    kind: str,
    due_date: date,
    count: int,
    total: Decimal,
    user_id: int | None,
    month: str | None = None,
) -> SepaBatch:
    """Store ``written``'s XML and add its batch (kind ``debit`` or ``transfer``)."""
    pain, schema = PAINS[kind]
    year = month[:4] if month else str(due_date.year)
    doc = storage.store(written.xml, f"sepa/{year}/{written.msg_id}-{pain}.xml", f"sepa_{pain}")
    batch = SepaBatch(
        kind=kind,
        schema=schema,
        msg_id=written.msg_id,
        due_date=due_date,
        month=month,
        count=count,
        total=total,
        sha256=doc.sha256,
        document=doc,
        created_by_id=user_id,
    )
    db.session.add(batch)
    return batch
