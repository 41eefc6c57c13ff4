"""The document store (eage/storage.py): files written once, and forgotten with the
transaction that wrote them when it fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eage import storage
from eage.extensions import db
from eage.models import StoredDocument


def _count() -> int:
    return db.session.scalar(select(func.count(StoredDocument.id))) or 0


def test_a_document_is_stored_once_with_its_hash(app) -> None:
    with storage.transaction() as written:
        doc = storage.store(b"%PDF-1.7 x", "tests/a.pdf", "invoice_pdf")
        db.session.commit()
    assert written == ["tests/a.pdf"]
    assert doc.media_type == "application/pdf" and doc.size == 10
    assert storage.read(doc) == b"%PDF-1.7 x" and storage.verify(doc)
    with pytest.raises(FileExistsError, match=r"already stored: tests/a\.pdf"):
        storage.store(b"other", "tests/a.pdf", "invoice_pdf")


def test_a_failed_transaction_rolls_back_then_forgets_its_files(app) -> None:
    with pytest.raises(RuntimeError, match="rendering failed"), storage.transaction() as written:
        storage.store(b"one", "tests/one.xml", "invoice_xml")
        storage.store(b"two", "tests/two.xml", "invoice_xml")
        db.session.flush()
        raise RuntimeError("rendering failed")
    assert written == ["tests/one.xml", "tests/two.xml"]
    assert _count() == 0
    assert not (storage.storage_root() / "tests" / "one.xml").exists()
    assert not (storage.storage_root() / "tests" / "two.xml").exists()


def test_a_nested_block_hands_its_files_to_the_outer_one(app) -> None:
    with pytest.raises(RuntimeError), storage.transaction() as outer:
        with storage.transaction() as inner:
            storage.store(b"inner", "tests/inner.pdf", "invoice_pdf")
        assert inner == ["tests/inner.pdf"]
        raise RuntimeError("the outer block fails later")
    assert outer == ["tests/inner.pdf"]
    assert not (storage.storage_root() / "tests" / "inner.pdf").exists()


def test_only_an_orphan_file_is_replaced(app) -> None:
    path = storage.storage_root() / "tests" / "left.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind by a killed process")
    doc = storage.store(b"new", "tests/left.pdf", "payslip_pdf", replace_orphan=True)
    db.session.commit()
    assert storage.read(doc) == b"new"
    with pytest.raises(FileExistsError):  # recorded now: never replaced
        storage.store(b"newer", "tests/left.pdf", "payslip_pdf", replace_orphan=True)
