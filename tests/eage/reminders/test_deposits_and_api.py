"""Security deposits (PCG 165 « Dépôts et cautionnements reçus »: a debt, not revenue, outside
VAT) booked 512 / 165 when received and 165 / 512 when refunded, shown on the member page and
the statement of account; the API's invoices show `status` `paid` once settled (SPEC §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounting.documents.account_statement import render_account_statement_html
from accounting.problems import ProblemsError
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import ApiToken, JournalEntry, User
from eage.reminders import services
from tests.conftest import ROLE_EMAILS
from tests.eage.test_lettering import member, monthly, pay


def _lines(entry_id: int) -> list[tuple[str, Decimal, Decimal]]:
    entry = db.session.get(JournalEntry, entry_id)
    assert entry is not None and entry.journal == "BQ" and entry.number
    return [(ln.account_number, ln.debit, ln.credit) for ln in entry.lines]


def test_deposit_received_then_refunded_posts_512_165_and_back(app, demo) -> None:
    lefil = member("LEFIL")
    dep = services.ask_deposit(lefil, Decimal("500.00"), date(2026, 11, 2))
    assert dep.received_entry_id is None and services.deposit_held(lefil.id) == Decimal("0.00")

    services.book_deposit(dep, date(2026, 11, 5))
    assert _lines(dep.received_entry_id) == [
        ("512000", Decimal("500.00"), Decimal("0.00")),
        ("165000", Decimal("0.00"), Decimal("500.00")),
    ]
    assert services.deposit_held(lefil.id) == Decimal("500.00")
    # Not revenue, not the member's receivable: its balance (411) is unchanged.
    assert invoicing.member_balance(lefil.id) == Decimal("0.00")

    with pytest.raises(ProblemsError, match="déjà reçu"):
        services.book_deposit(dep, date(2026, 11, 6))
    with pytest.raises(ProblemsError, match="antérieure"):
        services.book_deposit(dep, date(2026, 11, 4), refund=True)

    services.book_deposit(dep, date(2026, 11, 20), refund=True)
    assert _lines(dep.refunded_entry_id) == [
        ("512000", Decimal("0.00"), Decimal("500.00")),
        ("165000", Decimal("500.00"), Decimal("0.00")),
    ]
    assert services.deposit_held(lefil.id) == Decimal("0.00")


def test_deposit_refused_without_amount_or_before_received(app, demo) -> None:
    with pytest.raises(ProblemsError) as refused:
        services.ask_deposit(member("LEFIL"), Decimal("0"), None)
    assert len(refused.value.problems) == 2
    dep = services.ask_deposit(member("LEFIL"), Decimal("300.00"), date(2026, 11, 2))
    with pytest.raises(ProblemsError, match="non encore reçu"):
        services.book_deposit(dep, date(2026, 11, 3), refund=True)


def test_deposit_on_statement_of_account_and_member_page(app, demo, login_as) -> None:
    lefil = member("LEFIL")
    dep = services.ask_deposit(lefil, Decimal("750.00"), date(2026, 11, 2))
    services.book_deposit(dep, date(2026, 11, 5))
    monthly("LEFIL", 9, "1200.00")
    html = render_account_statement_html(
        services.account_statement(lefil, date(2026, 11, 11), "TEST", None)
    )
    assert "Dépôt de garantie détenu" in html and "750,00" in html
    assert "1 440,00" in html.replace("\u202f", " ")  # the invoice, TTC

    page = login_as("accountant").get(f"/adherents/{lefil.id}").get_data(as_text=True)
    assert "Dépôt de garantie" in page and "750,00" in page
    assert "05/11/2026" in page


def test_reminder_pages_by_role(app, demo, login_as) -> None:
    monthly("LEFIL", 9, "1200.00")
    client = login_as("accountant")
    page = client.get("/relances/").get_data(as_text=True)
    assert "LEFIL" in page and "Relance amiable" in page
    preview = client.get("/relances/apercu/LEFIL")
    assert preview.status_code == 200 and "L441-10" in preview.get_data(as_text=True)
    assert login_as("member").get("/relances/").status_code in (403, 404)
    assert login_as("member").get("/relances/apercu/LEFIL").status_code in (403, 404)
    manager = login_as("manager")
    assert manager.get("/relances/").status_code == 200
    assert manager.post("/relances/envoyer", data={"member": "LEFIL"}).status_code == 403


def _bearer(role: str) -> dict[str, str]:
    user = db.session.scalars(select(User).where(User.email == ROLE_EMAILS[role])).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_status_paid_once_payments_and_credit_cover_it(app, demo, client) -> None:
    inv = monthly("LEFIL", 9, "1200.00")  # 1 440.00 TTC
    url = f"/api/v1/invoices/{inv.number}"
    headers = _bearer("accountant")
    pay("LEFIL", "1000.00", date(2026, 10, 20))
    # Partly paid (and past its due date on the real today): not paid yet.
    assert client.get(url, headers=headers).get_json()["status"] in ("partially_paid", "overdue")
    # The rest (440.00 TTC = 366.67 HT + 20 %) settled by a credit note applied to it.
    take_issuing_lock()
    note = invoicing.issue_document(
        kind="credit_note",
        origin="credit",
        member=member("LEFIL"),
        lines=[LineSpec("service", "Geste commercial", Decimal("366.67"), None)],
        period=(date(2026, 9, 1), date(2026, 9, 30)),
        issue_date=date(2026, 10, 25),
        credited=inv,
        reason="geste",
    )
    invoicing.apply_credit_automatically(note, [inv], day=date(2026, 10, 25))
    db.session.commit()
    body = client.get(url, headers=headers).get_json()
    assert body["status"] == "paid"
    listed = client.get("/api/v1/invoices?year=2026", headers=headers).get_json()
    assert {i["number"]: i["status"] for i in listed}[inv.number] == "paid"
    # The member's own token sees the same.
    assert client.get(url, headers=_bearer("member")).get_json()["status"] == "paid"
