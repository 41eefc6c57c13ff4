"""Document rendering times per engine and document type (issue 17; no assertions).

    taskset -c 0 .venv/bin/python bench/bench_render.py [N]

For the invoice (3 lines, 63 annex rows: 3 pages with either engine), the credit note,
the monthly time statement, the payslip and the annual statement: the mean per document over N runs
(default 10, one warm-up run first) of the PDF alone and of the full bundle the close
stores (invoice: CII XML + Factur-X PDF/A-3 + .docx; others: PDF + .docx), with Typst and
with WeasyPrint, and the ratio. The invoice's steps are also timed apart.

Measured on this 2-core machine, one core (taskset -c 0), CPU time, mean of 10, on
2 December 2026 while other sessions loaded the machine (WeasyPrint figures varied by ±30 %
between runs; the issue's quieter measure was 659 ms for the invoice):

| one document                        | WeasyPrint | Typst  | ×    |
|-------------------------------------|-----------:|-------:|-----:|
| invoice: PDF/A-3b layout only       |    668 ms  |   9 ms |  75  |
| invoice: Factur-X PDF               |    765 ms  |  52 ms |  15  |
| invoice: bundle (XML + PDF + .docx) |    738 ms  |  99 ms |  7.5 |
| credit note: Factur-X PDF           |    284 ms  |  52 ms |  5.4 |
| time statement: PDF/A-3b            |    675 ms  |  11 ms |  62  |
| time statement: bundle (+ .docx)    |    761 ms  |  79 ms |  9.7 |
| payslip: PDF                        |    623 ms  |  11 ms |  55  |
| payslip: bundle (+ .docx)           |    703 ms  |  69 ms |  10  |
| annual statement: PDF/A-3b          |    391 ms  |   7 ms |  53  |
| annual statement: bundle (+ .docx)  |    460 ms  |  64 ms |  7.2 |

The .docx columns use the one-parse tables of the same commit on both sides (invoice
.docx 176 → 55 ms). A Factur-X invoice on Typst: layout 9 ms, tags dropped 14 ms, embed
15 ms (213 ms if the tagged PDF went to factur-x), CII XML 4 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import payroll
from accounting.documents import (
    render_invoice,
    render_invoice_docx,
    render_invoice_html,
    render_invoice_pdf,
    render_time_statement_docx,
    render_time_statement_pdf,
)
from accounting.documents.annual import (
    AnnualStatement,
    ServiceYear,
    render_annual_statement_docx,
    render_annual_statement_pdf,
)
from accounting.documents.pdf import html_to_pdf
from accounting.documents.typst_data import invoice_data
from accounting.facturx import build_cii_xml, embed
from accounting.invoicing import (
    InvoiceDocument,
    Party,
    SellerParty,
    TimeAnnexRow,
    TimeStatement,
    TimeStatementRow,
    make_credit_note,
    service_line,
)
from accounting.typst_pdf import typst_pdf, without_tags
from bench.bench_payroll_month import MONTH, employees
from bench.bench_payroll_month import document as payslip_document
from payroll.documents import PayslipDocument, payslip_docx, payslip_pdf

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
    """Mean CPU seconds of the process per call (threads included): on a machine shared
    with other work, the wall clock measures the neighbours as much as the renderer."""
    fn()  # warm-up (fonts, templates, XSD parsing)
    samples = []
    for _ in range(n):
        t0 = time.process_time()
        fn()
        samples.append(time.process_time() - t0)
    return statistics.mean(samples)


def payslip() -> PayslipDocument:
    """A full-time non-cadre with overtime and an unpaid absence, as bench_payroll_month."""
    people = employees(1)
    code, contract, _ = people[0]
    worked = payroll.WorkedTime({"2026-W46": Decimal(10)}, Decimal(7))
    slip = payroll.compute_payslip(
        contract, MONTH, worked, payroll.EmployerSettings(), payroll.load_params(2026)
    )
    return payslip_document(code, contract, slip)


def annual() -> AnnualStatement:
    return AnnualStatement(
        seller=SELLER,
        member=BUYER,
        year=2026,
        issue_date=date(2027, 1, 15),
        services=tuple(
            ServiceYear(
                code,
                label,
                tuple(600 + 37 * m + 11 * i for m in range(12)),
                Decimal("4211.37") + i,
                Decimal("512.08"),
                Decimal("4650.00") + i,
            )
            for i, (code, label, _) in enumerate(SERVICES)
        ),
        regularisation=Decimal("73.45"),
        regularisation_documents=("F-2027-0003",),
        fee=Decimal("150.00"),
        fee_documents=("F-2026-0001",),
        reference="BA-2026-LEFIL",
    )


def engine_rows(n: int) -> list[tuple[str, float, float]]:
    """(document, WeasyPrint seconds, Typst seconds) for each document's PDF and bundle."""
    doc, stmt, slip, year = invoice(), statement(), payslip(), annual()
    credit = make_credit_note(
        doc,
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Doublon",
        amounts={0: Decimal("120.45")},
    )
    xml = build_cii_xml(doc)
    cases: dict[str, Callable[[str], object]] = {
        "invoice: PDF/A-3b layout only": lambda e: (
            typst_pdf("invoice.typ", invoice_data(doc), created=doc.issue_date)
            if e == "typst"
            else html_to_pdf(render_invoice_html(doc), identifier=doc.number)
        ),
        "invoice: Factur-X PDF (layout + embed)": lambda e: render_invoice_pdf(doc, xml, engine=e),
        "invoice: bundle (XML + PDF + .docx)": lambda e: render_invoice(doc, engine=e),
        "credit note: Factur-X PDF": lambda e: render_invoice_pdf(credit, engine=e),
        "time statement: PDF/A-3b": lambda e: render_time_statement_pdf(stmt, engine=e),
        "time statement: bundle (PDF + .docx)": lambda e: (
            render_time_statement_pdf(stmt, engine=e),
            render_time_statement_docx(stmt),
        ),
        "payslip: PDF": lambda e: payslip_pdf(slip, engine=e),
        "payslip: bundle (PDF + .docx)": lambda e: (
            payslip_pdf(slip, engine=e),
            payslip_docx(slip),
        ),
        "annual statement: PDF/A-3b": lambda e: render_annual_statement_pdf(year, engine=e),
        "annual statement: bundle (PDF + .docx)": lambda e: (
            render_annual_statement_pdf(year, engine=e),
            render_annual_statement_docx(year),
        ),
    }
    return [
        (name, timed(lambda f=fn: f("weasyprint"), n), timed(lambda f=fn: f("typst"), n))  # type: ignore[misc]
        for name, fn in cases.items()
    ]


