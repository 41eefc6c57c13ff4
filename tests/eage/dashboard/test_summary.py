"""The summary the dashboard opens on (issue 14): the five key figures, on the closed months
only, and which months those are — on the hand-computable two_months dataset (see
test_services: January and February 2026 closed, March's time and rent entered but open).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import lxml.html
from flask_babel import refresh

from eage.dashboard import services
from eage.dashboard.key_figures import closed_label
from eage.extensions import db
from eage.invoicing.services import record_payment
from eage.models import Member, MonthLock, PlannedHours

D = Decimal
TODAY = date(2026, 11, 28)
PAGE = "/tableau-de-bord/?annee=2026"


def _text(html: str, element_id: str) -> str:
    return " ".join(lxml.html.fromstring(html).get_element_by_id(element_id).text_content().split())


def test_key_figures_cover_the_closed_months(two_months) -> None:  # type: ignore[no-untyped-def]
    board = services.dashboard(2026, today=TODAY)
    k = board.key
    assert k is not None and k.closed
    assert board.closed_months == (1, 2)
    # Billable hours of January and February: KBENALI LEFIL PAIE 60 + 40, GAGA GESTION 30,
    # CMARTIN GAGA GESTION 20, LEFIL GESTION 10 (March's 7 h are not closed: not counted).
    assert k.hours_consumed == D("160.00")
    planned = sum(p.hours for p in db.session.query(PlannedHours).filter_by(year=2026))
    assert k.hours_planned == planned
    # Net cost: payroll 7 900 + rent 600 + 50 − subsidy 100 (March's rent not counted).
    assert k.cost_actual == D("8450.00")
    # LEFIL 2 000 − 100 credit note, GAGA 1 000; the 3 120 fee is not a service.
    assert k.invoiced == D("2900.00")
    assert k.forecast == D("50700.00")  # 8 450 × 12 / 2
    assert k.regularisation == D("5550.00")  # 8 450 allocated − 2 900 invoiced
    # Unpaid: the three invoices (2 000 + 3 120 + 1 000), all past their due date.
    assert (k.unpaid.count, k.unpaid.total) == (3, D("6120.00"))
    assert (k.unpaid.overdue_count, k.unpaid.overdue) == (3, D("6120.00"))


def test_a_payment_lowers_the_unpaid_figure(two_months) -> None:  # type: ignore[no-untyped-def]
    gaga = db.session.query(Member).filter_by(code="GAGA").one()
    record_payment(
        member=gaga, day=date(2026, 3, 2), amount=D("400.00"), method="virement", reference="VIR"
    )
    db.session.commit()
    unpaid = services.dashboard(2026, today=TODAY).key.unpaid  # type: ignore[union-attr]
    assert (unpaid.count, unpaid.total) == (3, D("5720.00"))  # GAGA owes 600.00 of 1 000


def test_a_month_beyond_the_closed_ones_gives_no_key_figure(two_months) -> None:  # type: ignore[no-untyped-def]
    """Asked to March (open: time and rent entered, no payslip), the key figures would mix
    open-month figures in: the page says « — » instead."""
    board = services.dashboard(2026, 3, today=TODAY)
    assert board.key is not None and not board.key.closed
    assert board.key.invoiced == D("0") and board.key.hours_consumed == D("0")


def test_closed_months_in_words(app) -> None:  # type: ignore[no-untyped-def]
    assert closed_label(2026, list(range(1, 11))) == "janvier à octobre 2026"
    assert closed_label(2026, [3]) == "mars 2026"
    assert closed_label(2026, [1, 2]) == "janvier et février 2026"
    assert closed_label(2026, [1, 3, 4]) == "janvier, mars et avril 2026"
    assert closed_label(2026, []) == ""


def test_the_page_opens_on_the_summary(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    html = login_as("manager").get(PAGE).get_data(as_text=True)
    assert _text(html, "closed-months") == "Mois clôturés : janvier et février 2026"
    assert _text(html, "kpi-hours") == "160,00 h"
    for element_id, amount in (
        ("kpi-cost", "8450,00"),
        ("kpi-invoiced", "2900,00"),
        ("kpi-forecast", "50700,00"),
        ("kpi-regularisation", "5550,00"),
        ("kpi-unpaid", "6120,00"),
    ):
        shown = _text(html, element_id).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        assert shown == amount + "€", (element_id, shown)
    # The alerts are in the summary; the detailed tables below are folded.
    doc = lxml.html.fromstring(html)
    summary = doc.get_element_by_id("synthese")
    assert summary.xpath(".//*[@id='planned-alerts']//li[contains(., 'GAGA')]")
    assert summary.xpath(".//svg[@id='chart-budget-cumul']")
    folded = doc.xpath("//details[contains(@class, 'dashboard-details')]")
    assert len(folded) == 8 and not any(d.get("open") is not None for d in folded)
    # ?tout=1 (every row) opens them.
    html = login_as("manager").get(PAGE + "&tout=1").get_data(as_text=True)
    folded = lxml.html.fromstring(html).xpath("//details[contains(@class, 'dashboard-details')]")
    assert all(d.get("open") is not None for d in folded)


def test_the_page_says_when_figures_go_beyond_the_closed_months(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    html = login_as("manager").get(PAGE + "&mois=2026-03").get_data(as_text=True)
    assert _text(html, "kpi-cost") == "—" and _text(html, "kpi-invoiced") == "—"
    assert "au-delà des mois clôturés" in html


def test_before_any_close_no_month_is_said_closed(login_as, demo) -> None:  # type: ignore[no-untyped-def]
    assert db.session.query(MonthLock).count() == 0
    html = login_as("manager").get(PAGE).get_data(as_text=True)
    assert _text(html, "closed-months") == "Mois clôturés : aucun pour l'instant"
    assert _text(html, "kpi-hours") == "—" and _text(html, "kpi-invoiced") == "—"


def test_the_summary_in_english(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager")
    client.set_cookie("lang", "en")
    refresh()
    html = client.get(PAGE).get_data(as_text=True)
    assert _text(html, "closed-months") == "Closed months: January and February 2026"
    summary = _text(html, "synthese")
    for english in (
        "Billable hours to date",
        "Net cost to date",
        "Invoiced to date",
        "Year-end forecast",
        "Unpaid invoices",
        "Alerts",
    ):
        assert english in summary, english
    for french in (
        "Heures facturables",
        "Coût net",
        "Facturé à date",
        "Factures impayées",
        "Alertes",
        "prévues",
        "sur ",
        "dont ",
    ):
        assert french not in summary, french
