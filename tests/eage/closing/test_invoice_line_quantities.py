"""Invoice lines that add up (issue 14): the printed quantity × the unit price gives the
printed amount — hours and exact minutes (« 8 h 46 ») on the page, the PDF and the .docx,
whole minutes at an hourly price for 60 MIN in the Factur-X XML."""

from __future__ import annotations

import html
import io
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from docx import Document
from facturx import get_facturx_xml_from_pdf  # type: ignore[import-untyped]
from lxml import etree
from sqlalchemy import select

from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, Member
from eage.storage import read

OCT = date(2026, 10, 1)
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@pytest.fixture()
def lefil(app, october_time) -> Invoice:
    """LEFIL in October: GESTION 225 + 301 = 526 min (8 h 46), PAIE 127 min (2 h 07)."""
    closing.close_month(OCT, today=date(2026, 11, 28))
    return db.session.scalar(select(Invoice).join(Member).where(Member.code == "LEFIL"))


def _rates(inv: Invoice) -> dict[int, Decimal]:
    return {line.minutes: line.rate for line in inv.lines if line.minutes}


def test_each_line_is_minutes_times_the_hourly_rate(lefil: Invoice) -> None:
    for line in lefil.lines:
        exact = Decimal(line.minutes) * line.rate / 60
        assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == line.amount
    assert sorted(_rates(lefil)) == [127, 526]


def test_page_pdf_and_docx_print_hours_and_minutes(lefil: Invoice, login_as, tmp_path) -> None:
    page = html.unescape(
        login_as("accountant").get(f"/factures/{lefil.number}").get_data(as_text=True)
    )
    path = tmp_path / "f.pdf"
    path.write_bytes(read(lefil.document("invoice_pdf")))
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    docx = Document(io.BytesIO(read(lefil.document("invoice_docx"))))
    cells = "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    for text in (page, pdf, cells):
        flat = text.replace("\xa0", " ").replace("\u202f", " ")
        assert "8 h 46" in flat and "2 h 07" in flat
        assert "8,77" not in flat and "2,12" not in flat  # no rounded hours beside them
        assert "/ h" in flat  # the unit price is per hour


def test_xml_quantity_is_exact_minutes(lefil: Invoice) -> None:
    _, xml = get_facturx_xml_from_pdf(read(lefil.document("invoice_pdf")))
    root = etree.fromstring(xml)
    quantities = root.xpath("//ram:BilledQuantity", namespaces=RAM)
    assert sorted(int(q.text) for q in quantities) == [127, 526]
    assert {q.get("unitCode") for q in quantities} == {"MIN"}
    for item in root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=RAM):
        (qty,) = item.xpath(".//ram:BilledQuantity/text()", namespaces=RAM)
        (price,) = item.xpath(".//ram:ChargeAmount/text()", namespaces=RAM)
        (base,) = item.xpath(".//ram:BasisQuantity/text()", namespaces=RAM)
        (amount,) = item.xpath(".//ram:LineTotalAmount/text()", namespaces=RAM)
        exact = Decimal(qty) * Decimal(price) / Decimal(base)
        assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal(amount)
