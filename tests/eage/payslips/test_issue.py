"""Issuing the month's payslips from contracts and timesheets (SPEC §5 "Payroll")."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

import payroll
from accounting import formats
from eage import storage
from eage.extensions import db
from eage.models import Employee, FiscalYear, Service, StoredDocument, TimesheetEntry
from eage.models.books import JournalEntry
from eage.models.payroll import Payslip
from eage.payslips import services
from eage.storage import read, storage_root, verify
from tests.conftest import TODAY
from tests.eage.payslips.conftest import NOVEMBER

DEMO_CONTRACTS = {  # code: (weekly hours, monthly gross, cadre, PAS %)
    "CMARTIN": (Decimal("35"), Decimal("2950.00"), True, Decimal("4.30")),
    "KBENALI": (Decimal("35"), Decimal("2400.00"), False, Decimal("2.10")),
    "JFOURNIER": (Decimal("17.5"), Decimal("1250.00"), False, Decimal("0.00")),
}


def test_demo_employees_get_balanced_payslips_matching_the_engine(issued) -> None:
    assert sorted(p.number for p in issued) == [
        "BP-2026-11-CMARTIN",
        "BP-2026-11-JFOURNIER",
        "BP-2026-11-KBENALI",
    ]
    settings = payroll.EmployerSettings()  # the demo fiscal year holds the engine's defaults
    for row in issued:
        weekly, gross, cadre, pas = DEMO_CONTRACTS[row.employee.code]
        expected = payroll.compute_payslip(
            payroll.ContractTerms(
                weekly_hours=weekly,
                monthly_gross=gross,
                cadre=cadre,
                start=date(2019, 9, 2),
                pas_rate=pas / 100,
            ),
            NOVEMBER,
            payroll.WorkedTime(),
            settings,
            payroll.load_params(2026),
        )
        for name in services.TOTALS:
            assert Decimal(getattr(row, name)) == getattr(expected, name), (row.number, name)
        assert row.gross - row.employee_contributions == row.net_before_tax
        assert row.gross + row.employer_contributions - row.reductions == row.employer_cost
        assert row.lines == services.lines_json(expected)
        assert row.status == "issued" and row.month == "2026-11"
        assert row.payment_date == date(2026, 11, 30)  # a Monday: last working day
        assert row.extra_hours == 0 and row.unpaid_absence_hours == 0
        assert row.worked_hours > 0
        assert row.pdf_document.kind == "payslip_pdf" and row.docx_document.kind == "payslip_docx"
        assert row.pdf_document.path == f"payslips/2026-11/{row.number}.pdf"
        assert verify(row.pdf_document) and verify(row.docx_document)
    kbenali = next(p for p in issued if p.employee.code == "KBENALI")
    assert kbenali.employer_cost == Decimal("2954.86")
    assert abs(kbenali.net_before_tax - Decimal("1877.89")) <= Decimal("0.10")
    assert kbenali.tax_withheld == (kbenali.net_taxable * Decimal("0.021")).quantize(
        Decimal("0.01")
    )


def test_issuing_posts_each_payslip_in_the_same_transaction(issued) -> None:
    """The posting rule: the function that issues a document posts it (one validated PA
    entry per payslip), so nothing is left for the close to post."""
    entries = db.session.scalars(
        select(JournalEntry).where(JournalEntry.origin == "payslip").order_by(JournalEntry.id)
    ).all()
    assert [e.payslip_id for e in entries] == [p.id for p in issued]
    assert all(e.journal == "PA" and e.validated_at is not None for e in entries)


def test_issue_is_idempotent(issued) -> None:
    again = services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    db.session.commit()
    assert again == []
    assert db.session.scalar(select(func.count(Payslip.id))) == 3
    assert (
        db.session.scalar(
            select(func.count(StoredDocument.id)).where(StoredDocument.kind.like("payslip%"))
        )
        == 6
    )


def test_issue_only_flushes_the_caller_commits(demo_time) -> None:
    with storage.transaction() as written:
        rows = services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    assert len(rows) == 3 and len(written) == 6
    db.session.rollback()  # the close failed later on, its files left behind: no row stays
    assert db.session.scalar(select(func.count(Payslip.id))) == 0
    # files left behind by the rolled-back close do not block the next one
    rows = services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    db.session.commit()
    assert len(rows) == 3


def test_fiscal_year_percentages_become_fractions(demo_time) -> None:
    fy = db.session.get(FiscalYear, 2026)
    fy.atmp_rate = Decimal("1.000")
    fy.health_insurance_monthly = Decimal("60.00")
    fy.health_employer_share = Decimal("75.00")
    db.session.commit()
    settings = services.employer_settings(2026)
    assert settings.atmp_rate == Decimal("0.01")
    assert settings.health_employer_share == Decimal("0.75")
    assert settings.health_insurance_monthly == Decimal("60.00")
    rows = services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    line = next(ln for ln in rows[0].lines if ln["code"] == "atmp")
    assert line["employer_rate"] == "1.00"
    sante = next(ln for ln in rows[0].lines if ln["code"] == "complementaire_sante")
    assert sante["employer_amount"] == "45.00" and sante["employee_amount"] == "15.00"


def _entry(employee: Employee, day: date, minutes: int, *, absence: str | None = None) -> None:
    service = db.session.scalars(select(Service).where(Service.code == "PAIE")).one()
    db.session.add(
        TimesheetEntry(
            date=day,
            employee_id=employee.id,
            member_id=None,
            service_id=None if absence else service.id,
            absence_code=absence,
            minutes=minutes,
        )
    )


def test_extra_hours_per_iso_week_absences_and_straddling_weeks(demo) -> None:
    """Demo without generated time: KBENALI (35 h) works 8 h a day Monday-Friday of week 46
    (40 h: 5 extra hours), takes one day sans solde in week 47, and works 45 h in the week of
    30 November, which ends in December (so it is paid with December)."""
    karim = db.session.scalars(select(Employee).where(Employee.code == "KBENALI")).one()
    for d in range(9, 14):  # Mon 9 - Fri 13 November 2026 = 2026-W46
        _entry(karim, date(2026, 11, d), 8 * 60)
    _entry(karim, date(2026, 11, 16), 7 * 60, absence="SANS_SOLDE")
    _entry(karim, date(2026, 11, 17), 7 * 60, absence="MALADIE")
    _entry(karim, date(2026, 11, 18), 7 * 60, absence="FORMATION")  # working time
    _entry(karim, date(2026, 11, 19), 7 * 60, absence="CP")
    for d in (30,):
        _entry(karim, date(2026, 11, d), 9 * 60)
    for d in range(1, 5):
        _entry(karim, date(2026, 12, d), 9 * 60)
    db.session.commit()

    time = services.month_time(NOVEMBER, [karim.id])[karim.id]
    assert time.week_minutes == {"2026-W46": 2400, "2026-W47": 420}
    assert time.extra_hours_by_week(Decimal(35)) == {"2026-W46": Decimal(5)}
    assert time.unpaid_minutes == 14 * 60
    assert time.leave_dates == [date(2026, 11, 19)]
    assert time.worked_minutes == 5 * 480 + 420 + 540

    rows = services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    row = next(r for r in rows if r.employee.code == "KBENALI")
    assert row.extra_hours == Decimal("5.00") and row.unpaid_absence_hours == Decimal("14.00")
    assert row.extra_hours_by_week == {"2026-W46": "5.00"}
    codes = [e["code"] for e in row.earnings]
    assert codes == ["base", "absence", "overtime_1"]
    assert row.paid_leave["taken_month"] == "1"
    assert services.weeks_paid_in(date(2026, 12, 1)) == (date(2026, 11, 30), date(2026, 12, 27))


def test_rgdu_continues_from_the_previous_payslip_of_the_year(demo_time) -> None:
    october = date(2026, 10, 1)
    services.issue_month_payslips(october, user_id=None, issue_date=date(2026, 11, 2))
    db.session.commit()
    rows = {
        r.employee.code: r
        for r in services.issue_month_payslips(NOVEMBER, user_id=None, issue_date=TODAY)
    }
    db.session.commit()
    prev = db.session.scalars(select(Payslip).where(Payslip.number == "BP-2026-10-KBENALI")).one()
    ytd = payroll.RgduYtd(
        *(Decimal(prev.rgdu_ytd[k]) for k in ("assiette", "smic_reference", "reduction"))
    )
    weekly, gross, cadre, pas = DEMO_CONTRACTS["KBENALI"]
    expected = payroll.compute_payslip(
        payroll.ContractTerms(
            weekly_hours=weekly,
            monthly_gross=gross,
            cadre=cadre,
            start=date(2019, 9, 2),
            pas_rate=pas / 100,
        ),
        NOVEMBER,
        payroll.WorkedTime(),
        payroll.EmployerSettings(),
        payroll.load_params(2026),
        ytd,
    )
    now = rows["KBENALI"]
    assert now.rgdu == expected.rgdu
    assert Decimal(now.rgdu_ytd["assiette"]) == Decimal(prev.rgdu_ytd["assiette"]) + now.gross


def test_a_2025_month_uses_2025_values(demo_time) -> None:
    # Its PA entry is dated 30/11/2025: the books need fiscal year 2025 (SPEC §5 "Locks").
    db.session.add(FiscalYear(year=2025))
    rows = services.issue_month_payslips(
        date(2025, 11, 1), user_id=None, issue_date=date(2025, 12, 1)
    )
    row = next(r for r in rows if r.employee.code == "KBENALI")
    vieillesse = next(ln for ln in row.lines if ln["code"] == "vieillesse_deplafonnee")
    assert vieillesse["employer_rate"] == "2.02"  # 2.11 % in 2026
    reduction = next(ln for ln in row.lines if ln["code"] == "rgdu")
    assert "RGDU" not in reduction["label"]  # 2025: the « Fillon » general reduction
    assert row.reference_model == payroll.load_params(2025).reference_model


def _pdf_text(path) -> str:
    """pdftotext in reading order, every kind of space as one plain space."""
    raw = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(raw.replace("\u202f", " ").replace("\xa0", " ").split())


def test_pdf_docx_and_journal_open(issued, tmp_path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    row = next(p for p in issued if p.employee.code == "KBENALI")
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(read(row.pdf_document))
    text = _pdf_text(pdf)
    for needle in (
        "Karim Benali",
        "MONTANT NET SOCIAL",
        row.employer_snapshot["siret"],
        "NET PAYÉ",
        "BULLETIN DE PAIE",
        "7830Z",
        "IDCC 1518",
        formats.ssn(row.employee.social_security_number).replace("\xa0", " "),
        "conservez ce bulletin de",
        "SANTÉ",
        "RETRAITE",
        "FAMILLE",
        "ASSURANCE CHÔMAGE",
        "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR",
        "TOTAL DES COTISATIONS ET CONTRIBUTIONS",
        "NET À PAYER AVANT IMPÔT",
        "IMPÔT SUR LE REVENU PRÉLEVÉ À LA SOURCE",
        "Gestionnaire paie et RH",
        "Technicien — groupe D",
        "30/11/2026",
        "Coût total employeur",
        "2,08",
    ):
        assert needle in text, needle
    assert "1 877,90" in text

    document = Document(str(storage_root() / row.docx_document.path))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "BULLETIN DE PAIE" in body and "Karim Benali" in cells
    assert "MONTANT NET SOCIAL" in cells and "NET PAYÉ" in cells

    xlsx = tmp_path / "journal.xlsx"
    xlsx.write_bytes(services.journal_xlsx_bytes(NOVEMBER))
    ws = load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    total = {h: c.value for h, c in zip(header, ws[ws.max_row], strict=True)}
    assert total["Matricule"] == "TOTAL" and ws.freeze_panes == "D2"
    for column, field in (
        ("Salaire brut", "gross"),
        ("Net payé", "net_paid"),
        ("Coût employeur", "employer_cost"),
        ("Total cot. salariales", "employee_contributions"),
    ):
        expected = sum(getattr(p, field) for p in issued)
        assert Decimal(str(total[column])).quantize(Decimal("0.01")) == expected, column
        assert ws.cell(row=2, column=header.index(column) + 1).number_format.startswith("#,##0.00")
    family_sum = sum(Decimal(str(v)) for h, v in total.items() if h.endswith(" sal."))
    assert family_sum.quantize(Decimal("0.01")) == sum(p.employee_contributions for p in issued)

    journal = tmp_path / "journal.pdf"
    journal.write_bytes(services.journal_pdf_bytes(NOVEMBER))
    text = _pdf_text(journal)
    assert "Journal de paie" in text and "Claire Martin" in text and "TOTAL" in text


def test_preview_writes_nothing(demo_time) -> None:
    karim = db.session.scalars(select(Employee).where(Employee.code == "KBENALI")).one()
    comp = services.compute_preview(karim, NOVEMBER)
    assert comp.payslip.employer_cost == Decimal("2954.86")
    assert not db.session.new and not db.session.dirty
    assert db.session.scalar(select(func.count(Payslip.id))) == 0


def test_simulation_hourly_cost(demo) -> None:
    result = services.simulate(Decimal("2400"), NOVEMBER, weekly_hours=Decimal("17.5"))
    assert result.fte == Decimal("0.5") and result.billable_hours == Decimal("803.50")
    assert result.hourly_cost == (result.payslip.employer_cost * 12 / Decimal("803.5")).quantize(
        Decimal("0.01")
    )
