"""Overhead expenses and operating income: entry, edit/delete audited, roles, totals per
account and month, regularised years frozen, and the all-or-nothing CSV import."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from eage.expenses import importer
from eage.extensions import db
from eage.models import AuditLog, Expense, Invoice, OperatingIncome, Service
from tests.eage.allocation.conftest import add_invoice

D = Decimal


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Expense.id))) or 0,
        db.session.scalar(select(func.count(OperatingIncome.id))) or 0,
        db.session.scalar(select(func.count(AuditLog.id))) or 0,
    )


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "date": "05/10/2026",
        "account": "613200",
        "label": "Loyer octobre",
        "amount": "1 234,56",
        "service_id": "",
    }
    data.update(overrides)
    return data


# --- entry, edit, delete ---------------------------------------------------------------------


def test_accountant_enters_an_expense_the_french_way(login_as) -> None:
    client = login_as("accountant")
    paie = db.session.scalar(select(Service).where(Service.code == "PAIE"))
    response = client.post("/depenses/nouvelle", data=_form(service_id=str(paie.id)))
    assert response.status_code == 302 and "annee=2026" in response.headers["Location"]
    row = db.session.scalar(select(Expense))
    assert (row.date, row.account, row.label, row.amount, row.service_id) == (
        date(2026, 10, 5),
        "613200",
        "Loyer octobre",
        D("1234.56"),
        paie.id,
    )
    log = db.session.scalar(select(AuditLog).where(AuditLog.entity == "expense"))
    assert log.action == "create" and log.after["amount"] == "1234.56"


def test_every_problem_at_once_and_nothing_written(login_as) -> None:
    client = login_as("accountant")
    before = _counts()
    response = client.post("/depenses/nouvelle", data=_form(account="641100", amount="0", label=""))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "les charges de personnel (64) viennent des bulletins de paie" in html
    assert "Le montant ne peut pas être nul." in html
    assert "Ce champ est obligatoire." in html  # label
    assert _counts() == before
    response = client.post("/depenses/nouvelle", data=_form(account="706100", amount="12,345"))
    html = response.get_data(as_text=True)
    assert "compte de charges (classe 6)" in html and "Au plus 2 décimales." in html
    assert _counts() == before


def test_edit_and_delete_are_audited(login_as) -> None:
    client = login_as("accountant")
    client.post("/depenses/nouvelle", data=_form())
    row = db.session.scalar(select(Expense))
    response = client.post(
        f"/depenses/{row.id}/modifier", data=_form(amount="-45,00", label="Avoir")
    )
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.amount == D("-45.00")
    update = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "update", AuditLog.entity == "expense")
    )
    assert update.before == {"amount": "1234.56", "label": "Loyer octobre"}
    assert update.after == {"amount": "-45.00", "label": "Avoir"}
    assert client.post(f"/depenses/{row.id}/supprimer").status_code == 302
    assert db.session.scalar(select(func.count(Expense.id))) == 0
    assert db.session.scalar(
        select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity == "expense")
    )


def test_edit_form_shows_the_row(login_as) -> None:
    client = login_as("accountant")
    client.post("/depenses/nouvelle", data=_form())
    row = db.session.scalar(select(Expense))
    html = client.get(f"/depenses/{row.id}/modifier").get_data(as_text=True)
    assert 'value="1\u202f234,56"' in html or 'value="1 234,56"' in html or "1234,56" in html
    assert client.get("/depenses/999/modifier").status_code == 404


def test_operating_income(login_as) -> None:
    client = login_as("accountant")
    before = _counts()
    response = client.post(
        "/depenses/produits/nouveau", data=_form(account="706000", amount="-10", label="Subvention")
    )
    html = response.get_data(as_text=True)
    assert "viennent des factures" in html and "doit être positif" in html
    assert _counts() == before
    response = client.post(
        "/depenses/produits/nouveau",
        data=_form(account="740000", amount="2 500,00", label="Subvention Région"),
    )
    assert response.status_code == 302
    row = db.session.scalar(select(OperatingIncome))
    assert (row.account, row.amount) == ("740000", D("2500.00"))
    # An account the chart lacks is refused: the income is posted to the account it names.
    html = client.post(
        f"/depenses/produits/{row.id}/modifier",
        data=_form(account="741000", amount="2 600,00", label="Subvention Région"),
    ).get_data(as_text=True)
    assert "Compte 741000 absent du plan comptable" in html
    assert (
        client.post(
            f"/depenses/produits/{row.id}/modifier",
            data=_form(account="758000", amount="2 600,00", label="Subvention Région"),
        ).status_code
        == 302
    )
    assert client.post(f"/depenses/produits/{row.id}/supprimer").status_code == 302
    actions = list(
        db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity == "operating_income")
            .order_by(AuditLog.id)
        )
    )
    assert actions == ["create", "update", "delete"]


def test_roles(login_as) -> None:
    accountant = login_as("accountant")
    accountant.post("/depenses/nouvelle", data=_form())
    row_id = db.session.scalar(select(Expense.id))
    for role in ("manager", "admin"):
        client = login_as(role)
        assert client.get("/depenses/?annee=2026").status_code == 200
        assert client.get("/depenses/produits/?annee=2026").status_code == 200
        assert client.post("/depenses/nouvelle", data=_form()).status_code == 403
        assert client.post(f"/depenses/{row_id}/supprimer").status_code == 403
        assert client.get("/depenses/import").status_code == 403
    member = login_as("member")
    for url in ("/depenses/", "/depenses/produits/", "/depenses/nouvelle", "/depenses/import"):
        assert member.get(url).status_code == 403, url
    assert db.session.scalar(select(func.count(Expense.id))) == 1


def test_totals_per_account_and_month(login_as) -> None:
    client = login_as("accountant")
    for day, account, amount in (
        ("05/01/2026", "613200", "300"),
        ("05/02/2026", "613200", "300"),
        ("20/01/2026", "626000", "99,99"),
        ("20/01/2026", "626000", "0,01"),
        ("20/01/2025", "626000", "1000"),
    ):
        client.post("/depenses/nouvelle", data=_form(date=day, account=account, amount=amount))
    html = login_as("manager").get("/depenses/?annee=2026").get_data(as_text=True)
    assert "100,00\u00a0€" in html  # 626000 in January: 99.99 + 0.01
    assert 'id="year-total">700,00\u00a0€' in html


def test_regularised_year_is_frozen(login_as) -> None:
    client = login_as("accountant")
    client.post("/depenses/nouvelle", data=_form())
    row = db.session.scalar(select(Expense))
    add_invoice(
        "LEFIL",
        "invoice",
        "regularisation",
        (date(2026, 1, 1), date(2026, 12, 31)),
        [("regularisation", "PAIE", "10.00")],
    )
    assert db.session.scalar(select(func.count(Invoice.id))) == 1
    before = _counts()
    html = client.post("/depenses/nouvelle", data=_form()).get_data(as_text=True)
    assert "2026 est régularisé" in html
    client.post(f"/depenses/{row.id}/supprimer")
    assert _counts() == before
    assert client.post("/depenses/nouvelle", data=_form(date="05/01/2027")).status_code == 302


# --- import ------------------------------------------------------------------------------------

GOOD = (
    "date,account,label,amount,service\n"
    "2026-10-05,613200,Loyer octobre,300.00,\n"
    '05/11/2026,626000,Internet,"99,99",RESEAU\n'
    "2026-11-30,613200,Avoir loyer,-50,\n"
)


def _upload(client, content: bytes, name: str = "depenses.csv", dry_run: bool = False):
    data = {"file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/depenses/import", data=data, content_type="multipart/form-data")


def test_import_good_file(login_as) -> None:
    client = login_as("accountant")
    response = _upload(client, GOOD.encode())
    assert response.status_code == 200
    assert "data-import-count>3<" in response.get_data(as_text=True)
    rows = db.session.execute(
        select(Expense.date, Expense.account, Expense.amount).order_by(Expense.date)
    ).all()
    assert [tuple(r) for r in rows] == [
        (date(2026, 10, 5), "613200", D("300.00")),
        (date(2026, 11, 5), "626000", D("99.99")),
        (date(2026, 11, 30), "613200", D("-50.00")),
    ]
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "import"))
    assert "3 dépense(s) importée(s) depuis depenses.csv, total 349.99 €" in log.summary


def test_import_dry_run_writes_nothing(login_as) -> None:
    client = login_as("accountant")
    before = _counts()
    response = _upload(client, GOOD.encode(), dry_run=True)
    assert response.status_code == 200 and "vérification seule" in response.get_data(as_text=True)
    assert _counts() == before


BAD = (
    "\ufeffdate;compte;libellé;montant;service\n"
    "2026-10-05;613200;Loyer;300,00;\n"
    "2026-02-30;613200;Loyer;300,00;\n"
    "2026-10-06;641100;Salaires;2400;\n"
    "\n"
    "2026-10-07;613200;;abc;COMPTA\n"
    "2026-10-08;62;Frais;0;\n"
)


def test_import_bad_rows_nothing_written_every_row_reported(login_as) -> None:
    client = login_as("accountant")
    before = _counts()
    response = _upload(client, BAD.encode("utf-8"))
    assert response.status_code == 422
    assert _counts() == before
    html = response.get_data(as_text=True)
    assert "Fichier refusé : rien n'a été importé." in html and "4 ligne(s) en erreur sur 5" in html
    rows = importer.read_rows(io.BytesIO(BAD.encode()), "x.csv")
    result = importer.import_expenses(rows, source="x.csv")
    assert result.messages() == [
        "row 3: date inexistante « 2026-02-30 »",
        "row 4: compte 641100 : les charges de personnel (64) viennent des bulletins de paie émis,"
        " pas des dépenses.",
        "row 6: montant invalide « abc » (attendu par ex. 1234,56 ou -45.00)",
        "row 6: service inconnu « COMPTA »",
        "row 6: libellé obligatoire.",
        "row 7: compte invalide « 62 » : 3 à 10 chiffres (ex. 613200).",
        "row 7: le montant ne peut pas être nul.",
    ]
    assert _counts() == before


def test_import_unreadable_files(login_as) -> None:
    client = login_as("accountant")
    response = _upload(client, b"date,label\n2026-10-05,x\n")
    assert response.status_code == 422
    assert (
        "colonnes manquantes dans l&#39;en-tête (ligne 1) : account, amount"
        in response.get_data(as_text=True)
    )
    response = _upload(
        client, "date,account,label,amount\n2026-10-05,613200,Été,1\n".encode("latin-1")
    )
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)
    response = _upload(client, b"date,account,label,amount\n")
    assert response.status_code == 422 and "aucune dépense" in response.get_data(as_text=True)
    assert _counts()[0] == 0


def test_import_xlsx(login_as) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["date", "account", "label", "amount"])
    ws.append([date(2026, 10, 5), 613200, "Loyer", 300.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = _upload(login_as("accountant"), buffer.getvalue(), name="depenses.xlsx")
    assert response.status_code == 200
    row = db.session.scalar(select(Expense))
    assert (row.account, row.amount) == ("613200", D("300.50"))


@pytest.mark.parametrize("name", ["depenses.pdf"])
def test_import_refuses_other_formats(login_as, name) -> None:
    assert _upload(login_as("accountant"), b"%PDF-", name=name).status_code == 422
