"""The books on paper: the journals, the general ledger, the trial balance and the members'
ledger as PDF (A4 landscape, header with the group and its SIREN, « page X / Y »), with the
totals the pages show, to the cent; the aged balance of receivables (balance âgée) by days
past the due date (art. L441-10 C. com.), on its page, in .xlsx and in PDF."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accounting import formats
from eage.books import ledgers, prints
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.models import Organisation
from tests.eage.books.test_books import issue, member, service

YEAR = ledgers.LedgerFilter(date(2026, 1, 1), date(2026, 12, 31))


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext lays it out, spaces (incl. U+202F, U+00A0) collapsed."""
    assert data.startswith(b"%PDF-")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    return re.sub(r"[ \u202f\u00a0]+", " ", out)


def pdf_pages(data: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True, text=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert pages is not None
    return int(pages.group(1))


def amount(value: Decimal) -> str:
    """How the prints show an amount: '1 234,56' (spaces collapsed as in pdf_text)."""
    return re.sub(r"[ \u202f\u00a0]+", " ", formats.number2(value))


def a_year_of_books(payments: int = 0) -> None:
    """Two invoices (one with two services, one fee), a payment, and ``payments`` more
    small payments of LEFIL to make the bank and member accounts long."""
    issue(
        "LEFIL",
        [
            LineSpec("service", "Paie", Decimal("1000.00"), service("PAIE")),
            LineSpec("service", "Réseau", Decimal("234.56"), service("RESEAU")),
        ],
        origin="monthly",
    )
    issue("FABRIQUE", [LineSpec("fee", "Cotisation", Decimal("30.00"))])
    invoicing.record_payment(
        member=member("LEFIL"),
        day=date(2026, 11, 25),
        amount=Decimal("80.00"),
        method="virement",
        reference="VIR-1",
    )
    for n in range(payments):
        invoicing.record_payment(
            member=member("LEFIL"),
            day=date(2026, 11, 26),
            amount=Decimal("1.01"),
            method="virement",
            reference=f"VIR-P{n}",
        )


# --------------------------------------------------------------------------- the PDFs


def test_trial_balance_pdf_has_the_pages_totals_by_class_and_overall(app, login_as) -> None:
    a_year_of_books()
    client = login_as("accountant")
    rows = ledgers.trial_balance(YEAR)
    totals = ledgers.balance_totals(rows)
    page = client.get("/comptabilite/balance?annee=2026").get_data(as_text=True)
    assert "/comptabilite/balance.pdf?annee=2026" in page  # the link beside the .xlsx

    response = client.get("/comptabilite/balance.pdf?annee=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    org = db.session.query(Organisation).one()
    assert org.name in text and f"SIREN {org.siren}" in text
    assert "Balance générale" in text and "Période du 01/01/2026 au 31/12/2026" in text
    assert f"Édité le {date.today():%d/%m/%Y}" in text and "page 1 / 1" in text
    # The movements' total is the page's; debit = credit (every entry balances).
    # 1 234,56 HT × 1,20 = 1 481,47 TTC (VT) + the fee 30,00 (VT) + the payment 80,00 (BQ)
    # 1,591.47 of movements + the 13.33 of VAT the payment moves from 44574 to 44571
    assert totals.debit == totals.credit == Decimal("1604.80")
    # Nothing opens 2026 (no à-nouveaux yet): opening 0,00; movements; closing balances.
    figures = (0, 0, totals.debit, totals.credit, totals.debit_balance, totals.credit_balance)
    assert re.search(r"Total général\s+" + r"\s+".join(amount(v) for v in figures), text)
    # Class 7 (PCG art. 931-1): the fee and the two services, credit side.
    class7 = sum((r.credit - r.debit for r in rows if r.account.startswith("7")), Decimal(0))
    assert class7 == Decimal("1264.56")
    assert re.search(rf"Total classe 7 — Comptes de produits .*{amount(class7)}", text)


def test_trial_balance_opens_with_what_came_before_the_period(app, demo) -> None:
    """A balance from 1 December: November's movements become the opening balances; the
    closing balances equal the year's."""
    a_year_of_books()
    classes, total = prints.printed_balance(
        ledgers.LedgerFilter(date(2026, 12, 1), date(2026, 12, 31))
    )
    year = ledgers.balance_totals(ledgers.trial_balance(YEAR))
    assert total.debit == total.credit == Decimal("0.00")
    assert total.opening_debit == total.closing_debit == year.debit_balance
    assert total.opening_credit == total.closing_credit == year.credit_balance
    assert [g.key for g in classes] == ["4", "5", "7"]


def test_general_ledger_pdf_runs_over_pages_with_the_pages_totals(app, login_as) -> None:
    a_year_of_books(payments=60)
    client = login_as("manager")
    sections = ledgers.general_ledger(YEAR)
    bank = next(s for s in sections if s.account.startswith("512"))
    assert bank.debit == Decimal("80.00") + 60 * Decimal("1.01") == Decimal("140.60")

    response = client.get("/comptabilite/grand-livre.pdf?annee=2026")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    assert pages > 1
    text = pdf_text(response.data)
    assert f"page {pages} / {pages}" in text and "Grand livre" in text
    assert re.search(
        rf"Total {bank.account}\s+{amount(bank.debit)}\s+0,00\s+{amount(bank.balance)}", text
    )
    debit = sum((s.debit for s in sections), Decimal(0))
    assert re.search(rf"Total général\s+{amount(debit)}\s+{amount(debit)}\s+0,00", text)
    # The same filter parameters as the page: only the 706 accounts.
    text = pdf_text(client.get("/comptabilite/grand-livre.pdf?annee=2026&compte=706").data)
    assert "706200" in text and "512" not in text.split("Montants en euros", 1)[1]


def test_member_ledger_pdf_per_411_account_with_a_lettering_column(app, login_as) -> None:
    a_year_of_books()
    client = login_as("admin")
    lefil = next(s for s in ledgers.member_ledger(YEAR) if s.account == "411LEFIL")
    assert lefil.balance == invoicing.member_balance(member("LEFIL").id) == Decimal("1401.47")
    text = pdf_text(client.get("/comptabilite/adherents.pdf?annee=2026").data)
    assert "411FABRIQUE" in text and "Let." in text
    figures = r"\s+".join(amount(v) for v in (lefil.debit, lefil.credit, lefil.balance))
    assert re.search(rf"Total 411LEFIL\s+{figures}", text)
    text = pdf_text(client.get("/comptabilite/adherents.pdf?annee=2026&adherent=LEFIL").data)
    assert "411LEFIL" in text and "411FABRIQUE" not in text and "adhérent LEFIL" in text


def test_journals_pdf_totals_per_entry_and_per_journal(app, login_as) -> None:
    a_year_of_books()
    client = login_as("accountant")
    assert "/comptabilite/journaux.pdf" in client.get("/comptabilite/").get_data(as_text=True)
    books = prints.journals(YEAR)
    assert [j.code for j in books] == ["BQ", "VT"]
    for journal in books:
        assert journal.debit == journal.credit
        assert all(e.debit == e.credit for e in journal.entries)
    text = pdf_text(client.get("/comptabilite/journaux.pdf?annee=2026").data)
    sales = books[1]
    assert re.search(
        rf"Total journal VT \(2 écritures\)\s+{amount(sales.debit)}\s+{amount(sales.credit)}", text
    )
    first = sales.entries[0]
    assert re.search(rf"Total écriture {first.number}.*{amount(first.debit)}", text)
    total = sum((j.debit for j in books), Decimal(0))
    assert re.search(rf"Total des journaux\s+{amount(total)}\s+{amount(total)}", text)
    # A month, and one journal, as on the journals page.
    text = pdf_text(client.get("/comptabilite/journaux.pdf?mois=2026-11&journal=BQ").data)
    assert "Période du 01/11/2026 au 30/11/2026" in text
    assert "BQ-2026-00001" in text and "VT-2026-00001" not in text


# --------------------------------------------------------------------------- aged receivables


def test_aged_balance_puts_an_invoice_45_days_late_in_31_60(app, login_as) -> None:
    a_year_of_books()
    lefil = next(i for i in db.session.query(invoicing.Invoice) if i.member.code == "LEFIL")
    owed = invoicing.outstanding(lefil)
    assert owed == Decimal("1401.47")  # 1 481,47 TTC − 80,00 paid
    at = lefil.due_date + timedelta(days=45)
    aged = prints.aged_receivables(at).balance
    line = next(x for x in aged.lines if x.member == "LEFIL")
    assert line.buckets["days_31_60"] == owed and line.total == owed
    assert sum(line.buckets.values()) == owed
    # Not yet due the day before its due date; 0–30 on the due date itself.
    before = prints.aged_receivables(lefil.due_date - timedelta(days=1)).balance
    assert next(x for x in before.lines if x.member == "LEFIL").buckets["not_due"] == owed
    on_due = prints.aged_receivables(lefil.due_date).balance
    assert next(x for x in on_due.lines if x.member == "LEFIL").buckets["days_0_30"] == owed
    # Overall: LEFIL's 1 401,47 and FABRIQUE's fee 30,00; it equals the 411 balance.
    assert aged.total == Decimal("1431.47") == sum(ledgers.aux_balances(2026).values())

    client = login_as("manager")
    page = client.get(f"/comptabilite/balance-agee?date={at.isoformat()}").get_data(as_text=True)
    assert lefil.number in page and formats.number2(owed) in page
    response = client.get(f"/comptabilite/balance-agee?date={at.isoformat()}&format=xlsx")
    ws = load_workbook(io.BytesIO(response.data)).active
    assert ws["A1"].value == "Balance âgée" and ws["I4"].value == "31–60 j"
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[2] == lefil.number)
    assert row[5] == 45 and Decimal(str(row[8])) == Decimal(str(row[12])) == owed
    assert ws.cell(ws.max_row, 1).value == "Total"
    assert Decimal(str(ws.cell(ws.max_row, 13).value)) == Decimal("1431.47")
    text = pdf_text(client.get(f"/comptabilite/balance-agee.pdf?date={at.isoformat()}").data)
    assert f"Situation au {at:%d/%m/%Y}" in text and lefil.number in text
    assert re.search(rf"Total général .*{amount(Decimal('1431.47'))}", text)


def test_an_unapplied_credit_note_shows_as_a_negative_column(app, demo) -> None:
    """A credit note on a paid invoice leaves the member in credit: the aged balance shows
    it in « non imputé » so that the member's total still equals its balance."""
    inv = issue("FABRIQUE", [LineSpec("fee", "Cotisation", Decimal("30.00"))])
    invoicing.record_payment(
        member=member("FABRIQUE"),
        day=date(2026, 11, 20),
        amount=Decimal("30.00"),
        method="virement",
        reference="VIR-F",
    )
    issue(
        "FABRIQUE",
        [LineSpec("fee", "Cotisation", Decimal("30.00"))],
        kind="credit_note",
        credited=inv,
        day=date(2026, 11, 21),
    )
    aged = prints.aged_receivables(date(2026, 11, 30)).balance
    line = next(x for x in aged.lines if x.member == "FABRIQUE")
    assert line.open_total == Decimal("0.00") and line.unapplied == Decimal("-30.00")
    assert line.total == invoicing.member_balance(member("FABRIQUE").id) == Decimal("-30.00")


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    "path",
    [
        "/comptabilite/journaux.pdf",
        "/comptabilite/balance.pdf",
        "/comptabilite/grand-livre.pdf",
        "/comptabilite/adherents.pdf",
        "/comptabilite/balance-agee",
        "/comptabilite/balance-agee.pdf",
    ],
)
def test_a_member_user_never_gets_a_print(app, login_as, path: str) -> None:
    assert login_as("member").get(path).status_code in (403, 404)


def test_the_prints_can_be_looked_at(app, login_as, tmp_path: Path) -> None:
    """Not an assertion on looks: writes the PDFs where a person can open them (and checks
    they are A4 landscape: 842 × 595 pt)."""
    a_year_of_books(payments=5)
    client = login_as("accountant")
    for name in ("journaux", "balance", "grand-livre", "adherents", "balance-agee"):
        data = client.get(f"/comptabilite/{name}.pdf?annee=2026").data
        (tmp_path / f"{name}.pdf").write_bytes(data)
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / f"{name}.pdf")], check=True, capture_output=True, text=True
        ).stdout
        assert re.search(r"Page size:\s+841.89 x 595.276 pts", info), info
