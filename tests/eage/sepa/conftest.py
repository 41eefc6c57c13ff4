"""Fixtures: the demo group (no time) with a SEPA creditor identifier, and helpers to give a
member a mandate and an invoice, and an employee an IBAN."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import xmlschema

from eage.extensions import db
from eage.models.sepa import SepaMandate
from eage.sepa import mandates
from tests import factories

SCHEMAS = Path(__file__).parent / "schemas"
# Valid test data: the ICS's check digits computed by ISO 7064 mod 97-10 (EPC262-08), the
# IBANs are the published examples of the French and German banking associations.
ICS = "FR53ZZZ00000012345"
IBAN_FR = "FR1420041010050500013M02606"
IBAN_DE = "DE89370400440532013000"
BIC_FR = "PSSTFRPPPAR"


def validate(xml: bytes, schema: str) -> None:
    """Raises if ``xml`` does not conform to the ISO 20022 XSD shipped in schemas/."""
    xmlschema.XMLSchema(str(SCHEMAS / f"{schema}.xsd")).validate(xml.decode())


@pytest.fixture()
def sepa(demo: None) -> None:
    row = mandates.settings()
    row.creditor_identifier = ICS
    db.session.commit()


@pytest.fixture()
def give_mandate() -> Callable[..., SepaMandate]:
    def _give(
        code: str,
        *,
        kind: str = "recurrent",
        iban: str = IBAN_FR,
        bic: str | None = BIC_FR,
        signed: date = date(2026, 1, 5),
    ) -> SepaMandate:
        member = factories.member(code)
        m = SepaMandate(
            member_id=member.id,
            reference=f"RUM-{code}-1",
            signed_on=signed,
            debtor_name=member.name,
            iban=iban,
            bic=bic,
            kind=kind,
        )
        db.session.add(m)
        db.session.commit()
        return m

    return _give
