"""Payslip pages, API and CLI: back office only; members get 403 everywhere (SPEC §2, §7)."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal

import pytest

from eage.extensions import db
from eage.models import ApiToken, User
from tests.conftest import ROLE_EMAILS

BACK_OFFICE = ("accountant", "manager", "admin")


def _urls(issued) -> list[str]:
    p = issued[0]
    return [
        "/paie/",
        "/paie/?mois=2026-11",
        f"/paie/salarie/{p.employee_id}",
        f"/paie/bulletin/{p.id}",
        f"/paie/bulletin/{p.id}.pdf",
        f"/paie/bulletin/{p.id}.docx",
        "/paie/journal/2026-11.pdf",
        "/paie/journal/2026-11.xlsx",
        f"/paie/apercu/{p.employee_id}?mois=2026-11",
        "/paie/simulateur?gross=2400&weekly_hours=35&month=2026-11",
    ]


@pytest.mark.parametrize("role", BACK_OFFICE)
def test_back_office_reads_every_payslip_page(login_as, issued, role) -> None:
    client = login_as(role)
    for url in _urls(issued):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_member_gets_403_on_every_payslip_page(login_as, issued) -> None:
    client = login_as("member")
    for url in _urls(issued):
        assert client.get(url).status_code == 403, url


def test_pages_show_the_payslips(login_as, issued) -> None:
    client = login_as("accountant")
    html = client.get("/paie/?mois=2026-11").get_data(as_text=True)
    for p in issued:
        assert p.number in html
    karim = next(p for p in issued if p.employee.code == "KBENALI")
    html = client.get(f"/paie/bulletin/{karim.id}").get_data(as_text=True)
    for needle in (
        "SANTÉ",
        "RETRAITE",
        "MONTANT NET SOCIAL",
        "NET PAYÉ",
        "2\u202f954,86",
        "Réduction générale dégressive unique",
    ):
        assert needle in html, needle
    # the full SSN appears only on the payslip itself
    assert karim.employee.social_security_number not in html


def test_documents_are_served_byte_identical(login_as, issued) -> None:
    client = login_as("manager")
    for p in issued:
        for url, doc in (
            (f"/paie/bulletin/{p.id}.pdf", p.pdf_document),
            (f"/paie/bulletin/{p.id}.docx", p.docx_document),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert hashlib.sha256(response.data).hexdigest() == doc.sha256
            assert response.mimetype == doc.media_type


def test_journal_downloads(login_as, issued) -> None:
    client = login_as("accountant")
    pdf = client.get("/paie/journal/2026-11.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get("/paie/journal/2026-11.xlsx")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    assert client.get("/paie/journal/2026-10.pdf").status_code == 404


def test_simulator_page(login_as) -> None:
    client = login_as("manager")
    assert client.get("/paie/simulateur").status_code == 200
    html = client.get("/paie/simulateur?gross=2400&weekly_hours=35&month=2026-11").get_data(
        as_text=True
    )
    assert "2\u202f954,86" in html and "1607" in html and "Coût horaire" in html
    # 2954.86 × 12 / 1607 = 22.06 €/h
    assert "22,06" in html
    bad = client.get("/paie/simulateur?gross=abc&weekly_hours=50&month=2026-13").get_data(
        as_text=True
    )
    assert "Nombre attendu" in bad and "Entre 1 et 35" in bad and "AAAA-MM" in bad


def _token(role: str) -> dict[str, str]:
    user = db.session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_payslips(client, issued) -> None:
    response = client.get("/api/v1/payslips?month=2026-11", headers=_token("accountant"))
    assert response.status_code == 200
    data = response.get_json()
    assert [d["employee"] for d in data] == ["CMARTIN", "JFOURNIER", "KBENALI"]
    karim = data[2]
    assert karim["number"] == "BP-2026-11-KBENALI" and karim["month"] == "2026-11"
    assert karim["employer_cost"] == "2954.86" and karim["gross"] == "2400.00"
    for field in (
        "employee_contributions",
        "employer_contributions",
        "net_social",
        "net_before_tax",
        "tax_withheld",
        "net_paid",
    ):
        assert isinstance(karim[field], str) and len(karim[field].split(".")[1]) == 2
    assert set(karim["lines"][0]) == {
        "heading",
        "label",
        "base",
        "employee_rate",
        "employee_amount",
        "employer_rate",
        "employer_amount",
    }
    assert Decimal(karim["gross"]) - Decimal(karim["employee_contributions"]) == Decimal(
        karim["net_before_tax"]
    )
    assert (
        client.get("/api/v1/payslips?month=2026-11", headers=_token("manager")).status_code == 200
    )
    assert client.get("/api/v1/payslips?month=2026-10", headers=_token("admin")).get_json() == []


def test_api_payslips_refuses_members_and_bad_months(client, issued) -> None:
    member = client.get("/api/v1/payslips?month=2026-11", headers=_token("member"))
    assert member.status_code == 403 and "error" in member.get_json()
    headers = _token("accountant")
    assert client.get("/api/v1/payslips", headers=headers).status_code == 400
    assert client.get("/api/v1/payslips?month=11-2026", headers=headers).status_code == 400
    assert client.get("/api/v1/payslips?month=2026-11").status_code == 401


def test_cli_simulate_payslip(runner, demo) -> None:
    result = runner.invoke(args=["simulate-payslip", "--gross", "2400", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert abs(Decimal(data["employer_cost"]) - Decimal("2954.86")) <= Decimal("0.10")
    assert abs(Decimal(data["net_before_tax"]) - Decimal("1877.89")) <= Decimal("0.10")
    for key in (
        "gross",
        "employee_contributions",
        "employer_contributions",
        "net_social",
        "net_before_tax",
        "tax_withheld",
        "net_paid",
        "employer_cost",
        "rgdu",
        "lines",
    ):
        assert key in data
    assert set(data["lines"][0]) == {
        "heading",
        "label",
        "base",
        "employee_rate",
        "employee_amount",
        "employer_rate",
        "employer_amount",
    }
    cadre = json.loads(
        runner.invoke(
            args=[
                "simulate-payslip",
                "--gross",
                "4500",
                "--month",
                "2026-11",
                "--cadre",
                "--hours-per-week",
                "35",
                "--atmp-rate",
                "1",
                "--health-insurance",
                "60",
                "--health-employer-share",
                "100",
            ]
        ).output
    )
    atmp = next(ln for ln in cadre["lines"] if ln["label"].startswith("Accidents"))
    assert atmp["employer_rate"] == "1.00"
    assert any(ln["label"] == "APEC" for ln in cadre["lines"])
    sante = next(ln for ln in cadre["lines"] if ln["label"] == "Complémentaire santé")
    assert sante["employer_amount"] == "60.00" and sante["employee_amount"] == "0.00"


def test_cli_simulate_payslip_without_fiscal_year_uses_engine_defaults(runner, app) -> None:
    result = runner.invoke(args=["simulate-payslip", "--gross", "2400", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["employer_cost"] == "2954.86"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--gross", "abc", "--month", "2026-11"], "--gross: a number is expected"),
        (["--gross", "-5", "--month", "2026-11"], "--gross: must be at least"),
        (["--gross", "2400", "--month", "2026-13"], "--month: month must be YYYY-MM"),
        (
            ["--gross", "2400", "--month", "2026-11", "--hours-per-week", "40"],
            "--hours-per-week: must be at most 35",
        ),
        (["--gross", "2400", "--month", "2031-01"], "no payroll rates for 2031"),
        (["--month", "2026-11"], "Missing option '--gross'"),
    ],
)
def test_cli_simulate_payslip_bad_input(runner, app, args, message) -> None:
    result = runner.invoke(args=["simulate-payslip", *args])
    assert result.exit_code != 0
    assert message in result.output


def _total_line_employer_amount(html: str) -> Decimal:
    """The employer column of the payslip page's « TOTAL DES COTISATIONS » row."""
    row = html.split("TOTAL DES COTISATIONS ET CONTRIBUTIONS", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    text = cells[-1].replace("\u202f", "").replace("\xa0€", "").replace(",", ".")
    return Decimal(text)


def test_employer_contributions_are_after_reductions_as_on_the_total_line(
    client, login_as, issued, runner
) -> None:
    """SPEC §7 (issue 14): 2400 € gross in 2026-11 — the API's and the CLI's
    ``employer_contributions`` equal the payslip's total line, i.e. after the RGDU."""
    karim = next(p for p in issued if p.employee.code == "KBENALI")
    page = login_as("accountant").get(f"/paie/bulletin/{karim.id}").get_data(as_text=True)
    on_the_payslip = _total_line_employer_amount(page)
    assert on_the_payslip == karim.employer_contributions - karim.reductions
    assert karim.reductions > 0  # the RGDU applies at 2400 €: the two figures differ

    api = client.get("/api/v1/payslips?month=2026-11", headers=_token("accountant")).get_json()
    row = next(d for d in api if d["employee"] == "KBENALI")
    assert Decimal(row["employer_contributions"]) == on_the_payslip
    assert Decimal(row["employer_contributions_before_reductions"]) == karim.employer_contributions
    assert Decimal(row["reductions"]) == karim.reductions
    assert Decimal(row["gross"]) + Decimal(row["employer_contributions"]) == Decimal(
        row["employer_cost"]
    )

    cli = runner.invoke(args=["simulate-payslip", "--gross", "2400", "--month", "2026-11"])
    data = json.loads(cli.output)
    assert data["gross"] == "2400.00" and data["employer_cost"] == row["employer_cost"]
    assert Decimal(data["employer_contributions"]) == on_the_payslip
    assert (
        Decimal(data["employer_contributions_before_reductions"]) - Decimal(data["reductions"])
        == on_the_payslip
    )


def test_openapi_names_the_employer_totals(client) -> None:
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Payslip"]
    props = schema["properties"]
    assert "after reductions" in props["employer_contributions"]["description"]
    assert {"employer_contributions_before_reductions", "reductions"} <= set(schema["required"])
