"""The pages in English read as English (issue 14): the main pages of the back office, the
error pages and the validation messages show no French text but the data (names of the
demo's members, staff and accounts); numbers and dates in the reader's format, never mixed;
the documents (invoice, payslip) stay French whatever the language of the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask_babel import refresh
from sqlalchemy import select

from eage.extensions import db
from eage.models import (
    BudgetLine,
    Employee,
    Expense,
    FiscalYear,
    LedgerAccount,
    Member,
    OperatingIncome,
    Organisation,
    Service,
    User,
)

ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ]")
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|du|une|et|ou|pour|avec|sans|aux|dans|sur|est|sont|aucun|aucune)\b",
    re.IGNORECASE,
)


class _Text(HTMLParser):
    """The text a reader sees: text nodes and the attributes read aloud or shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt", "data-confirm") and value:
                self.texts.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def _texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def _data_names() -> set[str]:
    """What the pages show as data: the demo's names, labels and addresses."""
    names: set[str] = set()
    for model, columns in (
        (Member, ("name", "legal_form", "address", "city")),
        (Employee, ("first_name", "last_name", "job", "classification")),
        (Service, ("label",)),
        (LedgerAccount, ("label",)),
        (User, ("name",)),
        (Organisation, ("name",)),
        (BudgetLine, ("label",)),
        (Expense, ("label",)),
        (OperatingIncome, ("label",)),
    ):
        for row in db.session.scalars(select(model)):
            names.update(str(getattr(row, c)) for c in columns if getattr(row, c, None))
    return names | {
        "L'équipe associée",  # the app's name, before a group is set up
        "Français",  # the language switch names each language in itself
        # the legal mention an invoice carries, quoted in French in the VAT option's help
        "Option pour le paiement de la taxe d'après les débits",
    }


def _french_left(html: str, data: set[str]) -> list[str]:
    """The texts of an English page that read as French and are not data."""
    left = []
    for text in _texts(html):
        if any(name and name in text for name in data):
            continue
        if ACCENTED.search(text) or FRENCH_WORDS.search(text):
            left.append(text)
    return left


def _get(client, path: str, language: str) -> str:
    client.set_cookie("lang", language)
    refresh()  # the test's requests share one app context, where Flask-Babel caches the locale
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _paths() -> dict[str, list[str]]:
    member = db.session.scalars(select(Member).order_by(Member.code)).first()
    employee = db.session.scalars(select(Employee).order_by(Employee.code)).first()
    service = db.session.scalars(select(Service).order_by(Service.code)).first()
    year = db.session.scalars(select(FiscalYear.year).order_by(FiscalYear.year)).first() or 2026
    admin = db.session.scalars(select(User).where(User.role == "admin")).first()
    return {
        "accountant": [
            "/comptabilite/",
            "/comptabilite/plan",
            "/comptabilite/balance",
            "/comptabilite/grand-livre",
            "/comptabilite/balance-agee",
            "/comptabilite/tva",
            "/comptabilite/exercices",
            "/comptabilite/ecritures/nouvelle",
            "/depenses/",
            "/depenses/nouvelle",
            "/depenses/import",
            "/depenses/produits/",
            "/budget/",
            "/budget/lignes/nouvelle",
            f"/budget/exercice/{year}",
            "/adherents/",
            "/adherents/nouveau",
            f"/adherents/{member.id}",
            f"/adherents/{member.id}/modifier",
            "/salaries/",
            "/salaries/nouveau",
            f"/salaries/{employee.id}",
            f"/salaries/{employee.id}/contrats/nouveau",
            "/services/",
            "/services/nouveau",
            f"/services/{service.id}/modifier",
            f"/services/{service.id}/taux/{year}",
            "/taux/",
            "/repartition/",
            "/mon-compte/",
            "/mon-compte/mot-de-passe",
            "/mon-compte/double-authentification",
        ],
        "admin": [
            "/admin/utilisateurs",
            "/admin/utilisateurs/nouveau",
            f"/admin/utilisateurs/{admin.id}/modifier",
            "/admin/journal",
            "/admin/parametres",
        ],
    }


