"""Supplier payments by SEPA transfer (issue 16): a posted supplier invoice not paid yet goes
into the pain.001 with the salaries (EndToEndId ``FOUR-<expense id>``, the amount its 401
account owes: cost + deductible VAT, to the IBAN remembered for the supplier); a supplier
without a valid IBAN refuses the file; an invoice already in a transfer is not paid twice;
the CAMT.053 statement debiting ``FOUR-<id>`` posts 401 → 512 on the supplier's auxiliary
account, marks the expense paid and the SEPA transaction done.

Sources: ISO 20022 pain.001.001.03 (schema shipped in schemas/), ISO 13616 IBAN check
digits, PCG art. 944-40 (401 Fournisseurs) — SPEC §5 purchases journal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from accounting.ledger import supplier_aux_number
from accounting.problems import ProblemsError
from eage import storage
from eage.bank import services as bank
from eage.expenses import services as expenses
from eage.extensions import db
from eage.models import Expense, JournalLine, MonthLock
from eage.models.sepa import SepaBatch, SepaTransaction
from eage.models.suppliers import Supplier
from eage.sepa import transfers
from tests import factories
from tests.eage.bank.camt_builder import Entry, Tx, camt053
from tests.eage.sepa.conftest import BIC_FR, IBAN_DE, IBAN_FR, validate

TODAY = date(2026, 12, 1)
EXECUTION = date(2026, 12, 4)  # a Friday
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
RENT = "SCI Saint-Joseph"


def _expense(day: date, amount: str, vat: str, supplier: str, **bank_details: str) -> Expense:
    data: dict[str, Any] = {
        "date": day,
        "account": "613200",
        "label": f"Loyer {day:%m/%Y} facture L-{day:%m}",
        "amount": Decimal(amount),
        "vat": Decimal(vat),
        "supplier": supplier,
        "paid_by": "supplier",
        "service_id": None,
        **bank_details,
    }
    assert expenses.check_expense(data) == []
    return expenses.create_expense(data)


@pytest.fixture()
def november(demo) -> Expense:
    """November 2026 closed (its expenses posted at once) with one payslip with an IBAN and
    the rent invoice of a supplier whose IBAN was typed on the expense form."""
    factories.add_payslip("CMARTIN", "2026-11", "2950.00", "1200.00")
    factories.employee("CMARTIN").iban = IBAN_FR
    factories.employee("CMARTIN").bic = BIC_FR
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()
    return _expense(
        date(2026, 11, 5), "300.00", "60.00", RENT, supplier_iban=IBAN_DE.lower(), supplier_bic=""
    )


def _plain(html: str) -> str:
    """The page's text with its thin and no-break spaces as plain spaces."""
    return html.replace("\u202f", " ").replace("\xa0", " ")


def _transactions(xml: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    return {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or "": tx
        for tx in root.iterfind(".//p:CdtTrfTxInf", namespaces=NS)
    }


def test_salaries_and_a_supplier_in_one_valid_file(november: Expense, app) -> None:
    rent = november
    assert db.session.scalar(select(Supplier.iban).where(Supplier.name == RENT)) == IBAN_DE
    assert [e.id for e in transfers.payable_expenses("2026-11")] == [rent.id]

    batch, plan = transfers.create_transfer_batch(
        "2026-11", EXECUTION, today=TODAY, with_suppliers=True
    )

    data = storage.read(batch.document)
    validate(data, "pain.001.001.03")
    root = ET.fromstring(data)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "3310.00"  # 2950 + 360
    txs = _transactions(data)
    assert set(txs) == {"SAL-2026-11-CMARTIN", f"FOUR-{rent.id}"}
    four = txs[f"FOUR-{rent.id}"]
    assert four.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "360.00"  # 300 HT + 60 VAT
    assert four.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_DE
    assert four.findtext("p:Cdtr/p:Nm", namespaces=NS) == RENT
    assert four.findtext(".//p:Ustrd", namespaces=NS) == "Loyer 11/2026 facture L-11"
    assert (batch.count, batch.total, plan.total) == (2, Decimal("3310.00"), Decimal("3310.00"))
    row = db.session.scalar(
        select(SepaTransaction).where(SepaTransaction.end_to_end_id == f"FOUR-{rent.id}")
    )
    assert row is not None and (row.status, row.amount, row.name) == (
        "pending",
        Decimal("360.00"),
        RENT,
    )


def test_only_posted_unpaid_invoices_up_to_the_month_end(november: Expense, app) -> None:
    # December is not closed: its invoice is not posted, and after the month anyway.
    later = _expense(date(2026, 12, 2), "300.00", "60.00", RENT)
    plan = transfers.plan_transfers("2026-11", EXECUTION, today=TODAY, with_suppliers=True)
    assert [li.end_to_end_id for li in plan.lines] == ["SAL-2026-11-CMARTIN", f"FOUR-{november.id}"]
    assert later.id not in {e.id for e in transfers.payable_expenses("2026-12")}
    # Only the ones chosen on the page.
    chosen = transfers.plan_transfers(
        "2026-11", EXECUTION, today=TODAY, with_suppliers=True, expense_ids=set()
    )
    assert [li.end_to_end_id for li in chosen.lines] == ["SAL-2026-11-CMARTIN"]


def test_supplier_without_valid_iban_refuses_the_file(november: Expense, app) -> None:
    other = _expense(date(2026, 11, 20), "100.00", "20.00", "Opérateur")  # no IBAN known
    bad = Supplier(name="Imprimerie", iban="FR1420041010050500013M02607")  # wrong check digits
    db.session.add(bad)
    db.session.commit()
    printer = _expense(date(2026, 11, 21), "50.00", "0", "Imprimerie")

    with pytest.raises(ProblemsError) as refused:
        transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY, with_suppliers=True)

    messages = [p.message for p in refused.value.problems]
    assert f"Fournisseur Opérateur (dépense {other.id}, {other.label}) : IBAN manquant" in messages
    assert any(
        f"Imprimerie (dépense {printer.id}" in m and "clé de contrôle" in m for m in messages
    )
    assert len(messages) == 2  # the rent (valid IBAN) is not a problem
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0
    assert db.session.scalar(select(func.count(SepaTransaction.id))) == 0


