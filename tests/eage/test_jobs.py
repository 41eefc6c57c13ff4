"""The job runner (eage/jobs.py): chosen by create_app from JOB_RUNNER; the job runs in an
application context of its own, at once (inline) or in a thread."""

from __future__ import annotations

import threading

import pytest
from flask import Flask, current_app, g

from eage import create_app, jobs


def _record(seen: list[object], done: threading.Event) -> None:
    seen.append((current_app.name, g.get("marker")))
    done.set()


def test_the_tests_run_jobs_inline_in_a_context_of_their_own(app: Flask) -> None:
    assert isinstance(app.extensions["eage.jobs"], jobs.InlineRunner)
    g.marker = "the caller's"
    seen: list[object] = []
    done = threading.Event()
    jobs.runner().submit(_record, seen, done)
    assert seen == [(app.name, None)]  # ran before submit returned, not in the caller's context


def test_the_thread_runner_runs_the_job_in_the_background(app: Flask) -> None:
    seen: list[object] = []
    done = threading.Event()
    jobs.ThreadRunner().submit(_record, seen, done)
    assert done.wait(timeout=10)
    assert seen == [(app.name, None)]


def test_create_app_picks_the_runner_from_the_configuration(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    default = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x"})
    assert isinstance(default.extensions["eage.jobs"], jobs.ThreadRunner)
    with pytest.raises(ValueError, match="JOB_RUNNER"):
        create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "JOB_RUNNER": "redis"})
