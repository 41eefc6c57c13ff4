"""The Typst engine against WeasyPrint (issue 17): on a realistic month, each document's
text extracted from the PDF is the same words and figures with both engines, the invoice
stays a Factur-X PDF/A-3b, and the engine switch refuses an unknown name."""

from __future__ import annotations

import re
import subprocess
import threading
from collections import Counter
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from facturx import get_facturx_xml_from_pdf  # type: ignore[import-untyped]

from accounting.documents import (
    pdf_engine,
    render_invoice_docx,
    render_invoice_pdf,
    render_time_statement_pdf,
)
from accounting.documents.annual import AnnualStatement, ServiceYear, render_annual_statement_pdf
from accounting.documents.html import duration
from accounting.facturx import build_cii_xml
from accounting.invoicing import (
    InvoiceDocument,
    TimeAnnexRow,
    TimeStatement,
    TimeStatementRow,
    make_credit_note,
    service_line,
)
from accounting.typst_pdf import TypstDocumentError, typst_pdf
from payroll.documents import payslip_pdf
from tests.accounting.test_invoicing import BUYER, SELLER
from tests.payroll.test_documents import _doc as payslip_doc

SERVICES = (
    ("GESTION", "Gestion, contrôle de gestion", Decimal("36.50")),
    ("PAIE", "Service paye et gestion sociale", Decimal("35.00")),
    ("RESEAU", "Administration réseau", Decimal("41.20")),
)
EMPLOYEES = ("Camille Martin", "Hugo Bernard", "Léa Dubois")


def month_rows() -> list[tuple[date, str, str, str, int]]:
    """November 2026, three employees each working day: 63 rows, as bench_render.py."""
    rows = []
    for day in range(1, 31):
        d = date(2026, 11, day)
        if d.weekday() >= 5:
            continue
        for i, employee in enumerate(EMPLOYEES):
            code, label, _ = SERVICES[(day + i) % 3]
            rows.append((d, employee, code, label, 60 + (day * 37 + i * 11) % 300))
    return rows


def month_invoice() -> InvoiceDocument:
    rows = month_rows()
    lines = tuple(
        service_line(
            code, f"Mise à disposition – {label}", sum(r[4] for r in rows if r[2] == code), rate
        )
        for code, label, rate in SERVICES
    )
    return InvoiceDocument(
        kind="invoice",
        number="F-2026-0042",
        issue_date=date(2026, 11, 30),
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        seller=SELLER,
        buyer=BUYER,
        vat_regime="vat_20",
        lines=lines,
        late_penalty_rate=Decimal("12.15"),
        notes=("Facture provisionnelle : régularisation en fin d'exercice.",),
        time_annex=tuple(TimeAnnexRow(d, e, c, m, label) for d, e, c, label, m in rows),
    )


def credit_note() -> InvoiceDocument:
    return make_credit_note(
        month_invoice(),
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Heures du 11 novembre comptées deux fois",
        amounts={0: Decimal("120.45")},
    )


def month_statement() -> TimeStatement:
    return TimeStatement(
        seller=SELLER,
        member=BUYER,
        year=2026,
        month=11,
        issue_date=date(2026, 11, 30),
        rows=tuple(
            TimeStatementRow(d, e, c, label, m, "Réunion de bureau" if d.day % 7 == 0 else "")
            for d, e, c, label, m in month_rows()
        ),
        reference="R-2026-11-LEFIL",
        invoice_number="F-2026-0042",
        ge_signatory="Marie Roche, présidente",
    )


def annual(complete: bool = True) -> AnnualStatement:
    return AnnualStatement(
        seller=SELLER,
        member=BUYER,
        year=2026,
        issue_date=date(2027, 1, 15),
        services=(
            ServiceYear(
                "GESTION",
                "Gestion, contrôle de gestion",
                tuple(600 + 37 * m for m in range(12)),
                Decimal("4211.37"),
                Decimal("512.08"),
                Decimal("4650.00"),
            ),
            ServiceYear(
                "PAIE",
                "Service paye",
                tuple(0 if m == 7 else 480 + 11 * m for m in range(12)),
                Decimal("3020.10"),
                Decimal("388.91"),
                Decimal("3409.01"),
            ),
        ),
        regularisation=Decimal("73.45"),
        regularisation_documents=("F-2027-0003",),
        fee=Decimal("150.00"),
        fee_documents=("F-2026-0001",),
        reference="BA-2026-LEFIL",
        complete=complete,
        months_closed="" if complete else "janvier à octobre 2026",
    )


def pdf_words(pdf: bytes) -> list[str]:
    """The words pdftotext reads, French spaces made plain: the order of two blocks side by
    side may differ between layouts, so the words are compared as a multiset. Hyphens are
    dropped: pdftotext joins « ci-␤dessous » broken at the end of a line into « cidessous »."""
    raw = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return raw.replace("\u202f", " ").replace("\xa0", " ").replace("-", "").split()


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    match = re.search(r"Pages:\s+(\d+)", info.stdout.decode())
    assert match
    return int(match.group(1))


