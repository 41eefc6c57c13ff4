"""Who the issued documents name: the group (as seller on invoices, credit notes and
statements; as employer on payslips) and a member (as buyer).

An invoice keeps a snapshot of both parties taken when it is issued (Invoice.seller /
Invoice.buyer, JSON), so a later change of address never alters an issued document; the
pure documents of accounting/ are built back from those snapshots. Invoicing, the annual
statements and the payslips all take their parties from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from accounting import invoicing as domain
from eage.extensions import db
from eage.models import Member, Organisation
from payroll.documents import Employer

NO_COLLECTIVE_AGREEMENT = (
    "Aucune (code du travail : congés art. L3141-1 s., préavis art. L1234-1 s.)"
)


def organisation() -> Organisation | None:
    """The group's identity (one row), None before it is entered."""
    return db.session.scalar(select(Organisation).limit(1))


def seller_snapshot(org: Organisation) -> dict[str, Any]:
    """The group as printed on a document issued now (kept as Invoice.seller)."""
    return {
        "name": org.name,
        "legal_form": org.legal_form,
        "address": org.address,
        "postcode": org.postcode,
        "city": org.city,
        "country": "FR",
        "siren": org.siren,
        "siret": org.siret,
        "vat_number": org.vat_number,
        "email": org.email,
        "phone": org.phone,
        "iban": org.iban,
        "bic": org.bic,
        "ape_code": org.ape_code,
        "late_penalty_rate": str(org.late_penalty_rate),
        # Option for VAT on debits (art. 269-2-c CGI), frozen with the document: its entry
        # and its mention never change when the option changes later.
        "vat_on_debits": bool(org.vat_on_debits),
    }


def vat_on_debits(seller: Mapping[str, Any]) -> bool:
    """Whether a document was issued under the option for debits (its frozen seller
    snapshot; documents issued before the option existed: VAT on receipt, the default)."""
    return bool(seller.get("vat_on_debits", False))


def buyer_snapshot(member: Member) -> dict[str, Any]:
    """The member as printed on a document issued now (kept as Invoice.buyer)."""
    return {
        "code": member.code,
        "name": member.name,
        "legal_form": member.legal_form,
        "address": member.address,
        "postcode": member.postcode,
        "city": member.city,
        "country": "FR",
        "siren": member.siren,
        "siret": member.siret,
        "vat_number": member.vat_number,
        "email": member.email,
    }


def _identity(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": snapshot["name"],
        "address_lines": (snapshot.get("address") or "",),
        "postcode": snapshot.get("postcode") or "",
        "city": snapshot.get("city") or "",
        "country": snapshot.get("country") or "FR",
        "legal_form": snapshot.get("legal_form") or "",
        "siren": snapshot.get("siren") or "",
        "siret": snapshot.get("siret") or "",
        "vat_number": snapshot.get("vat_number") or "",
        "email": snapshot.get("email") or "",
    }


def party(snapshot: Mapping[str, Any]) -> domain.Party:
    """A snapshot (buyer or seller) as the pure party the documents print."""
    return domain.Party(**_identity(snapshot))


def seller_party(snapshot: Mapping[str, Any]) -> domain.SellerParty:
    """A seller snapshot as the pure seller: the party plus bank details, APE code, phone."""
    return domain.SellerParty(
        **_identity(snapshot),
        iban=snapshot.get("iban") or "",
        bic=snapshot.get("bic") or "",
        ape=snapshot.get("ape_code") or "",
        phone=snapshot.get("phone") or "",
    )


def employer(org: Organisation) -> Employer:
    """The group as the employer printed on a payslip (art. R3243-1 1° and 2° C. trav.)."""
    return Employer(
        name=org.name,
        legal_form=org.legal_form,
        address=org.address,
        postcode=org.postcode,
        city=org.city,
        siret=org.siret,
        ape_code=org.ape_code or "",
        collective_agreement=org.collective_agreement or NO_COLLECTIVE_AGREEMENT,
    )