def test_bad_iban_on_the_expense_form_is_refused(demo, app) -> None:
    data = {
        "date": date(2026, 11, 5),
        "account": "613200",
        "label": "Loyer",
        "amount": Decimal("300"),
        "vat": Decimal("0"),
        "supplier": "",
        "paid_by": "supplier",
        "supplier_iban": "FR1420041010050500013M02607",
        "supplier_bic": "NOTABIC",
    }
    fields = {p.field for p in expenses.check_expense(data)}
    assert fields == {"supplier", "supplier_iban", "supplier_bic"}


def test_an_invoice_in_a_transfer_is_not_paid_twice(november: Expense, app) -> None:
    transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY, with_suppliers=True)
    assert transfers.payable_expenses("2026-11") == []
    with pytest.raises(ProblemsError) as again:
        transfers.create_transfer_batch("2026-11", EXECUTION, today=TODAY, with_suppliers=True)
    assert [p.message for p in again.value.problems] == ["rien à virer pour 2026-11 (déjà fait ?)"]
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 1


def test_the_statement_pays_the_supplier_on_401(november: Expense, app) -> None:
    rent = november
    batch, _plan = transfers.create_transfer_batch(
        "2026-11", EXECUTION, today=TODAY, with_suppliers=True
    )
    statement, _closing = camt053(
        "S-FOUR",
        Decimal("5000.00"),
        [Entry(EXECUTION, False, [Tx(Decimal("360.00"), f"FOUR-{rent.id}", "Loyer", RENT)])],
        date(2026, 12, 1),
        EXECUTION,
    )
    result = bank.import_statement(statement, "releve.xml")
    (line,) = result.review  # a supplier payment waits for the accountant's click
    assert line.proposal and line.proposal["account"] == "401000"
    assert line.proposal["supplier"] == RENT

    bank.confirm_line(line)

    db.session.expire_all()
    assert db.session.get(Expense, rent.id).paid_on == EXECUTION
    lines = db.session.scalars(
        select(JournalLine).where(JournalLine.account_number == "401000", JournalLine.debit > 0)
    ).all()
    assert [(ln.debit, ln.aux_number) for ln in lines] == [
        (Decimal("360.00"), supplier_aux_number(RENT))
    ]
    statuses = {t.end_to_end_id: t.status for t in db.session.get(SepaBatch, batch.id).transactions}
    assert statuses == {"SAL-2026-11-CMARTIN": "pending", f"FOUR-{rent.id}": "done"}
    assert transfers.payable_expenses("2026-11") == []


