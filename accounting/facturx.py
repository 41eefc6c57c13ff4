"""Factur-X: the EN 16931 CII XML of an invoice or credit note, and its PDF/A-3 embedding.

Built with ``facturx.generate_cii_xml`` (factur-x ≥ 7) from a dict keyed by EN 16931
business terms (BT-…/BG-…), then checked against the Factur-X EN 16931 XSD before it is
returned. Amounts go to the library as ``str`` (it refuses ``Decimal``).

EN 16931 constraints that shape the mapping (business rules of the CEN schematron):

* BR-CO-25: a positive amount due needs a due date (BT-9) or payment terms (BT-20) — both
  are always given; credit notes get payment terms text.
* BR-S-02 / BR-E-02: a standard-rated or exempt invoice needs the seller's VAT identifier.
* BR-E-10 / BR-O-10: an exempt or out-of-scope breakdown needs an exemption reason: both
  the text (BT-120) and the VATEX code (BT-121) are given.
* BR-O-02…O-04: with category O ("not subject to VAT") the invoice carries no seller or
  buyer VAT identifier, and BR-O-11…14 forbid any other category next to O. Fee invoices
  (category O) are therefore separate documents, and their XML omits the VAT numbers (the
  PDF still prints them).
* An empty ``ApplicableHeaderTradeDelivery`` is not XSD-valid: the billing period
  (BT-73/74) and the actual delivery date (BT-72 = end of period) are always set.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from facturx import (  # type: ignore[import-untyped]
    generate_cii_xml,
    generate_from_file,
    xml_check_xsd,
)

from accounting.invoicing import (
    NO_DISCOUNT_MENTION,
    RECOVERY_INDEMNITY_MENTION,
    InvoiceDocument,
    InvoiceLine,
    Party,
    VatBreakdown,
    line_vat,
)
from accounting.money import fmt2, is_cents

__all__ = [
    "EN16931_GUIDELINE",
    "FacturXError",
    "build_cii_data",
    "build_cii_xml",
    "check_cii_xml",
    "embed",
]

EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
# UNTDID 4461 payment means: 58 SEPA credit transfer, 30 credit transfer (non-SEPA).
SEPA_CREDIT_TRANSFER = "58"
CREDIT_TRANSFER = "30"
# UN/ECE Recommendation 20: MIN minute; an hourly price is given for a base of 60 MIN.
MINUTE = "MIN"
MINUTES_PER_HOUR = 60
# ISO 6523 ICD schemes: 0002 SIRENE (SIREN), 0009 SIRET.
SCHEME_SIREN = "0002"
SCHEME_SIRET = "0009"
# French "cadre de facturation" (business process, BT-23): S1 = invoice of services only.
# Used by the French e-invoicing external specifications; free text in plain EN 16931.
BUSINESS_PROCESS_SERVICES = "S1"
# SEPA countries whose IBAN allows code 58 (EEA + the SEPA non-EEA members most likely here).
_SEPA_PREFIXES = frozenset(
    (
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "CH",
        "GB",
        "AD",
        "VA",
    )
)


class FacturXError(ValueError):
    """The document cannot be expressed as a valid EN 16931 Factur-X, or the XML is invalid."""


def _amount(value: Decimal) -> str:
    return fmt2(value)


def _rate(value: Decimal) -> str:
    """VAT rate as a percentage with two decimals: '20.00', '0.00'."""
    return fmt2(value)


def _quantity(value: Decimal) -> str:
    """Quantities and prices: at least two decimals, at most what the value carries
    ('37.75', '0.0167', '36.50', '1.00')."""
    if is_cents(value):
        return fmt2(value)
    return format(value.normalize(), "f")


def _party(party: Party, *, with_vat: bool, legal_info: bool) -> dict[str, Any]:
    lines = [line for line in party.address_lines if line]
    data: dict[str, Any] = {
        "name": party.name,
        "country_code": party.country or "FR",
        "postcode": party.postcode,
        "city": party.city,
    }
    for key, line in zip(("addr_l1", "addr_l2", "addr_l3"), lines, strict=False):
        data[key] = line
    if party.siren:
        data["legal_identifier"] = party.siren
        data["legal_identifier_schemeid"] = SCHEME_SIREN
    if party.siret:
        data["identifiers"] = {SCHEME_SIRET: party.siret}
    if with_vat and party.vat_number:
        data["vat_identifier"] = party.vat_number.replace(" ", "")
    if legal_info and party.legal_form:
        data["legal_info"] = party.legal_form  # BT-33 seller additional legal information
    if party.email:
        data["contacts"] = [{"email": party.email}]
    return data


def _payment_terms(doc: InvoiceDocument) -> str:
    if doc.is_credit_note:
        head = "Avoir : montant à déduire de votre prochain règlement ou remboursé par virement."
    else:
        head = (
            f"Paiement à {doc.payment_terms_days} jours, le {doc.due_date:%d/%m/%Y}, par virement."
        )
    return " ".join(
        (head, doc.late_penalty_mention, RECOVERY_INDEMNITY_MENTION, NO_DISCOUNT_MENTION)
    )


def build_cii_data(doc: InvoiceDocument) -> dict[str, Any]:
    """The EN 16931 business-term dict for ``facturx.generate_cii_xml``."""
    out_of_scope = _out_of_scope(doc)
    data: dict[str, Any] = {
        "BT-1": doc.number,
        "BT-2": doc.issue_date,
        "BT-3": doc.type_code,
        "BT-5": doc.currency,
        "BT-23": BUSINESS_PROCESS_SERVICES,
        "BT-24": EN16931_GUIDELINE,
        "BG-1": _notes(doc),
        "BT-20": _payment_terms(doc),
        "BT-72": doc.period_end,
        "BT-73": doc.period_start,
        "BT-74": doc.period_end,
        "BT-83": doc.number,  # remittance information: the number to quote on the transfer
        "BG-4": _party(doc.seller, with_vat=not out_of_scope, legal_info=True),
        "BG-7": _party(doc.buyer, with_vat=not out_of_scope, legal_info=False),
    }
    data.update(_due_date_order_and_delivery(doc))
    data.update(_payment_means(doc))
    if doc.cited_invoices:
        data["BG-3"] = [{"BT-25": r.number, "BT-26": r.issue_date} for r in doc.cited_invoices]
    data["BG-25"] = [_line_item(i, line, doc) for i, line in enumerate(doc.lines, start=1)]
    data["BG-23"] = [_vat_breakdown(b) for b in doc.totals.breakdown]
    t = doc.totals
    data.update(
        {
            "BT-106": _amount(t.excl_tax),
            "BT-109": _amount(t.excl_tax),
            "BT-110": _amount(t.vat),
            "BT-112": _amount(t.incl_tax),
            "BT-115": _amount(t.incl_tax),
        }
    )
    return data


def _out_of_scope(doc: InvoiceDocument) -> bool:
    """Whether the whole document is outside the scope of VAT (the membership fee); refuses
    what EN 16931 cannot express."""
    categories = {b.category for b in doc.totals.breakdown}
    if "O" in categories and len(categories) > 1:
        raise FacturXError(
            "EN 16931 BR-O-11…14: a 'not subject to VAT' (O) breakdown cannot sit next to "
            "another VAT category; issue the membership fee on its own invoice"
        )
    out_of_scope = categories == {"O"}
    if not out_of_scope and not doc.seller.vat_number:
        raise FacturXError(
            "EN 16931 BR-S-02/BR-E-02: the seller's VAT identifier is required on a "
            "standard-rated or exempt invoice"
        )
    return out_of_scope


def _notes(doc: InvoiceDocument) -> list[dict[str, str]]:
    """BG-1: the credit mention, the payment mentions, the reform's mentions, free notes and
    the seller's regulatory identity."""
    notes: list[dict[str, str]] = []
    if doc.is_credit_note and doc.credit_mention:
        notes.append({"BT-21": "AAI", "BT-22": doc.credit_mention})  # general information
    notes.append({"BT-21": "PMD", "BT-22": doc.late_penalty_mention})  # penalties
    notes.append({"BT-21": "PMT", "BT-22": RECOVERY_INDEMNITY_MENTION})  # fixed indemnity
    notes.append({"BT-21": "AAB", "BT-22": NO_DISCOUNT_MENTION})  # discount terms
    for text in doc.reform_mentions:
        notes.append({"BT-21": "TXD", "BT-22": text})  # tax declaration information
    for text in doc.notes:
        notes.append({"BT-21": "AAI", "BT-22": text})
    if doc.seller.legal_form or doc.seller.siret:
        ident = ", ".join(
            p
            for p in (
                doc.seller.name,
                doc.seller.legal_form,
                f"SIRET {doc.seller.siret}" if doc.seller.siret else "",
                f"APE {doc.seller.ape}" if doc.seller.ape else "",
            )
            if p
        )
        notes.append({"BT-21": "REG", "BT-22": ident})  # regulatory information
    return notes


