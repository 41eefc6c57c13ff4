"""A generated year of the demo group through 12 closes and the regularisation (issue 5):
every member ends with invoiced − real cost = 0.00 €, and the members' costs add up to the
payroll employer cost + overheads − income, to the cent (SPEC §5)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from sqlalchemy import func, select

from eage.allocation.services import allocation
from eage.closing import services as closing
from eage.demo import load_demo
from eage.extensions import db
from eage.models import Expense, FiscalYear, Invoice, Payslip
from eage.regularisation import services as regularisation
from tests.placeholders import use_placeholder_documents

AFTER = date(2027, 1, 6)


@pytest.fixture()
def closed_year(app) -> None:
    load_demo(2026, today=date(2026, 12, 31))
    # The closes run in January 2027: their invoices are booked in 2027, which must exist
    # (SPEC §5 "Locks": no validated entry outside an existing, open fiscal year).
    db.session.add(FiscalYear(year=2027))
    for m in range(1, 13):
        db.session.add(
            Expense(
                date=date(2026, m, 5),
                account="613200",
                label="Loyer 20 rue Saint-Joseph",
                amount=Decimal("300.00"),
            )
        )
        db.session.add(
            Expense(
                date=date(2026, m, 20), account="626000", label="Internet", amount=Decimal("99.99")
            )
        )
    db.session.commit()
    _add_income()
    # The twelve months' invoices, statements and payslips are rendered by the closing tests;
    # here they would cost three minutes of WeasyPrint for nothing this test reads, so they are
    # stored as placeholders. The regularisation documents below go through the real renderer.
    with pytest.MonkeyPatch.context() as mp:
        use_placeholder_documents(mp)
        for m in range(1, 13):
            closing.close_month(date(2026, m, 1), today=AFTER)


def _add_income() -> None:
    try:
        from eage.models import OperatingIncome
    except ImportError:  # pragma: no cover - the income model arrives with the allocation work
        return
    db.session.add(
        OperatingIncome(
            date=date(2026, 3, 15),
            account="740000",
            label="Subvention de fonctionnement",
            amount=Decimal("2500.00"),
        )
    )
    db.session.commit()


def _income() -> Decimal:
    try:
        from eage.models import OperatingIncome
    except ImportError:  # pragma: no cover
        return Decimal("0")
    return db.session.scalar(select(func.coalesce(func.sum(OperatingIncome.amount), 0)))


class _After(date):
    """`date` whose today() is in 2027: the CLI runs after the year it regularises."""

    @classmethod
    def today(cls) -> date:
        return AFTER


def test_regularised_year_is_at_cost_to_the_cent(
    closed_year, runner, login_as, monkeypatch
) -> None:
    assert regularisation.open_months(2026) == []
    result = regularisation.regularise(2026, today=AFTER)
    assert result.changed
    rows = allocation(date(2026, 1, 1), date(2026, 12, 1))
    per_member: dict[str, Decimal] = {}
    for r in rows:
        per_member[r.member] = per_member.get(r.member, Decimal("0")) + r.invoiced - r.total_cost
    assert len(per_member) == 12
    assert set(per_member.values()) == {Decimal("0.00")}
    payroll = db.session.scalar(
        select(func.sum(Payslip.employer_cost)).where(Payslip.month.like("2026-%"))
    )
    overheads = db.session.scalar(select(func.sum(Expense.amount)))
    assert sum(r.total_cost for r in rows) == payroll + overheads - _income()
    # idempotent, through the CLI as well (run in 2027)
    monkeypatch.setattr("eage.regularisation.services.date", _After)
    again = runner.invoke(args=["regularise", "2026"])
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    # documents went through the ordinary path: numbered, Factur-X, regularisation lines
    for number in result.invoices + result.credit_notes:
        inv = db.session.scalar(select(Invoice).where(Invoice.number == number))
        assert {line.kind for line in inv.lines} == {"regularisation"}
        assert inv.document("invoice_pdf") is not None and inv.document("invoice_xml") is not None

    # the annual statement shows it (one test: a year of closes costs minutes of rendering)
    client = login_as("manager")
    response = client.get("/regularisation/bilan/LEFIL/2026.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Le Fil (association Limace)" in text and "BILAN ANNUEL 2026" in text
    assert "Écart restant (coût réel − facturé) : 0,00" in text
    pdf = client.get("/regularisation/bilan/LEFIL/2026.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    member = login_as("member")
    assert member.get("/portail/bilan/2026.pdf").status_code == 200
    assert member.get("/regularisation/bilan/GAGA/2026.pdf").status_code == 403


def test_regularisation_refused_while_months_are_open(app, demo, runner) -> None:
    result = runner.invoke(args=["regularise", "2026"])
    assert result.exit_code != 0
    assert "encore ouverts : 2026-01" in result.output
