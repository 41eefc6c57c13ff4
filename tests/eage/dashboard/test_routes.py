"""The dashboard page and its exports: roles, and the same figures on the page, in the
.xlsx and CSV exports and in `GET /api/v1/allocation` (issue 5)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

import lxml.html
import pytest
from flask_babel import refresh
from openpyxl import load_workbook

from eage.dashboard import services
from eage.dashboard.table import TABLES

D = Decimal
PAGE = "/tableau-de-bord/?annee=2026"


def page_tables(html: str) -> dict[str, list[dict[str, str]]]:
    """Every table[data-table] of the page: its rows (body then footer) as key → exact value
    (data-value for figures, the text for labels)."""
    doc = lxml.html.fromstring(html)
    out = {}
    for table in doc.xpath("//table[@data-table]"):
        rows = []
        for tr in table.xpath("./tbody/tr | ./tfoot/tr"):
            row = {}
            for cell in tr.xpath("./th | ./td"):
                value = cell.get("data-value")
                row[cell.get("data-key")] = (
                    value if value is not None else cell.text_content().strip()
                )
            rows.append(row)
        out[table.get("data-table")] = rows
    return out


def as_decimal(text: str | None) -> Decimal | None:
    return None if text in (None, "") else D(text)


@pytest.fixture()
def manager(login_as, two_months):  # type: ignore[no-untyped-def]
    return login_as("manager")


def test_back_office_roles_read_the_dashboard(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    for role in ("manager", "accountant", "admin"):
        client = login_as(role)
        response = client.get(PAGE)
        assert response.status_code == 200, role
        assert "Tableau de bord gestion — 2026" in response.get_data(as_text=True)
        assert client.get("/tableau-de-bord/export/budget.xlsx?annee=2026").status_code == 200, role


def test_member_user_is_refused(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    client = login_as("member")
    assert client.get(PAGE).status_code == 403
    for fmt in ("xlsx", "csv"):
        assert (
            client.get(f"/tableau-de-bord/export/repartition.{fmt}?annee=2026").status_code == 403
        )


def test_anonymous_goes_to_login(client, demo) -> None:  # type: ignore[no-untyped-def]
    for url in (PAGE, "/tableau-de-bord/export/budget.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_nav_link_for_back_office_only(login_as, two_months) -> None:  # type: ignore[no-untyped-def]
    assert "Tableau de bord gestion" in login_as("manager").get("/accueil").get_data(as_text=True)
    assert "Tableau de bord gestion" not in login_as("member").get("/portail/factures").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "url",
    [
        "/tableau-de-bord/?annee=1999",
        "/tableau-de-bord/?annee=2026&mois=2025-12",
        "/tableau-de-bord/?annee=2026&mois=fevrier",
        "/tableau-de-bord/export/inconnu.xlsx",
        "/tableau-de-bord/export/budget.pdf",
        "/tableau-de-bord/export/budget.csv?annee=3000",
    ],
)
def test_bad_parameters_are_404(manager, url) -> None:  # type: ignore[no-untyped-def]
    assert manager.get(url).status_code == 404


def test_page_draws_the_charts(manager) -> None:  # type: ignore[no-untyped-def]
    doc = lxml.html.fromstring(manager.get(PAGE).get_data(as_text=True))
    charts = doc.xpath("//svg[@role='img']")
    assert [c.get("id") for c in charts] == [
        "chart-budget-cumul",
        "chart-budget-lignes",
        "chart-repartition-mois",
        "chart-parts",
        "chart-capacite",
        "chart-regularisation",
    ]
    for chart in charts:
        assert chart.xpath("./title") and chart.xpath("./desc")
        assert chart.xpath(
            ".//rect[contains(@class, 'bar')] | .//polyline[contains(@class, 'series')]"
        )
    # Two months of stacked bars: GAGA and LEFIL in January, LEFIL in February.
    assert len(doc.xpath("//svg[@id='chart-repartition-mois']//rect[@class='bar']")) == 3
    # No CDN, no chart library: nothing loaded from elsewhere.
    assert not doc.xpath("//script[starts-with(@src, 'http')] | //link[starts-with(@href, 'http')]")


def test_over_spending_is_said_in_words(manager) -> None:  # type: ignore[no-untyped-def]
    html = manager.get(PAGE).get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    row = doc.xpath("//table[@data-table='budget']//tr[th='606400']")[0]
    assert "status-bad" in row.get("class") and "▲ Dépense hors budget" in row.text_content()
    assert "Dépassements prévus" in doc.xpath("//*[@id='budget-alerts']")[0].text_content()
    alerts = doc.xpath("//*[@id='planned-alerts']")[0].text_content()
    assert "GAGA" in alerts and "Plus de 90 % consommés" in alerts


def test_page_shows_the_services_figures(manager) -> None:  # type: ignore[no-untyped-def]
    shown = page_tables(manager.get(PAGE).get_data(as_text=True))
    board = services.dashboard(2026)
    assert set(shown) == set(TABLES)
    for name, table in board.tables.items():
        rows = shown[name]
        assert len(rows) == len(table.all_rows()), name
        for page_row, row in zip(rows, table.all_rows(), strict=True):
            for column in table.columns:
                value = row.cell(column.key)
                if column.kind == "text":
                    assert page_row[column.key] == ("" if value is None else str(value)), (
                        name,
                        column.key,
                    )
                else:
                    assert as_decimal(page_row[column.key]) == value, (name, column.key, row)


def test_dashboard_equals_the_api(manager, token_for, client) -> None:  # type: ignore[no-untyped-def]
    api = client.get(
        "/api/v1/allocation?from=2026-01&to=2026-02", headers=token_for("manager")
    ).get_json()
    assert api, "the API returned no rows"
    shown = page_tables(manager.get(PAGE).get_data(as_text=True))
    allocation = {r["member"]: r for r in shown["repartition"]}
    per_member: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in api:
        line = allocation[r["member"]]
        assert as_decimal(line[f"cost_{r['service']}"]) == D(r["total_cost"])
        assert as_decimal(line[f"hours_{r['service']}"]) == D(r["hours"])
        for key in ("hours", "direct_cost", "structure_cost", "total_cost", "invoiced"):
            per_member[r["member"]][key] += D(r[key])
    for member, sums in per_member.items():
        line = allocation[member]
        for key, value in sums.items():
            assert as_decimal(line[key]) == value, (member, key)
    regularisation = {r["member"]: r for r in shown["regularisation"]}
    for member, sums in per_member.items():
        assert as_decimal(regularisation[member]["total_cost"]) == sums["total_cost"]
        assert as_decimal(regularisation[member]["invoiced"]) == sums["invoiced"]
        assert (
            as_decimal(regularisation[member]["difference"])
            == sums["total_cost"] - sums["invoiced"]
        )
    planned = {(r["member"], r["service"]): r for r in shown["heures_prevues"] if r["member"]}
    for r in api:
        assert as_decimal(planned[(r["member"], r["service"])]["consumed"]) == D(r["hours"])


def _xlsx_rows(content: bytes) -> tuple[list[str], list[list[object]], object]:
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(v) for v in values[0]], values[1:], sheet


@pytest.mark.parametrize("name", sorted(TABLES))
def test_xlsx_export_equals_the_page(manager, name) -> None:  # type: ignore[no-untyped-def]
    shown = page_tables(manager.get(PAGE).get_data(as_text=True))[name]
    response = manager.get(f"/tableau-de-bord/export/{name}.xlsx?annee=2026")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="tableau-de-bord-2026-{name}.xlsx"' in response.headers["Content-Disposition"]
    header, rows, sheet = _xlsx_rows(response.data)
    table = services.dashboard(2026).tables[name]
    assert header == [c.title for c in table.columns]
    assert sheet.freeze_panes == "A2"
    assert len(rows) == len(shown)
    for excel_row, page_row in zip(rows, shown, strict=True):
        for column, value in zip(table.columns, excel_row, strict=True):
            expected = page_row[column.key]
            if column.kind == "text":
                assert (value or "") == expected, (name, column.key)
            elif column.kind == "percent":
                assert (
                    None if value is None else D(str(value)).quantize(D("0.0001"))
                ) == as_decimal(expected)
            else:
                assert (None if value is None else D(str(value)).quantize(D("0.01"))) == as_decimal(
                    expected
                ), (name, column.key)
    # Formatting: euros on money columns, header in bold, widths fitted.
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=2, column=index)
        if column.kind == "money":
            assert "€" in cell.number_format
        elif column.kind == "percent":
            assert "%" in cell.number_format
        assert sheet.cell(row=1, column=index).font.bold
        assert sheet.column_dimensions[cell.column_letter].width >= 8


@pytest.mark.parametrize("name", sorted(TABLES))
def test_csv_export_equals_the_page(manager, name) -> None:  # type: ignore[no-untyped-def]
    shown = page_tables(manager.get(PAGE).get_data(as_text=True))[name]
    response = manager.get(f"/tableau-de-bord/export/{name}.csv?annee=2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    table = services.dashboard(2026).tables[name]
    assert rows[0] == [c.title for c in table.columns]
    assert len(rows) - 1 == len(shown)
    for csv_row, page_row in zip(rows[1:], shown, strict=True):
        for column, value in zip(table.columns, csv_row, strict=True):
            expected = page_row[column.key]
            if column.kind == "text":
                assert value == expected
            elif column.kind == "percent":
                assert (
                    D(value.removesuffix(" %").replace(",", ".")) / 100 if value else None
                ) == as_decimal(expected)
            else:
                assert as_decimal(value.replace(",", ".")) == as_decimal(expected), (
                    name,
                    column.key,
                )


def test_export_follows_the_reporting_month(manager) -> None:  # type: ignore[no-untyped-def]
    header, rows, _ = _xlsx_rows(
        manager.get("/tableau-de-bord/export/budget_mois.xlsx?annee=2026&mois=2026-01").data
    )
    assert header == ["Compte", "Libellé", "janv.", "Total"]
    net = rows[-1]
    assert net[1] == "Coût net (charges − produits)" and D(str(net[2])) == D("4250")


def test_before_the_first_close_the_page_says_there_is_no_actual_yet(login_as, demo) -> None:  # type: ignore[no-untyped-def]
    """The demo group with time entered but no month closed: no payslip, so no actual cost.
    The manager is told so, instead of a forecast of 0 € and every line « sous-consommée »."""
    html = login_as("manager").get("/tableau-de-bord/?annee=2026").get_data(as_text=True)
    assert (
        "Aucun mois de 2026 n&#39;est encore clôturé" in html
        or "Aucun mois de 2026 n'est encore clôturé" in html
    )
    assert 'id="kpi-forecast">—<' in html
    assert "Sous-consommation" not in html and "Dépassement prévu" not in html
    assert "Pas encore de réalisé" in html
    # the time entered still feeds capacity and the planned hours
    assert 'id="capacite"' in html and 'id="heures-prevues"' in html


def test_in_english_with_the_cookie(manager) -> None:  # type: ignore[no-untyped-def]
    """Headings, column titles, statuses, totals and charts in the reader's language (the
    `lang=en` cookie); the figures and the data (members, budget lines) as they are."""
    french = page_tables(manager.get(PAGE).get_data(as_text=True))
    manager.set_cookie("lang", "en")
    refresh()  # the test's requests share one app context, where Flask-Babel keeps the locale
    html = manager.get(PAGE).get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    budget = doc.xpath("//table[@data-table='budget']")[0]
    assert [th.text_content() for th in budget.xpath("./thead//th")][-3:] == [
        "Year-end forecast",
        "Forecast variance",
        "Status",
    ]
    row = budget.xpath(".//tr[th='606400']")[0].text_content()
    assert "▲ Expense outside the budget" in row and "Dépense hors budget" not in row
    assert "Total expenses" in budget.xpath("./tfoot")[0].text_content()
    assert "Over 90 % consumed" in doc.xpath("//*[@id='planned-alerts']")[0].text_content()
    legend = doc.xpath("//svg[@id='chart-budget-cumul']")[0].text_content()
    assert "Cumulative budget" in legend and "Jan" in legend and "janv." not in legend
    assert "Budget and actual by line" in html and "Budget et réalisé par ligne" not in html
    english = page_tables(html)
    for name, rows in french.items():  # the same figures, row by row
        for fr_row, en_row in zip(rows, english[name], strict=True):
            assert {k: v for k, v in fr_row.items() if v[:1].isdigit() or v[:1] == "-"} == {
                k: v for k, v in en_row.items() if v[:1].isdigit() or v[:1] == "-"
            }
    rows = list(
        csv.reader(
            io.StringIO(
                manager.get("/tableau-de-bord/export/budget.csv?annee=2026").data.decode("utf-8")[
                    1:
                ]
            ),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["Account", "Description", "Type"] and rows[0][-1] == "Status"
    assert any("▲ Expense outside the budget" in r for r in rows)
