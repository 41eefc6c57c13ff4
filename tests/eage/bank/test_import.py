"""Importing statements as the accountant does it, by the CLI (SPEC §7 `eage import-bank
FILE [--dry-run]`) and by the page: a bad file changes nothing and names every bad line,
the same statement twice changes nothing, two overlapping statements never book a line
twice, a CSV is read with the bank's format recorded once; the manager reads, never books."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.bank import services as bank
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, JournalEntry, Member, Payment, Service
from eage.models.bank import BankLine, BankStatement
from tests.eage.bank.camt_builder import Entry, Tx, camt053

D = Decimal


def _issue(code: str, excl_tax: str) -> Invoice:
    take_issuing_lock()
    svc = db.session.scalars(select(Service).where(Service.code == "GESTION")).one()
    member = db.session.scalars(select(Member).where(Member.code == code)).one()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=member,
        lines=[LineSpec("service", "Gestion", D(excl_tax), svc)],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=date(2026, 11, 2),
    )
    db.session.commit()
    return inv


@pytest.fixture()
def invoices(demo) -> list[Invoice]:
    return [_issue("FABRIQUE", "100.00"), _issue("REMUE", "250.00")]


def _count(model: type) -> int:
    return db.session.scalar(select(func.count(model.id))) or 0


def test_cli_imports_prints_and_a_second_import_changes_nothing(invoices, runner, tmp_path) -> None:
    fab, remue = invoices
    data, _closing = camt053(
        "CLI-1",
        D("0.00"),
        [
            Entry(date(2026, 11, 3), True, [Tx(fab.total_incl_tax, None, f"Facture {fab.number}")]),
            Entry(date(2026, 11, 4), True, [Tx(D("99.00"), None, "VIREMENT INCONNU")]),
        ],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    path = tmp_path / "releve.xml"
    path.write_bytes(data)
    dry = runner.invoke(args=["import-bank", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 line(s) matched and posted, 1 waiting for review" in dry.output
    assert "dry run" in dry.output and _count(Payment) == 0 and _count(BankLine) == 0

    first = runner.invoke(args=["import-bank", str(path)])
    assert first.exit_code == 0, first.output
    assert "matched  2026-11-03" in first.output and "review   2026-11-04" in first.output
    assert fab.status == "paid" and remue.status != "paid"
    entries = _count(JournalEntry)

    again = runner.invoke(args=["import-bank", str(path)])
    assert again.exit_code == 0
    assert "already imported: nothing changed" in again.output
    assert _count(JournalEntry) == entries and _count(BankStatement) == 1


def test_a_bad_file_is_refused_with_every_line_and_nothing_changes(
    invoices, runner, tmp_path
) -> None:
    data, _closing = camt053(
        "BAD",
        D("0.00"),
        [Entry(date(2026, 11, 3), True, [Tx(D("10.00"), None, "A")])] * 2,
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    data = data.replace(b"<BookgDt><Dt>2026-11-03</Dt></BookgDt>", b"", 2)
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    result = runner.invoke(args=["import-bank", str(path)])
    assert result.exit_code == 1
    assert "ligne 1 : date de comptabilisation absente" in result.output
    assert "ligne 2 : date de comptabilisation absente" in result.output
    assert _count(BankStatement) == 0 and _count(BankLine) == 0


def test_overlapping_statements_never_book_a_line_twice(invoices) -> None:
    fab, remue = invoices
    pay_fab = Entry(date(2026, 11, 3), True, [Tx(fab.total_incl_tax, fab.number, "SEPA")], ref="B1")
    pay_remue = Entry(date(2026, 11, 20), True, [Tx(D("50.00"), remue.number, "SEPA")], ref="B2")
    first, _closing = camt053("S-1", D("0"), [pay_fab], date(2026, 11, 1), date(2026, 11, 15))
    second, _ = camt053("S-2", D("0"), [pay_fab, pay_remue], date(2026, 11, 1), date(2026, 11, 30))
    bank.import_statement(first, "a.xml")
    result = bank.import_statement(second, "b.xml")
    assert result.skipped == 1 and [ln.amount for ln in result.matched] == [D("50.00")]
    assert _count(Payment) == 2
    assert invoicing.outstanding(remue) == remue.total_incl_tax - D("50.00")  # partial


def test_page_import_review_and_roles(invoices, login_as) -> None:
    data, _closing = camt053(
        "PAGE",
        D("0"),
        [Entry(date(2026, 11, 4), True, [Tx(D("7.00"), None, "SUBVENTION FONJEP")])],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    manager = login_as("manager")
    assert manager.get("/banque/").status_code == 200
    assert manager.post("/banque/import", data={}).status_code == 403
    accountant = login_as("accountant")
    response = accountant.post(
        "/banque/import",
        data={"file": (io.BytesIO(data), "releve.xml")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "0 ligne(s) rapprochée(s), 1 à revoir" in html and "Subvention" in html
    (line,) = bank.lines_to_review()
    manager = login_as("manager")
    page = manager.get("/banque/").get_data(as_text=True)
    assert "SUBVENTION FONJEP" in page and "Confirmer" not in page  # reads only
    accountant = login_as("accountant")
    bad = accountant.post(
        f"/banque/lignes/{line.id}/affecter",
        data={"kind_1": "compte", "amount_1": "6,00", "target_1": "740000"},
    )
    assert bad.status_code == 400 and "doivent faire le montant de la ligne" in bad.get_data(
        as_text=True
    )
    ok = accountant.post(
        f"/banque/lignes/{line.id}/affecter",
        data={"kind_1": "subvention", "amount_1": "7,00", "target_1": ""},
    )
    assert ok.status_code == 302
    assert bank.lines_to_review() == [] and bank.bank_balance(date(2026, 11, 30)) == D("7.00")
    assert login_as("member").get("/banque/").status_code == 403


def test_csv_format_recorded_once_then_reused(invoices, login_as) -> None:
    fab, _remue = invoices
    client = login_as("accountant")
    response = client.post(
        "/banque/formats-csv",
        data={
            "bank_name": "Crédit Coopératif",
            "account_iban": "FR7642559000011234567890121",
            "date_column": "Date",
            "date_format": "%d/%m/%Y",
            "label_column": "Libellé",
            "amount_column": "Montant",
            "decimal_comma": "y",
        },
    )
    assert response.status_code == 302
    csv = f"Date;Libellé;Montant\n05/11/2026;VIR {fab.number};{fab.total_incl_tax}".replace(
        ".", ","
    )
    result = bank.import_statement(csv.encode(), "export.csv")
    assert [ln.amount for ln in result.matched] == [fab.total_incl_tax]
    assert fab.status == "paid"


def test_a_supplier_transfer_settles_its_401_auxiliary_account(demo) -> None:
    from eage.models import Expense, JournalLine

    expense = Expense(
        date=date(2026, 10, 20),
        account="626000",
        label="Téléphone octobre",
        amount=D("50.00"),
        vat=D("10.00"),
        supplier="Orange Business",
        paid_by="supplier",
    )
    db.session.add(expense)
    db.session.commit()
    data, _closing = camt053(
        "FOUR",
        D("100.00"),
        [Entry(date(2026, 11, 10), False, [Tx(D("60.00"), f"FOUR-{expense.id}", "Orange")])],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    (line,) = bank.import_statement(data, "four.xml").review
    assert line.proposal["supplier"] == "Orange Business" and line.proposal["score"] == 90
    bank.confirm_line(line)
    entry = db.session.get(JournalEntry, line.matches[0].entry_id)
    supplier_line = next(ln for ln in entry.lines if ln.account_number == "401000")
    assert (supplier_line.aux_number, supplier_line.debit) == ("401ORANGEBUSINESS", D("60.00"))
    assert (
        db.session.scalar(
            select(func.count(JournalLine.id)).where(JournalLine.entry_id == entry.id)
        )
        == 2
    )
