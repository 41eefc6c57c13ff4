"""Editable Word versions of the documents (python-docx).

Built on python-docx's default template, or on a base ``.docx`` the group supplies (its
letterhead, fonts and styles: the body is emptied and refilled; named styles used here are
``Normal``, ``Title``, ``Heading 2``, ``Heading 3`` and ``Table Grid``).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from accounting import formats
from accounting.documents.html import duration, invoice_rows, statement_details
from accounting.invoicing import InvoiceDocument, Party, SellerParty, TimeStatement
from accounting.months import Month

ACCENT = RGBColor(0x1D, 0x4E, 0x5F)
MUTED = RGBColor(0x52, 0x60, 0x6D)
HEADER_FILL = "1D4E5F"
SUBTOTAL_FILL = "F0F4F8"
FONT = "Arial"  # Liberation Sans on LibreOffice; the accountant edits in Word or Writer


def _open(template: bytes | None) -> DocxDocument:
    document = Document(BytesIO(template)) if template else Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if template is None:
        normal = document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(9)
        for name in ("Title", "Heading 2", "Heading 3"):
            style = document.styles[name]
            style.font.name = FONT
            style.font.color.rgb = ACCENT
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin, section.bottom_margin = Mm(14), Mm(18)
    return document


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when displaying."""
    run = paragraph.add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    fld.append(inner)
    run._r.append(fld)


def _footer(document: DocxDocument, seller: SellerParty, docref: str) -> None:
    footer = document.sections[0].footer
    if any(p.text.strip() for p in footer.paragraphs):
        return  # the group's own template has a footer: keep it
    p = footer.paragraphs[0]
    run = p.add_run(seller.identity_line + (f" – {seller.email}" if seller.email else ""))
    run.font.size = Pt(7)
    run.font.color.rgb = MUTED
    p2 = footer.add_paragraph()
    p2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = p2.add_run(f"{docref} – page ")
    r.font.size = Pt(7)
    _field(p2, "PAGE")
    r = p2.add_run(" / ")
    r.font.size = Pt(7)
    _field(p2, "NUMPAGES")


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _set(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    right: bool = False,
    size: float = 8.5,  # float-ok: point size
    color: RGBColor | None = None,
) -> None:  # float-ok: point size
    cell.text = ""
    p = cell.paragraphs[0]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _t(text: str) -> str:
    """A w:t as python-docx writes it: none for no text, xml:space="preserve" only when
    the text starts or ends with a space."""
    if not text:
        return ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def _run_xml(text: str, *, bold: bool, size: float, color: str) -> str:  # float-ok: points
    """One cell's runs as WordprocessingML, as _set writes them: a line break between
    lines, bold or not, the size in half-points, an optional colour."""
    props = "<w:b/>" if bold else '<w:b w:val="0"/>'
    if color:
        props += f'<w:color w:val="{color}"/>'
    props += f'<w:sz w:val="{round(size * 2)}"/>'  # float-ok: half-points
    lines = text.split("\n")
    return "".join(
        f"<w:r><w:rPr>{props}</w:rPr>{_t(line)}"
        + ("<w:br/>" if i < len(lines) - 1 else "")
        + "</w:r>"
        for i, line in enumerate(lines)
    )


def _cell_xml(
    text: str,
    width: int,
    *,
    bold: bool = False,
    right: bool = False,
    size: float = 8.5,  # float-ok: point size
    color: str = "",
    fill: str = "",
) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    align = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f"<w:p>{align}{_run_xml(text, bold=bold, size=size, color=color)}</w:p></w:tc>"
    )


