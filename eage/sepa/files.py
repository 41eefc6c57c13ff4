"""Writing the pain.008 and pain.001 XML with `sepaxml` (pure: no Flask, no database).

Versions: pain.008.001.02 and pain.001.001.03, the ones every French bank accepts (the
EPC implementation guidelines of 2023 still take them; the .08/.09 versions are not yet
everywhere). `sepaxml` validates each file against the ISO 20022 XSD it ships before
returning it; the identifiers it draws (MsgId, PmtInfId) are read back from the file so
that they can be stored.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sepaxml import SepaDD, SepaTransfer

from accounting.money import D

DEBIT_SCHEMA = "pain.008.001.02"
TRANSFER_SCHEMA = "pain.001.001.03"


@dataclass(frozen=True)
class Account:
    """The group's side of the file: its name, IBAN, BIC and (debits) creditor identifier."""

    name: str
    iban: str
    bic: str
    creditor_identifier: str = ""


@dataclass(frozen=True)
class Debit:
    end_to_end_id: str
    amount: Decimal
    sequence_type: str  # FRST / RCUR / OOFF
    mandate_reference: str
    mandate_signed_on: date
    debtor_name: str
    iban: str
    bic: str | None
    remittance: str


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    iban: str
    bic: str | None
    remittance: str


@dataclass(frozen=True)
class Written:
    """The file and what the bank will echo back: the message id and, per EndToEndId, the
    payment information block it sits in."""

    xml: bytes
    msg_id: str
    payment_info_ids: dict[str, str]


def cents(amount: Decimal) -> int:
    """Euros with two decimals → integer cents (the library's unit), exactly."""
    return int(D(amount).scaleb(2).to_integral_value())


def debits_file(creditor: Account, debits: list[Debit], collection_date: date) -> Written:
    """One PmtInf per sequence type (FRST / RCUR / OOFF) at ``collection_date``."""
    sdd = SepaDD(
        {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "BIC": creditor.bic,
            "batch": True,
            "creditor_id": creditor.creditor_identifier,
            "currency": "EUR",
        },
        schema=DEBIT_SCHEMA,
    )
    for d in debits:
        payment = {
            "name": d.debtor_name,
            "IBAN": d.iban,
            "amount": cents(d.amount),
            "type": d.sequence_type,
            "collection_date": collection_date,
            "mandate_id": d.mandate_reference,
            "mandate_date": d.mandate_signed_on,
            "description": d.remittance,
            "endtoend_id": d.end_to_end_id,
        }
        if d.bic:
            payment["BIC"] = d.bic
        sdd.add_payment(payment)
    return _read_back(sdd.export(validate=True, pretty_print=True))


def transfers_file(debtor: Account, transfers: list[Transfer], execution_date: date) -> Written:
    sct = SepaTransfer(
        {
            "name": debtor.name,
            "IBAN": debtor.iban,
            "BIC": debtor.bic,
            "batch": True,
            "currency": "EUR",
        },
        schema=TRANSFER_SCHEMA,
    )
    for t in transfers:
        payment = {
            "name": t.creditor_name,
            "IBAN": t.iban,
            "amount": cents(t.amount),
            "execution_date": execution_date,
            "description": t.remittance,
            "endtoend_id": t.end_to_end_id,
        }
        if t.bic:
            payment["BIC"] = t.bic
        sct.add_payment(payment)
    return _read_back(sct.export(validate=True, pretty_print=True))


def _read_back(xml: bytes) -> Written:
    root = ET.fromstring(xml)  # our own file, just written
    ns = {"p": root.tag[1:].split("}")[0]}
    msg_id = root.findtext(".//p:GrpHdr/p:MsgId", namespaces=ns) or ""
    ids: dict[str, str] = {}
    for info in root.iterfind(".//p:PmtInf", namespaces=ns):
        info_id = info.findtext("p:PmtInfId", namespaces=ns) or ""
        for e2e in info.iterfind(".//p:EndToEndId", namespaces=ns):
            ids[e2e.text or ""] = info_id
    return Written(xml=xml, msg_id=msg_id, payment_info_ids=ids)
