"""Reading an uploaded table, CSV or XLSX, for the imports (SPEC §7).

pandas reads the file; this module finds the caller's columns under the header's spellings
and numbers the rows as the accountant sees them in the file: the header is row 1, the first
data row 2, blank rows are skipped but counted. CSV is UTF-8 (with or without BOM), ``,`` or
``;`` separated (whichever the header holds more of); every value is read as the text typed.
XLSX values keep the spreadsheet's types (dates, times, numbers). A file that cannot be read
raises :class:`~accounting.problems.ProblemsError` with one French message.

Bounded before and while parsing (an upload is untrusted): the file's size; for XLSX, every
zip member's uncompressed size and compression ratio, read from the archive's directory
before anything is inflated (Python's zipfile never inflates a member past the size its
directory declares, so a lying header ends in a CRC error, not a bomb); then a row cap and a
cell-length cap while reading.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from accounting.problems import ProblemsError
from accounting.texts import N_
from eage.filters import tr

# Shown on the import pages in the reader's language: `convention|translated`.
ROW_CONVENTION = N_("les numéros de ligne comptent l'en-tête comme ligne 1")
CSV_SUFFIXES = (".csv", ".txt", "")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX file is a zip archive

MAX_FILE_BYTES = 20 * 1024 * 1024  # a file read from disk (the CLI); uploads: MAX_UPLOAD_MB
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # an XLSX archive's members, in total
MAX_COMPRESSION_RATIO = 100  # per member: real workbooks stay far below (≈ 5 to 20)
RATIO_FLOOR_BYTES = 64 * 1024  # tiny members (styles, rels) may compress better: no ratio check
MAX_ROWS = 50_000  # data rows, the header apart
MAX_CELL_CHARS = 1_000

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
            tr(
                "fichier vide : l'en-tête %(columns)s est requis",
                columns=", ".join(columns.required),
            )
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
        tr(
            "format de fichier non pris en charge : %(suffix)s (attendu .csv ou .xlsx)",
            suffix=suffix,
        )
    )


def _bytes(source: Source) -> bytes:
    """The file's bytes, refused past MAX_FILE_BYTES (read one byte further to know)."""
    if isinstance(source, str | Path):
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise unreadable(exc.strerror or str(exc)) from exc
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise unreadable(f"plus de {MAX_FILE_BYTES // (1024 * 1024)} Mo")
    return data


def unreadable(reason: str) -> ProblemsError:
    """« fichier illisible : <reason> », the one message of a file that cannot be read."""
    return ProblemsError.single(tr("fichier illisible : %(reason)s", reason=reason))


def _read_csv(data: bytes) -> pd.DataFrame:
    if data.startswith(ZIP_MAGIC):
        raise ProblemsError.single(
            tr("ce fichier est un classeur Excel : donnez-lui l'extension .xlsx")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProblemsError.single(
            tr(
                "le fichier n'est pas en UTF-8 (octet invalide en position %(position)s) :"
                " enregistrez-le en « CSV UTF-8 »",
                position=exc.start,
            )
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
    # One row past the cap is read, to know the file goes past it.
    frame = _csv_frame(text, separator, usecols=range(header.shape[1]), nrows=MAX_ROWS + 2)
    return _bounded(frame)


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
    """The first sheet, once the archive passed its checks; empty cells read as ''."""
    check_archive(data)
    try:
        frame = pd.read_excel(
            io.BytesIO(data),
            engine="openpyxl",
            header=None,
            dtype=object,
            na_filter=False,
            nrows=MAX_ROWS + 2,
        )
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise unreadable(f"classeur XLSX endommagé ({type(exc).__name__} : {exc})") from exc
    return _bounded(frame)


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose archive would inflate too far, from its directory alone."""
    if not data.startswith(ZIP_MAGIC):
        raise unreadable("ce n'est pas un classeur XLSX (archive zip attendue)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise unreadable(f"classeur XLSX tronqué ou endommagé ({exc})") from exc
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise unreadable(
                f"classeur XLSX suspect : « {member.filename} » se décompresserait"
                f" {ratio:.0f} fois (au plus {MAX_COMPRESSION_RATIO})"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise unreadable(
            f"classeur XLSX trop gros une fois décompressé ({total // (1024 * 1024)} Mo,"
            f" au plus {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} Mo)"
        )


def _bounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows read, refused past the row cap or with a cell longer than the length cap
    (its row and column said the way the accountant sees them)."""
    if frame.shape[0] > MAX_ROWS + 1:
        raise unreadable(f"plus de {MAX_ROWS} lignes : découpez le fichier")
    for index, column in enumerate(frame.columns):
        lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0)
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            row = int(lengths.to_numpy().argmax()) + 1
            raise unreadable(
                f"ligne {row}, colonne {index + 1} : une cellule de plus de"
                f" {MAX_CELL_CHARS} caractères"
            )
    return frame


def _positions(header: Sequence[Any], columns: Columns) -> dict[str, int]:
    """Column → its index in the file (the first header spelling it wins)."""
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = columns.aliases.get("" if cell is None else str(cell).strip().lower())
        if name is not None and name not in positions:
            positions[name] = i
    missing = [c for c in columns.required if c not in positions]
    if missing:
        found = ", ".join(str(c) for c in header if c not in (None, "")) or tr("rien")
        raise ProblemsError.single(
            tr(
                "colonnes manquantes dans l'en-tête (ligne 1) : %(missing)s ; attendu :"
                " %(expected)s (%(note)s) ; trouvé : %(found)s",
                missing=", ".join(missing),
                expected=", ".join(columns.names),
                note=tr(columns.optional_note),
                found=found,
            )
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
