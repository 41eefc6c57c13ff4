"""`eage import-timesheets` and the upload pages: all or nothing, every bad row reported."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from eage.extensions import db
from eage.models import AuditLog
from tests.eage.timesheets.helpers import HEADER, counts, entries

GOOD = (
    "2026-11-02,KBENALI,LEFIL,PAIE,7.5,bulletins\n"
    '03/11/2026,KBENALI,lefil,PAIE,"7,5",\n'
    "2026-11-04,KBENALI,INTERNE,CP,7:30,congés\n"
    "2026-11-05,CMARTIN,CINE3C,GESTION,7h30,\n"
    "2026-11-06,JFOURNIER,INTERNE,RESEAU,3 h 30,serveur\n"
)
# Rows 3, 5 and 6 are wrong (header = row 1).
BAD = (
    "2026-11-02,KBENALI,LEFIL,PAIE,7.5,bulletins\n"
    "2026-11-03,KBENALI,NOPE,PAIE,7.5,\n"
    "2026-11-04,KBENALI,INTERNE,CP,7:30,congés\n"
    "2026-11-05,CMARTIN,CINE3C,GESTION,7.333,\n"
    "2026-02-30,JFOURNIER,INTERNE,RESEAU,3:30,\n"
)


def test_bad_rows_are_all_reported_and_nothing_is_written(runner, add_entry, tmp_file) -> None:
    add_entry("2026-11-09", "KBENALI", "LEFIL", "PAIE", 60)
    before = counts()
    path = tmp_file("temps.csv", HEADER + BAD)
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("row ")]
    assert lines == [
        "row 3: adhérent inconnu : NOPE",
        "row 5: durée « 7.333 » h = 439,98 min : pas un nombre entier de minutes",
        "row 6: date inexistante « 2026-02-30 »",
    ]
    assert counts() == before


def test_the_fixed_file_imports_completely(runner, demo, tmp_file) -> None:
    before = counts()
    path = tmp_file("temps.csv", HEADER + GOOD)
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "imported 5 entries"
    assert counts() == (before[0] + 5, before[1] + 1)  # five rows, ONE audit line
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-03", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-04", "KBENALI", "INTERNE", "CP", 450),
        ("2026-11-05", "CMARTIN", "CINE3C", "GESTION", 450),
        ("2026-11-06", "JFOURNIER", "INTERNE", "RESEAU", 210),
    ]
    line = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (
        line.action == "import" and line.after["count"] == 5 and line.after["file"] == "temps.csv"
    )


def test_semicolons_bom_and_exception_column(runner, demo, tmp_path: Path) -> None:
    path = tmp_path / "temps.csv"
    path.write_bytes(
        "\ufeffdate;employee;member;service;hours;note;exception\n"
        "02/11/2026;KBENALI;LEFIL;PAIE;8;;\n"
        "02/11/2026;KBENALI;INTERNE;GESTION;3,5;réunion;oui\n".encode()
    )
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 entries" in result.output


def test_day_over_10_hours_without_exception_column(runner, demo, tmp_file) -> None:
    path = tmp_file(
        "t.csv",
        HEADER + "2026-11-02,KBENALI,LEFIL,PAIE,8,\n2026-11-02,KBENALI,INTERNE,GESTION,3,\n",
    )
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 1
    assert "row 3: plus de 10 h le 02/11/2026 pour KBENALI (11 h)" in result.output
    assert counts()[0] == 0


def test_closed_month_in_file(runner, lock_month, tmp_file) -> None:
    lock_month("2026-10")
    path = tmp_file("t.csv", HEADER + "2026-10-30,KBENALI,LEFIL,PAIE,7,\n")
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 1
    assert "row 2: mois 2026-10 clôturé : aucune saisie possible" in result.output


def test_dry_run_writes_nothing(runner, demo, tmp_file) -> None:
    before = counts()
    path = tmp_file("temps.csv", HEADER + GOOD)
    result = runner.invoke(args=["import-timesheets", str(path), "--dry-run"])
    assert result.exit_code == 0
    assert result.output.strip() == "dry run: 5 entries would be imported"
    assert counts() == before


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["date", "employee", "member", "service", "hours", "note"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_import(runner, demo, tmp_path: Path) -> None:
    from datetime import datetime, time

    path = _xlsx(
        tmp_path / "temps.xlsx",
        [
            [datetime(2026, 11, 2), "KBENALI", "LEFIL", "PAIE", 7.5, "bulletins"],
            ["03/11/2026", "KBENALI", "INTERNE", "FORMATION", "7:30", None],
            [datetime(2026, 11, 4), "CMARTIN", "GAGA", "GESTION", time(6, 45), None],
        ],
    )
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 3 entries" in result.output
    assert [e[-1] for e in entries()] == [450, 450, 405]


def test_xlsx_bad_rows(runner, demo, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "temps.xlsx",
        [
            ["2026-11-02", "KBENALI", "LEFIL", "PAIE", 7.5, None],
            ["2026-11-03", "KBENALI", "LEFIL", "CP", 7.5, None],
        ],
    )
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 1
    assert "row 3: le code d'absence CP n'est possible que pour le temps interne" in result.output
    assert counts()[0] == 0


def test_missing_columns(runner, demo, tmp_file) -> None:
    path = tmp_file("t.csv", "date,employee,hours\n2026-11-02,KBENALI,7\n")
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code != 0
    assert "colonnes manquantes dans l'en-tête (ligne 1) : member, service" in result.output


def test_unreadable_file(runner, demo, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("date,employee,member,service,hours\n2026-11-02,Kévin\n".encode("latin-1"))
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code != 0
    assert "n'est pas en UTF-8" in result.output
    bad = tmp_path / "t.xlsx"
    bad.write_bytes(b"not a workbook")
    result = runner.invoke(args=["import-timesheets", str(bad)])
    assert result.exit_code != 0 and "fichier illisible" in result.output


# --- upload pages -------------------------------------------------------------------------


def _upload(client, content: str, name: str = "temps.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/temps/import",
        data={"file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
    )


def test_upload_preview_lists_every_bad_row(login_as) -> None:
    client = login_as("accountant")
    before = counts()
    response = _upload(client, HEADER + BAD)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "rien n&#39;a été importé" in html or "rien n'a été importé" in html
    for reason in (
        "adhérent inconnu : NOPE",
        "pas un nombre entier de minutes",
        "date inexistante",
    ):
        assert reason in html
    assert "Confirmer l" not in html
    assert counts() == before


def test_upload_summary_then_confirm(login_as, app) -> None:
    client = login_as("accountant")
    before = counts()
    response = _upload(client, HEADER + GOOD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Confirmer l&#39;import" in html or "Confirmer l'import" in html
    assert "KBENALI" in html and "CINE3C" in html
    assert "33,50 h" in html  # total hours of the file
    assert counts() == before  # nothing written before confirmation
    import re

    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html)
    token = token or re.search(r'value="([0-9a-f]{32})"', html)
    assert token
    response = client.post("/temps/import/confirmer", data={"token": token.group(1)})
    assert response.status_code == 200
    assert "Import terminé" in response.get_data(as_text=True)
    assert counts() == (before[0] + 5, before[1] + 1)
    # The stored file is gone: confirming twice imports nothing more.
    response = client.post("/temps/import/confirmer", data={"token": token.group(1)})
    assert response.status_code == 302
    assert counts() == (before[0] + 5, before[1] + 1)
    assert not list((Path(app.instance_path) / "uploads" / "timesheets").glob(token.group(1) + "*"))


def test_upload_refuses_other_roles(as_role) -> None:
    for role in ("manager", "admin", "member"):
        client = as_role(role)
        assert _upload(client, HEADER + GOOD).status_code == 403


def test_upload_bad_token(login_as) -> None:
    client = login_as("accountant")
    response = client.post("/temps/import/confirmer", data={"token": "../../etc/passwd"})
    assert response.status_code == 302
