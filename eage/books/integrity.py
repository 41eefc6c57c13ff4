"""The integrity check (``eage verify-integrity``, the integrity page): re-walk the chain from
the database as it is now, name the first broken link, the records that should be chained
and are not, and the stored documents whose bytes no longer give their SHA-256. Read only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting import ledger
from eage.books.chain import MODELS, PAYLOADS, reference, unsealed
from eage.extensions import db
from eage.models import Invoice, StoredDocument
from eage.models.books import ChainLink, JournalEntry
from eage.storage import verify


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


def _chained_records(links: list[ChainLink]) -> dict[str, dict[int, Any]]:
    """The records the links point to, by kind and id, loaded in one query per kind."""
    loaded: dict[str, dict[int, Any]] = {}
    for kind, model in MODELS.items():
        ids = [ln.record_id for ln in links if ln.record_type == kind]
        query = select(model).where(model.id.in_(ids))
        if kind == "invoice":
            query = query.options(selectinload(Invoice.lines), selectinload(Invoice.documents))
        elif kind == "entry":
            query = query.options(selectinload(JournalEntry.lines))
        loaded[kind] = {obj.id: obj for obj in db.session.scalars(query)} if ids else {}
    return loaded


def _stored_documents(kind: str, obj: Any) -> list[StoredDocument | None]:
    if kind == "invoice":
        return list(obj.documents)
    if kind == "payslip":
        return [obj.pdf_document, obj.docx_document]
    return []


def _unchanged(doc: StoredDocument) -> bool:
    try:
        return verify(doc)
    except FileNotFoundError:
        return False


def _chain_items(check_files: bool, altered: list[str]) -> Iterator[ledger.ChainItem]:
    """The chain as the database holds it now; altered documents appended to ``altered``."""
    links = list(db.session.scalars(select(ChainLink).order_by(ChainLink.seq)))
    loaded = _chained_records(links)
    for link in links:
        obj = loaded[link.record_type].get(link.record_id)
        payload = None if obj is None else ledger.canonical_json(PAYLOADS[link.record_type](obj))
        if obj is not None and check_files:
            altered.extend(
                f"{link.reference}: {doc.filename}"
                for doc in _stored_documents(link.record_type, obj)
                if doc is not None and not _unchanged(doc)
            )
        yield ledger.ChainItem(link.seq, link.reference, link.previous_hash, link.hash, payload)


def verify_integrity(*, check_files: bool = True) -> IntegrityReport:
    """Re-walk the chain from the database as it is now (read only), list the records that
    should be chained and are not, and (optionally) the stored documents whose bytes no
    longer give their recorded SHA-256."""
    db.session.expire_all()
    altered: list[str] = []
    report = ledger.verify_chain(_chain_items(check_files, altered))
    not_chained = [reference(kind, obj) for kind, obj in unsealed(db.session)]
    return IntegrityReport(report, not_chained, altered)