DOCUMENTS = {
    "invoice": lambda engine: render_invoice_pdf(month_invoice(), engine=engine),
    "credit_note": lambda engine: render_invoice_pdf(credit_note(), engine=engine),
    "time_statement": lambda engine: render_time_statement_pdf(month_statement(), engine=engine),
    "payslip": lambda engine: payslip_pdf(
        payslip_doc(extra=Decimal(10), absence=Decimal(7)), engine=engine
    ),
    "annual_statement": lambda engine: render_annual_statement_pdf(annual(), engine=engine),
    "annual_provisional": lambda engine: render_annual_statement_pdf(annual(False), engine=engine),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_same_words_and_figures_with_both_engines(name: str) -> None:
    typst, weasy = DOCUMENTS[name]("typst"), DOCUMENTS[name]("weasyprint")
    assert pages(typst) == pages(weasy)
    t, w = Counter(pdf_words(typst)), Counter(pdf_words(weasy))
    assert t == w, f"only Typst: {t - w}; only WeasyPrint: {w - t}"


def test_typst_invoice_is_factur_x_pdf_a3b() -> None:
    """The Typst PDF/A-3b goes through the same factur-x embedding: the XML inside is the
    XSD-checked CII of the invoice, the XMP says PDF/A-3 B and EN 16931 (Factur-X 1.0.07)."""
    doc = credit_note()
    pdf = render_invoice_pdf(doc, engine="typst")
    filename, xml = get_facturx_xml_from_pdf(pdf)
    assert filename == "factur-x.xml"
    assert xml == build_cii_xml(doc)
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "<pdfaid:part>3</pdfaid:part>" in meta
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in meta
    assert b"/OutputIntents" in pdf  # PDF/A needs its output intent (STACK-NOTES §3)
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "DejaVuSans" in fonts and " no " not in fonts.split("\n", 2)[2]  # all embedded


def test_typst_render_is_reproducible() -> None:
    """An issued document renders to the same bytes: its dates are the document's own."""
    stmt = month_statement()
    assert render_time_statement_pdf(stmt, engine="typst") == render_time_statement_pdf(
        stmt, engine="typst"
    )


def test_engine_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EAGE_PDF_ENGINE", raising=False)
    assert pdf_engine() == "typst"
    monkeypatch.setenv("EAGE_PDF_ENGINE", "weasyprint")
    assert pdf_engine() == "weasyprint"
    assert pdf_engine("typst") == "typst"
    monkeypatch.setenv("EAGE_PDF_ENGINE", "latex")
    with pytest.raises(ValueError, match="unknown PDF engine 'latex'"):
        render_time_statement_pdf(month_statement())


def test_a_template_error_is_a_document_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.typ"
    bad.write_text("#let data = json(bytes(sys.inputs.data))\n#data.missing\n")
    with pytest.raises(TypstDocumentError, match=r"bad\.typ"):
        typst_pdf(bad, {"present": "1"}, created=date(2026, 11, 30))


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_factur_x_file_is_one_pdf(engine: str) -> None:
    """factur-x 7.8 wrote the new PDF after the input in the same buffer: the stored file
    carried the whole pre-embedding PDF in front of it. Now the file is the Factur-X PDF
    alone: one header, one end, and pdfinfo reads it."""
    pdf = render_invoice_pdf(month_invoice(), engine=engine)
    assert pdf.startswith(b"%PDF-1.6")
    assert pdf.count(b"%PDF-") == 1
    assert pdf.rstrip().endswith(b"%%EOF") and pdf.count(b"%%EOF") == 1
    assert pages(pdf) == 3


def test_docx_annex_table_written_in_one_parse() -> None:
    """The .docx annex (63 rows written as XML at once, issue 17) is still a Word table an
    accountant can restyle: header row repeated on each page, hours right-aligned, totals
    bold on a shaded row, and the hours add up to the invoice's total."""
    doc = month_invoice()
    document = Document(BytesIO(render_invoice_docx(doc)))
    annex = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    rows = annex._tbl.tr_lst
    assert len(rows) == 1 + 63 + 3 + 1  # header, days, one total per service, grand total
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    last = annex.rows[-1].cells
    assert [c.text for c in last] == ["Total des heures", "", "", duration(doc.annex_total_minutes)]
    hours = last[3]._tc
    assert hours.find(f".//{qn('w:jc')}").get(qn("w:val")) == "right"
    assert hours.find(f".//{qn('w:b')}").get(qn("w:val")) is None  # bold on
    assert hours.find(f".//{qn('w:shd')}").get(qn("w:fill")) == "F0F4F8"
    first_day = annex.rows[1].cells
    assert first_day[0].text == "02/11/2026"
    assert first_day[0]._tc.find(f".//{qn('w:b')}").get(qn("w:val")) == "0"
    assert round(annex.rows[1].cells[0].width.mm, 1) == 28.0  # stored in twips


def test_typst_renders_from_several_threads() -> None:
    """The close renders in a job thread while a request may render an annual statement:
    a Typst compiler shared between threads failed with "Already borrowed"."""
    stmt = month_statement()
    expected = render_time_statement_pdf(stmt, engine="typst")
    results: list[bytes | Exception] = []

    def work() -> None:
        for _ in range(3):
            try:
                results.append(render_time_statement_pdf(stmt, engine="typst"))
            except Exception as exc:  # collected: the assertion below names it
                results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 9