def _grid(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    widths_mm: Sequence[float] = (),
    bold_rows: Sequence[int] = (),
) -> Table:
    """A table with a dark header row repeated on every page. The rows are written as
    WordprocessingML in one parse (issue 17): python-docx's row.cells walks the whole
    table at each call, so a 63-row annex cost ~100 ms cell by cell; this is ~5 ms and
    the same XML (widths, shading, bold, alignment, sizes)."""
    table: Table = document.add_table(rows=0, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    widths = (
        [Mm(w).twips for w in widths_mm]
        if widths_mm
        else [w.twips if w else 0 for w in grid_widths]
    )
    head = "".join(
        _cell_xml(
            title,
            widths[i],
            bold=True,
            right=i in numeric,
            size=8,
            color="FFFFFF",
            fill=HEADER_FILL,
        )
        for i, title in enumerate(header)
    )
    body = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>']
    for r, values in enumerate(rows):
        strong = r in bold_rows
        cells = "".join(
            _cell_xml(
                value,
                widths[i],
                bold=strong,
                right=i in numeric,
                fill=SUBTOTAL_FILL if strong else "",
            )
            for i, value in enumerate(values)
        )
        body.append(f"<w:tr>{cells}</w:tr>")
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(body)}</w:tbl>")
    for tr in list(parsed):
        table._tbl.append(tr)
    return table


def _para(
    document: DocxDocument,
    text: str = "",
    *,
    bold: bool = False,
    size: float = 9,  # float-ok: point size
    color: RGBColor | None = None,
    right: bool = False,
    space_after: float = 2,  # float-ok: point size
) -> Paragraph:  # float-ok: point size
    p = document.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    p.paragraph_format.space_after = Pt(space_after)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def _seller_lines(s: SellerParty) -> list[str]:
    lines = [s.name]
    if s.legal_form:
        lines.append(s.legal_form)
    lines.extend(s.address_block)
    ids = " · ".join(
        x
        for x in (
            f"SIREN {s.siren}" if s.siren else "",
            f"SIRET {s.siret}" if s.siret else "",
            f"APE {s.ape}" if s.ape else "",
        )
        if x
    )
    if ids:
        lines.append(ids)
    if s.vat_number:
        lines.append(f"N° TVA intracommunautaire {s.vat_number}")
    if s.email:
        lines.append(s.email)
    return lines


def _party_lines(p: Party) -> list[str]:
    lines = [p.name]
    if p.legal_form:
        lines.append(p.legal_form)
    lines.extend(p.address_block)
    lines.append(
        f"SIREN {p.siren or 'non communiqué'}" + (f" · SIRET {p.siret}" if p.siret else "")
    )
    if p.vat_number:
        lines.append(f"N° TVA intracommunautaire {p.vat_number}")
    if p.email:
        lines.append(p.email)
    return lines


def _head(
    document: DocxDocument,
    seller: SellerParty,
    title: str,
    meta: Sequence[tuple[str, str]],
    *,
    party_label: str,
    party: Party,
) -> None:
    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(100), Mm(80)
    lines = _seller_lines(seller)
    _set(left, lines[0], bold=True, size=14, color=ACCENT)
    for line in lines[1:]:
        run = left.add_paragraph().add_run(line)
        run.font.size = Pt(8.5)
    _set(right, title.upper(), bold=True, size=14, color=ACCENT)
    for label, value in meta:
        p = right.add_paragraph()
        r1 = p.add_run(f"{label} : ")
        r1.font.size = Pt(8.5)
        r1.font.color.rgb = MUTED
        r2 = p.add_run(value)
        r2.bold = True
        r2.font.size = Pt(8.5)
    _para(document, space_after=4)
    box = document.add_table(rows=1, cols=2)
    cell = box.rows[0].cells[1]
    box.rows[0].cells[0].width, cell.width = Mm(90), Mm(90)
    _set(cell, party_label.upper(), size=7, color=MUTED)
    plines = _party_lines(party)
    run = cell.add_paragraph().add_run(plines[0])
    run.bold = True
    run.font.size = Pt(10)
    for line in plines[1:]:
        cell.add_paragraph().add_run(line).font.size = Pt(8.5)
    _shade(cell, SUBTOTAL_FILL)
    _para(document, space_after=4)


