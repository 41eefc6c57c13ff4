"""The document store: every issued document (invoice, credit note, time statement, payslip…)
is generated once, written under instance/storage, recorded with its SHA-256, and served from
there afterwards, byte-identical.

Files are not transactional, the database is: an issuing use case runs its writes inside
``with storage.transaction():``, which records every file stored in the block and, if the
block raises, rolls the session back, deletes those files and re-raises — so a failed issue
leaves neither rows nor files behind."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from eage.extensions import db
from eage.models import StoredDocument

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xml": "application/xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The files stored so far by the innermost open transaction() of this thread or task.
_written: ContextVar[list[str] | None] = ContextVar("eage_storage_written", default=None)


def storage_root() -> Path:
    return Path(current_app.config["STORAGE_PATH"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _forget_orphan(relative: str) -> None:
    """Remove a file no stored-document row points to (left by a transaction that rolled
    back without cleaning up, e.g. a killed process)."""
    path = storage_root() / relative
    if (
        path.exists()
        and db.session.scalar(select(StoredDocument.id).where(StoredDocument.path == relative))
        is None
    ):
        path.unlink()


def store(
    data: bytes, relative: str, kind: str, *, replace_orphan: bool = False, **links: object
) -> StoredDocument:
    """Write `data` once at storage/relative (never overwrite) and record it. With
    `replace_orphan`, a file already there that no row records is replaced."""
    if replace_orphan:
        _forget_orphan(relative)
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(f"document already stored: {relative}")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    written = _written.get()
    if written is not None:
        written.append(relative)
    doc = StoredDocument(
        kind=kind,
        filename=path.name,
        path=relative,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        sha256=sha256(data),
        size=len(data),
        **links,
    )
    db.session.add(doc)
    return doc


def read(doc: StoredDocument) -> bytes:
    return (storage_root() / doc.path).read_bytes()


def verify(doc: StoredDocument) -> bool:
    return sha256(read(doc)) == doc.sha256


def _discard(relatives: list[str]) -> None:
    for rel in relatives:
        with contextlib.suppress(FileNotFoundError):
            (storage_root() / rel).unlink()


@contextlib.contextmanager
def transaction() -> Iterator[list[str]]:
    """Run an issuing block: yields the list of the files stored inside it (in order). If the
    block raises, the session is rolled back, those files are deleted and the exception goes
    on. A block nested in another hands its files to the outer one when it succeeds."""
    written: list[str] = []
    token = _written.set(written)
    try:
        yield written
    except BaseException:
        db.session.rollback()
        _discard(written)
        raise
    finally:
        _written.reset(token)
    outer = _written.get()
    if outer is not None:
        outer.extend(written)
