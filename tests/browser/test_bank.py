"""The accountant's bank month in the browser (issue 16): import the November statement,
see the sure lines booked and the others proposed, confirm the proposals, then see the
invoices paid and the statement reconciled (bank balance = 512). At 1440 and 390 px, in
French and English; screenshots in /work/shots/bank and instance/screenshots/bank-*.png."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from eage.bank import services as bank
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice
from tests.eage.bank.camt_builder import Entry, Tx, camt053
from tests.eage.test_lettering import member, service

pytestmark = pytest.mark.browser

SHOTS = [Path("/work/shots/bank"), Path(__file__).resolve().parents[2] / "instance" / "screenshots"]
WORDS = {
    "fr": {
        "import": "Importer le relevé",
        "confirm": "Confirmer",
        "paid": "payée",
        "reconciled": "rapproché",
        "done": "Rien à revoir",
        "imported": "Relevé importé",
        "assign": "Affecter / répartir",
        "amount": "300,00",
    },
    "en": {
        "import": "Import the statement",
        "confirm": "Confirm",
        "paid": "paid",
        "reconciled": "reconciled",
        "done": "Nothing to review",
        "imported": "Statement imported",
        "assign": "Assign / split",
        "amount": "300,00",
    },
}


def _issue(code: str, excl_tax: str) -> Invoice:
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=member(code),
        lines=[LineSpec("service", "Gestion octobre 2026", Decimal(excl_tax), service("GESTION"))],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=date(2026, 11, 2),
    )
    db.session.commit()
    return inv


def _statement_file(tmp_path: Path) -> tuple[Path, list[Invoice]]:
    fab, remue = _issue("FABRIQUE", "420.00"), _issue("REMUE", "300.00")
    data, _closing = camt053(
        "NOV-2026",
        bank.bank_balance(date(2026, 10, 31)),
        [
            Entry(
                date(2026, 11, 3),
                True,
                [Tx(fab.total_incl_tax, fab.number, "Prélèvement", "LA FABRIQUE")],
            ),
            Entry(
                date(2026, 11, 9),
                True,
                [Tx(remue.total_incl_tax, None, "VIR ASSOC MENINGES", "ASSOC MENINGES")],
            ),
            Entry(date(2026, 11, 30), False, [Tx(Decimal("8.40"), None, "FRAIS TENUE DE COMPTE")]),
        ],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    path = tmp_path / "releve-novembre.xml"
    path.write_bytes(data)
    return path, [fab, remue]


def _shoot(page: Page, name: str) -> None:
    for folder in SHOTS:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"bank-{name}.png"), full_page=True)


def _no_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_accountant_imports_confirms_and_sees_the_bank_reconciled(
    app: Flask, live_server: str, logged_in, csp_violations, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    path, (fab, remue) = _statement_file(tmp_path)
    words = WORDS[lang]
    page = logged_in("accountant")
    if lang == "en":
        page.get_by_role("button", name="English").click()
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{live_server}/banque/")
    _shoot(page, f"empty-1440-{lang}")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name=words["import"]).click()
    expect(page.get_by_text(words["imported"])).to_be_visible()
    expect(page.locator("#review tbody tr")).to_have_count(2)  # REMUE by name, the charges
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/banque/")
        _shoot(page, f"review-{width}-{lang}")
        _no_overflow(page)
        page.get_by_role("link", name=words["assign"]).first.click()
        expect(page.locator("#amount_1")).to_have_value(words["amount"])
        _shoot(page, f"assign-{width}-{lang}")
        _no_overflow(page)
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{live_server}/banque/")
    while page.get_by_role("button", name=words["confirm"], exact=False).count():
        page.get_by_role("button", name=words["confirm"], exact=False).first.click()
    expect(page.locator("[data-nothing-to-review]")).to_contain_text(words["done"])
    expect(page.locator("#statements [data-reconciled]")).to_have_text(words["reconciled"])
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/banque/")
        _shoot(page, f"reconciled-{width}-{lang}")
        _no_overflow(page)
        page.get_by_role("link", name="NOV-2026").click()
        _shoot(page, f"statement-{width}-{lang}")
        _no_overflow(page)
        page.goto(f"{live_server}/banque/formats-csv")
        _shoot(page, f"csv-{width}-{lang}")
        _no_overflow(page)
    for inv in (fab, remue):
        page.goto(f"{live_server}/factures/{inv.number}")
        expect(page.locator(".badge").first).to_have_text(words["paid"])
    assert csp_violations == []
