"""Backups: ``eage backup --output DIR`` and ``eage restore FILE``.

One archive ``eage-backup-<UTC time>.tar.gz`` holds ``manifest.json`` (date, app version,
Alembic revision, database dialect, SHA-256 and size of every file), the database
(``database.sqlite`` through SQLite's online backup API, safe while the app runs; or
``database.pgdump``, ``pg_dump -Fc``) and the stored documents (``storage/…``). The
database is copied first: a document committed before the copy has its file (files are
written before their row commits); a file written later is an orphan the store ignores.

A restore goes into an EMPTY instance only (no row in any table but the migrations' seeds,
no stored file): it checks every hash of the manifest before it writes anything, restores
the database and the documents, then runs the migrations (an archive of an older version is
upgraded)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL

from eage.extensions import db
from eage.models import Base

MANIFEST = "manifest.json"
FORMAT = 1
SEEDED_TABLES = {"app_lock", "alembic_version"}  # rows the migrations write themselves


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _storage() -> Path:
    return Path(current_app.config["STORAGE_PATH"])


def _url() -> URL:
    return db.engine.url


# -- the database, per dialect -------------------------------------------------------------


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URL for pg_dump/pg_restore, and an environment holding the password (not on
    the command line, where `ps` would show it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _major(version_text: str) -> int:
    """12 from "pg_dump (PostgreSQL) 12.4 (Debian …)"."""
    found = re.search(r"PostgreSQL\)\s+(\d+)", version_text)
    if not found:
        raise BackupError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(found.group(1))


def _check_pg_tool(tool: str) -> None:
    """The client tool must exist and be at least as new as the server (pg_dump refuses to
    dump a newer server)."""
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: apt-get install postgresql-client "
            "(the same major version as the server)"
        )
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    client = _major(out)
    server = int(db.session.scalar(text("SHOW server_version_num")) or 0) // 10000
    if client < server:
        raise BackupError(
            f"{tool} is version {client} but the server is PostgreSQL {server}: "
            f"install postgresql-client-{server}"
        )


def _dump_database(staging: Path) -> str:
    url = _url()
    if url.get_backend_name() == "sqlite":
        name = "database.sqlite"
        source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
        target = sqlite3.connect(staging / name)
        with target:
            source.backup(target)  # the online backup API: a consistent copy, app running
        source.close()
        target.close()
        return name
    _check_pg_tool("pg_dump")
    name = "database.pgdump"
    libpq, env = _libpq(url)
    _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", "-f", str(staging / name), libpq], env)
    return name


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


# -- backup --------------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version("eage")
    except metadata.PackageNotFoundError:
        return "unknown"


def _revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    revision: str | None = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


def _documents() -> list[Path]:
    root = _storage()
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".tmp"))


def backup(output: Path) -> Path:
    """Write the archive into `output` (created if needed); returns its path."""
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = output / f"eage-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="eage-backup-") as tmp:
        staging = Path(tmp)
        database = _dump_database(staging)
        entries = [(database, staging / database)]
        entries += [(f"storage/{p.relative_to(_storage())}", p) for p in _documents()]
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": _version(),
            "alembic_revision": _revision(),
            "dialect": _url().get_backend_name(),
            "database": database,
            "files": {
                name: {"sha256": _sha256(p), "size": p.stat().st_size} for name, p in entries
            },
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = archive.with_suffix(".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging / MANIFEST, arcname=MANIFEST)
            for name, path in entries:
                tar.add(path, arcname=name)
        partial.chmod(0o600)  # payroll and accounts: readable by the instance's owner only
        partial.replace(archive)
    return archive


# -- restore -------------------------------------------------------------------------------


def _rows_in_use() -> list[str]:
    """The tables that hold rows besides the migrations' seeds."""
    existing = set(inspect(db.engine).get_table_names())
    return [
        table.name
        for table in Base.metadata.sorted_tables
        if table.name in existing
        and table.name not in SEEDED_TABLES
        and db.session.scalar(select(func.count()).select_from(table))
    ]


def _refuse_unless_empty() -> None:
    used = _rows_in_use()
    files = _documents()
    db.session.rollback()
    if used or files:
        what = []
        if used:
            what.append(f"the database holds data ({', '.join(used[:5])}…)")
        if files:
            what.append(f"{_storage()} holds {len(files)} file(s)")
        raise BackupError(
            "restore refused: the instance is not empty — "
            + "; ".join(what)
            + ". Restore into a new database and instance folder."
        )


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract (no path outside `into`, no link, no device: tarfile's "data" filter), then
    check the manifest: every file listed, present, with its hash; nothing else."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
        manifest: dict[str, Any] = json.loads((into / MANIFEST).read_text())
    except (OSError, tarfile.TarError, json.JSONDecodeError, KeyError) as exc:
        raise BackupError(f"{archive} is not an eage backup: {exc}") from exc
    listed = manifest.get("files", {})
    present = {
        str(p.relative_to(into)) for p in into.rglob("*") if p.is_file() and p.name != MANIFEST
    }
    problems = [f"{name}: missing" for name in sorted(set(listed) - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(listed))]
    problems += [
        f"{name}: SHA-256 differs from the manifest"
        for name in sorted(set(listed) & present)
        if _sha256(into / name) != listed[name]["sha256"]
    ]
    if problems:
        raise BackupError("archive damaged, nothing restored: " + "; ".join(problems))
    return manifest


def _restore_sqlite(dump: Path) -> None:
    target = Path(str(_url().database))
    db.session.remove()
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def _restore_postgresql(dump: Path) -> None:
    _check_pg_tool("pg_restore")
    db.session.remove()
    libpq, env = _libpq(_url())
    # --clean drops the empty tables an `eage init-db` may have created before the restore.
    command = ["pg_restore", "--no-owner", "--no-acl", "--clean", "--if-exists"]
    _run([*command, "--single-transaction", "-d", libpq, str(dump)], env)
    db.engine.dispose()


def restore(archive: Path) -> dict[str, Any]:
    """Restore `archive` into this (empty) instance; returns the manifest."""
    _refuse_unless_empty()
    with tempfile.TemporaryDirectory(prefix="eage-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(archive, unpacked)
        dialect = _url().get_backend_name()
        if manifest.get("dialect") != dialect:
            raise BackupError(
                f"the archive holds a {manifest.get('dialect')} database, "
                f"this instance runs on {dialect}: restore it on the same kind of database"
            )
        dump = unpacked / manifest["database"]
        if dialect == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        if (unpacked / "storage").exists():
            shutil.copytree(unpacked / "storage", _storage(), dirs_exist_ok=True)
    upgrade()  # an archive of an older version gets this version's schema
    return manifest