def _due_date_order_and_delivery(doc: InvoiceDocument) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if not doc.is_credit_note:
        data["BT-9"] = doc.due_date
    if doc.purchase_order:
        data["BT-13"] = doc.purchase_order
    if doc.delivery_address:
        lines = list(doc.delivery_address)
        data["BG-13"] = {
            "name": doc.buyer.name,
            "country_code": doc.buyer.country or "FR",
            **{k: v for k, v in zip(("addr_l1", "addr_l2", "addr_l3"), lines, strict=False)},
        }
    return data


def _payment_means(doc: InvoiceDocument) -> dict[str, Any]:
    """BT-81…86: credit transfer to the seller's IBAN (SEPA when its country is)."""
    if not doc.seller.iban:
        return {}
    iban = doc.seller.iban.replace(" ", "").upper()
    means = SEPA_CREDIT_TRANSFER if iban[:2] in _SEPA_PREFIXES else CREDIT_TRANSFER
    data: dict[str, Any] = {
        "BT-81": means,
        "BT-82": "Virement SEPA" if means == SEPA_CREDIT_TRANSFER else "Virement",
        "BT-84": iban,
        "BT-85": doc.seller.name,
    }
    if doc.seller.bic:
        data["BT-86"] = doc.seller.bic.replace(" ", "").upper()
    return data


