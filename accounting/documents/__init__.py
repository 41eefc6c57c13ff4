"""Document rendering (SPEC §6): invoices, credit notes and monthly time statements as
PDF/A-3b (invoices are Factur-X with the EN 16931 CII XML embedded) and as editable .docx
(python-docx). Pure: no Flask.

Two PDF engines lay out the same text (issue 17): Typst (``typst/*.typ`` fed with JSON,
the default: about 20× faster) and WeasyPrint (Jinja2 HTML in ``templates/``). The engine is
chosen per call or by the setting ``PDF_ENGINE`` (environment ``EAGE_PDF_ENGINE``):
"typst" or "weasyprint".
"""

from __future__ import annotations

from dataclasses import dataclass

from accounting.documents.docx_render import invoice_docx, time_statement_docx
from accounting.documents.html import render_invoice_html, render_time_statement_html
from accounting.documents.pdf import html_to_pdf
from accounting.documents.typst_data import invoice_data, statement_data
from accounting.facturx import build_cii_xml, embed
from accounting.invoicing import InvoiceDocument, TimeStatement
from accounting.typst_pdf import ENGINES, pdf_engine, typst_pdf, without_tags

__all__ = [
    "ENGINES",
    "pdf_engine",
    "RenderedInvoice",
    "render_invoice",
    "render_invoice_docx",
    "render_invoice_html",
    "render_invoice_pdf",
    "render_time_statement_docx",
    "render_time_statement_html",
    "render_time_statement_pdf",
]


@dataclass(frozen=True)
class RenderedInvoice:
    """The three files of an invoice: Factur-X PDF, its CII XML (also inside the PDF), .docx."""

    pdf: bytes
    xml: bytes
    docx: bytes


def _pdf_metadata(doc: InvoiceDocument) -> dict[str, str]:
    return {
        "title": f"{doc.title} {doc.number} – {doc.seller.name}",
        "author": doc.seller.name,
        "subject": f"{doc.title} {doc.number} du {doc.issue_date:%d/%m/%Y} – {doc.buyer.name}",
    }


def render_invoice_pdf(
    doc: InvoiceDocument, xml: bytes | None = None, *, engine: str | None = None
) -> bytes:
    """Factur-X PDF: PDF/A-3b (Typst or WeasyPrint) → factur-x.xml embedded (EN 16931)."""
    if xml is None:
        xml = build_cii_xml(doc)
    if pdf_engine(engine) == "typst":
        pdf_a3 = without_tags(typst_pdf("invoice.typ", invoice_data(doc), created=doc.issue_date))
    else:
        pdf_a3 = html_to_pdf(render_invoice_html(doc), identifier=doc.number)
    return embed(pdf_a3, xml, **_pdf_metadata(doc))


def render_invoice_docx(doc: InvoiceDocument, template: bytes | None = None) -> bytes:
    """Editable .docx of the invoice (optionally on the group's own base template)."""
    return invoice_docx(doc, template)


def render_invoice(
    doc: InvoiceDocument, docx_template: bytes | None = None, *, engine: str | None = None
) -> RenderedInvoice:
    """Everything the month close stores for one invoice, the XML built once."""
    xml = build_cii_xml(doc)
    return RenderedInvoice(
        pdf=render_invoice_pdf(doc, xml, engine=engine),
        xml=xml,
        docx=invoice_docx(doc, docx_template),
    )


def render_time_statement_pdf(stmt: TimeStatement, *, engine: str | None = None) -> bytes:
    """PDF/A-3b of the monthly time statement (relevé mensuel de mise à disposition)."""
    if pdf_engine(engine) == "typst":
        return typst_pdf("time_statement.typ", statement_data(stmt), created=stmt.issue_date)
    ident = f"{stmt.reference or stmt.member.name}-{stmt.year}-{stmt.month:02d}"
    return html_to_pdf(render_time_statement_html(stmt), identifier=ident)


def render_time_statement_docx(stmt: TimeStatement, template: bytes | None = None) -> bytes:
    return time_statement_docx(stmt, template)
