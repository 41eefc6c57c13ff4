"""Documents are generated once, written under instance/storage, and served from there
afterwards, byte-identical, with their SHA-256 recorded."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from flask import current_app

from eage.extensions import db
from eage.models import StoredDocument

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xml": "application/xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def storage_root() -> Path:
    return Path(current_app.config["STORAGE_PATH"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(data: bytes, relative: str, kind: str, **links: object) -> StoredDocument:
    """Write `data` once at storage/relative (never overwrite) and record it."""
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(f"document already stored: {relative}")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
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


def discard(relatives: list[str]) -> None:
    """Remove files written by a transaction that rolled back."""
    for rel in relatives:
        with contextlib.suppress(FileNotFoundError):
            (storage_root() / rel).unlink()