def _line_item(i: int, line: InvoiceLine, doc: InvoiceDocument) -> dict[str, Any]:
    category, rate = line_vat(line.kind, doc.vat_regime)
    entry: dict[str, Any] = {
        "BT-126": str(i),
        **_quantity_and_price(line),
        "BT-131": _amount(line.amount),
        "BT-151": category,
        "BT-153": line.label,
    }
    if category != "O":  # BR-O-05: no line VAT rate for "not subject to VAT"
        entry["BT-152"] = _rate(rate)
    if line.service_code:
        entry["BT-155"] = line.service_code
    return entry


def _quantity_and_price(line: InvoiceLine) -> dict[str, str]:
    """BT-129/130 quantity and unit, BT-146 net price, BT-149 its base quantity.

    Time is billed in whole minutes (unit MIN) at the hourly price for a base quantity of
    60 MIN, so that quantity × price / base = the line amount before its rounding to the
    cent, exactly as computed (SPEC §5) — hours to four decimals are not exact (1240 min =
    20.6667 h). A flat line is 1 unit (C62) at its amount.
    """
    if line.unit == "HUR" and line.minutes is not None:
        return {
            "BT-129": str(line.minutes),
            "BT-130": MINUTE,
            "BT-146": _quantity(line.unit_price),
            "BT-149": str(MINUTES_PER_HOUR),
        }
    return {
        "BT-129": _quantity(line.precise_quantity),
        "BT-130": line.unit,
        "BT-146": _quantity(line.unit_price),
    }


def _vat_breakdown(b: VatBreakdown) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "BT-116": _amount(b.base),
        "BT-117": _amount(b.vat),
        "BT-118": b.category,
    }
    if b.category != "O":  # BR-O-12…: no rate in an O breakdown
        entry["BT-119"] = _rate(b.rate)
    if b.mention:
        entry["BT-120"] = b.mention
    if b.exemption_code:
        entry["BT-121"] = b.exemption_code
    return entry


def check_cii_xml(xml: bytes) -> None:
    """Raise :class:`FacturXError` unless ``xml`` passes the Factur-X EN 16931 XSD."""
    try:
        xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as exc:  # the library raises bare Exception with the lxml message
        raise FacturXError(f"Factur-X EN 16931 XSD check failed: {exc}") from exc


def build_cii_xml(doc: InvoiceDocument) -> bytes:
    """The CII XML (UTF-8 bytes) of ``doc``, profile EN 16931, XSD-checked."""
    data = build_cii_data(doc)
    try:
        xml: bytes = generate_cii_xml(
            data, level="en16931", check_xsd=False, check_schematron=False
        )
    except ValueError as exc:
        raise FacturXError(f"cannot build the CII XML of {doc.number}: {exc}") from exc
    check_cii_xml(xml)
    return xml


def embed(
    pdf_a3_bytes: bytes, xml_bytes: bytes, *, title: str = "", author: str = "", subject: str = ""
) -> bytes:
    """Attach ``factur-x.xml`` to a PDF/A-3 (from WeasyPrint ``pdf_variant='pdf/a-3b'``).

    factur-x adds the XMP Factur-X extension schema (fx:DocumentType, fx:ConformanceLevel…).
    Start from a PDF/A-3b: from a plain PDF it would add no OutputIntent (STACK-NOTES §3).
    """
    metadata = None
    if title:
        metadata = {
            "title": title,
            "author": author,
            "subject": subject or title,
            "keywords": "Factur-X, facture",
        }
    buffer = _Rewritten(pdf_a3_bytes)
    try:
        generate_from_file(
            buffer,
            xml_bytes,
            flavor="factur-x",
            level="en16931",
            check_xsd=True,
            lang="fr-FR",
            pdf_metadata=metadata,
        )
    except Exception as exc:
        raise FacturXError(f"Factur-X embedding failed: {exc}") from exc
    return buffer.getvalue()


class _Rewritten(io.BytesIO):
    """The PDF in, the Factur-X PDF out, in one buffer as factur-x wants it — but the output
    replaces the input. factur-x 7.8 reads the PDF from the buffer and writes the new one
    where the reader stopped: its generate_from_binary therefore returned the input PDF with
    the new one appended after it (today's invoices were twice their size), and an input the
    reader does not read to its end came out corrupt. The first write rewinds and truncates;
    pypdf takes every offset from tell() after that, so the xref is exact."""

    _rewound = False

    def write(self, data: Any) -> int:
        if not self._rewound:
            self.seek(0)
            self.truncate()
            self._rewound = True
        return super().write(data)
