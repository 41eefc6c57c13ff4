"""JOB_RUNNER=rq: the close goes to a Redis queue and a worker runs it (issue 15). Against
the local Redis (REDIS_URL or redis://127.0.0.1:6379/0); skipped when it is unreachable."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from eage import create_app, jobs
from eage.closing import job
from eage.extensions import db
from eage.models import Invoice, MonthLock

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture()
def rq_runner(app: Flask) -> Iterator[jobs.RQRunner]:
    """A runner on a queue of its own, emptied afterwards."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except RedisConnectionError:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: the RQ runner needs a Redis server")
    runner = jobs.RQRunner(REDIS_URL, f"eage-test-{secrets.token_hex(4)}", timeout=600)
    yield runner
    runner.queue().delete(delete_jobs=True)


def _work(queue: Any) -> None:
    """What `eage worker --burst` does, without forking (rq.SimpleWorker)."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_close_submitted_to_rq_waits_for_the_worker(
    app: Flask, october_time: None, rq_runner: jobs.RQRunner
) -> None:
    progress = jobs.Progress("close")
    rq_runner.submit(job.run_close, date(2026, 10, 1), 1, progress)
    queue = rq_runner.queue()
    assert queue.count == 1  # queued, not run by the web process
    assert db.session.get(MonthLock, "2026-10") is None

    _work(queue)

    assert queue.count == 0
    db.session.expire_all()
    assert db.session.get(MonthLock, "2026-10") is not None
    numbers = db.session.scalars(select(Invoice.number).order_by(Invoice.number)).all()
    assert numbers == ["F-2026-0001", "F-2026-0002"]
    state = jobs.read(progress.id)
    assert state is not None and state["status"] == "done"
    assert state["lines"][-2:] == ["F-2026-0001", "F-2026-0002"]


def test_a_failed_job_is_in_rqs_failed_registry(app: Flask, rq_runner: jobs.RQRunner) -> None:
    rq_runner.submit(_boom)
    queue = rq_runner.queue()
    _work(queue)
    assert queue.failed_job_registry.count == 1


def _boom() -> None:
    raise RuntimeError("boom")


def test_job_runner_rq_is_chosen_from_the_configuration(app: Flask) -> None:
    """Choosing the runner connects to nothing: Redis is needed when a job is submitted."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    rq_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "x",
            "JOB_RUNNER": "rq",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    runner = rq_app.extensions["eage.jobs"]
    assert isinstance(runner, jobs.RQRunner)
    assert (runner.redis_url, runner.queue_name) == ("redis://127.0.0.1:1/0", "eage")


def test_a_killed_work_horse_marks_the_progress_failed(app: Flask) -> None:
    """RQ calls this when the process running the job dies (kill -9, out of memory)."""

    class KilledJob:
        description = "eage.closing.job.run_close"
        args = (job.run_close, date(2026, 10, 1), 1, jobs.Progress("close"))

    jobs._horse_killed(KilledJob(), 4242, 9, None)
    state = jobs.read(KilledJob.args[3].id)
    assert state is not None and state["status"] == "failed"
    assert "relancez" in state["message"]
