"""The month close issues each employee's payslip with the invoices (SPEC §4 step 2)."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from eage.closing import services as closing
from eage.demo import load_demo
from eage.extensions import db
from eage.models import Payslip
from eage.storage import read
from payroll import EmployerSettings, WorkedTime, compute_payslip, load_params


def test_november_close_issues_the_demo_payslips(app, tmp_path) -> None:
    """The demo's three employees get balanced November 2026 payslips after a close."""
    load_demo(2026, today=date(2026, 11, 30))
    result = closing.close_month(date(2026, 11, 1), today=date(2026, 12, 1))
    assert sorted(result.payslips) == [
        "BP-2026-11-CMARTIN",
        "BP-2026-11-JFOURNIER",
        "BP-2026-11-KBENALI",
    ]
    assert len(result.invoices) == 12
    for slip in db.session.scalars(select(Payslip).where(Payslip.month == "2026-11")):
        assert slip.gross - slip.employee_contributions == slip.net_before_tax
        assert slip.gross + slip.employer_contributions - slip.reductions == slip.employer_cost
        pdf = tmp_path / f"{slip.number}.pdf"
        pdf.write_bytes(read(slip.pdf_document))
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "MONTANT NET SOCIAL" in text and "NET PAYÉ" in text.upper()
    karim = db.session.scalar(select(Payslip).where(Payslip.number == "BP-2026-11-KBENALI"))
    # 2,400 € a month, no extra hours in the demo week pattern: the URSSAF reference case
    # (LEGAL-FACTS: employer cost 2,954.86 €, RGDU 494.64 €) within 0.10 €.
    assert karim.gross == Decimal("2400.00")
    assert abs(karim.employer_cost - Decimal("2954.86")) <= Decimal("0.10")
    assert abs(karim.rgdu - Decimal("494.64")) <= Decimal("0.10")
    # a second close changes nothing, payslips included
    assert closing.close_month(date(2026, 11, 1), today=date(2026, 12, 1)).changed is False


def test_payslip_matches_the_engine(app) -> None:
    load_demo(2026, today=date(2026, 10, 31))
    closing.close_month(date(2026, 10, 1), today=date(2026, 11, 28))
    slip = db.session.scalar(select(Payslip).where(Payslip.number == "BP-2026-10-JFOURNIER"))
    from payroll import ContractTerms

    params = load_params(2026)
    engine = compute_payslip(
        ContractTerms(
            weekly_hours=Decimal("17.5"),
            monthly_gross=Decimal("1250.00"),
            cadre=False,
            pas_rate=Decimal("0"),
        ),
        date(2026, 10, 1),
        WorkedTime(extra_hours_by_week={}, unpaid_absence_hours=Decimal("0")),
        EmployerSettings(),
        params,
    )
    assert slip.extra_hours == 0 and slip.unpaid_absence_hours == 0
    assert (slip.gross, slip.employee_contributions, slip.employer_cost, slip.net_paid) == (
        engine.gross,
        engine.employee_contributions,
        engine.employer_cost,
        engine.net_paid,
    )