def test_the_accountant_types_the_iban_then_picks_the_invoices(demo, login_as, app) -> None:
    factories.add_payslip("CMARTIN", "2026-11", "2950.00", "1200.00")
    factories.employee("CMARTIN").iban = IBAN_FR
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()
    client = login_as("accountant")
    form = {
        "date": "20/11/2026",
        "account": "613200",
        "label": "Loyer novembre",
        "amount": "300,00",
        "vat": "60,00",
        "supplier": RENT,
        "paid_by": "supplier",
        "service_id": "",
        "supplier_iban": "DE89 3704 0044 0532 0130 01",  # wrong check digits
    }
    bad = client.post("/depenses/nouvelle", data=form)
    assert "la clé de contrôle ne correspond pas" in bad.text
    assert db.session.scalar(select(func.count(Expense.id))) == 0
    ok = client.post("/depenses/nouvelle", data={**form, "supplier_iban": IBAN_DE})
    assert ok.status_code == 302
    rent = db.session.scalar(select(Expense))
    phone = _expense(date(2026, 11, 25), "100.00", "20.00", RENT)
    day = date.today()
    execution = transfers.default_execution_date("2026-11", day)
    base = {"month": "2026-11", "execution_date": execution.strftime("%d/%m/%Y")}

    first = client.post("/sepa/virements", data={**base, "with_suppliers": "y", "preview": "1"})
    assert f"FOUR-{rent.id}" in first.text and f"FOUR-{phone.id}" in first.text
    assert "DE89 •••• 3000" in first.text and "3 430,00" in _plain(first.text)  # 2950 + 360 + 120
    picked = {**base, "with_suppliers": "y", "suppliers_listed": "1", "expense": str(phone.id)}
    preview = client.post("/sepa/virements", data={**picked, "preview": "1"})
    assert "3 070,00" in _plain(preview.text)  # 2950 + 120
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0
    done = client.post("/sepa/virements", data={**picked, "generate": "1"})
    assert done.status_code == 302
    batch = db.session.scalar(select(SepaBatch))
    assert batch is not None and batch.total == Decimal("3070.00")
    assert f"FOUR-{phone.id}" in {t.end_to_end_id for t in batch.transactions}
    assert [e.id for e in transfers.payable_expenses("2026-11")] == [rent.id]
    # The IBAN is remembered for the supplier: its next invoice's form shows it.
    phone_form = client.get(f"/depenses/{phone.id}/modifier")
    assert phone_form.status_code == 302  # posted (November is closed): frozen


def test_cli_with_suppliers(november: Expense, runner, tmp_path) -> None:
    result = runner.invoke(
        args=["sepa-salaries", "2026-11", "--output", str(tmp_path), "--with-suppliers"]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*-pain001.xml")
    validate(written.read_bytes(), "pain.001.001.03")
    assert "2 transfers, total 3310.00 EUR" in result.output
    assert f"FOUR-{november.id}" in _transactions(written.read_bytes())


def test_iban_of_a_supplier_whose_invoices_are_posted(november: Expense, login_as, app) -> None:
    phone = _expense(date(2026, 11, 20), "100.00", "20.00", "Opérateur")  # posted, no IBAN
    client = login_as("accountant")
    listing = client.get("/depenses/?annee=2026")
    assert "/depenses/fournisseurs/iban?nom=Op%C3%A9rateur" in listing.text
    bad = client.post(
        "/depenses/fournisseurs/iban",
        data={"supplier": "Opérateur", "supplier_iban": "FR1420041010050500013M02607"},
    )
    assert "la clé de contrôle ne correspond pas" in bad.text
    assert db.session.scalar(select(Supplier).where(Supplier.name == "Opérateur")) is None
    ok = client.post(
        "/depenses/fournisseurs/iban",
        data={"supplier": "Opérateur", "supplier_iban": IBAN_FR, "supplier_bic": BIC_FR},
    )
    assert ok.status_code == 302
    plan = transfers.plan_transfers("2026-11", EXECUTION, today=TODAY, with_suppliers=True)
    assert plan.problems == []
    line = next(li for li in plan.lines if li.end_to_end_id == f"FOUR-{phone.id}")
    assert (line.iban, line.bic, line.amount) == (IBAN_FR, BIC_FR, Decimal("120.00"))
    assert login_as("manager").get("/depenses/fournisseurs/iban").status_code == 403


def test_an_invoice_paid_outside_eage_is_not_offered(november: Expense, app) -> None:
    """Paid by a transfer typed at the bank (no FOUR- reference), booked on the supplier's
    401: its balance owes only the December invoice, so the older one is not offered."""
    december = _expense(date(2026, 11, 28), "300.00", "60.00", RENT)
    statement, _ = camt053(
        "S-HAND",
        Decimal("5000.00"),
        [Entry(date(2026, 11, 30), False, [Tx(Decimal("360.00"), None, "Loyer", RENT)])],
        date(2026, 11, 30),
        date(2026, 11, 30),
    )
    (line,) = bank.import_statement(statement, "hand.xml").review
    bank.assign_line(
        line, [bank.Part("account", Decimal("360.00"), account="401000", supplier=RENT)]
    )
    assert db.session.get(Expense, november.id).paid_on is None  # no FOUR-<id>: not marked
    assert [e.id for e in transfers.payable_expenses("2026-11")] == [december.id]
