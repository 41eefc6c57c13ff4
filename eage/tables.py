"""Reading an uploaded table, CSV or XLSX, for the imports (SPEC §7).

pandas reads the file; this module finds the caller's columns under the header's spellings
and numbers the rows as the accountant sees them in the file: the header is row 1, the first
data row 2, blank rows are skipped but counted. CSV is UTF-8 (with or without BOM), ``,`` or
``;`` separated (whichever the header holds more of); every value is read as the text typed.
XLSX values keep the spreadsheet's types (dates, times, numbers). A file that cannot be read
raises :class:`~accounting.problems.ProblemsError` with one French message.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from accounting.problems import ProblemsError

ROW_CONVENTION = "les numéros de ligne comptent l'en-tête comme ligne 1"
CSV_SUFFIXES = (".csv", ".txt", "")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX file is a zip archive

Source = str | Path | IO[bytes]


@dataclass(frozen=True)
class Columns:
    """The columns an import reads: ``required`` then ``optional``, each found under any of
    its header spellings (``aliases``: lower-case header → column, e.g. « salarié » →
    employee). ``optional_note`` says which are optional in the missing-columns message."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: Mapping[str, str]
    optional_note: str

    @property
    def names(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Table:
    """``rows``: (row number in the file, values in ``Columns.names`` order; None for an
    optional column the file lacks). ``headers``: each column found → its header as written."""

    headers: dict[str, str]
    rows: list[tuple[int, tuple[Any, ...]]]


def read_table(source: Source, columns: Columns, filename: str | None = None) -> Table:
    """Every non-blank data row of the file, under the caller's column names."""
    cells = _read_cells(source, filename)
    if not cells:
        raise ProblemsError.single(
            f"fichier vide : l'en-tête {', '.join(columns.required)} est requis"
        )
    header = cells[0]
    positions = _positions(header, columns)
    return Table(
        headers={name: str(header[i]).strip() for name, i in positions.items()},
        rows=_rows(cells, [positions.get(name) for name in columns.names]),
    )


def _read_cells(source: Source, filename: str | None) -> list[list[Any]]:
    """The file's rows (header first) as lists of cells; [] for an empty file."""
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(_bytes(source))
    if suffix in CSV_SUFFIXES:
        return _read_csv(_bytes(source))
    raise ProblemsError.single(
        f"format de fichier non pris en charge : {suffix} (attendu .csv ou .xlsx)"
    )


def _bytes(source: Source) -> bytes:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ProblemsError.single(f"fichier illisible : {exc.strerror or exc}") from exc
    return source.read()


def _read_csv(data: bytes) -> list[list[Any]]:
    if data.startswith(ZIP_MAGIC):
        raise ProblemsError.single(
            "ce fichier est un classeur Excel : donnez-lui l'extension .xlsx"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProblemsError.single(
            f"le fichier n'est pas en UTF-8 (octet invalide en position {exc.start}) :"
            " enregistrez-le en « CSV UTF-8 »"
        ) from exc
    if not text:
        return []
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        header = _csv_frame(text, separator, nrows=1)
    except pd.errors.EmptyDataError:  # the first line is blank: a header without columns
        return [[]]
    # Only the header's columns are read: a longer row keeps its extra cells to itself.
    frame = _csv_frame(text, separator, usecols=range(header.shape[1]))
    return _cells(frame)


def _csv_frame(text: str, separator: str, **options: Any) -> pd.DataFrame:
    """Every cell as the text typed ('' when empty), blank lines kept so rows keep their
    numbers."""
    return pd.read_csv(
        io.StringIO(text),
        sep=separator,
        header=None,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        **options,
    )


def _read_xlsx(data: bytes) -> list[list[Any]]:
    """The first sheet; empty cells read as ''."""
    try:
        frame = pd.read_excel(
            io.BytesIO(data), engine="openpyxl", header=None, dtype=object, na_filter=False
        )
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise ProblemsError.single(f"classeur XLSX illisible : {exc}") from exc
    return _cells(frame)


def _cells(frame: pd.DataFrame) -> list[list[Any]]:
    cells: list[list[Any]] = frame.to_numpy(dtype=object).tolist()
    return cells


def _positions(header: Sequence[Any], columns: Columns) -> dict[str, int]:
    """Column → its index in the file (the first header spelling it wins)."""
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = columns.aliases.get("" if cell is None else str(cell).strip().lower())
        if name is not None and name not in positions:
            positions[name] = i
    missing = [c for c in columns.required if c not in positions]
    if missing:
        found = ", ".join(str(c) for c in header if c not in (None, "")) or "rien"
        raise ProblemsError.single(
            f"colonnes manquantes dans l'en-tête (ligne 1) : {', '.join(missing)} ;"
            f" attendu : {', '.join(columns.names)} ({columns.optional_note}) ;"
            f" trouvé : {found}"
        )
    return positions


def _rows(
    cells: list[list[Any]], positions: Sequence[int | None]
) -> list[tuple[int, tuple[Any, ...]]]:
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in enumerate(cells[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        rows.append((number, tuple(None if i is None else row[i] for i in positions)))
    return rows
