"""Issue 14: a timesheet file imported twice doubled the hours billed. The same file (by its
SHA-256) and rows identical to recorded entries (same date, employee, member, service,
minutes) are stopped unless confirmed; identical rows inside one new file are only warned
about. Also the XLSX upload, the file's own column names, the model files and the warnings."""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from eage.extensions import db
from eage.models import TimesheetImport
from eage.timesheets.importer import read_file
from tests.eage.timesheets.helpers import HEADER, counts, entries

FILE = HEADER + (
    "2026-11-02,KBENALI,LEFIL,PAIE,2,\n"
    "2026-11-03,KBENALI,LEFIL,PAIE,2,\n"
    "2026-11-04,JFOURNIER,INTERNE,RESEAU,3:30,\n"
)


def _upload(client, data: bytes, name: str = "temps.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/temps/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _token(html: str) -> str:
    found = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html) or re.search(
        r'value="([0-9a-f]{32})"', html
    )
    assert found, "no confirm form"
    return found.group(1)


def _import_through_page(client, data: bytes, name: str = "temps.csv", **ticks):  # type: ignore[no-untyped-def]
    preview = _upload(client, data, name)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    form = {"token": _token(preview.get_data(as_text=True)), **ticks}
    return preview, client.post("/temps/import/confirmer", data=form)


# --- CLI --------------------------------------------------------------------------------


def test_cli_refuses_the_same_file_twice_unless_allowed(runner, demo, tmp_file) -> None:
    path = tmp_file("temps.csv", FILE)
    assert runner.invoke(args=["import-timesheets", str(path)]).output.strip() == (
        "imported 3 entries"
    )
    before = counts()
    again = tmp_file("copie.csv", FILE)  # same bytes, another name
    result = runner.invoke(args=["import-timesheets", str(again)])
    assert result.exit_code == 1
    assert "fichier déjà importé le" in result.output and "(temps.csv, 3 saisies)" in result.output
    assert (
        "row 2: saisie identique à une saisie existante (02/11/2026, KBENALI, LEFIL, PAIE, 2 h 00)"
        in result.output
    )
    assert "nothing imported (--allow-duplicates" in result.output
    assert counts() == before
    result = runner.invoke(args=["import-timesheets", str(again), "--allow-duplicates"])
    assert result.exit_code == 0 and "imported 3 entries" in result.output
    # Allowed on purpose: 2 h a day became 4 h on 2 and 3 November.
    assert [e for e in entries() if e[1] == "KBENALI"].count(
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 120)
    ) == 2
    log = db.session.scalars(select(TimesheetImport).order_by(TimesheetImport.id)).all()
    assert [(x.file_name, x.entry_count, x.channel, x.user_id) for x in log] == [
        ("temps.csv", 3, "cli", None),
        ("copie.csv", 3, "cli", None),
    ]
    assert log[0].file_hash == log[1].file_hash and len(log[0].file_hash) == 64
    assert log[0].user_label.startswith("cli")


def test_cli_refuses_a_row_identical_to_a_recorded_entry(runner, add_entry, tmp_file) -> None:
    add_entry("2026-11-03", "KBENALI", "LEFIL", "PAIE", 120)
    before = counts()
    path = tmp_file("temps.csv", FILE)
    for extra in ([], ["--dry-run"]):
        result = runner.invoke(args=["import-timesheets", str(path), *extra])
        assert result.exit_code == 1
        assert [line for line in result.output.splitlines() if line.startswith("row ")] == [
            "row 3: saisie identique à une saisie existante"
            " (03/11/2026, KBENALI, LEFIL, PAIE, 2 h 00)"
        ]
    assert counts() == before
    assert db.session.scalar(select(TimesheetImport.id)) is None
    # Same day, other minutes: not a duplicate.
    other = tmp_file("autre.csv", HEADER + "2026-11-03,KBENALI,LEFIL,PAIE,2:30,\n")
    assert runner.invoke(args=["import-timesheets", str(other)]).exit_code == 0


def test_cli_identical_rows_inside_one_new_file_are_only_warned_about(
    runner, demo, tmp_file
) -> None:
    path = tmp_file(
        "temps.csv",
        HEADER
        + "2026-11-02,KBENALI,LEFIL,PAIE,2,matin\n2026-11-02,KBENALI,LEFIL,PAIE,2,après-midi\n",
    )
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 0
    assert result.stdout.strip() == "imported 2 entries"
    assert "warning: rows 2, 3 are identical (all imported)" in result.stderr
    assert [e[-1] for e in entries()] == [120, 120]


# --- web page ---------------------------------------------------------------------------


