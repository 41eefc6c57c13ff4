"""eage backup / eage restore (issue 15): a closed month backed up, restored into an empty
instance, gives the same invoices, the same documents (SHA-256) and a verified chain.
On SQLite, and on PostgreSQL when DATABASE_URL names one (a database of its own)."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from eage import backup, create_app
from eage.books.integrity import verify_integrity
from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, Payslip, StoredDocument

OCT = date(2026, 10, 1)


def _snapshot() -> dict[str, object]:
    db.session.expire_all()
    return {
        "invoices": [
            (i.number, i.member.code, i.total_incl_tax)
            for i in db.session.scalars(select(Invoice).order_by(Invoice.number))
        ],
        "payslips": sorted(db.session.scalars(select(Payslip.number))),
        "documents": sorted((d.path, d.sha256) for d in db.session.scalars(select(StoredDocument))),
    }


@pytest.fixture()
def closed_october(app: Flask, october_time: None) -> dict[str, object]:
    closing.close_month(OCT, today=date(2026, 11, 28))
    return _snapshot()


@pytest.fixture()
def fresh_url(app: Flask, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the suite's."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh' / 'eage.sqlite'}"
        return
    name = f"{url.database}_restore_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def fresh_app(fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    instance = tmp_path / "fresh"
    instance.mkdir(exist_ok=True)
    monkeypatch.setenv("EAGE_INSTANCE_PATH", str(instance))
    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "fresh",
            "SQLALCHEMY_DATABASE_URI": fresh_url,
            "STORAGE_PATH": str(instance / "storage"),
            "JOB_RUNNER": "inline",
        }
    )
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def test_backup_then_restore_into_an_empty_instance_is_identical(
    app: Flask, closed_october: dict[str, object], fresh_app: Flask, tmp_path: Path
) -> None:
    archive = backup.backup(tmp_path / "backups")
    assert archive.name.startswith("eage-backup-") and archive.suffixes == [".tar", ".gz"]
    assert archive.stat().st_mode & 0o077 == 0  # payroll data: the owner's only

    with fresh_app.app_context():
        manifest = backup.restore(archive)
        assert _snapshot() == closed_october
        assert len(closed_october["invoices"]) == 2 and closed_october["payslips"]  # type: ignore[arg-type]
        root = Path(fresh_app.config["STORAGE_PATH"])
        for path, sha in closed_october["documents"]:  # type: ignore[attr-defined]
            assert backup._sha256(root / path) == sha
        assert verify_integrity().ok
        assert closing.is_closed(OCT)
    assert manifest["alembic_revision"] and manifest["app_version"]
    assert set(manifest["files"]) >= {f"storage/{p}" for p, _ in closed_october["documents"]}  # type: ignore[attr-defined]


def test_restore_refuses_an_instance_that_holds_data(
    app: Flask, closed_october: dict[str, object], tmp_path: Path
) -> None:
    archive = backup.backup(tmp_path / "backups")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(archive)
    assert _snapshot() == closed_october


def _tampered(archive: Path, into: Path) -> Path:
    """The same archive with one stored document altered (the manifest unchanged)."""
    out = into / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("storage/invoices/") and member.name.endswith(".xml"):
                data = data.replace(b"F-2026-0001", b"F-2026-0009")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def test_restore_checks_every_hash_before_writing_anything(
    app: Flask, closed_october: dict[str, object], fresh_app: Flask, tmp_path: Path
) -> None:
    archive = _tampered(backup.backup(tmp_path / "backups"), tmp_path)
    with fresh_app.app_context():
        with pytest.raises(backup.BackupError, match="SHA-256 differs"):
            backup.restore(archive)
        assert not Path(fresh_app.config["STORAGE_PATH"]).exists()
        assert backup._rows_in_use() == []


def test_the_cli_commands(runner, closed_october: dict[str, object], tmp_path: Path) -> None:
    result = runner.invoke(args=["backup", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    archive = Path(result.output.split("backup written: ")[1].strip())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["dialect"] in ("sqlite", "postgresql")
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "not empty" in refused.output
