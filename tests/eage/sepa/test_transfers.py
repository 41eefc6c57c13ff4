"""pain.001 credit transfers of a closed month's payroll (issue 16): net salaries from the
payslips to each employee's IBAN, optionally the payroll charges; the file validates against
the ISO 20022 XSD; an employee without a valid IBAN refuses the file, nothing written."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounting.problems import ProblemsError
from eage import storage
from eage.extensions import db
from eage.models import MonthLock
from eage.models.sepa import SepaBatch
from eage.sepa import mandates, transfers
from tests import factories
from tests.eage.sepa.conftest import BIC_FR, IBAN_DE, IBAN_FR, validate

TODAY = date(2026, 12, 1)
EXECUTION = date(2026, 12, 4)  # a Friday
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture()
def november(demo) -> None:
    """November 2026 closed with three payslips; two employees have an IBAN."""
    factories.add_payslip("CMARTIN", "2026-11", "2950.00", "1200.00")
    factories.add_payslip("KBENALI", "2026-11", "1987.45", "700.00")
    factories.add_payslip("JFOURNIER", "2026-11", "2210.30", "800.00")
    factories.employee("CMARTIN").iban = IBAN_FR
    factories.employee("CMARTIN").bic = BIC_FR
    factories.employee("KBENALI").iban = IBAN_DE
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()


def test_salaries_file_validates_with_net_pay_and_ibans(november, app) -> None:
    factories.employee("JFOURNIER").iban = "FR76 3000 6000 0112 3456 7890 189"  # spaces: fine
    db.session.commit()

    batch, plan = transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY)

    data = storage.read(batch.document)
    validate(data, "pain.001.001.03")
    root = ET.fromstring(data)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "7147.75"
    assert root.findtext(".//p:ReqdExctnDt", namespaces=NS) == "2026-12-04"
    assert (
        root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "FR7630006000011234567890189"
    )
    txs = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx
        for tx in root.iterfind(".//p:CdtTrfTxInf", namespaces=NS)
    }
    assert set(txs) == {"SAL-2026-11-CMARTIN", "SAL-2026-11-KBENALI", "SAL-2026-11-JFOURNIER"}
    kb = txs["SAL-2026-11-KBENALI"]
    assert kb.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "1987.45"
    assert kb.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_DE
    assert kb.findtext(".//p:Ustrd", namespaces=NS) == "Salaire novembre 2026"
    assert txs["SAL-2026-11-CMARTIN"].findtext(".//p:CdtrAgt//p:BIC", namespaces=NS) == BIC_FR
    assert (batch.kind, batch.month, batch.count, batch.total) == (
        "transfer",
        "2026-11",
        3,
        Decimal("7147.75"),
    )
    assert plan.total == Decimal("7147.75")


def test_employee_without_valid_iban_refuses_the_file(november, app) -> None:
    factories.employee("KBENALI").iban = "DE89370400440532013001"  # wrong check digits
    db.session.commit()
    with pytest.raises(ProblemsError) as refused:
        transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY)
    messages = [p.message for p in refused.value.problems]
    assert any(m.startswith("KBENALI") and "clé" in m for m in messages)
    assert any(m.startswith("JFOURNIER") and "IBAN manquant" in m for m in messages)
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0
    assert not list(Path(app.config["STORAGE_PATH"]).rglob("*.xml"))


def test_month_must_be_closed(demo, app) -> None:
    plan = transfers.plan_transfers("2026-11", EXECUTION, today=TODAY)
    assert [p.message for p in plan.problems] == ["le mois 2026-11 n'est pas clôturé"]


def test_salaries_are_not_transferred_twice(november, app) -> None:
    factories.employee("JFOURNIER").iban = IBAN_FR
    db.session.commit()
    transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY)
    with pytest.raises(ProblemsError, match="rien à virer"):
        transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY)


def test_charges_go_to_the_payees_of_the_settings(november, app, monkeypatch) -> None:
    """What the month owes comes from eage/payslips/settlements (its own tests cover it)."""
    factories.employee("JFOURNIER").iban = IBAN_FR
    row = mandates.settings()
    row.payees = {"urssaf": {"name": "URSSAF Rhône-Alpes", "iban": IBAN_FR, "bic": ""}}
    db.session.commit()
    owed = {"urssaf": Decimal("2345.67"), "withholding_tax": Decimal("120.00")}
    monkeypatch.setattr(transfers, "charges_owed", lambda month: owed)

    plan = transfers.plan_transfers("2026-11", EXECUTION, today=TODAY, with_charges=True)
    assert [p.message for p in plan.problems] == [
        "Prélèvement à la source : IBAN manquant (paramètres SEPA)"
    ]
    row.payees = {
        **row.payees,
        "withholding_tax": {"name": "SIP Saint-Étienne", "iban": IBAN_DE, "bic": ""},
    }
    db.session.commit()
    batch, _ = transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY, with_charges=True)
    validate(storage.read(batch.document), "pain.001.001.03")
    by_ref = {t.end_to_end_id: t for t in batch.transactions}
    assert by_ref["URSSAF-2026-11"].amount == Decimal("2345.67")
    assert by_ref["PAS-2026-11"].iban == IBAN_DE
    assert batch.total == Decimal("7147.75") + Decimal("2465.67")
