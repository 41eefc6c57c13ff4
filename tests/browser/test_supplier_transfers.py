"""The « Virements » page with supplier invoices (issue 16) in a real browser: the
accountant ticks « factures fournisseurs », previews, sees each supplier with its masked IBAN
and the total; French and English, desktop and phone (no sideways scrolling)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eage.expenses import services as expenses
from eage.extensions import db
from eage.models import MonthLock
from eage.sepa import transfers
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow
from tests.eage.sepa.conftest import BIC_FR, IBAN_DE, IBAN_FR

pytestmark = pytest.mark.browser


@pytest.fixture()
def november(demo) -> None:  # type: ignore[no-untyped-def]
    factories.add_payslip("CMARTIN", "2026-11", "2950.00", "1200.00")
    factories.employee("CMARTIN").iban = IBAN_FR
    factories.employee("CMARTIN").bic = BIC_FR
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()
    for day, label, amount, vat, supplier, iban in (
        (5, "Loyer novembre — facture L-2611", "300.00", "60.00", "SCI Saint-Joseph", IBAN_DE),
        (20, "Téléphone et internet — facture 88412", "100.00", "20.00", "Opérateur", ""),
    ):
        expenses.create_expense(
            {
                "date": date(2026, 11, day),
                "account": "613200" if day == 5 else "626000",
                "label": label,
                "amount": Decimal(amount),
                "vat": Decimal(vat),
                "supplier": supplier,
                "paid_by": "supplier",
                "service_id": None,
                "supplier_iban": iban,
            }
        )


def test_transfer_preview_with_suppliers(november, logged_in, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("accountant")
    execution = transfers.default_execution_date("2026-11", date.today())
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto(live_server + "/sepa/virements")
            page.fill("#month", "2026-11")
            page.fill("#execution_date", execution.isoformat())
            page.check("#with_suppliers")
            page.click("#preview")
            body = page.inner_text("body")
            assert "Opérateur" in body and "SCI Saint-Joseph" in body
            assert "DE89 •••• 3000" in body
            screenshot(f"sepa-suppliers-{language}-{size['width']}")
            assert horizontal_overflow(page) == 0, (language, size)


def test_supplier_bank_page(november, logged_in, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("accountant")
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto(live_server + "/depenses/fournisseurs/iban?nom=Op%C3%A9rateur")
            page.fill("#supplier_iban", "FR1420041010050500013M02607")
            page.click("#submit")
            assert "FR1420041010050500013M02607" in page.inner_text("body")
            screenshot(f"supplier-bank-{language}-{size['width']}")
            assert horizontal_overflow(page) == 0, (language, size)
    page.goto(live_server + "/depenses/?annee=2026")
    page.set_viewport_size(DESKTOP)
    screenshot("expenses-with-iban-links-en-1440")
