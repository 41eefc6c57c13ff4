"""Progress of long work (month close, imports, batches), kept in small JSON files under
instance/jobs so that any worker process can read it while the work holds the database."""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app


def _dir() -> Path:
    path = Path(current_app.instance_path) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Progress:
    """Report progress of one job: progress.step(done, total, message)."""

    def __init__(self, kind: str, job_id: str | None = None) -> None:
        self.id = job_id or secrets.token_hex(8)
        self.kind = kind
        self.path = _dir() / f"{self.id}.json"
        self.state: dict[str, Any] = {
            "id": self.id,
            "kind": kind,
            "status": "running",
            "done": 0,
            "total": 0,
            "message": "",
            "lines": [],
        }
        self._write()

    def _write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False))
        os.replace(tmp, self.path)

    def step(self, done: int, total: int, message: str = "") -> None:
        self.state.update(done=done, total=total, message=message, at=time.time())
        self._write()

    def finish(self, status: str, message: str, lines: list[str] | None = None) -> None:
        self.state.update(status=status, message=message, lines=lines or [])
        if status == "done":
            self.state["done"] = self.state["total"]
        self._write()


def read(job_id: str) -> dict[str, Any] | None:
    if not job_id.isalnum():
        return None
    path = _dir() / f"{job_id}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


class NullProgress:
    def step(self, done: int, total: int, message: str = "") -> None:
        pass
