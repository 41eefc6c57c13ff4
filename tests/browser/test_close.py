"""The accountant closes a month from the close page, as `make run` serves it: the page shows
the figures the close would issue, nothing happens until they (and the earlier months still
open) are confirmed, the close runs on the thread job runner (eage/jobs.py) while the progress
page polls, then a summary links to the invoices, whose PDF carries the previewed total. The
rest of the suite closes with the inline runner; this is the one journey through the real one.
Screenshots (1440 and 390 px, French and English) go to instance/screenshots/close-*.png."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from eage import jobs
from eage.extensions import db
from eage.models import Employee, Invoice, Member, Payslip, Service, TimesheetEntry

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}


def _add_november_time() -> None:
    ids = {
        "emp": {e.code: e.id for e in db.session.scalars(select(Employee))},
        "mem": {m.code: m.id for m in db.session.scalars(select(Member))},
        "svc": {s.code: s.id for s in db.session.scalars(select(Service))},
    }
    for member, service, employee, day, minutes in (
        ("LEFIL", "GESTION", "CMARTIN", 2, 225),
        ("LEFIL", "GESTION", "CMARTIN", 3, 301),
        ("LEFIL", "PAIE", "KBENALI", 4, 127),
        ("FABRIQUE", "RESEAU", "JFOURNIER", 5, 95),
    ):
        db.session.add(
            TimesheetEntry(
                date=date(2026, 11, day),
                employee_id=ids["emp"][employee],
                member_id=ids["mem"][member],
                service_id=ids["svc"][service],
                minutes=minutes,
            )
        )
    db.session.commit()


def _shots(page: Page, live_server: str, name: str) -> None:
    """The current page at both widths in both languages, back to French at 1440 px."""
    folder = SCREENSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "fr"):
        page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
        for width, (w, h) in WIDTHS.items():
            page.set_viewport_size({"width": w, "height": h})
            page.reload()
            page.screenshot(path=str(folder / f"close-{name}-{lang}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} {lang} {width}: the page overflows by {overflow}px"


def _euros(text: str) -> str:
    return re.sub(r"\s", "", text).replace("€", "")


def _amount(text: str) -> Decimal:
    return Decimal(_euros(text).replace(",", "."))


def test_accountant_checks_the_figures_confirms_and_downloads_the_invoice(
    app: Flask, live_server: str, logged_in, csp_violations
) -> None:  # type: ignore[no-untyped-def]
    _add_november_time()
    inline = app.extensions[jobs.EXTENSION]
    app.extensions[jobs.EXTENSION] = jobs.ThreadRunner()
    try:
        page = logged_in("accountant")
        page.goto(live_server + "/cloture/?mois=2026-11")
        expect(page.get_by_role("heading", name="Factures à émettre")).to_be_visible()
        lefil = page.locator('tr[data-member="LEFIL"]')
        expect(lefil).to_contain_text("Facture")
        previewed = _euros(lefil.locator(".preview-incl").inner_text())
        total = _euros(page.locator("#preview-total-incl").inner_text())
        expect(page.locator("#earlier-open")).to_contain_text("octobre 2026 ne sont pas clôturés")
        _shots(page, live_server, "preview")

        # Without the confirmations nothing is issued.
        page.get_by_role("button", name="Clôturer 2026-11").click()
        expect(page.get_by_text("Cochez la confirmation des chiffres")).to_be_visible()
        page.get_by_label("J'ai vérifié les chiffres ci-dessus").check()
        if page.get_by_label("J'ai vérifié les avertissements").count():
            page.get_by_label("J'ai vérifié les avertissements").check()
        page.get_by_role("button", name="Clôturer 2026-11").click()
        expect(page.get_by_text("Cochez la case pour clôturer ce mois quand même")).to_be_visible()
        assert db.session.query(Invoice).count() == 0

        page.get_by_label("J'ai vérifié les chiffres ci-dessus").check()
        if page.get_by_label("J'ai vérifié les avertissements").count():
            page.get_by_label("J'ai vérifié les avertissements").check()
        page.get_by_label("Clôturer ce mois quand même").check()
        page.get_by_role("button", name="Clôturer 2026-11").click()
        expect(page.get_by_role("heading", name="Clôture 2026-11")).to_be_visible()
        expect(page.locator("#job-message")).to_have_text(
            re.compile(r"Mois 2026-11 clôturé : 3 bulletin\(s\) de paie, 2 facture\(s\)"),
            timeout=90_000,
        )
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
        expect(page.get_by_role("heading", name="Ce que la clôture a produit")).to_be_visible()
        assert csp_violations == []  # the close page, the polling script, the bar
        _shots(page, live_server, "done")

        number = db.session.scalar(
            select(Invoice.number).join(Member).where(Member.code == "LEFIL")
        )
        with page.expect_download() as download:
            page.get_by_label(f"PDF de {number}").click()
        pdf = Path(download.value.path()).read_bytes()
    finally:
        app.extensions[jobs.EXTENSION] = inline
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert previewed in _euros(text)  # the invoice's total incl. VAT is the previewed one
    db.session.expire_all()
    issued = db.session.scalars(select(Invoice)).all()
    assert len(issued) == 2
    assert sum(i.total_incl_tax for i in issued) == _amount(total)
    assert db.session.query(Payslip).count() == 3