def invoice_steps(n: int) -> dict[str, float]:
    """The invoice's pipeline step by step (engine-independent steps included)."""
    doc = invoice()
    xml = build_cii_xml(doc)
    tagged = typst_pdf("invoice.typ", invoice_data(doc), created=doc.issue_date)
    pdf_a3 = without_tags(tagged)
    return {
        "invoice: Jinja2 HTML": timed(lambda: render_invoice_html(doc), n),
        "invoice: Typst JSON data": timed(lambda: invoice_data(doc), n),
        "invoice: CII XML + XSD check": timed(lambda: build_cii_xml(doc), n),
        "invoice: Typst tags dropped (pypdf)": timed(lambda: without_tags(tagged), n),
        "invoice: factur-x embed (untagged Typst PDF)": timed(lambda: embed(pdf_a3, xml), n),
        "invoice: factur-x embed (tagged Typst PDF)": timed(lambda: embed(tagged, xml), n),
        "invoice: .docx": timed(lambda: render_invoice_docx(doc), n),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    doc, stmt = invoice(), statement()
    print(
        f"{len(doc.lines)} invoice lines, {len(doc.time_annex)} annex rows, "
        f"{len(stmt.rows)} statement rows; mean of {n} runs after one warm-up, "
        f"{len(os.sched_getaffinity(0))} core(s)"
    )
    rows = engine_rows(n)
    width = max(len(name) for name, _, _ in rows)
    print(f"{'':<{width}}  {'WeasyPrint':>10}  {'Typst':>8}  {'×':>5}")
    for name, weasy, typ in rows:
        print(f"{name:<{width}}  {weasy * 1000:7.1f} ms  {typ * 1000:5.1f} ms  {weasy / typ:5.1f}")
    for name, seconds in invoice_steps(n).items():
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms")
    by_name = {name: (weasy, typ) for name, weasy, typ in rows}
    for engine, col in (("WeasyPrint", 0), ("Typst", 1)):
        close = 12 * (
            by_name["invoice: bundle (XML + PDF + .docx)"][col]
            + by_name["time statement: bundle (PDF + .docx)"][col]
        )
        print(
            f"month close for 12 members (invoice + statement, both formats), {engine}: "
            f"{close:.1f} s"
        )


if __name__ == "__main__":
    main()
