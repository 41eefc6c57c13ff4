"""Numbers typed the reader's way (issue 14): French `1 234,56`, English `1,234.56` and
`1234.56`; an input that reads differently in the two languages is read by the page's
language, and one that is ambiguous in it is refused, never guessed (eage/forms_fr.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import refresh
from sqlalchemy import select

from eage.extensions import db
from eage.forms_fr import parse_decimal
from eage.models import BudgetLine


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1 234,56", "fr", Decimal("1234.56")),
        ("1\u202f234,56 €", "fr", Decimal("1234.56")),
        ("1234.56", "fr", Decimal("1234.56")),
        ("1,234", "fr", Decimal("1.234")),  # French decimal comma
        ("1,234.56", "en_GB", Decimal("1234.56")),
        ("1234.56", "en_GB", Decimal("1234.56")),
        ("1,234", "en_GB", Decimal("1234")),  # English thousands separator
        ("12,345,678.9", "en_GB", Decimal("12345678.9")),
        ("-1,234.50", "en_GB", Decimal("-1234.50")),
    ],
)
def test_a_number_is_read_the_readers_way(text: str, locale: str, expected: Decimal) -> None:
    assert parse_decimal(text, locale) == expected


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("12,5", "en_GB"),  # a French decimal comma on an English page: ambiguous, refused
        ("1 234,56", "en_GB"),
        ("1,23,456", "en_GB"),  # not groups of three
        ("1,234.56", "fr"),  # an English number on a French page
        ("douze", "fr"),
        ("1e9", "en_GB"),
    ],
)
def test_an_ambiguous_or_foreign_number_is_refused(text: str, locale: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text, locale)


def _add_budget_line(client, language: str, amount: str) -> str:  # type: ignore[no-untyped-def]
    client.set_cookie("lang", language)
    refresh()
    form = {"kind": "staff", "account": "641100", "label": f"Test {language}", "amount": amount}
    return client.post("/budget/lignes/nouvelle", data=form).get_data(as_text=True)


def _amount_of(label: str) -> Decimal | None:
    return db.session.scalar(select(BudgetLine.amount).where(BudgetLine.label == label))


def test_the_budget_form_takes_1234_56_in_english_and_1_234_56_in_french(login_as) -> None:
    client = login_as("accountant")
    _add_budget_line(client, "en", "1,234.56")
    assert _amount_of("Test en") == Decimal("1234.56")
    _add_budget_line(client, "fr", "1 234,56")
    assert _amount_of("Test fr") == Decimal("1234.56")


def test_a_french_decimal_comma_is_refused_on_an_english_page(login_as) -> None:
    client = login_as("accountant")
    html = _add_budget_line(client, "en", "1234,56")
    assert "Number expected, for example 1234.56." in html
    assert _amount_of("Test en") is None