def invoice_docx(doc: InvoiceDocument, template: bytes | None = None) -> bytes:
    document = _open(template)
    _invoice_head(document, doc)
    _invoice_lines(document, doc)
    _invoice_totals(document, doc)
    _invoice_corrections(document, doc)
    _invoice_payment(document, doc)
    if doc.time_annex:
        _invoice_time_annex(document, doc)
    return _save(document)


def _invoice_head(document: DocxDocument, doc: InvoiceDocument) -> None:
    """Properties, footer, the head (seller, title, references, buyer) and the mentions
    above the lines."""
    document.core_properties.title = f"{doc.title} {doc.number}"
    document.core_properties.author = doc.seller.name
    document.core_properties.subject = f"{doc.title} {doc.number} – {doc.buyer.name}"
    _footer(document, doc.seller, f"{doc.title} {doc.number}")
    meta = [
        ("Numéro", doc.number),
        ("Date d'émission", formats.fr_date(doc.issue_date)),
        (
            "Période de prestation",
            f"{formats.fr_date(doc.period_start)} – {formats.fr_date(doc.period_end)}",
        ),
    ]
    if not doc.is_credit_note:
        meta.append(("Date d'échéance", formats.fr_date(doc.due_date)))
    if doc.purchase_order:
        meta.append(("Votre commande", doc.purchase_order))
    _head(
        document,
        doc.seller,
        doc.title,
        meta,
        party_label="Client – structure adhérente",
        party=doc.buyer,
    )
    if doc.delivery_address:
        _para(document, "Adresse de livraison : " + ", ".join(doc.delivery_address))
    if doc.is_credit_note:
        _para(document, doc.credit_mention, bold=True, color=RGBColor(0xB4, 0x4D, 0x12))
    for i, mention in enumerate(doc.reform_mentions):
        suffix = f" – {doc.operation_description}" if i == 0 else ""
        _para(document, mention + suffix)


def _invoice_lines(document: DocxDocument, doc: InvoiceDocument) -> None:
    rows = invoice_rows(doc)
    _grid(
        document,
        ["Désignation", "Quantité", "Prix unitaire HT", "TVA", "Montant HT"],
        [
            [
                r["label"] + (f"\n{r['code']}" if r["code"] else ""),
                r["quantity"],
                r["unit_price"],
                r["vat"],
                r["amount"],
            ]
            for r in rows
        ],
        numeric=(1, 2, 3, 4),
        widths_mm=(80, 22, 28, 18, 32),
    )
    _para(document, space_after=2)


def _invoice_totals(document: DocxDocument, doc: InvoiceDocument) -> None:
    """Totals excluding tax, VAT per rate, including tax and what is due (or credited),
    then the VAT mentions."""
    totals: list[list[str]] = [["Total HT", formats.money(doc.totals.excl_tax)]]
    for b in doc.totals.breakdown:
        totals.append([b.total_label, formats.money(b.vat)])
    totals.append(["Total TTC", formats.money(doc.totals.incl_tax)])
    totals.append(
        [
            "Montant de l'avoir" if doc.is_credit_note else "Net à payer",
            formats.money(doc.totals.incl_tax),
        ]
    )
    table = document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for i, (label, value) in enumerate(totals):
        cells = table.add_row().cells
        last = i == len(totals) - 1
        white = RGBColor(0xFF, 0xFF, 0xFF) if last else None
        _set(cells[0], label, bold=last or label == "Total TTC", color=white)
        _set(cells[1], value, bold=last or label == "Total TTC", right=True, color=white)
        cells[0].width, cells[1].width = Mm(45), Mm(35)
        if last:
            _shade(cells[0], HEADER_FILL)
            _shade(cells[1], HEADER_FILL)
    for mention in doc.vat_mentions:
        _para(document, mention, bold=True, color=ACCENT)


