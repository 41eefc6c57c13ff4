"""Long work (the month close…): where it runs, and how it reports its progress.

* **Runners.** A view hands the work to ``runner().submit(fn, *args)`` and returns at once.
  ``create_app`` picks the runner from ``JOB_RUNNER``: ``"thread"`` (the default, for
  ``make run``: a daemon thread of the web process) or ``"inline"`` (at once, before the
  view returns: the tests). Either way ``fn`` runs in an application context of its own,
  as a worker process would; a real queue (Redis…) would be one more runner.
* **Progress** is kept in small JSON files under instance/jobs so that any worker process
  can read it while the work holds the database."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

logger = logging.getLogger(__name__)
EXTENSION = "eage.jobs"


class JobRunner(Protocol):
    def submit(self, fn: Callable[..., object], *args: object) -> None:
        """Run ``fn(*args)`` in an application context of its own, now or later."""


def _run_in_app(app: Flask, fn: Callable[..., object], *args: object) -> None:
    with app.app_context():
        fn(*args)


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


class InlineRunner:
    """Runs the job at once, before ``submit`` returns (tests, scripts)."""

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        _run_in_app(_app(), fn, *args)


class ThreadRunner:
    """Runs the job in a daemon thread of the current process (``make run``)."""

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        threading.Thread(target=self._run, args=(_app(), fn, *args), daemon=True).start()

    @staticmethod
    def _run(app: Flask, fn: Callable[..., object], *args: object) -> None:
        try:
            _run_in_app(app, fn, *args)
        except Exception:  # nobody waits for a thread: its failure goes to the log
            logger.exception("job %s failed", getattr(fn, "__qualname__", fn))


RUNNERS: dict[str, type[InlineRunner] | type[ThreadRunner]] = {
    "inline": InlineRunner,
    "thread": ThreadRunner,
}


def init_app(app: Flask) -> None:
    """Install the runner named by ``JOB_RUNNER`` ("thread" unless configured)."""
    name = app.config.get("JOB_RUNNER", "thread")
    if name not in RUNNERS:
        raise ValueError(f"JOB_RUNNER must be one of {sorted(RUNNERS)}, got {name!r}")
    app.extensions[EXTENSION] = RUNNERS[name]()


def runner() -> JobRunner:
    """The current app's job runner."""
    job_runner: JobRunner = current_app.extensions[EXTENSION]
    return job_runner


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
        tmp.replace(self.path)

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
