"""The regularisation of a year in progress (issue 14): the preview counts the closed months
only and says which; the open months' time is shown apart as provisional and in no total;
nothing is offered to a member (no credit note, no complementary invoice) and the action is
refused while a month is open."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from accounting.formats import money
from eage.allocation.services import allocation
from eage.extensions import db
from eage.models import Invoice
from eage.regularisation.months import YearMonths
from tests.eage.partial_year import october_closed_november_open

NBSP = "\u00a0"


def _cost(rows, member: str) -> Decimal:  # type: ignore[no-untyped-def]
    return sum((r.total_cost for r in rows if r.member == member), Decimal("0.00"))


@pytest.fixture()
def accountant(login_as):  # type: ignore[no-untyped-def]
    october_closed_november_open()
    return login_as("accountant")


def _row(html: str, code: str) -> str:
    match = re.search(rf"<tr><td>{code} — .*?</tr>", html, re.S)
    assert match, code
    return match.group(0)


def test_preview_counts_the_closed_months_only(accountant) -> None:
    october = _cost(allocation("2026-10", "2026-10"), "LEFIL")
    whole_year = _cost(allocation("2026-01", "2026-12"), "LEFIL")
    # November's 4 h (open, no payslip yet) would dilute October's cost: the year read as a
    # whole gives another figure, which the page must not show
    assert october != whole_year
    html = accountant.get("/regularisation/?annee=2026").get_data(as_text=True)
    assert "Mois clôturés : octobre 2026" in html
    row = _row(html, "LEFIL")
    assert money(october) in row
    assert money(whole_year) not in row
    assert f"391,95{NBSP}€" in row  # the October invoice, excl. tax
    assert ">4,00<" in row  # November's hours, apart
    assert "provisoire : rien avant la clôture des douze mois" in row
    assert "avoir" not in row and "facture complémentaire" not in row
    assert re.search(r"<button[^>]*disabled[^>]*>Régulariser l'exercice 2026", html)


def test_regularising_a_year_with_open_months_is_refused(accountant) -> None:
    response = accountant.post("/regularisation/", data={"year": "2026"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "tous les mois de 2026 doivent être clôturés ; encore ouverts : 2026-01" in html
    assert "2026-11, 2026-12" in html
    assert (
        db.session.scalar(select(func.count(Invoice.id)).where(Invoice.origin == "regularisation"))
        == 0
    )


def test_preview_and_refusal_in_english(accountant) -> None:
    accountant.set_cookie("lang", "en")
    refresh()
    html = accountant.get("/regularisation/?annee=2026").get_data(as_text=True)
    assert "Closed months: October 2026" in html and "Hours not closed (provisional)" in html
    assert "€391.95" in html and "Mois clôturés" not in html and "provisoire" not in html
    refused = accountant.post("/regularisation/", data={"year": "2026"}, follow_redirects=True)
    assert "every month of 2026 must be closed; still open: 2026-01" in refused.get_data(
        as_text=True
    )


def test_back_office_statement_of_the_year_so_far_is_provisional(accountant) -> None:
    response = accountant.get("/regularisation/bilan/LEFIL/2026.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert "bilan-provisoire-2026-LEFIL.pdf" in response.headers["Content-Disposition"]


def test_counted_months_are_the_run_of_closed_months() -> None:
    year = YearMonths(2026, frozenset(f"2026-{m:02d}" for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
    assert [m.key for m in year.counted] == [f"2026-{m:02d}" for m in range(1, 11)]
    assert year.label(locale="fr") == "janvier à octobre 2026"
    assert not year.complete
    # a month closed after an open one is not counted: its figures would skip a month
    gap = YearMonths(2026, frozenset({"2026-01", "2026-02", "2026-04"}))
    assert [m.key for m in gap.counted] == ["2026-01", "2026-02"]
    assert [m.key for m in gap.uncounted][:2] == ["2026-03", "2026-04"]
    assert YearMonths(2026, frozenset()).label(locale="fr") == ""
    assert YearMonths(2026, frozenset({"2026-10"})).label(locale="fr") == "octobre 2026"
