"""Browser journey (issue 16): the accountant opens « Relances », previews a member's e-mail,
sends it and finds it in the history; then asks a security deposit and records it received.
The pages in French and English at 1440 px and 390 px are kept under instance/screenshots/
(reminders-*.png) to be looked at, and must not scroll sideways on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow
from tests.eage.test_lettering import member, monthly

pytestmark = pytest.mark.browser


def _shots(page, screenshot, live_server: str, path: str, name: str) -> None:  # type: ignore[no-untyped-def]
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        for size, label in ((DESKTOP, "1440"), (PHONE, "390")):
            page.set_viewport_size(size)
            page.goto(live_server + path)
            assert horizontal_overflow(page) == 0, (path, language, label)
            screenshot(f"reminders-{name}-{language}-{label}")
    page.context.add_cookies([{"name": "lang", "value": "fr", "url": live_server}])
    page.set_viewport_size(DESKTOP)


def test_accountant_sends_a_reminder_and_books_a_deposit(
    app, live_server, logged_in, screenshot
) -> None:  # type: ignore[no-untyped-def]
    monthly("LEFIL", 9, "1200.00")  # 1 440.00 TTC, due 01/11/2026
    page = logged_in("accountant")
    page.goto(live_server + "/relances/")
    row = page.locator("tr", has_text="LEFIL")
    assert "Relance amiable" in row.inner_text()
    _shots(page, screenshot, live_server, "/relances/", "index")
    _shots(page, screenshot, live_server, "/relances/apercu/LEFIL", "preview")

    page.goto(live_server + "/relances/apercu/LEFIL")
    assert "L441-10" in page.inner_text("main")
    page.get_by_role("button", name="Envoyer cette relance").click()
    assert "1 relance(s) envoyée(s)." in page.inner_text("main")
    history = page.locator("table").nth(1).inner_text()
    assert "LEFIL" in history and "Relance amiable" in history
    # Sent: nothing new to send at the same level.
    assert "déjà relancé" in page.locator("tr", has_text="LEFIL").first.inner_text()
    _shots(page, screenshot, live_server, "/relances/", "history")
    # The optional penalty invoice, from the history.
    page.goto(live_server + "/relances/")
    page.get_by_role("button", name="Facturer").click()
    assert "Facture de pénalités F-2026-" in page.inner_text("main")
    page.goto(live_server + "/relances/")
    assert "F-2026-0002" in page.locator("table").nth(1).inner_text()

    page.goto(live_server + "/depots-de-garantie/?adherent=LEFIL")
    page.get_by_label("Montant du dépôt").fill("750,00")
    page.get_by_role("button", name="Demander le dépôt").click()
    assert "Dépôt de garantie demandé." in page.inner_text("main")
    page.get_by_role("button", name="Reçu").click()
    assert "Dépôt reçu et comptabilisé." in page.inner_text("main")
    _shots(page, screenshot, live_server, "/depots-de-garantie/", "deposits")
    _shots(page, screenshot, live_server, f"/adherents/{member('LEFIL').id}", "member")


def test_refund_of_an_unapplied_credit_page(app, live_server, logged_in, screenshot) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from tests.eage.reminders.test_credit_refund import _note
    from tests.eage.test_lettering import pay

    inv = monthly("LEFIL", 9, "1200.00")
    pay("LEFIL", "1440.00", date(2026, 10, 10))
    note = _note(inv, "100.00", date(2026, 10, 15))
    page = logged_in("accountant")
    _shots(page, screenshot, live_server, f"/factures/{note.number}", "credit-refund")
    page.goto(live_server + f"/factures/{note.number}")
    page.get_by_role("button", name="Rembourser 120,00").click()
    assert f"Crédit de l'avoir {note.number} remboursé." in page.inner_text("main")
