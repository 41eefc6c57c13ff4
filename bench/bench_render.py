"""Document rendering times: bare WeasyPrint vs the full invoice pipeline (no assertions).

    .venv/bin/python bench/bench_render.py [N]

Prints the mean per document over N runs (default 20) and the ratios to the bare render.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounting.documents import (
    render_invoice,
    render_invoice_docx,
    render_invoice_html,
    render_time_statement_docx,
    render_time_statement_pdf,
)
from accounting.documents.pdf import html_to_pdf
from accounting.facturx import build_cii_xml, embed
from accounting.invoicing import (
    InvoiceDocument,
    Party,
    SellerParty,
    TimeAnnexRow,
    TimeStatement,
    TimeStatementRow,
    service_line,
)

SELLER = SellerParty(
    name="L'équipe associée",
    address_lines=("20 rue Saint-Joseph",),
    postcode="42000",
    city="Saint-Étienne",
    legal_form="Association loi 1901 – groupement d'employeurs",
    siren="801234568",
    siret="80123456800013",
    vat_number="FR66801234568",
    email="compta@equipe-associee.example",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPPXXX",
    ape="7830Z",
)
BUYER = Party(
    name="Le Fil (association Limace)",
    address_lines=("20 boulevard Thiers",),
    postcode="42000",
    city="Saint-Étienne",
    legal_form="Association loi 1901",
    siren="480123462",
    siret="48012346200024",
    vat_number="FR35480123462",
)
SERVICES = (
    ("GESTION", "Gestion, contrôle de gestion", Decimal("36.50")),
    ("PAIE", "Service paye et gestion sociale", Decimal("35.00")),
    ("RESEAU", "Administration réseau", Decimal("41.20")),
)
EMPLOYEES = ("Camille Martin", "Hugo Bernard", "Léa Dubois")


def month_rows() -> list[tuple[date, str, str, str, int]]:
    rows = []
    for day in range(1, 31):
        d = date(2026, 11, day)
        if d.weekday() >= 5:
            continue
        for i, emp in enumerate(EMPLOYEES):
            code, label, _ = SERVICES[(day + i) % 3]
            rows.append((d, emp, code, label, 60 + (day * 37 + i * 11) % 300))
    return rows


def invoice() -> InvoiceDocument:
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
        time_annex=tuple(TimeAnnexRow(d, e, c, m, label) for d, e, c, label, m in rows),
    )


def statement() -> TimeStatement:
    return TimeStatement(
        seller=SELLER,
        member=BUYER,
        year=2026,
        month=11,
        issue_date=date(2026, 11, 30),
        rows=tuple(TimeStatementRow(d, e, c, label, m) for d, e, c, label, m in month_rows()),
    )


def timed(fn: Callable[[], object], n: int) -> float:
    fn()  # warm-up (fonts, Jinja templates, XSD parsing)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.mean(samples)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    doc, stmt = invoice(), statement()
    html = render_invoice_html(doc)
    xml = build_cii_xml(doc)
    pdf_a3 = html_to_pdf(html, identifier=doc.number)
    bare_html = html_to_pdf
    results = {
        "invoice: bare WeasyPrint (plain PDF)": timed(
            lambda: bare_html(html, identifier=doc.number, pdf_a3=False), n
        ),
        "invoice: WeasyPrint PDF/A-3b": timed(lambda: html_to_pdf(html, identifier=doc.number), n),
        "invoice: Jinja2 HTML": timed(lambda: render_invoice_html(doc), n),
        "invoice: CII XML + XSD check": timed(lambda: build_cii_xml(doc), n),
        "invoice: factur-x embed": timed(lambda: embed(pdf_a3, xml), n),
        "invoice: .docx": timed(lambda: render_invoice_docx(doc), n),
        "invoice: full pipeline (PDF/A-3 + XML + embed + docx)": timed(
            lambda: render_invoice(doc), n
        ),
        "statement: PDF/A-3b": timed(lambda: render_time_statement_pdf(stmt), n),
        "statement: .docx": timed(lambda: render_time_statement_docx(stmt), n),
    }
    base = results["invoice: bare WeasyPrint (plain PDF)"]
    print(
        f"{len(doc.lines)} invoice lines, {len(doc.time_annex)} annex rows, "
        f"{len(stmt.rows)} statement rows; mean of {n} runs"
    )
    width = max(len(k) for k in results)
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds * 1000:8.1f} ms  ×{seconds / base:5.2f}")
    full = results["invoice: full pipeline (PDF/A-3 + XML + embed + docx)"]
    print(
        f"month close for 12 members (invoice + statement, both formats): "
        f"{12 * (full + results['statement: PDF/A-3b'] + results['statement: .docx']):.1f} s"
    )


if __name__ == "__main__":
    main()
