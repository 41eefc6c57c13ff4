"""A service's refusal reads in the reader's language (issue 14: English mode complete,
service messages included): the member page in English shows the member service's problems
in English, the same page in French in French, and the CLI keeps French (eage/filters.tr)."""

from __future__ import annotations

from html import unescape

from flask_babel import refresh

from eage.members.services import check_member

FORM = {
    "code": "LEFIL",  # a demo member's code
    "name": "Nouvelle Structure",
    "legal_form": "Association loi 1901",
    "siret": "73282932000074",
    "siren": "",
    "vat_number": "",
    "vat_regime": "vat_20",  # liable to VAT without a VAT number
    "address": "1 rue de la Paix",
    "postcode": "42000",
    "city": "Saint-Étienne",
    "email": "contact@nouvo.example",
    "joined_on": "2026-01-01",
    "left_on": "2025-06-30",  # before joining
    "payment_terms_days": "30",
    "previous_year_gross_payroll": "",
}
ENGLISH = [
    "The code “LEFIL” is already used by another member.",
    "The VAT number is required for a member liable to VAT.",
    "The leaving date must be on or after the joining date.",
]
FRENCH = [
    "Le code « LEFIL » est déjà utilisé par un autre adhérent.",
    "Le numéro de TVA est obligatoire pour un adhérent assujetti à la TVA.",
    "La date de sortie doit être postérieure ou égale à la date d'adhésion.",
]


def _post(client, language: str) -> str:  # type: ignore[no-untyped-def]
    client.set_cookie("lang", language)
    refresh()
    response = client.post("/adherents/nouveau", data=FORM)
    assert response.status_code == 200  # refused, the form shown again
    return unescape(response.get_data(as_text=True))


def test_the_member_services_problems_in_english_on_an_english_page(login_as) -> None:
    client = login_as("accountant")
    english = _post(client, "en")
    for message in ENGLISH:
        assert message in english
    for message in FRENCH:
        assert message not in english
    french = _post(client, "fr")
    for message in FRENCH:
        assert message in french
    assert "already used by another member" not in french


def test_the_same_problems_stay_french_outside_a_request(app, demo) -> None:
    """The CLI and a close's job run outside a request: French, as the SPEC's messages."""
    data = {"code": "LEFIL", "vat_regime": "vat_20", "siret": "73282932000074"}
    messages = [p.message for p in check_member(data)]
    assert "Le code « LEFIL » est déjà utilisé par un autre adhérent." in messages
    assert "Le numéro de TVA est obligatoire pour un adhérent assujetti à la TVA." in messages
