"""Long work (the month close…): where it runs, and how it reports its progress.

* **Runners.** A view hands the work to ``runner().submit(fn, *args)`` and returns at once.
  ``create_app`` picks the runner from ``JOB_RUNNER``: ``"thread"`` (the default, for
  ``make run``: a daemon thread of the web process), ``"inline"`` (at once, before the
  view returns: the tests) or ``"rq"`` (production: the job goes to a Redis queue and an
  ``eage worker`` process runs it, so it survives the web worker that took the request
  being recycled). Whatever the runner, ``fn`` runs in an application context of its own
  and ends on one log line (name, duration, outcome).

  RQ rather than Celery: the only broker is the Redis the instance already has (rate-limit
  storage), it is one small pure-Python package, and a single box of one association needs
  no result backend, routing or beat scheduler. ``fn`` and its arguments are pickled: a
  job is a module-level function and plain values.
* **Progress** is kept in small JSON files under instance/jobs so that any worker process
  can read it while the work holds the database."""

from __future__ import annotations

import json
import logging
import os
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


def _name(fn: Callable[..., object]) -> str:
    return f"{fn.__module__}.{getattr(fn, '__qualname__', fn)}"


def _run_in_app(app: Flask, fn: Callable[..., object], *args: object) -> None:
    """Run the job in a context of its own and log one line: name, duration, outcome (what
    the job returns when it is a word, e.g. the close's "done" or "failed"; else "ok")."""
    started = time.perf_counter()
    outcome = "error"
    try:
        with app.app_context():
            returned = fn(*args)
        outcome = returned if isinstance(returned, str) else "ok"
    finally:
        logger.info(
            "job",
            extra={
                "fields": {
                    "job": _name(fn),
                    "outcome": outcome,
                    "duration_ms": int((time.perf_counter() - started) * 1000),
                }
            },
        )


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


class RQRunner:
    """Puts the job on the app's RQ queue (``REDIS_URL``, ``RQ_QUEUE``); ``eage worker``
    runs it. Nothing connects to Redis until a job is submitted."""

    def __init__(self, redis_url: str, queue_name: str, timeout: int) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name
        self.timeout = timeout

    @classmethod
    def for_app(cls, app: Flask) -> RQRunner:
        return cls(app.config["REDIS_URL"], app.config["RQ_QUEUE"], app.config["JOB_TIMEOUT"])

    def queue(self) -> Any:
        from redis import Redis
        from rq import Queue

        return Queue(self.queue_name, connection=Redis.from_url(self.redis_url))

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        self.queue().enqueue_call(
            perform, args=(fn, *args), timeout=self.timeout, description=_name(fn)
        )


def perform(fn: Callable[..., object], *args: object) -> None:
    """What the RQ worker runs: ``fn(*args)`` in a context of the worker's app. RQ forks a
    work horse per job: the database connections pooled by the parent are not the child's
    to use, so the child starts its own pool (SQLAlchemy's advice for forked processes)."""
    app = _app()
    if app.extensions.get(PID) != os.getpid():
        from eage.extensions import db

        db.engine.dispose(close=False)
        app.extensions[PID] = os.getpid()
    _run_in_app(app, fn, *args)


RUNNERS: dict[str, Callable[[Flask], JobRunner]] = {
    "inline": lambda app: InlineRunner(),
    "thread": lambda app: ThreadRunner(),
    "rq": RQRunner.for_app,
}
PID = "eage.jobs.pid"  # the process whose database pool the app holds


def init_app(app: Flask) -> None:
    """Install the runner named by ``JOB_RUNNER`` ("thread" unless configured)."""
    name = app.config.get("JOB_RUNNER", "thread")
    if name not in RUNNERS:
        raise ValueError(f"JOB_RUNNER must be one of {sorted(RUNNERS)}, got {name!r}")
    app.extensions[EXTENSION] = RUNNERS[name](app)
    app.extensions[PID] = os.getpid()


def work(app: Flask, *, burst: bool = False) -> None:
    """``eage worker``: run the app's queue until stopped (or until empty, ``burst``)."""
    from rq import Worker

    queue = RQRunner.for_app(app).queue()
    worker = Worker(
        [queue],
        connection=queue.connection,
        log_job_description=False,  # the arguments may name people
        work_horse_killed_handler=_horse_killed,
    )
    worker.work(burst=burst, with_scheduler=False)


def _horse_killed(job: Any, pid: int, status: int, rusage: object) -> None:
    """The process running the job was killed (OOM, kill -9): the database dropped its
    transaction, so nothing was recorded; say so on the job's progress file instead of
    leaving the page waiting forever."""
    logger.error("job", extra={"fields": {"job": job.description, "outcome": "killed"}})
    for arg in job.args:
        if isinstance(arg, Progress):
            arg.finish("failed", KILLED)


KILLED = "travail interrompu (processus arrêté) : rien n'a été enregistré, relancez-le."


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

    def step(self, done: int, total: int, message: str = "", **params: object) -> None:
        """``message`` is a French msgid, ``params`` its %(name)s values: the page that reads
        the state translates it into its reader's language."""
        self.state.update(done=done, total=total, message=message, params=params, at=time.time())
        self._write()

    def finish(
        self,
        status: str,
        message: str,
        lines: list[str] | None = None,
        result: dict[str, Any] | None = None,
        **params: object,
    ) -> None:
        """The outcome: ``message`` (a msgid with ``params``, as for :meth:`step`), the
        ``lines`` to list, and ``result``, plain values the page builds its summary from."""
        self.state.update(
            status=status, message=message, params=params, lines=lines or [], result=result
        )
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
    def step(self, done: int, total: int, message: str = "", **params: object) -> None:
        pass
