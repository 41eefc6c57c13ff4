"""Reading a timesheet file (CSV or XLSX) into raw entries (SPEC §7 `import-timesheets`).

Row numbers are line numbers in the file, the header being row 1: the first entry is
row 2 (eage/tables.py reads the file).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from eage.tables import Columns, read_table
from eage.timesheets.validation import RawEntry

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
    optional_note="note et exception facultatives",
)


def read_entries(source: str | Path | IO[bytes], filename: str | None = None) -> list[RawEntry]:
    """Every data row of a CSV or XLSX file (blank lines skipped), in the columns' order of
    :class:`RawEntry`; ProblemsError when the file cannot be read as a timesheet."""
    return [
        RawEntry(number, *values) for number, values in read_table(source, COLUMNS, filename).rows
    ]
