"""The member portal in a real browser (issue 18): the LEFIL user signs in and reads the four
answers on the first screen (what it owes, what it consumed, what the year will cost, its
documents) to the cent against the invoice, payment and time of the year; opens its invoice;
downloads the year's zip; invites a colleague, who signs in from the e-mailed link. Another
member's invoice, document and user answer 404. The same on a phone (390 px, no sideways
scroll) and in English. Screenshots under instance/screenshots/ (portal18-*.png)."""

from __future__ import annotations

import email
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import Invoice, Member, User
from tests.browser.conftest import horizontal_overflow
from tests.eage.partial_year import october_closed_november_open

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
NBSP = "\u00a0"


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOT_DIR / f"portal18-{name}-{width}.png"), full_page=True)
        assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1440, "height": 900})


def _year_with_a_payment() -> None:
    october_closed_november_open()
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    invoicing.record_payment(
        member=lefil,
        day=date(2026, 11, 20),
        amount=Decimal("200.00"),
        method="virement",
        reference="VIR-LEFIL-1",
    )


def _invitation_link(app, email_address: str) -> str:  # type: ignore[no-untyped-def]
    user = db.session.scalar(select(User).where(User.email == email_address))
    (path,) = Path(app.config["OUTBOX_PATH"]).glob(f"invitation-{user.id}-*.eml")
    msg = email.message_from_bytes(path.read_bytes())
    body = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    found = re.search(r"http://\S+/invitation/\S+", body.get_payload(decode=True).decode())
    assert found is not None
    return found.group(0)


def _read_the_four_answers(page) -> None:  # type: ignore[no-untyped-def]
    # 1. what do we owe: 470,34 invoiced − 200,00 paid
    owe = page.locator("#answer-owe")
    assert owe.locator("#balance").inner_text() == f"270,34{NBSP}€"
    row = owe.locator("#open-items tbody tr").first.inner_text()
    assert "F-2026-0002" in row and "28/12/2026" in row and f"270,34{NBSP}€" in row
    # 2. what did we consume: October 8,77 h closed + November 4,00 h provisional
    consumed = page.locator("#answer-consumed")
    gestion = consumed.locator("#consumed tbody tr").first.inner_text()
    assert "12,77" in gestion and "dont 4,00 provisoires" in gestion and "280,00" in gestion
    assert consumed.locator("svg#consumption-chart").is_visible()
    # 3. the year's cost: invoiced so far, the regularisation on the closed months only
    cost = page.locator("#answer-cost")
    assert f"391,95{NBSP}€" in cost.inner_text() and f"470,34{NBSP}€" in cost.inner_text()
    assert "mois clôturés seulement (octobre 2026)" in cost.locator("#cost-note").inner_text()
    # 4. documents
    assert "F-2026-0002" in page.locator("#answer-documents").inner_text()


def _download_the_year(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/portail/documents?annee=2026")
    _shot(page, "documents-fr")
    with page.expect_download() as download:
        page.locator("#year-zip").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = archive.namelist()
    assert any(n.endswith("F-2026-0002.pdf") for n in names), names
    assert "bilan-provisoire-2026-LEFIL.pdf" in names
    assert not any("FABRIQUE" in n or "F-2026-0001" in n for n in names)


def _invite_a_colleague(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/portail")
    page.get_by_role("link", name="Gérer les utilisateurs de votre structure").click()
    page.get_by_label("Adresse e-mail").fill("paul@le-fil.example")
    page.get_by_label("Nom (facultatif)").fill("Paul Roux")
    page.get_by_role("button", name="Inviter").click()
    assert "Invitation envoyée à paul@le-fil.example." in page.inner_text("main")
    assert "paul@le-fil.example" in page.locator("#member-users").inner_text()
    _shot(page, "users-fr")


def _in_english(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="English").click()
    page.goto(live_server + "/portail")
    main = page.inner_text("main")
    assert "What do we owe?" in main and "€270.34" in main
    assert "What will 2026 cost?" in main and "closed months only (October 2026)" in main
    for french in ("Que devons", "Solde dû", "consommé", "Régularisation attendue", "Télécharger"):
        assert french not in main, french
    _shot(page, "home-en")
    page.goto(live_server + "/portail/utilisateurs")
    _shot(page, "users-en")
    page.get_by_role("button", name="Sign out").click()


def _the_colleague_signs_in(page, app) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(_invitation_link(app, "paul@le-fil.example"))
    _shot(page, "accept-en")
    page.get_by_label("New password", exact=True).fill("fil-rouge-2026-paul")
    page.get_by_label("Confirm the new password").fill("fil-rouge-2026-paul")
    page.get_by_role("button", name="Activate my account").click()
    page.wait_for_url("**/connexion")
    page.get_by_label("Email address").fill("paul@le-fil.example")
    page.get_by_label("Password").fill("fil-rouge-2026-paul")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portail")
    assert page.locator("#balance").inner_text() == "€270.34"
    assert horizontal_overflow(page) <= 0


def test_member_reads_the_four_answers_downloads_its_year_and_invites_a_colleague(  # type: ignore[no-untyped-def]
    app, live_server, logged_in, csp_violations
) -> None:
    _year_with_a_payment()
    fabrique_pdf = (
        db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0001"))
        .document("invoice_pdf")
        .id
    )
    page = logged_in("member")
    page.wait_for_url("**/portail")
    _read_the_four_answers(page)
    _shot(page, "home-fr")

    # open the invoice
    page.locator("#answer-documents").get_by_role("link", name="F-2026-0002").click()
    page.wait_for_url("**/factures/F-2026-0002")
    assert f"470,34{NBSP}€" in page.inner_text("main")

    _download_the_year(page, live_server)

    # another member's invoice and document: 404, nothing of it shown
    for path in ("/factures/F-2026-0001", f"/documents/{fabrique_pdf}"):
        response = page.goto(live_server + path)
        assert response is not None and response.status == 404, path
        assert "FABRIQUE" not in page.content()

    _invite_a_colleague(page, live_server)
    _in_english(page, live_server)  # then signs out
    _the_colleague_signs_in(page, app)
    assert csp_violations == []
