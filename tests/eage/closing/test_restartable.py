"""A close interrupted half-way leaves nothing half-issued and can be run again (issue 15).

``close_month`` issues the invoices, the payslips and their entries, renders the documents
and locks the month in one transaction inside ``storage.transaction()``. Here the close is
killed after some documents are already on disk: as an exception (the block cleans up), and
as a process killed before it could clean up (its files stay behind as orphans)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from eage import jobs, storage
from eage.books.integrity import verify_integrity
from eage.closing import job
from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, JournalEntry, MonthLock, Payslip, StoredDocument

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


class Killed(RuntimeError):
    """The worker dies in the middle of the close."""


def _die_at_first_statement(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The close dies when it comes to the first time statement: the payslips' documents
    and the first member's invoice documents are on disk. Returns what was written."""
    real = storage.store
    written: list[str] = []

    def store(data: bytes, relative: str, kind: str, **kw: object) -> StoredDocument:
        if kind.startswith("statement"):
            raise Killed(f"killed while storing {relative}")
        doc = real(data, relative, kind, **kw)  # type: ignore[arg-type]
        written.append(relative)
        return doc

    monkeypatch.setattr(storage, "store", store)
    return written


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Invoice, Payslip, JournalEntry, StoredDocument, MonthLock)
    }


def _files(app: Flask) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _kinds(written: list[str]) -> set[str]:
    return {relative.split("/")[0] for relative in written}


def _assert_nothing_issued(app: Flask) -> None:
    assert _counts() == dict.fromkeys(_counts(), 0)
    assert not closing.is_closed(OCT)


@pytest.fixture()
def killed_close(app: Flask, october_time: None, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run the close job until it dies with documents already rendered and stored."""
    written = _die_at_first_statement(monkeypatch)
    progress = jobs.Progress("close")
    outcome = job.run_close(OCT, 1, progress)
    assert outcome == "failed" and _kinds(written) == {"invoices", "payslips"}
    assert jobs.read(progress.id)["status"] == "failed"  # type: ignore[index]
    monkeypatch.undo()
    return written


def test_a_close_killed_half_way_leaves_nothing_and_runs_again(
    app: Flask, killed_close: list[str]
) -> None:
    _assert_nothing_issued(app)
    assert _files(app) == []  # the rendered documents went with the transaction

    result = closing.close_month(OCT, today=TODAY)
    assert result.changed and result.invoices == ["F-2026-0001", "F-2026-0002"]
    assert closing.is_closed(OCT)
    assert verify_integrity().ok


def test_a_worker_killed_before_cleaning_up_leaves_orphans_the_next_close_replaces(
    app: Flask, october_time: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL: the database drops the transaction, but nobody deletes the files."""
    monkeypatch.setattr(storage, "_discard", lambda relatives: None)
    written = _die_at_first_statement(monkeypatch)
    with pytest.raises(Killed):
        closing.close_month(OCT, today=TODAY)
    db.session.rollback()  # what the server does when the connection dies
    monkeypatch.undo()
    _assert_nothing_issued(app)
    root = Path(app.config["STORAGE_PATH"])
    orphans = [str(p.relative_to(root)) for p in _files(app)]
    assert sorted(orphans) == sorted(written) and _kinds(written) == {"invoices", "payslips"}

    result = closing.close_month(OCT, today=TODAY)
    assert result.changed and result.invoices == ["F-2026-0001", "F-2026-0002"]
    recorded = {d.path for d in db.session.scalars(select(StoredDocument))}
    root = Path(app.config["STORAGE_PATH"])
    assert {str(p.relative_to(root)) for p in _files(app)} == recorded
    assert all(storage.verify(d) for d in db.session.scalars(select(StoredDocument)))
    assert verify_integrity().ok


def test_the_close_job_outcome_is_the_log_line(
    app: Flask, october_time: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="eage.jobs")
    jobs.runner().submit(job.run_close, OCT, 1, jobs.Progress("close"))
    lines = [r for r in caplog.records if r.name == "eage.jobs" and r.getMessage() == "job"]
    assert [r.fields["job"] for r in lines] == ["eage.closing.job.run_close"]  # type: ignore[attr-defined]
    assert lines[0].fields["outcome"] == "done"  # type: ignore[attr-defined]
    assert isinstance(lines[0].fields["duration_ms"], int)  # type: ignore[attr-defined]
