"""The accountant closes a month from the close page, as `make run` serves it: the close runs
on the thread job runner (eage/jobs.py) while the progress page polls, then says what was
issued. The rest of the suite closes with the inline runner; this is the one journey through
the real one."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import expect

from eage import jobs
from eage.extensions import db
from eage.models import Invoice, Payslip

pytestmark = pytest.mark.browser


def test_accountant_closes_a_month_on_the_thread_runner(
    app: Flask, live_server: str, logged_in, csp_violations
) -> None:  # type: ignore[no-untyped-def]
    inline = app.extensions[jobs.EXTENSION]
    app.extensions[jobs.EXTENSION] = jobs.ThreadRunner()
    try:
        page = logged_in("accountant")
        page.goto(live_server + "/cloture/?mois=2026-11")
        if page.get_by_label("Avertissements").count():
            page.get_by_label("Avertissements").select_option("yes")
        page.get_by_role("button", name="Clôturer 2026-11").click()
        expect(page.get_by_role("heading", name="Clôture 2026-11")).to_be_visible()
        expect(page.locator("#job-message")).to_have_text(
            re.compile(r"Mois 2026-11 clôturé : 3 bulletin\(s\) de paie"), timeout=60_000
        )
        # The close page and the progress page (its polling script, its bar) run under the
        # Content-Security-Policy without a refusal.
        assert csp_violations == []
    finally:
        app.extensions[jobs.EXTENSION] = inline
    db.session.expire_all()
    assert db.session.query(Payslip).count() == 3
    assert db.session.query(Invoice).count() == 0  # the demo fixture has no time to invoice