def _invoice_payment(document: DocxDocument, doc: InvoiceDocument) -> None:
    """How to pay (or what the credit note does), the conditions and the notes."""
    document.add_heading("Règlement", level=3)
    if doc.is_credit_note:
        _para(document, "Montant à déduire de votre prochain règlement, ou remboursé par virement.")
    else:
        _para(
            document,
            f"À régler au plus tard le {formats.fr_date(doc.due_date)} "
            f"({doc.payment_terms_days} jours date de facture), par virement.",
        )
    if doc.seller.iban:
        _para(
            document,
            f"IBAN {doc.seller.iban_display}"
            + (f" – BIC {doc.seller.bic}" if doc.seller.bic else "")
            + f" – titulaire : {doc.seller.name} – référence à rappeler : {doc.number}",
        )
    document.add_heading("Conditions", level=3)
    for mention in doc.payment_mentions:
        _para(document, mention, size=8)
    for note in doc.notes:
        _para(document, note, size=8, color=MUTED)


def _invoice_corrections(document: DocxDocument, doc: InvoiceDocument) -> None:
    """The invoices a regularisation corrects, with its amount and VAT split over them."""
    if not doc.corrected_invoices:
        return
    document.add_heading("Factures rectifiées", level=3)
    _grid(
        document,
        ["Facture", "Date", "Montant HT", "TVA"],
        [
            [
                c.number,
                formats.fr_date(c.issue_date),
                formats.money(c.amount_excl_tax),
                formats.money(c.vat),
            ]
            for c in doc.corrected_invoices
        ],
        numeric=(2, 3),
        widths_mm=(50, 40, 45, 45),
    )


