"""The close asks before it issues: the page shows the figures the close would issue (members,
hours, amounts, payslips), computed by the services the close calls, and issues only on an
explicit confirmation — of the figures, of the warnings, of the earlier months still open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import refresh

from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, Member, MonthLock, Payslip
from tests.eage.closing.conftest import figures_on_page

OCT = date(2026, 10, 1)


def _page(client, month: str = "2026-10") -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/cloture/?mois={month}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _nothing_issued() -> None:
    assert db.session.query(Invoice).count() == 0
    assert db.session.query(Payslip).count() == 0
    assert db.session.get(MonthLock, "2026-10") is None


def test_the_page_shows_the_figures_the_close_then_issues(
    login_as, october_time, close_from_page
) -> None:
    client = login_as("accountant")
    html = _page(client)
    preview = closing.preview_month(OCT)
    by_member = {p.member.code: p for p in preview.invoices}
    assert sorted(by_member) == ["FABRIQUE", "LEFIL"]
    # LEFIL: 3 h 45 + 5 h 01 of GESTION and 2 h 07 of PAIE, VAT at 20 %.
    assert by_member["LEFIL"].minutes == 225 + 301 + 127
    assert by_member["LEFIL"].vat == (by_member["LEFIL"].excl_tax * Decimal("0.20")).quantize(
        Decimal("0.01")
    )
    assert by_member["FABRIQUE"].vat == Decimal("0.00")  # an exempt association
    assert "Factures à émettre" in html and "Bulletins de paie à émettre" in html
    assert "10\xa0h\xa053" in html  # LEFIL's 653 minutes, as on its invoice (issue 14)
    for p in preview.invoices:
        assert f"{p.incl_tax:.2f}".replace(".", ",") in html
    assert len(preview.payslips) == 3

    response = close_from_page(client, "2026-10")
    assert "/cloture/suivi/" in response.headers["Location"]
    issued = {i.member.code: i for i in db.session.query(Invoice)}
    for code, p in by_member.items():
        inv = issued[code]
        assert (inv.total_excl_tax, inv.vat, inv.total_incl_tax) == (
            p.excl_tax,
            p.vat,
            p.incl_tax,
        ), code
    assert sum(i.total_incl_tax for i in issued.values()) == preview.invoice_total("incl_tax")
    slips = {s.employee_id: s for s in db.session.query(Payslip)}
    for p in preview.payslips:
        slip = slips[p.employee.id]
        assert (slip.gross, slip.net_paid, slip.employer_cost) == (
            p.gross,
            p.net_paid,
            p.employer_cost,
        ), p.employee.code
    # Closed: nothing is left to issue, and the page says so.
    html = _page(client)
    assert "Aucune facture à émettre" in html and "Aucun bulletin à émettre" in html


def test_no_close_without_the_figures_confirmed(login_as, october_time, close_from_page) -> None:
    client = login_as("accountant")
    response = close_from_page(client, "2026-10", confirm_figures=None)
    assert response.headers["Location"].endswith("/cloture/?mois=2026-10")
    _nothing_issued()
    assert "Cochez la confirmation des chiffres : rien n&#39;a été émis." in _page(client)


def test_no_close_on_figures_that_changed_since_they_were_shown(
    login_as, october_time, add_time
) -> None:
    client = login_as("accountant")
    shown = figures_on_page(_page(client))
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 12), 120)  # typed meanwhile
    response = client.post(
        "/cloture/",
        data={
            "month": "2026-10",
            "figures": shown,
            "confirm_figures": "y",
            "confirm_warnings": "y",
            "confirm_earlier": "y",
        },
    )
    assert "/cloture/suivi/" not in response.headers["Location"]
    _nothing_issued()
    assert "Les chiffres ont changé depuis leur affichage" in _page(client)


def test_earlier_open_months_are_named_and_need_their_own_confirmation(
    login_as, october_time, close_from_page
) -> None:
    client = login_as("accountant")
    earlier = closing.earlier_open_months(OCT)
    assert earlier and all(m.year == 2026 and m < OCT for m in earlier)
    html = _page(client)
    assert "Mois précédents ouverts" in html
    assert "septembre 2026 ne sont pas clôturés." in html
    assert "Clôturer ce mois quand même, avant les mois précédents" in html

    response = close_from_page(client, "2026-10", confirm_earlier=None)
    assert "/cloture/suivi/" not in response.headers["Location"]
    _nothing_issued()
    assert "ne sont pas clôturés. Cochez la case pour clôturer ce mois quand même." in _page(client)

    client.set_cookie("lang", "en")
    refresh()  # the test's requests share one app context, where Flask-Babel caches the locale
    html = _page(client)
    assert "September 2026 are not closed." in html
    assert "Earlier months open" in html and "Invoices to issue" in html
    assert "Close this month anyway, before the earlier months" in html
    for french in ("septembre", "Factures à émettre", "Net à payer", "Montant TTC"):
        assert french not in html, french


def test_no_earlier_month_warning_once_they_are_closed(login_as, demo) -> None:
    for m in closing.earlier_open_months(date(2026, 3, 1)):
        closing.close_month(m, today=date(2026, 11, 28))
    assert closing.earlier_open_months(date(2026, 3, 1)) == []
    html = _page(login_as("accountant"), "2026-03")
    assert "Mois précédents ouverts" not in html
    assert 'name="confirm_earlier"' not in html


def test_the_cli_warns_about_earlier_open_months_without_asking(runner, october_time) -> None:
    result = runner.invoke(args=["close-month", "2026-10"], input="")
    assert result.exit_code == 0, result.output
    assert "warning: earlier months of 2026 not closed: 2026-01" in result.stderr
    assert "month 2026-10 closed" in result.stdout
    assert db.session.query(Member).count() > 0