@pytest.mark.parametrize("role", ["accountant", "admin"])
def test_main_pages_in_english_have_no_french_but_data(login_as, role) -> None:
    client = login_as(role)
    pages = {}
    for path in _paths()[role]:
        french = _get(client, path, "fr")
        pages[path] = _get(client, path, "en")
        assert '<html lang="en">' in pages[path]
        assert pages[path] != french, path
    data = _data_names()  # after the pages: the chart of accounts is written on first use
    offenders = [
        f"{path}: {text!r}" for path, html in pages.items() for text in _french_left(html, data)
    ]
    assert not offenders, "French text left on English pages:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "method, path, status, english",
    [
        ("get", "/cette-page-n-existe-pas", 404, "Page not found"),
        ("delete", "/connexion", 405, "Method not allowed"),
    ],
)
def test_error_pages_in_english_have_no_french(app, client, method, path, status, english) -> None:
    client.set_cookie("lang", "en")
    refresh()
    response = getattr(client, method)(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and english in html
    assert not _french_left(html, _data_names())
    client.set_cookie("lang", "fr")
    refresh()
    french = getattr(client, method)(path).get_data(as_text=True)
    assert english not in french and '<html lang="fr">' in french


def test_validation_messages_follow_the_language(login_as) -> None:
    client = login_as("accountant")
    form = {"kind": "staff", "account": "", "label": "x" * 201, "amount": "12,345"}
    client.set_cookie("lang", "en")
    refresh()
    # 12.345 in English (12,345 is twelve thousand there), 12,345 in French
    english_form = {**form, "amount": "12.345"}
    html = client.post("/budget/lignes/nouvelle", data=english_form).get_data(as_text=True)
    assert "This field is required." in html  # our message (account)
    assert "At most 2 decimals." in html  # forms_fr (amount)
    assert "Field cannot be longer than 200 characters." in html  # WTForms' own (label)
    assert not _french_left(html, _data_names())
    client.set_cookie("lang", "fr")
    refresh()
    html = client.post("/budget/lignes/nouvelle", data=form).get_data(as_text=True)
    assert "Ce champ est obligatoire." in html
    assert "Au plus 2 décimales." in html
    assert "200 caractères" in html
    assert "This field is required." not in html


def test_a_bad_number_in_english_says_how_to_type_it(login_as) -> None:
    client = login_as("accountant")
    client.set_cookie("lang", "en")
    refresh()
    form = {"kind": "staff", "account": "641100", "label": "Salaires", "amount": "douze"}
    html = client.post("/budget/lignes/nouvelle", data=form).get_data(as_text=True)
    assert "Number expected, for example 1234.56." in html
    assert "Nombre attendu" not in html


def test_numbers_and_dates_in_the_readers_format(login_as) -> None:
    """The budget page: French formats in French, English ones in English, never mixed."""
    client = login_as("accountant")
    french = _get(client, "/budget/", "fr")
    english = _get(client, "/budget/", "en")
    french_amounts = re.findall(r"\d[\d\u202f]*,\d\d\xa0€", french)
    english_amounts = re.findall(r"€\d[\d,]*\.\d\d", english)
    assert french_amounts and len(english_amounts) == len(french_amounts)
    assert not re.search(r"\d,\d\d\xa0€", english)  # no French amount on the English page
    assert not re.search(r"€\d", french)


def test_member_status_filter_and_vat_regimes_are_words_in_english(login_as) -> None:
    client = login_as("accountant")
    html = _get(client, "/adherents/", "en")
    assert ">Active</option>" in html and ">Former members</option>" in html
    assert "Exempt (art. 261 B of the French Tax Code)" in html
    assert ">Actifs<" not in html and "Exonéré" not in html
    html = _get(client, "/adherents/", "fr")
    assert ">Actifs</option>" in html and "Exonéré (art. 261 B du CGI)" in html
