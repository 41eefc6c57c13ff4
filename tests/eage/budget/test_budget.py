"""Budget lines by kind, the total, the fiscal year's settings."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import AuditLog, BudgetLine, FiscalYear


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def test_demo_budget_total_is_115000(login_as) -> None:
    html = _page(login_as("manager").get("/budget/?annee=2026"))
    assert "Personnel" in html and "Frais de structure" in html and "Produits" in html
    assert "115\u202f000,00\xa0€" in html
    assert "101\u202f000,00\xa0€" in html  # staff subtotal
    assert "14\u202f000,00\xa0€" in html  # overhead subtotal


def test_manager_adds_edits_and_deletes_a_line(login_as) -> None:
    client = login_as("manager")
    html = _page(
        client.post(
            "/budget/lignes/nouvelle?annee=2026",
            data={
                "kind": "income",
                "account": "741000",
                "label": "Subvention Région",
                "amount": "5 000",
            },
            follow_redirects=True,
        )
    )
    assert "Ligne de budget ajoutée." in html and "Subvention Région" in html
    assert "110\u202f000,00\xa0€" in html  # net cost to recharge
    line = db.session.scalar(select(BudgetLine).where(BudgetLine.account == "741000"))
    assert line.year == 2026 and str(line.amount) == "5000.00"

    client.post(
        f"/budget/lignes/{line.id}/modifier",
        data={
            "kind": "income",
            "account": "741000",
            "label": "Subvention Région",
            "amount": "6000,5",
        },
    )
    db.session.expire_all()
    assert str(db.session.get(BudgetLine, line.id).amount) == "6000.50"

    html = _page(client.post(f"/budget/lignes/{line.id}/supprimer", follow_redirects=True))
    assert "supprimée" in html and db.session.get(BudgetLine, line.id) is None
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "budget_line").order_by(AuditLog.id)
    ).all()
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].before == {"amount": "5000.00"} and entries[1].after == {"amount": "6000.50"}
    assert entries[2].before["label"] == "Subvention Région"


def test_bad_line_refused_with_every_error(login_as) -> None:
    client = login_as("accountant")
    before = db.session.scalar(select(func.count(BudgetLine.id)))
    html = _page(
        client.post(
            "/budget/lignes/nouvelle?annee=2026",
            data={"kind": "income", "account": "613200", "label": "", "amount": "-5"},
        )
    )
    assert "Un produit s'impute sur un compte de classe 7." in html
    assert "Ce champ est obligatoire." in html
    assert "supérieure ou égale à 0" in html
    assert db.session.scalar(select(func.count(BudgetLine.id))) == before


def test_manager_edits_fiscal_year_settings(login_as) -> None:
    client = login_as("manager")
    page = _page(client.get("/budget/exercice/2026"))
    assert "1 607 h" in page and "2,080" in page
    data = {
        "hours_denominator": "1820",
        "billing_mode": "hourly_rate",
        "atmp_rate": "1,5",
        "health_insurance_monthly": "45,00",
        "health_employer_share": "60",
        "prevoyance_employer_rate": "0,8",
        "prevoyance_employee_rate": "0,4",
        "fee_rate": "1",
        "fee_cap": "5 000",
    }
    html = _page(client.post("/budget/exercice/2026", data=data, follow_redirects=True))
    assert "Paramètres de l'exercice 2026 enregistrés." in html
    fy = db.session.get(FiscalYear, 2026)
    assert fy.hours_denominator == 1820 and str(fy.atmp_rate) == "1.500"
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "fiscal_year"))
    assert line.before["hours_denominator"] == 1607 and line.after["hours_denominator"] == 1820
    assert "fee_cap" not in line.after

    data["health_employer_share"] = "40"
    html = _page(client.post("/budget/exercice/2026", data=data))
    assert "art. L911-7" in html


def test_new_fiscal_year_is_created_from_the_previous_one(login_as) -> None:
    client = login_as("accountant")
    assert db.session.get(FiscalYear, 2027) is None
    page = _page(client.get("/budget/exercice/2027"))
    assert "n'existe pas encore" in page
    assert db.session.get(FiscalYear, 2027) is None
    data = {
        "hours_denominator": "1607",
        "billing_mode": "hourly_rate",
        "atmp_rate": "2,08",
        "health_insurance_monthly": "40",
        "health_employer_share": "50",
        "prevoyance_employer_rate": "0",
        "prevoyance_employee_rate": "0",
        "fee_rate": "1",
        "fee_cap": "5000",
    }
    client.post("/budget/exercice/2027", data=data)
    assert db.session.get(FiscalYear, 2027) is not None
    assert (
        db.session.scalar(select(AuditLog).where(AuditLog.entity == "fiscal_year")).action
        == "create"
    )


def test_unknown_ids_are_404(login_as) -> None:
    client = login_as("accountant")
    assert client.get("/budget/lignes/9999/modifier").status_code == 404
    assert client.post("/budget/lignes/9999/supprimer").status_code == 404
    assert client.get("/budget/exercice/1900").status_code == 404


def test_member_user_is_refused(login_as) -> None:
    # One role per test: the test app context keeps the logged-in user on `g`.
    assert login_as("member").get("/budget/").status_code == 403
