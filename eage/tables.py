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
    frame = _read_frame(source, filename)
    if frame.shape[0] == 0:
        raise ProblemsError.single(
            f"fichier vide : l'en-tête {', '.join(columns.required)} est requis"
        )
    cells = [frame[c].tolist() for c in frame.columns]  # column by column, header first
    header = [column[0] for column in cells]
    positions = _positions(header, columns)
    return Table(
        headers={name: str(header[i]).strip() for name, i in positions.items()},
        rows=_rows(cells, [positions.get(name) for name in columns.names], _text_only(frame)),
    )


def _read_frame(source: Source, filename: str | None) -> pd.DataFrame:
    """The file's rows, header first, one column per header cell; no row for an empty file."""
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


def _read_csv(data: bytes) -> pd.DataFrame:
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
        return pd.DataFrame()
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        header = _csv_frame(text, separator, nrows=1)
    except pd.errors.EmptyDataError:  # the first line is blank: a header without columns
        return pd.DataFrame([[""]])
    # Only the header's columns are read: a longer row keeps its extra cells to itself.
    return _csv_frame(text, separator, usecols=range(header.shape[1]))


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


def _read_xlsx(data: bytes) -> pd.DataFrame:
    """The first sheet; empty cells read as ''."""
    try:
        return pd.read_excel(
            io.BytesIO(data), engine="openpyxl", header=None, dtype=object, na_filter=False
        )
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise ProblemsError.single(f"classeur XLSX illisible : {exc}") from exc


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


def _text_only(frame: pd.DataFrame) -> bool:
    """Every cell is text (a CSV read as typed)."""
    return all(isinstance(dtype, pd.StringDtype) for dtype in frame.dtypes)


def _rows(
    cells: list[list[Any]], positions: Sequence[int | None], text_only: bool
) -> list[tuple[int, tuple[Any, ...]]]:
    """(row number, the wanted columns' values) of the non-blank rows below the header."""
    absent = [None] * len(cells[0])
    values = list(zip(*(absent if i is None else cells[i] for i in positions), strict=True))
    return [(i + 1, values[i]) for i in _filled_rows(cells, text_only)]


def _filled_rows(cells: list[list[Any]], text_only: bool) -> list[int]:
    """Indexes of the data rows with something in them (a blank row is skipped, still
    counted): text that is not only spaces, or a cell of another type."""
    rows = enumerate(zip(*cells, strict=True))
    next(rows)  # the header
    if text_only:
        return [i for i, row in rows if "".join(row).strip()]
    return [i for i, row in rows if any(_filled(c) for c in row)]


def _filled(cell: Any) -> bool:
    return bool(cell.strip()) if isinstance(cell, str) else cell is not None
