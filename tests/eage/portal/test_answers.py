"""The member portal's four answers (issue 18), to the cent, for a group in the middle of its
year (tests/eage/partial_year.py: October 2026 closed through the services, November's
time to date open) and one payment of LEFIL:

- owed = invoices − credit notes − payments (SPEC §5 statement of account), each open
  invoice with its due date (issue date + the member's 30 days, art. L441-10 C. com.);
- consumed = the member's time per service, closed months apart from the open one
  (issue 14), against the convention's planned hours, warned from 90 %;
- the year's cost = invoiced so far, and real cost − invoiced over the closed months only
  (SPEC §5 regularisation: real cost of the allocation − services invoiced);
- documents of the year, and their zip with the stored files byte for byte."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from eage.allocation.services import allocation
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import Invoice, Member, PlannedHours, Service
from eage.portal import services
from tests.eage.partial_year import october_closed_november_open

D = Decimal
NBSP = "\u00a0"
TODAY = date(2026, 11, 28)


def _member(code: str) -> Member:
    return db.session.scalar(select(Member).where(Member.code == code))


@pytest.fixture()
def year(login_as):  # type: ignore[no-untyped-def]
    """October closed (LEFIL: F-2026-0002, 391,95 € HT, 470,34 € TTC), November open, and
    200,00 € received from LEFIL by transfer on 20/11/2026."""
    october_closed_november_open()
    invoicing.record_payment(
        member=_member("LEFIL"),
        day=date(2026, 11, 20),
        amount=D("200.00"),
        method="virement",
        reference="VIR-LEFIL-1",
    )
    return login_as("member")  # a user of LEFIL, its member admin


def test_what_we_owe_to_the_cent(year) -> None:  # type: ignore[no-untyped-def]
    owed = services.owed(_member("LEFIL"), TODAY)
    # 470,34 invoiced − 200,00 paid
    assert owed.balance == D("270.34")
    assert [(o.number, o.open_amount, o.due_date, o.days_overdue) for o in owed.open_lines] == [
        ("F-2026-0002", D("270.34"), date(2026, 12, 28), 0)
    ]
    assert [(p.day, p.amount, p.method) for p in owed.payments] == [
        (date(2026, 11, 20), D("200.00"), "virement")
    ]
    assert owed.overdue == 0 and owed.reference == "LEFIL"
    assert owed.next_debit is None  # no mandate model yet (the bank issue): nothing shown
    # ten days after the due date, the same amount is overdue
    late = services.owed(_member("LEFIL"), date(2027, 1, 7))
    assert late.open_lines[0].days_overdue == 10 and late.overdue == D("270.34")

    html = year.get("/portail").get_data(as_text=True)
    assert f'id="balance">270,34{NBSP}€<' in html
    assert "Virement" in html and f"200,00{NBSP}€" in html
    assert "28/12/2026" in html
    assert "next-debit" not in html


def test_what_we_consumed_against_the_convention(year) -> None:  # type: ignore[no-untyped-def]
    paie = db.session.scalar(select(Service).where(Service.code == "PAIE"))
    planned = db.session.scalar(
        select(PlannedHours).where(
            PlannedHours.member_id == _member("LEFIL").id,
            PlannedHours.year == 2026,
            PlannedHours.service_id == paie.id,
        )
    )
    planned.hours = D("2.30")  # 127 min = 2,1167 h: 92 % of 2,30 h
    db.session.commit()
    used = services.consumption(_member("LEFIL"), 2026)
    by_code = {s.code: s for s in used.services}
    gestion = by_code["GESTION"]
    assert (gestion.closed_minutes, gestion.provisional_minutes) == (526, 240)
    assert gestion.minutes_by_month[9:11] == (526, 240)
    assert gestion.planned_hours == D("280.00") and gestion.percent == D("5")  # 12,77 h / 280
    assert not gestion.warning
    assert by_code["PAIE"].percent == D("92") and by_code["PAIE"].warning
    assert by_code["RESEAU"].minutes == 0 and by_code["RESEAU"].planned_hours == D("150.00")
    assert used.closed == frozenset({10})
    # names as the time statements print them, their hours per service (closed and open)
    assert [(e.name, e.service, e.minutes) for e in used.employees] == [
        ("Karim Benali", "Service paye et gestion sociale", 127),
        ("Claire Martin", "Gestion et contrôle de gestion", 766),
    ]

    html = year.get("/portail").get_data(as_text=True)
    assert "92 % des heures prévues par la convention sont consommées" in html
    assert "12,77" in html and "sur 280,00 prévues" in html and "dont 4,00 provisoires" in html
    assert 'id="consumption-chart"' in html and 'class="provisional"' in html


def test_what_the_year_will_cost_counts_the_closed_months_only(year) -> None:  # type: ignore[no-untyped-def]
    cost = services.year_cost(_member("LEFIL"), 2026)
    assert cost.invoiced_excl_tax == D("391.95") and cost.invoiced_incl_tax == D("470.34")
    assert cost.months_label == "octobre 2026" and not cost.complete
    # real cost of October from the allocation of October alone (November is open)
    october = [r for r in allocation(date(2026, 10, 1), date(2026, 10, 1)) if r.member == "LEFIL"]
    real = sum((r.total_cost for r in october), D("0"))
    assert cost.real_cost == real and cost.invoiced_services == D("391.95")
    assert cost.expected_regularisation == real - D("391.95")
    assert cost.last_year_regularisation is None and not cost.last_year_statement

    html = year.get("/portail").get_data(as_text=True)
    assert f'id="real-cost">{_fr(real)}{NBSP}€<' in html
    assert "Calculé sur les mois clôturés seulement (octobre 2026)" in html


def _fr(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\u202f") + "," + cents


def test_the_years_documents_and_their_zip(year) -> None:  # type: ignore[no-untyped-def]
    docs = services.year_documents(_member("LEFIL"), 2026)
    assert [i.number for i in docs.invoices] == ["F-2026-0002"]
    assert [d.kind for d in docs.statements if d.kind == "statement_pdf"] == ["statement_pdf"]
    html = year.get("/portail/documents?annee=2026").get_data(as_text=True)
    assert "F-2026-0002" in html and "F-2026-0001" not in html  # FABRIQUE's stays out

    response = year.get("/portail/documents/2026.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    stored = {d.filename: d.sha256 for d in docs.files}
    for filename, sha in stored.items():
        entry = next(n for n in names if n.endswith("/" + filename))
        assert hashlib.sha256(archive.read(entry)).hexdigest() == sha, filename
    assert "bilan-provisoire-2026-LEFIL.pdf" in names
    assert archive.read("bilan-provisoire-2026-LEFIL.pdf").startswith(b"%PDF")
    assert "convention-2026-LEFIL.docx" in names
    assert not any("FABRIQUE" in n for n in names)


def test_the_statement_of_account_pdf(year) -> None:  # type: ignore[no-untyped-def]
    response = year.get("/portail/releve-de-compte.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    from eage.portal.documents import account_statement_html

    html = account_statement_html(_member("LEFIL"), TODAY)
    assert "Relevé de compte au 28/11/2026" in html
    assert f"470,34{NBSP}€" in html and f"200,00{NBSP}€" in html
    assert f"270,34{NBSP}€</td>" in html  # the balance due


def test_another_members_figures_documents_and_api_are_404(year, bearer_member) -> None:  # type: ignore[no-untyped-def]
    other = db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0001"))
    assert other.member.code == "FABRIQUE"
    for path in ("/factures/F-2026-0001", f"/documents/{other.document('invoice_pdf').id}"):
        assert year.get(path).status_code == 404, path
    assert (
        year.get("/api/v1/members/FABRIQUE/summary?year=2026", headers=bearer_member).status_code
        == 404
    )
    # a made-up code answers the same: nothing says FABRIQUE exists
    assert year.get("/api/v1/members/NOPE/summary", headers=bearer_member).status_code == 404

    own = year.get("/api/v1/members/LEFIL/summary?year=2026", headers=bearer_member)
    assert own.status_code == 200
    body = own.get_json()
    assert body["owed"]["balance"] == "270.34"
    assert body["owed"]["open_items"][0]["number"] == "F-2026-0002"
    assert body["cost"]["invoiced_excl_tax"] == "391.95"
    gestion = next(s for s in body["consumed"]["services"] if s["service"] == "GESTION")
    assert gestion["hours"] == "12.77" and gestion["provisional_hours"] == "4.00"
    assert body["consumed"]["closed_months"] == [10]
    assert body["documents"]["invoices"] == ["F-2026-0002"]
    assert (
        year.get("/api/v1/members/LEFIL/summary?year=20x6", headers=bearer_member).status_code
        == 400
    )


def test_the_summary_is_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/members/{code}/summary" in doc["paths"]
    assert "MemberSummary" in doc["components"]["schemas"]
