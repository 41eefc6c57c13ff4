"""The member portal in the middle of the year (issue 14): it opens on the last closed month
with its hours and its invoice to the cent; an open month's hours are provisional and not
invoiced; the annual statement of the year so far is provisional and counts the closed
months only; another member's documents stay out of reach."""

from __future__ import annotations

import io

import pytest
from docx import Document
from flask_babel import refresh
from sqlalchemy import select

from eage.extensions import db
from eage.models import Invoice
from tests.eage.partial_year import october_closed_november_open

NBSP = "\u00a0"


@pytest.fixture()
def member(login_as):  # type: ignore[no-untyped-def]
    october_closed_november_open()
    return login_as("member")  # a user of LEFIL


def _text(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_portal_opens_on_the_last_closed_month_with_its_hours_and_invoice(member) -> None:
    html = _text(member, "/portail")
    assert "Heures de mise à disposition — octobre 2026" in html
    assert "mois clôturé" in html and 'value="2026-10"' in html
    # 526 min of GESTION and 127 of PAIE: 8,77 h + 2,12 h, 10,88 h in all (653 min)
    assert ">8,77<" in html and ">2,12<" in html and ">10,88<" in html
    # the October invoice: 526 min × 36,50 €/h = 319,98 + 127 min × 34,00 €/h = 71,97
    assert "F-2026-0002" in html
    assert f"391,95{NBSP}€" in html and f"470,34{NBSP}€" in html
    assert "F-2026-0001" not in html  # FABRIQUE's
    assert "provisoire</span>" in html  # the year's statement so far, marked provisional
    assert "Mois clôturés : octobre 2026" in html


def test_open_month_hours_are_provisional_and_not_invoiced(member) -> None:
    html = _text(member, "/portail?mois=2026-11")
    assert "novembre 2026" in html
    assert "Heures (provisoire)" in html and ">4,00<" in html
    assert "Mois non clôturé : ses heures sont provisoires" in html
    month_part = html.split('id="month-title"')[1]  # (issue 18: the answers above list it)
    assert "Pas encore facturé" in month_part and "F-2026-0002" not in month_part
    assert "Dernier mois clôturé : octobre 2026" in html


def test_portal_in_english_has_english_formats(member) -> None:
    member.set_cookie("lang", "en")
    refresh()  # the test's app context is shared: forget the locale the close computed
    html = _text(member, "/portail")
    assert "October 2026" in html and "closed month" in html
    assert ">10.88<" in html and "€391.95" in html and "€470.34" in html
    assert "Closed months: October 2026" in html
    for french in ("octobre", "Heures", "mois clôturé", "provisoire", "Facturé", "Mois"):
        assert french not in html, french
    november = _text(member, "/portail?mois=2026-11")
    assert "Hours (provisional)" in november and "Not invoiced yet" in november
    assert "provisoire" not in november


def test_the_year_so_far_is_a_provisional_statement_of_the_closed_months(member) -> None:
    response = member.get("/portail/bilan/2026.docx")
    assert response.status_code == 200
    assert "bilan-provisoire-2026-LEFIL.docx" in response.headers["Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "BILAN ANNUEL 2026 (PROVISOIRE)" in text
    assert "Document provisoire. Mois clôturés : octobre 2026." in text
    assert "Facturé pour ces mois (factures − avoirs) : 391,95" in text
    assert "Régularisation : après la clôture des douze mois" in text
    assert "10,88" in text  # October's hours …
    assert "14,88" not in text  # … without November's 4 h, open and not invoiced
    # no month of 2025 closed: nothing to state
    assert member.get("/portail/bilan/2025.pdf").status_code == 404


def test_a_member_cannot_reach_another_members_invoice_or_document(member) -> None:
    other = db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0001"))
    assert other.member.code == "FABRIQUE"
    for path in (
        "/factures/F-2026-0001",
        f"/documents/{other.document('invoice_pdf').id}",
    ):
        response = member.get(path)
        assert response.status_code == 404, path
        html = response.get_data(as_text=True)
        assert "Page introuvable" in html and "FABRIQUE" not in html and "86,99" not in html
    assert member.get("/regularisation/bilan/FABRIQUE/2026.pdf").status_code == 403
    # its own invoice opens
    assert "470,34" in _text(member, "/factures/F-2026-0002")


def test_portal_before_any_close_shows_the_current_month_as_provisional(login_as) -> None:
    client = login_as("member")
    html = _text(client, "/portail")
    assert "provisoire" in html and "Aucun mois clôturé : pas encore de bilan." in html
