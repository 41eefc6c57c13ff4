"""Issued documents: Factur-X PDF/A-3B that passes the EN 16931 XSD with the invoice's totals,
.docx with the number, member and total, served byte-identical; the invoices API (SPEC §7)."""

from __future__ import annotations

import hashlib
import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from lxml import etree
from sqlalchemy import select

from eage.closing import services as closing
from eage.extensions import db
from eage.models import ApiToken, Invoice, User
from eage.storage import read
from tests.conftest import ROLE_EMAILS

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@pytest.fixture()
def closed_october(app, october_time) -> list[Invoice]:
    closing.close_month(OCT, today=TODAY)
    return list(db.session.scalars(select(Invoice).order_by(Invoice.seq)))


def _xml_total(xml: bytes, tag: str) -> Decimal:
    root = etree.fromstring(xml)
    return Decimal(
        root.find(f".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:{tag}", NS).text
    )


def test_every_stored_pdf_is_a_valid_facturx(closed_october, tmp_path) -> None:
    for inv in closed_october:
        pdf = read(inv.document("invoice_pdf"))
        name, xml = get_facturx_xml_from_pdf(pdf)
        assert name == "factur-x.xml"
        assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
        assert xml == read(inv.document("invoice_xml"))
        assert _xml_total(xml, "TaxBasisTotalAmount") == inv.total_excl_tax
        assert _xml_total(xml, "GrandTotalAmount") == inv.total_incl_tax
        root = etree.fromstring(xml)
        tax_total = root.find(
            ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", NS
        )
        assert Decimal(tax_total.text) == inv.vat
        path = tmp_path / f"{inv.number}.pdf"
        path.write_bytes(pdf)
        meta = subprocess.run(
            ["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "pdfaid:part>3<" in meta.replace(" ", "") or 'pdfaid:part="3"' in meta
        assert "pdfaid:conformance>B<" in meta.replace(" ", "") or 'pdfaid:conformance="B"' in meta
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert inv.number in text and inv.member.name in text


def test_exempt_invoice_carries_the_261B_mention(closed_october, tmp_path) -> None:
    fabrique = next(i for i in closed_october if i.member.code == "FABRIQUE")
    path = tmp_path / "f.pdf"
    path.write_bytes(read(fabrique.document("invoice_pdf")))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "article 261 B du CGI" in " ".join(text.split())


def test_docx_has_number_member_and_total(closed_october) -> None:
    for inv in closed_october:
        doc = Document(io.BytesIO(read(inv.document("invoice_docx"))))
        text = "\n".join(p.text for p in doc.paragraphs)
        text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        total = f"{inv.total_incl_tax:,.2f}".replace(",", "\u202f").replace(".", ",")
        assert inv.number in text and inv.member.name in text
        assert total in text.replace("\xa0", "\u202f") or total.replace("\u202f", " ") in text


def test_documents_are_served_byte_identical(closed_october, login_as) -> None:
    client = login_as("accountant")
    for inv in closed_october:
        for doc in inv.documents:
            response = client.get(f"/documents/{doc.id}")
            assert response.status_code == 200
            assert hashlib.sha256(response.data).hexdigest() == doc.sha256


def test_member_user_reaches_only_its_own_documents(closed_october, login_as) -> None:
    client = login_as("member")  # LEFIL
    own = next(i for i in closed_october if i.member.code == "LEFIL")
    other = next(i for i in closed_october if i.member.code != "LEFIL")
    assert client.get(f"/factures/{own.number}").status_code == 200
    assert client.get(f"/documents/{own.document('invoice_pdf').id}").status_code == 200
    assert client.get(f"/factures/{other.number}").status_code == 404
    assert client.get(f"/documents/{other.document('invoice_pdf').id}").status_code == 404
    portal = client.get("/portail/factures").get_data(as_text=True)
    assert own.number in portal and other.number not in portal
    assert "R-2026-10-LEFIL.pdf" in portal


def _token(role: str) -> dict[str, str]:
    user = db.session.scalar(select(User).where(User.email == ROLE_EMAILS[role]))
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_invoices_fields(closed_october, client) -> None:
    headers = _token("accountant")
    data = client.get("/api/v1/invoices?month=2026-10", headers=headers).get_json()
    assert [d["number"] for d in data] == ["F-2026-0001", "F-2026-0002"]
    lefil = next(d for d in data if d["member"] == "LEFIL")
    assert set(lefil) == {
        "number",
        "kind",
        "member",
        "issue_date",
        "period",
        "total_excl_tax",
        "vat",
        "total_incl_tax",
        "status",
        "lines",
    }
    assert lefil == {
        "number": lefil["number"],
        "kind": "invoice",
        "member": "LEFIL",
        "issue_date": "2026-11-28",
        "period": "2026-10-01/2026-10-31",
        "total_excl_tax": "391.95",
        "vat": "78.39",
        "total_incl_tax": "470.34",
        "status": "issued",
        "lines": [
            {
                "kind": "service",
                "service": "GESTION",
                "hours": "8.77",
                "rate": "36.50",
                "amount": "319.98",
            },
            {
                "kind": "service",
                "service": "PAIE",
                "hours": "2.12",
                "rate": "34.00",
                "amount": "71.97",
            },
        ],
    }
    assert client.get("/api/v1/invoices?year=2026", headers=headers).get_json() == data
    one = client.get(f"/api/v1/invoices/{lefil['number']}", headers=headers).get_json()
    assert one == lefil
    assert client.get("/api/v1/invoices", headers=headers).status_code == 400
    assert client.get("/api/v1/invoices?month=2026-13", headers=headers).status_code == 400


def test_api_documents_and_member_scope(closed_october, client) -> None:
    lefil = next(i for i in closed_october if i.member.code == "LEFIL")
    other = next(i for i in closed_october if i.member.code != "LEFIL")
    headers = _token("member")
    assert [
        d["member"] for d in client.get("/api/v1/invoices?year=2026", headers=headers).get_json()
    ] == ["LEFIL"]
    for ext, kind in (("pdf", "invoice_pdf"), ("docx", "invoice_docx"), ("xml", "invoice_xml")):
        response = client.get(f"/api/v1/invoices/{lefil.number}.{ext}", headers=headers)
        assert response.status_code == 200 and response.data == read(lefil.document(kind))
    for path in (f"/api/v1/invoices/{other.number}", f"/api/v1/invoices/{other.number}.pdf"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and "error" in response.get_json()
    assert client.get(f"/api/v1/invoices/{lefil.number}.odt", headers=headers).status_code == 404


def test_no_write_route_for_issued_documents(app) -> None:
    """Neither the UI nor the API offers a way to edit or delete an invoice."""
    for rule in app.url_map.iter_rules():
        if "invoice" in rule.rule or "facture" in rule.rule:
            methods = rule.methods - {"GET", "HEAD", "OPTIONS"}
            assert methods <= {"POST"}, rule
            assert not any(w in rule.rule for w in ("modifier", "supprimer", "edit", "delete")), (
                rule
            )


def test_close_month_cli(runner, october_time) -> None:
    result = runner.invoke(args=["close-month", "2026-10"])
    assert result.exit_code == 0, result.output
    assert "F-2026-0001" in result.output and "month 2026-10 closed" in result.output
    again = runner.invoke(args=["close-month", "2026-10"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    bad = runner.invoke(args=["close-month", "2026-1"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
    future = runner.invoke(args=["close-month", "2099-01"])
    assert future.exit_code != 0 and "not closed" in future.output