def _invoice_time_annex(document: DocxDocument, doc: InvoiceDocument) -> None:
    """The time statement annexed to the invoice, on a page of its own."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Annexe – relevé des temps", level=2)
    _para(
        document,
        f"{doc.title} {doc.number} – {doc.buyer.name} – période du "
        f"{formats.fr_date(doc.period_start)} au {formats.fr_date(doc.period_end)}. "
        "Durées en heures et minutes (7 h 30 = 7,5 heures).",
        color=MUTED,
        size=8,
    )
    labels = {r.service_code: r.service_label for r in doc.time_annex if r.service_label}
    annex = sorted(doc.time_annex, key=lambda r: (r.day, r.employee_name, r.service_code))
    body = [
        [
            formats.fr_date(r.day),
            r.employee_name,
            r.service_label or r.service_code,
            duration(r.minutes),
        ]
        for r in annex
    ]
    first_total = len(body)
    for code, minutes in doc.annex_totals_by_service():
        body.append([f"Total {labels.get(code, code)}", "", "", duration(minutes)])
    body.append(["Total des heures", "", "", duration(doc.annex_total_minutes)])
    _grid(
        document,
        ["Date", "Salarié", "Service", "Heures"],
        body,
        numeric=(3,),
        widths_mm=(28, 60, 62, 30),
        bold_rows=tuple(range(first_total, len(body))),
    )


def time_statement_docx(stmt: TimeStatement, template: bytes | None = None) -> bytes:
    month = formats.month_label(Month(stmt.year, stmt.month))
    document = _open(template)
    _statement_head(document, stmt, month)
    _statement_summary(document, stmt)
    _statement_details(document, stmt)
    for note in stmt.notes:
        _para(document, note, size=8, color=MUTED)
    _statement_signatures(document, stmt)
    return _save(document)


def _statement_head(document: DocxDocument, stmt: TimeStatement, month: str) -> None:
    document.core_properties.title = f"Relevé mensuel de mise à disposition – {month}"
    document.core_properties.author = stmt.seller.name
    document.core_properties.subject = f"{stmt.member.name} – {month}"
    _footer(document, stmt.seller, f"Relevé {month}")
    meta = [("Mois", month)]
    if stmt.reference:
        meta.append(("Référence", stmt.reference))
    meta.append(
        ("Période", f"{formats.fr_date(stmt.period_start)} – {formats.fr_date(stmt.period_end)}")
    )
    meta.append(("Établi le", formats.fr_date(stmt.issue_date)))
    if stmt.invoice_number:
        meta.append(("Facture", stmt.invoice_number))
    _head(
        document,
        stmt.seller,
        "Relevé mensuel de mise à disposition",
        meta,
        party_label="Structure utilisatrice – membre du groupement",
        party=stmt.member,
    )
    _para(
        document,
        f"Heures effectuées en {month} par les salariés du groupement d'employeurs "
        f"{stmt.seller.name} mis à disposition de {stmt.member.name} (art. L1253-1 et "
        "suivants du Code du travail), par salarié, service et jour. Heures en "
        "centièmes (7,50 = 7 h 30).",
    )


def _statement_summary(document: DocxDocument, stmt: TimeStatement) -> None:
    """Hours by employee and service, with the totals."""
    document.add_heading("Récapitulatif", level=2)
    services = stmt.services
    matrix = stmt.minutes_by_employee_service()
    by_emp = stmt.minutes_by_employee()
    by_svc = stmt.minutes_by_service()
    body = []
    for emp in stmt.employees:
        body.append(
            [emp]
            + [
                formats.hours(matrix[(emp, code)]) if (emp, code) in matrix else "–"
                for code, _ in services
            ]
            + [formats.hours(by_emp[emp])]
        )
    body.append(
        ["Total"]
        + [formats.hours(by_svc[code]) for code, _ in services]
        + [formats.hours(stmt.total_minutes)]
    )
    _grid(
        document,
        ["Salarié"] + [label or code for code, label in services] + ["Total"],
        body,
        numeric=tuple(range(1, len(services) + 2)),
        bold_rows=(len(body) - 1,),
    )


def _statement_details(document: DocxDocument, stmt: TimeStatement) -> None:
    """Each employee's days, services and hours."""
    document.add_heading("Détail par salarié", level=2)
    by_emp = stmt.minutes_by_employee()
    details = statement_details(stmt)
    if not details:
        _para(document, "Aucune heure de mise à disposition ce mois-ci.", color=MUTED)
    for emp, rows in details:
        document.add_heading(emp, level=3)
        lines = [
            [
                formats.fr_date(r.day),
                r.service_label or r.service_code,
                formats.hours(r.minutes),
                r.note,
            ]
            for r in rows
        ]
        lines.append([f"Total {emp}", "", formats.hours(by_emp[emp]), ""])
        _grid(
            document,
            ["Date", "Service", "Heures", "Observations"],
            lines,
            numeric=(2,),
            widths_mm=(28, 62, 24, 66),
            bold_rows=(len(lines) - 1,),
        )


def _statement_signatures(document: DocxDocument, stmt: TimeStatement) -> None:
    _para(document, space_after=8)
    _signatures(
        document,
        (
            (
                "Pour le groupement d'employeurs",
                stmt.seller.name,
                (f"Nom et qualité : {stmt.ge_signatory}", "Date :", "Signature et cachet"),
            ),
            (
                "Pour la structure utilisatrice",
                stmt.member.name,
                (
                    f"Nom et qualité : {stmt.member_signatory}",
                    "Date :",
                    "« Bon pour accord », signature et cachet",
                ),
            ),
        ),
        blank_lines=3,
    )


def _signatures(
    document: DocxDocument,
    blocks: Sequence[tuple[str, str, Sequence[str]]],
    *,
    blank_lines: int,
) -> None:
    """A bordered table with one signature block per party: its label, its name in bold,
    the lines to fill in, then blank lines to sign on."""
    signs = document.add_table(rows=1, cols=len(blocks))
    signs.style = document.styles["Table Grid"]
    for cell, (label, name, texts) in zip(signs.rows[0].cells, blocks, strict=True):
        _set(cell, label.upper(), size=7, color=MUTED)
        run = cell.add_paragraph().add_run(name)
        run.bold = True
        for text in (*texts, *[""] * blank_lines):
            cell.add_paragraph().add_run(text).font.size = Pt(8.5)


def _save(document: DocxDocument) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()
