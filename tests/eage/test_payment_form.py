"""The payment form (issue 14): today's date pre-filled, one clear message for a bad amount
and nothing recorded, a « Enregistrer un paiement » link on the invoice that selects it,
payment methods and invoice statuses as words (French and English), styled status badges."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from eage.extensions import db
from eage.invoicing import services as invoicing_services
from eage.invoicing.forms import METHOD_LABELS
from eage.models import Member, Payment
from eage.models.invoicing import PAYMENT_METHODS
from tests.eage.test_lettering import monthly


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _payments() -> int:
    return int(db.session.scalar(select(func.count(Payment.id))) or 0)


def _lefil_id() -> int:
    return db.session.scalar(select(Member.id).where(Member.code == "LEFIL"))


def _post(client, amount: str, **extra: str):
    data = {
        "member": str(_lefil_id()),
        "day": "2026-11-05",
        "amount": amount,
        "method": "virement",
        "reference": "",
        **extra,
    }
    return client.post("/paiements/?adherent=LEFIL", data=data)


def test_the_date_is_today_by_default(login_as) -> None:
    page = login_as("accountant").get("/paiements/").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="day"[^>]*>', page)
    assert field is not None
    assert f'value="{date.today().isoformat()}"' in field.group(0)


@pytest.mark.parametrize(
    "amount, message",
    [
        ("12,3,4", "Montant illisible : tapez un nombre d'euros, par exemple 1 234,56."),
        ("abc", "Montant illisible : tapez un nombre d'euros, par exemple 1 234,56."),
        ("-5", "Le montant doit être positif."),
        ("0", "Le montant doit être positif."),
        ("12,345", "Un montant a au plus deux décimales."),
        ("", "Indiquez le montant."),
    ],
)
def test_a_bad_amount_gets_one_clear_message_and_nothing_is_recorded(
    demo, login_as, amount, message
) -> None:
    monthly("LEFIL", 9, "100.00")
    client = login_as("accountant")
    before = _payments()
    page = _text(_post(client, amount))
    assert page.count(message) == 1, page
    assert "Nombre attendu" not in page
    assert f'value="{amount}"' in page  # what was typed stays in the field
    assert _payments() == before


def test_more_than_the_member_owes_is_refused_with_the_figures(demo, login_as) -> None:
    monthly("LEFIL", 9, "100.00")  # 120,00 € incl. VAT
    client = login_as("accountant")
    before = _payments()
    page = _text(_post(client, "150"))
    assert (
        "Le paiement (150,00\xa0€) dépasse de 30,00\xa0€ ce que doit l'adhérent (120,00\xa0€)"
        in page
    )
    assert _payments() == before


def test_bad_amounts_in_english(demo, login_as) -> None:
    monthly("LEFIL", 9, "100.00")
    client = login_as("accountant")
    client.set_cookie("lang", "en")
    page = _text(_post(client, "12,3,4"))
    assert "Unreadable amount: type a number of euros" in page
    assert "Montant illisible" not in page
    page = _text(_post(client, "150"))
    assert "exceeds what the member owes" in page and "dépasse" not in page


def test_invoice_page_links_to_a_payment_of_that_invoice(demo, login_as) -> None:
    monthly("LEFIL", 9, "100.00")
    october = monthly("LEFIL", 10, "50.00")  # 60,00 € incl. VAT
    client = login_as("accountant")
    detail = _text(client.get(f"/factures/{october.number}"))
    link = f'href="/paiements/?facture={october.number}"'
    assert link in detail and "Enregistrer un paiement" in detail
    form = _text(client.get(f"/paiements/?facture={october.number}"))
    assert re.search(rf'<option selected value="{_lefil_id()}">LEFIL', form) or re.search(
        rf'<option value="{_lefil_id()}" selected>LEFIL', form
    )
    assert f"Paiement de la facture {october.number} : reste dû 60,00\xa0€." in form
    assert re.search(r'id="amount"[^>]*value="60,00"', form)
    assert re.search(rf'name="alloc-{october.id}"[^>]*value="60,00"', form)
    # Saved as it comes: the payment settles that invoice, not the older one.
    done = client.post(
        f"/paiements/?facture={october.number}",
        data={
            "member": str(_lefil_id()),
            "day": "2026-11-05",
            "amount": "60,00",
            "method": "cheque",
            "reference": "",
            f"alloc-{october.id}": "60,00",
        },
    )
    assert done.status_code == 302
    db.session.refresh(october)
    assert october.status == "paid"
    paid = _text(client.get(f"/factures/{october.number}"))
    assert 'class="badge text-bg-success">payée<' in paid
    assert "(Chèque)" in paid and "(cheque)" not in paid
    assert link not in paid  # nothing left to pay: no link


def _today_is(monkeypatch, day: date) -> None:
    """Pin the day the statuses are read on (an invoice becomes overdue with time)."""

    class Pinned(date):
        @classmethod
        def today(cls) -> date:
            return day

    monkeypatch.setattr(invoicing_services, "date", Pinned)


def test_statuses_and_methods_are_words_in_both_languages(demo, login_as, monkeypatch) -> None:
    inv = monthly("LEFIL", 9, "100.00")  # due 01/11/2026
    client = login_as("accountant")
    assert _post(client, "50", method="prelevement").status_code == 302
    _today_is(monkeypatch, date(2026, 10, 20))
    page = _text(client.get(f"/factures/{inv.number}"))
    assert 'class="badge text-bg-warning">partiellement payée<' in page
    assert "(Prélèvement)" in page
    listing = _text(client.get("/paiements/?adherent=LEFIL"))
    assert "<td>Prélèvement</td>" in listing and "Paiement prélèvement" in listing
    client.set_cookie("lang", "en")
    refresh()  # the locale is kept on the test's app context
    page = _text(client.get(f"/factures/{inv.number}"))
    assert 'class="badge text-bg-warning">partially paid<' in page
    assert "(Direct debit)" in page and "Prélèvement" not in page
    listing = _text(client.get("/paiements/?adherent=LEFIL"))
    assert "<td>Direct debit</td>" in listing and "Payment by direct debit" in listing
    assert f">Invoice {inv.number}</a>" in listing
    _today_is(monkeypatch, date(2026, 11, 20))
    page = _text(client.get(f"/factures/{inv.number}"))
    assert 'class="badge text-bg-danger">overdue<' in page


def test_every_payment_method_has_its_word() -> None:
    assert set(METHOD_LABELS) == set(PAYMENT_METHODS)
