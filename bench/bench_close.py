"""Closing a month for a large synthetic group (issue 3).

Prints the time per invoice with its documents (Factur-X PDF, XML, .docx, time statement
PDF and .docx), the total, and the ratio to the bare WeasyPrint render of one invoice ×
the number of invoices. Goal: at most 1.5× the bare rendering, using both cores.

    .venv/bin/python bench/bench_close.py [--members 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1000)
    args = parser.parse_args()
    n = args.members
    tmp = tempfile.mkdtemp(prefix="eage-bench-close-")
    os.environ["EAGE_INSTANCE_PATH"] = tmp
    os.environ.pop("DATABASE_URL", None)

    from flask_migrate import upgrade
    from sqlalchemy import insert, select
    from stdnum import luhn

    from eage import create_app
    from eage.closing import services as closing
    from eage.demo import load_demo
    from eage.extensions import db
    from eage.invoicing import documents
    from eage.models import Employee, Invoice, Member, Service, TimesheetEntry

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"})
    with app.app_context():
        upgrade()
        load_demo(2026, today=date(2026, 11, 28), with_time=False)
        employees = db.session.scalars(select(Employee)).all()
        services = db.session.scalars(select(Service)).all()
        rows = []
        for i in range(n):
            seed = f"7{i:07d}"
            siren = seed + luhn.calc_check_digit(seed)
            siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
            rows.append(
                dict(
                    code=f"M{i:04d}",
                    name=f"Structure synthétique {i}",
                    legal_form="Association loi 1901",
                    siren=siren,
                    siret=siret,
                    vat_number=None,
                    address=f"{i} rue du Banc",
                    postcode="42000",
                    city="Saint-Étienne",
                    email=f"m{i}@example.org",
                    joined_on=date(2020, 1, 1),
                    vat_regime="vat_20" if i % 4 == 0 else "exempt_261B",
                    payment_terms_days=30,
                )
            )
        db.session.execute(insert(Member), rows)
        ids = db.session.scalars(select(Member.id).where(Member.code.like("M%"))).all()
        entries = []
        for k, mid in enumerate(ids):
            for j in range(3):
                entries.append(
                    dict(
                        date=date(2026, 10, 1 + (k + j) % 28),
                        employee_id=employees[j].id,
                        member_id=mid,
                        service_id=services[j].id,
                        minutes=30 + 15 * ((k + j) % 7),
                        note=None,
                    )
                )
        db.session.execute(insert(TimesheetEntry), entries)
        db.session.commit()
        print(
            f"{n} members, {len(entries)} timesheet entries (October 2026), {os.cpu_count()} cores"
        )

        t0 = time.perf_counter()
        result = closing.close_month(date(2026, 10, 1), today=date(2026, 11, 28))
        close_s = time.perf_counter() - t0
        invoices = len(result.invoices)

        from accounting.documents import render_invoice_html, render_invoice_pdf
        from accounting.documents.pdf import html_to_pdf
        from accounting.facturx import build_cii_xml

        sample = [
            documents.to_document(inv) for inv in db.session.scalars(select(Invoice).limit(5))
        ]
        render_invoice_pdf(sample[0], build_cii_xml(sample[0]))  # warm-up
        t0 = time.perf_counter()
        for doc in sample:
            html_to_pdf(render_invoice_html(doc), identifier=doc.number, pdf_a3=False)
        bare = (time.perf_counter() - t0) / len(sample)

    print(
        f"close-month: {close_s:.1f} s for {invoices} invoices + "
        f"{result.statements} time statements"
    )
    print(f"per invoice with all its documents: {1000 * close_s / invoices:.0f} ms")
    print(
        f"bare WeasyPrint render of one invoice: {1000 * bare:.0f} ms → × {invoices} = "
        f"{bare * invoices:.1f} s"
    )
    print(f"ratio close / bare rendering: {close_s / (bare * invoices):.2f} (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
