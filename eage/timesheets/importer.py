"""Reading a timesheet file (CSV or XLSX) into raw entries (SPEC §7 `import-timesheets`).

Row numbers are line numbers in the file, the header being row 1: the first entry is
row 2. CSV may be `,` or `;` separated (detected from the header), UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from eage.timesheets.validation import RawEntry

REQUIRED_COLUMNS = ("date", "employee", "member", "service", "hours")
OPTIONAL_COLUMNS = ("note", "exception")
# French headers are accepted too: the accountant's spreadsheet may say « salarié ».
ALIASES = {
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
}
ROW_CONVENTION = "les numéros de ligne comptent l'en-tête comme ligne 1"


class ImportFileError(ValueError):
    """The file cannot be read as a timesheet (format, encoding, header)."""


def read_entries(source: str | Path | IO[bytes], filename: str | None = None) -> list[RawEntry]:
    """Read every data row of a CSV or XLSX file; blank lines are skipped."""
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(source)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(source)
    raise ImportFileError(
        f"format de fichier non pris en charge : {suffix} (attendu .csv ou .xlsx)"
    )


def _bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(f"fichier illisible : {exc.strerror or exc}") from exc
    return source.read()


def _read_csv(source: str | Path | IO[bytes]) -> list[RawEntry]:
    data = _bytes(source)
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError("ce fichier est un classeur Excel : donnez-lui l'extension .xlsx")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"le fichier n'est pas en UTF-8 (octet invalide en position {exc.start}) :"
            " enregistrez-le en « CSV UTF-8 »"
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _rows_to_entries(reader)


def _read_xlsx(source: str | Path | IO[bytes]) -> list[RawEntry]:
    from openpyxl import load_workbook

    try:
        stream = source if isinstance(source, str | Path) else io.BytesIO(source.read())
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise ImportFileError(f"classeur XLSX illisible : {exc}") from exc
    try:
        ws = wb.worksheets[0]
        return _rows_to_entries(ws.iter_rows(values_only=True))
    finally:
        wb.close()


def _header(cells: Iterable[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(cells):
        label = "" if cell is None else str(cell).strip().lower()
        if not label:
            continue
        canonical = ALIASES.get(label)
        if canonical is None:
            unknown.append(label)
        elif canonical not in columns:
            columns[canonical] = i
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(str(c) for c in cells if c not in (None, "")) or "rien"
        raise ImportFileError(
            f"colonnes manquantes dans l'en-tête (ligne 1) : {', '.join(missing)} ;"
            f" attendu : {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} (note et exception"
            f" facultatives) ; trouvé : {found}"
        )
    return columns


def _rows_to_entries(rows: Iterator[Any] | Iterable[Any]) -> list[RawEntry]:
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise ImportFileError(
            "fichier vide : l'en-tête date, employee, member, service, hours est requis"
        )
    header = list(header)
    cols = _header(header)
    i_date, i_emp, i_member, i_service, i_hours = (cols[c] for c in REQUIRED_COLUMNS)
    i_note = cols.get("note")
    i_exc = cols.get("exception")
    width = max(cols.values()) + 1
    entries: list[RawEntry] = []
    append = entries.append
    for number, row in enumerate(it, start=2):
        if not row or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        append(
            RawEntry(
                number,
                row[i_date],
                row[i_emp],
                row[i_member],
                row[i_service],
                row[i_hours],
                None if i_note is None else row[i_note],
                None if i_exc is None else row[i_exc],
            )
        )
    return entries
