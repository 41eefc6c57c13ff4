"""Invoice and time-statement documents: Factur-X PDF/A-3, .docx, French formats (SPEC §6, §8)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from facturx import get_facturx_xml_from_pdf  # type: ignore[import-untyped]

from accounting.documents import (
    RenderedInvoice,
    render_invoice,
    render_invoice_docx,
    render_invoice_html,
    render_invoice_pdf,
    render_time_statement_docx,
    render_time_statement_html,
    render_time_statement_pdf,
)
from accounting.documents.pdf import DocumentError, html_to_pdf
from accounting.facturx import build_cii_xml
from accounting.formats import fr_date, hours, money
from accounting.invoicing import (
    EXEMPTION_261B_MENTION,
    NO_DISCOUNT_MENTION,
    RECOVERY_INDEMNITY_MENTION,
    InvoiceDocument,
    TimeStatement,
    TimeStatementRow,
    make_credit_note,
)
from tests.accounting.test_invoicing import BUYER, SELLER, make_invoice

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdfdetach) not installed"
)


def statement() -> TimeStatement:
    services = (
        ("GESTION", "Gestion, contrôle de gestion"),
        ("PAIE", "Service paye"),
        ("RESEAU", "Administration réseau"),
    )
    rows = []
    for day in range(2, 28):
        d = date(2026, 11, day)
        if d.weekday() >= 5:
            continue
        for i, employee in enumerate(("Camille Martin", "Hugo Bernard")):
            code, label = services[(day + i) % 3]
            rows.append(
                TimeStatementRow(
                    d,
                    employee,
                    code,
                    label,
                    90 + (day * 7 + i * 13) % 240,
                    "Réunion de bureau" if day % 7 == 0 else "",
                )
            )
    return TimeStatement(
        seller=SELLER,
        member=BUYER,
        year=2026,
        month=11,
        rows=tuple(rows),
        issue_date=date(2026, 11, 30),
        reference="R-2026-11-LEFIL",
        invoice_number="F-2026-0042",
        ge_signatory="Marie Roche, présidente",
    )


@pytest.fixture(scope="module")
def invoice() -> InvoiceDocument:
    return make_invoice(
        "vat_20", notes=("Facture provisionnelle : régularisation en fin d'exercice.",)
    )


@pytest.fixture(scope="module")
def rendered(invoice: InvoiceDocument) -> RenderedInvoice:
    return render_invoice(invoice)


@pytest.fixture(scope="module")
def statement_pdf() -> bytes:
    return render_time_statement_pdf(statement())


def pdftext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.replace("\u202f", " ").replace("\xa0", " ")  # babel's French spaces


def test_french_formats() -> None:
    assert money(Decimal("2152.67")) == "2\u202f152,67\xa0€"
    assert fr_date(date(2026, 11, 30)) == "30/11/2026"
    assert hours(2265) == "37,75"


def test_invoice_html_carries_every_mention(invoice: InvoiceDocument) -> None:
    html = render_invoice_html(invoice).replace("&#39;", "'")
    for text in (
        "L'équipe associée",
        "801234568",
        "80123456800013",
        "FR66801234568",  # seller
        "Le Fil (association Limace)",
        "SIREN 480123462",
        "FR35480123462",  # buyer (+ SIREN)
        "F-2026-0042",
        "30/11/2026",
        "01/11/2026 – 30/11/2026",
        "30/12/2026",  # dates
        "Prestations de services",  # nature of the operation
        "37\xa0h\xa045",  # 2265 minutes: hours and exact minutes, never 37,75
        "36,50\xa0€\xa0/\xa0h",
        "36,50\xa0€",
        "20\xa0%",
        "1\u202f377,88\xa0€",  # line
        "1\u202f793,89\xa0€",
        "358,78\xa0€",
        "2\u202f152,67\xa0€",  # totals
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPPXXX",  # IBAN
        "12,15 %",
        RECOVERY_INDEMNITY_MENTION,
        NO_DISCOUNT_MENTION,
        "Annexe – relevé des temps",
        "Camille Martin",
    ):
        assert text in html, text
    assert "débits" not in html  # the debit option only when chosen


def test_exempt_and_credit_note_mentions() -> None:
    exempt = render_invoice_html(make_invoice("exempt_261B"))
    assert EXEMPTION_261B_MENTION in exempt
    credit = make_credit_note(
        make_invoice(),
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Heures saisies en double",
    )
    html = render_invoice_html(credit)
    assert "Avoir sur facture n° F-2026-0042 du 30/11/2026" in html
    assert "Motif : Heures saisies en double" in html
    assert "Montant de l'avoir" in html
    debit = render_invoice_html(make_invoice(vat_on_debits=True))
    assert "Option pour le paiement de la taxe d&#39;après les débits" in debit


@needs_poppler
def test_invoice_pdf_is_pdf_a3b_factur_x(rendered: RenderedInvoice, tmp_path: Path) -> None:
    path = tmp_path / "F-2026-0042.pdf"
    path.write_bytes(rendered.pdf)
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(path)], check=True, capture_output=True, text=True
    ).stdout
    assert "<pdfaid:part>3</pdfaid:part>" in meta
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in meta
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "A4" in info
    attached = subprocess.run(
        ["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout
    assert "factur-x.xml" in attached


def test_embedded_xml_is_the_same_xml(rendered: RenderedInvoice, invoice: InvoiceDocument) -> None:
    filename, xml = get_facturx_xml_from_pdf(rendered.pdf)
    assert filename == "factur-x.xml"
    assert xml == rendered.xml == build_cii_xml(invoice)


@needs_poppler
def test_invoice_pdf_text(rendered: RenderedInvoice, tmp_path: Path) -> None:
    text = pdftext(rendered.pdf, tmp_path)
    for needle in (
        "FACTURE",
        "F-2026-0042",
        "Le Fil (association Limace)",
        "2 152,67 €",
        "Page 1 / 2",
        "Page 2 / 2",
        "SIRET 80123456800013",
        "Pas d'escompte",
    ):
        assert needle in text, needle


def test_credit_note_pdf_round_trip() -> None:
    credit = make_credit_note(
        make_invoice("exempt_261B"),
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Doublon",
        amounts={0: Decimal("100")},
    )
    pdf = render_invoice_pdf(credit)
    _, xml = get_facturx_xml_from_pdf(pdf)
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml


def test_invoice_docx(rendered: RenderedInvoice) -> None:
    document = Document(BytesIO(rendered.docx))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    everything = "\n".join(texts)
    for needle in (
        "F-2026-0042",
        "Le Fil (association Limace)",
        "2\u202f152,67\xa0€",
        "SIREN 480123462",
        "30/12/2026",
        RECOVERY_INDEMNITY_MENTION,
        "Annexe – relevé des temps",
        "37\xa0h\xa045",
        "36,50\xa0€\xa0/\xa0h",
        "1\u202f377,88\xa0€",  # 37 h 45 × 36,50 € / h = 1 377,875 → 1 377,88 €
    ):
        assert needle in everything, needle
    assert "37,75" not in everything
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "SIRET 80123456800013" in footer
    assert document.core_properties.title == "Facture F-2026-0042"


def test_docx_on_the_groups_own_template() -> None:
    base = Document()
    base.sections[0].footer.paragraphs[0].text = "Papier à en-tête du groupement"
    base.add_paragraph("ancien contenu")
    buf = BytesIO()
    base.save(buf)
    out = Document(BytesIO(render_invoice_docx(make_invoice(), template=buf.getvalue())))
    assert "ancien contenu" not in "\n".join(p.text for p in out.paragraphs)
    assert out.sections[0].footer.paragraphs[0].text == "Papier à en-tête du groupement"


@needs_poppler
def test_time_statement_pdf(statement_pdf: bytes, tmp_path: Path) -> None:
    stmt = statement()
    text = pdftext(statement_pdf, tmp_path)
    for needle in (
        "RELEVÉ MENSUEL DE MISE À",
        "novembre 2026",
        "Le Fil (association Limace)",
        "Camille Martin",
        "Hugo Bernard",
        "Total Camille Martin",
        hours(stmt.total_minutes).replace("\u202f", " "),
        "Nom et qualité : Marie Roche, présidente",
        "Bon pour accord",
        "SIRET 80123456800013",
    ):
        assert needle in text, needle
    assert statement_pdf.startswith(b"%PDF-")


def test_time_statement_html_and_docx() -> None:
    stmt = statement()
    html = render_time_statement_html(stmt)
    by_employee = stmt.minutes_by_employee()
    assert hours(by_employee["Camille Martin"]) in html
    assert hours(stmt.total_minutes) in html
    document = Document(BytesIO(render_time_statement_docx(stmt)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert hours(stmt.total_minutes) in cells
    assert any("Le Fil (association Limace)" in c for c in cells)
    assert any("Bon pour accord" in c for c in cells)
    # Each section once, in the order of the PDF: summary, details, then one signature table.
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == ["Récapitulatif", "Détail par salarié"]
    assert sum(any("Bon pour accord" in c.text for c in t._cells) for t in document.tables) == 1


def test_documents_load_no_external_resource() -> None:
    with pytest.raises(DocumentError, match="no external resource"):
        html_to_pdf('<img src="http://example.com/logo.png">', identifier="x", pdf_a3=False)


@needs_poppler
def test_render_to_png_for_a_look(
    rendered: RenderedInvoice, statement_pdf: bytes, tmp_path: Path
) -> None:
    """The layout itself is checked by eye on these PNGs (pdftoppm -png -r 60); the test
    only makes sure the pages rasterise."""
    for name, pdf in (("invoice", rendered.pdf), ("statement", statement_pdf)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / name)], check=True
        )
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "invoice-1.png" in pngs and "statement-1.png" in pngs
