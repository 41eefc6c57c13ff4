"""Payroll documents, pure (no app): the payslip's mandatory mentions (art. R3243-1 C. trav.,
« bulletin clarifié »), its PDF and .docx; the payroll journal's totals in PDF and .xlsx."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

import payroll
from accounting import formats
from payroll.documents import (
    KEEP_MENTION,
    EmployeeIdentity,
    Employer,
    JournalRow,
    PaidLeave,
    PayslipDocument,
    journal_html,
    journal_pdf,
    journal_totals,
    journal_xlsx,
    payslip_docx,
    payslip_html,
    payslip_pdf,
)

EMPLOYER = Employer(
    "L'équipe associée",
    "Association loi 1901",
    "20 rue Saint-Joseph",
    "42000",
    "Saint-Étienne",
    "80123456800013",
    "7830Z",
    "Convention collective nationale de l'animation (IDCC 1518)",
)


def _doc(
    cadre: bool = False,
    extra: Decimal = Decimal(0),
    absence: Decimal = Decimal(0),
    code: str = "KBENALI",
) -> PayslipDocument:
    gross = Decimal("2950") if cadre else Decimal("2400")
    slip = payroll.compute_payslip(
        payroll.ContractTerms(
            weekly_hours=Decimal(35), monthly_gross=gross, cadre=cadre, pas_rate=Decimal("0.021")
        ),
        date(2026, 11, 1),
        payroll.WorkedTime(
            extra_hours_by_week={"2026-W46": extra} if extra else {}, unpaid_absence_hours=absence
        ),
        payroll.EmployerSettings(),
        payroll.load_params(2026),
    )
    return PayslipDocument(
        number=f"BP-2026-11-{code}",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        payment_date=date(2026, 11, 30),
        employer=EMPLOYER,
        employee=EmployeeIdentity(
            code,
            "Karim Benali",
            "Gestionnaire paie et RH",
            "Technicien — groupe D",
            "187094227054321",
            "CDI",
            date(2019, 9, 2),
            Decimal(35),
            gross,
            cadre,
        ),
        payslip=slip.to_json_dict(),
        pas_rate=Decimal("0.021"),
        leave=PaidLeave(
            date(2026, 6, 1),
            Decimal("2.08"),
            Decimal("12.48"),
            Decimal(1),
            Decimal(6),
            (date(2026, 11, 23),),
        ),
    )


def _text(pdf: bytes) -> str:
    raw = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(raw.replace("\u202f", " ").replace("\xa0", " ").split())


def test_payslip_html_carries_every_mandatory_mention() -> None:
    html = payslip_html(_doc(extra=Decimal(10), absence=Decimal(7)))
    for needle in (
        # employer: name, address, SIRET, APE, collective agreement (R3243-1 1°, 2°)
        "L&#39;équipe associée",
        "20 rue Saint-Joseph",
        "80123456800013",
        "7830Z",
        "IDCC 1518",
        # employee: name, job, classification (3°), social security number in full
        "Karim Benali",
        "Gestionnaire paie et RH",
        "Technicien — groupe D",
        "1\u00a087\u00a009\u00a042\u00a0270\u00a0543\u00a021",
        # period and hours, normal / extra with their rates (4°)
        "du 01/11/2026 au 30/11/2026",
        "Heures normales",
        "majorées à 25",
        "majorées à 50",
        "Absence non rémunérée",
        # headings of the bulletin clarifié, totals, PAS (base, rate, amount), payment date
        "SANTÉ",
        "ACCIDENTS DU TRAVAIL",
        "RETRAITE",
        "FAMILLE",
        "ASSURANCE CHÔMAGE",
        "AUTRES CONTRIBUTIONS DUES PAR L&#39;EMPLOYEUR",
        "CSG déductible",
        "EXONÉRATIONS, ÉCRÊTEMENTS ET ALLÈGEMENTS",
        "TOTAL DES COTISATIONS ET CONTRIBUTIONS",
        "MONTANT NET SOCIAL",
        "NET À PAYER AVANT IMPÔT SUR LE REVENU",
        "IMPÔT SUR LE REVENU PRÉLEVÉ À LA SOURCE",
        "2,10\u00a0%",
        "NET PAYÉ",
        "Date de paiement",
        "30/11/2026",
        # leave, employer cost and relief, the keep-it mention (R3243-5)
        "Congés payés",
        "Acquis ce mois",
        "2,08",
        "23/11",
        "Coût total employeur",
        "Total des allègements",
        KEEP_MENTION.replace("'", "&#39;"),
    ):
        assert needle in html, needle


@pytest.mark.parametrize("cadre", [False, True])
def test_payslip_pdf_is_one_a4_page_with_the_totals(cadre: bool) -> None:
    doc = _doc(cadre=cadre, extra=Decimal(10), absence=Decimal(7))
    pdf = payslip_pdf(doc)
    assert pdf.startswith(b"%PDF")
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Pages:           1" in info and "595.276 x 841.89" in info  # A4, one page
    text = _text(pdf)
    slip = doc.payslip
    for needle in (
        "Karim Benali",
        "MONTANT NET SOCIAL",
        "80123456800013",
        "NET PAYÉ",
        formats.money(slip["net_paid"]).replace("\u202f", " ").replace("\xa0", " "),
        formats.amount(slip["net_social"]).replace("\u202f", " "),
    ):
        assert needle in text, needle


def test_payslip_pdf_is_reproducible() -> None:
    doc = _doc()
    assert payslip_pdf(doc) == payslip_pdf(doc)


def test_payslip_docx_opens_with_python_docx() -> None:
    document = Document(io.BytesIO(payslip_docx(_doc(extra=Decimal(3)))))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BULLETIN DE PAIE" in body and KEEP_MENTION in body
    for needle in (
        "Karim Benali",
        "80123456800013",
        "SANTÉ",
        "MONTANT NET SOCIAL",
        "NET À PAYER AVANT IMPÔT SUR LE REVENU",
        "NET PAYÉ",
        "Heures supplémentaires",
    ):
        assert needle in cells + body, needle
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.1)


def _journal() -> list[JournalRow]:
    return [
        JournalRow(d.employee.code, d.employee.name, d.number, d.payslip)
        for d in (_doc(code="KBENALI"), _doc(cadre=True, extra=Decimal(4), code="CMARTIN"))
    ]


def test_journal_xlsx_totals_equal_the_payslips() -> None:
    rows = _journal()
    ws = load_workbook(
        io.BytesIO(
            journal_xlsx(rows, month_label="novembre 2026", employer_name="L'équipe associée")
        )
    ).active
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "D2" and ws.max_row == 4
    assert ws.column_dimensions["B"].width >= 20
    total = dict(zip(header, (c.value for c in ws[4]), strict=True))
    for column, field in (
        ("Salaire brut", "gross"),
        ("Net payé", "net_paid"),
        ("Coût employeur", "employer_cost"),
        ("Net social", "net_social"),
        ("Total cot. patronales", "employer_contributions"),
    ):
        expected = sum(Decimal(r.payslip[field]) for r in rows)
        assert Decimal(str(total[column])).quantize(Decimal("0.01")) == expected
        assert "€" in ws.cell(row=2, column=header.index(column) + 1).number_format
    employee_families = sum(Decimal(str(v)) for h, v in total.items() if h.endswith(" sal."))
    assert employee_families.quantize(Decimal("0.01")) == sum(
        Decimal(r.payslip["employee_contributions"]) for r in rows
    )


def test_journal_pdf_and_totals() -> None:
    rows = _journal()
    totals = journal_totals(rows)
    assert totals["gross"] == sum(Decimal(r.payslip["gross"]) for r in rows)
    html = journal_html(rows, month_label="novembre 2026", employer_name="EAGE", siret="1")
    assert "BP-2026-11-CMARTIN" in html and "Retraite" in html
    text = _text(
        journal_pdf(rows, month_label="novembre 2026", employer_name="EAGE", siret="80123456800013")
    )
    assert "Journal de paie" in text and "TOTAL" in text
    assert formats.amount(totals["employer_cost"]).replace("\u202f", " ") in text


def test_french_formats() -> None:
    assert formats.money(Decimal("1234.5")) == "1\u202f234,50\xa0€"
    assert formats.rate("0.016") == "0,016\xa0%" and formats.rate("6.90") == "6,90\xa0%"
    assert formats.rate(None) == "" and formats.amount("0.00", blank_zero=True) == ""
    assert formats.fr_date(date(2026, 11, 30)) == "30/11/2026"
    assert formats.ssn("187094227054321") == "1\xa087\xa009\xa042\xa0270\xa0543\xa021"
