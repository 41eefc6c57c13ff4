"""Reading a timesheet file (CSV or XLSX) into raw entries (SPEC §7 `import-timesheets`).

Row numbers are line numbers in the file, the header being row 1: the first entry is
row 2 (eage/tables.py reads the file).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO

from openpyxl import Workbook  # type: ignore[import-untyped]

from eage.tables import Columns, read_table
from eage.timesheets.validation import RawEntry
from eage.timesheets.warnings import N_

# French headers are accepted too: the accountant's spreadsheet may say « salarié ».
COLUMNS = Columns(
    required=("date", "employee", "member", "service", "hours"),
    optional=("note", "exception"),
    aliases={
        "date": "date",
        "jour": "date",
        "employee": "employee",
        "salarie": "employee",
        "salarié": "employee",
        "member": "member",
        "adherent": "member",
        "adhérent": "member",
        "service": "service",
        "activite": "service",
        "activité": "service",
        "hours": "hours",
        "heures": "hours",
        "duree": "hours",
        "durée": "hours",
        "note": "note",
        "commentaire": "note",
        "exception": "exception",
        "derogation": "exception",
        "dérogation": "exception",
    },
    optional_note=N_("note et exception facultatives"),
)


UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx")
# The model file offered on the import page: the French header, two rows with demo codes.
MODEL_HEADER = ("date", "salarié", "adhérent", "service", "heures", "note")
MODEL_ROWS = (
    ("02/11/2026", "KBENALI", "LEFIL", "PAIE", "7,5", "bulletins de novembre"),
    ("02/11/2026", "CMARTIN", "INTERNE", "GESTION", "3:30", ""),
)


def read_file(
    source: str | Path | IO[bytes], filename: str | None = None
) -> tuple[dict[str, str], list[RawEntry]]:
    """The file's headers as written (column → header, e.g. employee → « salarié ») and its
    entries; the page names a column the way the file does."""
    table = read_table(source, COLUMNS, filename)
    return table.headers, [RawEntry(number, *values) for number, values in table.rows]


def model_file(fmt: str) -> tuple[bytes, str]:
    """The model file as (bytes, MIME type): CSV (UTF-8 with BOM, `;` as a French
    spreadsheet writes it) or XLSX."""
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(MODEL_HEADER)
        writer.writerows(MODEL_ROWS)
        return ("\ufeff" + text.getvalue()).encode(), "text/csv"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "temps"
    sheet.append(MODEL_HEADER)
    for row in MODEL_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_entries(source: str | Path | IO[bytes], filename: str | None = None) -> list[RawEntry]:
    """Every data row of a CSV or XLSX file (blank lines skipped), in the columns' order of
    :class:`RawEntry`; ProblemsError when the file cannot be read as a timesheet."""
    return [
        RawEntry(number, *values) for number, values in read_table(source, COLUMNS, filename).rows
    ]