def test_page_stops_a_reimported_file_unless_the_box_is_ticked(login_as) -> None:
    client = login_as("accountant")
    _, done = _import_through_page(client, FILE.encode())
    assert "Import terminé" in done.get_data(as_text=True)
    assert len(entries()) == 3
    before = counts()
    preview, refused = _import_through_page(client, FILE.encode(), "encore.csv")
    html = preview.get_data(as_text=True)
    assert "Ce fichier a déjà été importé" in html and "temps.csv" in html
    assert html.count('name="dup"') == 3  # each row is identical to a recorded entry
    assert "checked" not in re.search(
        r'<table[^>]*id="import-duplicates".*?</table>', html, re.S
    ).group(0)
    assert refused.status_code == 409
    assert "rien n&#39;a été importé" in refused.get_data(as_text=True)
    assert counts() == before
    # Both confirmations ticked: imported again (the accountant meant it).
    _, forced = _import_through_page(
        client, FILE.encode(), "encore.csv", file_again="1", dup=["2", "3", "4"]
    )
    assert forced.status_code == 200 and "3 saisie(s) importée(s)" in forced.get_data(as_text=True)
    assert len(entries()) == 6
    log = forced.get_data(as_text=True).split('id="import-log"')[1]
    assert "encore.csv" in log and "temps.csv" in log and "compta@equipe-associee.example" in log


def test_page_leaves_out_duplicate_rows_not_ticked(login_as, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 120)
    client = login_as("accountant")
    preview, done = _import_through_page(client, FILE.encode())
    html = preview.get_data(as_text=True)
    assert (
        'name="dup" value="2"' in html
        and 'value="3"' not in html.split("import-duplicates")[1].split("</table>")[0]
    )
    assert "Confirmer l'import (2)" in html
    assert done.status_code == 200
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 120),  # the recorded one, not doubled
        ("2026-11-03", "KBENALI", "LEFIL", "PAIE", 120),
        ("2026-11-04", "JFOURNIER", "INTERNE", "RESEAU", 210),
    ]


def test_xlsx_through_the_page(login_as) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "salarié", "adhérent", "service", "heures"])
    sheet.append([datetime(2026, 11, 2), "KBENALI", "LEFIL", "PAIE", 7.5])
    sheet.append(["03/11/2026", "CMARTIN", "CINE3C", "GESTION", "6:45"])
    data = io.BytesIO()
    book.save(data)
    client = login_as("accountant")
    preview, done = _import_through_page(client, data.getvalue(), "Temps Novembre.XLSX")
    assert "14,25 h" in preview.get_data(as_text=True)
    assert "Import terminé" in done.get_data(as_text=True)
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-03", "CMARTIN", "CINE3C", "GESTION", 405),
    ]


def test_errors_use_the_column_names_of_the_file(login_as) -> None:
    client = login_as("accountant")
    response = _upload(
        client, "date;salarié;adhérent;service;heures\n02/11/2026;NOBODY;LEFIL;PAIE;2\n".encode()
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<td>salarié</td><td>salarié inconnu : NOBODY</td>" in html
    assert "<td>employee</td>" not in html


def test_model_files_download_and_import(login_as) -> None:
    client = login_as("accountant")
    csv = client.get("/temps/import/modele.csv")
    assert csv.status_code == 200 and "modele-temps.csv" in csv.headers["Content-Disposition"]
    text = csv.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == "date;salarié;adhérent;service;heures;note"
    assert len(text.splitlines()) == 3
    xlsx = client.get("/temps/import/modele.xlsx")
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.get_data())).active.values)
    assert rows[0] == ("date", "salarié", "adhérent", "service", "heures", "note")
    assert [r[1] for r in rows[1:]] == ["KBENALI", "CMARTIN"]
    for data, name in ((csv.get_data(), "m.csv"), (xlsx.get_data(), "m.xlsx")):
        headers, raws = read_file(io.BytesIO(data), filename=name)
        assert headers["employee"] == "salarié" and len(raws) == 2
        assert _upload(client, data, name).status_code == 200  # the model is a valid file
    assert client.get("/temps/import/modele.pdf").status_code == 404


def test_preview_warns_about_extra_hours_saturday_and_the_future(login_as) -> None:
    client = login_as("accountant")
    rows = "".join(f"2026-11-{d:02d},JFOURNIER,INTERNE,RESEAU,4,\n" for d in (2, 3, 4, 5, 6, 7))
    response = _upload(client, (HEADER + rows + "2031-01-06,KBENALI,LEFIL,PAIE,1,\n").encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "JFOURNIER, semaine 2026-W45 : 24 h pour un contrat de 17 h 30, soit 6 h 30"
        " d&#39;heures complémentaires" in html
    )
    assert (
        "JFOURNIER, à temps partiel (17 h 30 par semaine), travaille le samedi 07/11/2026" in html
    )
    assert "KBENALI : saisie du 06/01/2031, une date future" in html
    assert "Confirmer l'import (7)" in html  # warnings do not block


