"""The table reader of the imports (eage/tables.py): columns by header spelling, rows numbered
as in the file, French refusals."""

from __future__ import annotations

import io
from datetime import datetime, time

import pytest
from openpyxl import Workbook

from accounting.problems import ProblemsError
from eage.tables import Columns, read_table

COLUMNS = Columns(
    required=("date", "hours"),
    optional=("note",),
    aliases={"date": "date", "jour": "date", "hours": "hours", "heures": "hours", "note": "note"},
    optional_note="note facultative",
)


def read(data: bytes, name: str = "t.csv"):  # type: ignore[no-untyped-def]
    return read_table(io.BytesIO(data), COLUMNS, name)


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("date,hours\n2026-11-02,7\n", [(2, ("2026-11-02", "7", None))]),
        ("\ufeffJour;Heures;Note\n02/11/2026;7,5;x\n", [(2, ("02/11/2026", "7,5", "x"))]),
        ('date,hours,note\n2026-11-02,"7,5","a, ""b"""\n', [(2, ("2026-11-02", "7,5", 'a, "b"'))]),
        ("hours,date\n\n  \n,\n7,2026-11-02\n", [(5, ("2026-11-02", "7", None))]),
        (
            "date,hours\n2026-11-02\n2026-11-03,7,extra,cells\n",
            [(2, ("2026-11-02", "", None)), (3, ("2026-11-03", "7", None))],
        ),
        ("date,hours,date\r\n2026-11-02,7,2027-01-01\r\n", [(2, ("2026-11-02", "7", None))]),
        ("date,hours\n", []),
    ],
    ids=[
        "comma",
        "semicolon-bom-french",
        "quoted",
        "blank-rows-counted",
        "short-and-long-rows",
        "first-header-wins",
        "header-only",
    ],
)
def test_csv_rows(text: str, rows: list[tuple[int, tuple[object, ...]]]) -> None:
    assert read(text.encode()).rows == rows


def test_headers_as_written() -> None:
    assert read(b" Jour ;HEURES\n").headers == {"date": "Jour", "hours": "HEURES"}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "t.csv", "fichier vide : l'en-tête date, hours est requis"),
        (
            b"jour,duree\n",
            "t.csv",
            "colonnes manquantes dans l'en-tête (ligne 1) : hours ; attendu : date, hours, note"
            " (note facultative) ; trouvé : jour, duree",
        ),
        (
            b"\n2026-11-02,7\n",
            "t.csv",
            "colonnes manquantes dans l'en-tête (ligne 1) : date, hours",
        ),
        ("date,hours\nÉté,1\n".encode("latin-1"), "t.csv", "le fichier n'est pas en UTF-8"),
        (b"PK\x03\x04rest", "t.csv", "ce fichier est un classeur Excel"),
        (b"%PDF-", "t.pdf", "format de fichier non pris en charge : .pdf (attendu .csv ou .xlsx)"),
        (b"not a workbook", "t.xlsx", "fichier illisible : ce n'est pas un classeur XLSX"),
    ],
)
def test_refusals(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ProblemsError) as caught:
        read(data, name)
    assert str(caught.value).startswith(message)


def test_unreadable_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProblemsError, match="fichier illisible"):
        read_table(tmp_path / "absent.csv", COLUMNS)


def test_xlsx_keeps_the_cells_types_and_row_numbers() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["heures", "jour", "autre"])
    ws.append([7.5, datetime(2026, 11, 2), "x"])
    ws.append([None, None, None])
    ws.append([time(6, 45), "03/11/2026"])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read(buffer.getvalue(), "t.xlsx")
    assert table.rows == [
        (2, (datetime(2026, 11, 2), 7.5, None)),
        (4, ("03/11/2026", time(6, 45), None)),
    ]
