"""The documents are French whatever the language of the page that produced them (issue 14):
an invoice and a payslip are legal documents, written in French with French formats even
when the month is closed from a page in English."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from flask import Flask
from flask_babel import refresh
from sqlalchemy import select

from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, Payslip
from eage.storage import read

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_documents_of_a_close_run_in_english_are_french(
    app: Flask, october_time: None, tmp_path: Path
) -> None:
    with app.test_request_context("/cloture/", headers={"Cookie": "lang=en"}):
        refresh()
        closing.close_month(OCT, today=TODAY)
    refresh()
    invoice = db.session.scalars(select(Invoice).order_by(Invoice.seq)).first()
    text = _pdf_text(read(invoice.document("invoice_pdf")), tmp_path, "invoice.pdf")
    assert "Facture" in text and "Invoice" not in text
    assert "31/10/2026" in text  # the French date, not 10/31/26 nor 31 October
    assert "octobre 2026" in text and "October" not in text  # the lines' month
    assert "86,99\xa0€" in text or "86,99 €" in text
    slip = db.session.scalars(select(Payslip).order_by(Payslip.id)).first()
    assert slip is not None and slip.pdf_document is not None
    text = _pdf_text(read(slip.pdf_document), tmp_path, "payslip.pdf")
    assert "BULLETIN DE PAIE" in text and "du 01/10/2026 au 31/10/2026" in text
    assert "Payslip" not in text and "Period" not in text