def test_grid_shows_the_warnings_of_the_week(login_as, add_entry) -> None:
    for day in range(2, 7):
        add_entry(f"2026-11-{day:02d}", "KBENALI", "LEFIL", "PAIE", 8 * 60)
    add_entry("2026-11-08", "KBENALI", "LEFIL", "PAIE", 60)
    add_entry("2026-11-04", "KBENALI", None, "CP", 60)  # an absence is not work
    client = login_as("accountant")
    html = client.get("/temps/semaine?employe=KBENALI&semaine=2026-W45").get_data(as_text=True)
    assert "soit 6 h d&#39;heures supplémentaires (art. L3121-28 C. trav.)" in html
    assert "KBENALI travaille le dimanche 08/11/2026" in html


# --- API --------------------------------------------------------------------------------


def test_api_refuses_entries_identical_to_recorded_ones(client, demo) -> None:
    from tests.eage.timesheets.test_api import _token as api_token

    headers = api_token("accountant")
    body = [
        {
            "date": "2026-11-02",
            "employee": "KBENALI",
            "member": "LEFIL",
            "service": "PAIE",
            "hours": "2",
        }
    ]
    assert client.post("/api/v1/timesheets", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/timesheets", json=body, headers=headers)
    assert again.status_code == 409
    assert "allow_duplicates=1" in again.get_json()["error"]
    assert again.get_json()["errors"] == [
        {"index": 0, "field": None, "message": "identical to a recorded entry"}
    ]
    assert len(entries()) == 1
    forced = client.post("/api/v1/timesheets?allow_duplicates=1", json=body, headers=headers)
    assert forced.status_code == 201 and len(entries()) == 2
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/timesheets"]["post"]
    assert [p["name"] for p in post["parameters"]] == ["allow_duplicates"] and "409" in post[
        "responses"
    ]


# --- English ----------------------------------------------------------------------------


def test_import_page_in_english(login_as) -> None:
    """The row errors, the column help and the warnings in English; the CLI keeps French."""
    client = login_as("accountant")
    client.set_cookie("lang", "en")
    page = client.get("/temps/import").get_data(as_text=True)
    assert "Columns: date (or jour), employee (or salarié)" in page and "Model file:" in page
    bad = HEADER + "2026-11-02,NOBODY,LEFIL,PAIE,7.333,\n2026-02-30,KBENALI,LEFIL,PAIE,2,\n"
    html = _upload(client, bad.encode()).get_data(as_text=True)
    for text in (
        "unknown employee: NOBODY",
        "duration “7.333” h = 439.98 min: not a whole number of minutes",
        "no such date “2026-02-30”",
        "row numbers count the header as row 1",
    ):
        assert text in html, text
    assert "inconnu" not in html and "inexistante" not in html
    rows = "".join(f"2026-11-{d:02d},JFOURNIER,INTERNE,RESEAU,4,\n" for d in (2, 3, 4, 5, 6))
    html = _upload(client, (HEADER + rows).encode()).get_data(as_text=True)
    assert "JFOURNIER, week 2026-W45: 20 h for a contract of 17 h 30, that is 2 h 30" in html
    assert (
        "heures complémentaires, art. L3123-8" in html
        and "To check (imported all the same):" in html
    )


def test_page_warns_about_identical_rows_of_a_new_file_and_imports_them(login_as) -> None:
    client = login_as("accountant")
    same = HEADER + "2026-11-02,KBENALI,LEFIL,PAIE,2,matin\n2026-11-02,KBENALI,LEFIL,PAIE,2,soir\n"
    preview, done = _import_through_page(client, same.encode())
    html = preview.get_data(as_text=True)
    repeats = html.split('id="import-repeats"')[1].split("</div>")[0]
    assert "lignes 2, 3" in repeats and 'name="dup"' not in html
    assert "Import terminé : 2 saisie(s)" in done.get_data(as_text=True)
    assert [e[-1] for e in entries()] == [120, 120]  # two equal chunks on one day: 4 h


def test_page_all_duplicates_unticked_imports_nothing(login_as, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 120)
    client = login_as("accountant")
    before = counts()
    _, done = _import_through_page(client, (HEADER + "2026-11-02,KBENALI,LEFIL,PAIE,2,\n").encode())
    assert "Rien à importer : les doublons non cochés ont été écartés." in done.get_data(
        as_text=True
    )
    assert counts() == before
    assert db.session.scalar(select(TimesheetImport.id)) is None
