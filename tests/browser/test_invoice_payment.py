"""The accountant reads an invoice and records its payment (issue 14), at 1440 and 390 px,
in French and English: the line says 20 h 40 × the hourly price = its amount, the « record a
payment » button opens the form on that invoice with what is left to pay, and the page does
not overflow a phone. Screenshots: instance/screenshots/docs-*.png."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice
from tests.eage.test_lettering import member, service

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def _invoice_of_20h40() -> Invoice:
    """LEFIL, October: 1240 minutes of GESTION at 36,50 € / h = 754,33 € excl. VAT."""
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    take_issuing_lock()
    rate = Decimal("36.50")
    amount = (Decimal(1240) * rate / 60).quantize(Decimal("0.01"))
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=member("LEFIL"),
        lines=[LineSpec("service", "Gestion octobre 2026", amount, service("GESTION"), 1240, rate)],
        period=(start, end),
        issue_date=end + timedelta(days=2),
        month="2026-10",
    )
    db.session.commit()
    return inv


def _no_horizontal_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"docs-{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_invoice_page_and_payment_form(
    app: Flask, live_server: str, logged_in, csp_violations, lang: str
) -> None:  # type: ignore[no-untyped-def]
    inv = _invoice_of_20h40()
    page = logged_in("accountant")
    if lang == "en":
        page.get_by_role("button", name="English").click()
    words = {
        "fr": ("Enregistrer un paiement", "Paiement de la facture", "754,33", "émise", "éch."),
        "en": ("Record a payment", "Payment of invoice", "754.33", "issued", "due"),
    }[lang]
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server}/factures/{inv.number}")
        row = page.locator("table tbody tr").first
        expect(row).to_contain_text("20\xa0h\xa040")
        expect(row).to_contain_text(words[2])
        expect(page.locator(".badge").first).to_have_text(words[3])
        _shoot(page, f"invoice-{width}-{lang}")
        _no_horizontal_overflow(page)
        page.get_by_role("link", name=words[0]).click()
        expect(page.get_by_text(words[1])).to_be_visible()
        # 754,33 + 20 % VAT, written as the amount field writes a number (eage/forms_fr.py)
        expect(page.locator("#amount")).to_have_value(re.compile(r"^905[,.]20$"))
        expect(page.locator("table").first).to_contain_text(words[4])
        _shoot(page, f"payment-{width}-{lang}")
        _no_horizontal_overflow(page)
    assert csp_violations == []
