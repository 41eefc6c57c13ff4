"""Importing overhead expenses from a CSV (or XLSX) file, all or nothing.

Columns ``date, account, label, amount, service`` (header required; ``service`` optional; French
headers ``compte, libellé, montant`` accepted). ``date`` as YYYY-MM-DD or DD/MM/YYYY;
``amount`` as ``1234.56``, ``1 234,56`` or ``-45,00`` (a refund); ``service`` a service code
or empty; ``,`` or ``;`` separated, UTF-8 (BOM allowed). Row numbers are line numbers in
the file, the header being row 1. On any bad row nothing is written and every bad row is
reported as ``row N: <reason>`` — the same rules as the timesheet import (SPEC §7).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from eage.expenses import services
from eage.forms_fr import parse_fr_decimal
from eage.timesheets.parsing import ParseError, parse_date

REQUIRED_COLUMNS = ("date", "account", "label", "amount")
OPTIONAL_COLUMNS = ("service",)
ALIASES = {
    "date": "date",
    "jour": "date",
    "account": "account",
    "compte": "account",
    "label": "label",
    "libelle": "label",
    "libellé": "label",
    "amount": "amount",
    "montant": "amount",
    "service": "service",
    "activite": "service",
    "activité": "service",
}
ROW_CONVENTION = "les numéros de ligne comptent l'en-tête comme ligne 1"


class ImportFileError(ValueError):
    """The file cannot be read as an expense list (format, encoding, header)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class ImportResult:
    rows: int
    problems: list[RowProblem] = field(default_factory=list)
    imported: int = 0
    total: Decimal = Decimal("0.00")

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def read_rows(
    source: str | Path | IO[bytes], filename: str | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column: raw value}) for every non-blank data row."""
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    suffix = Path(name).suffix.lower()
    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    if suffix not in (".csv", ".txt", ""):
        raise ImportFileError(
            f"format de fichier non pris en charge : {suffix} (attendu .csv ou .xlsx)"
        )
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
    return _rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise ImportFileError(f"classeur XLSX illisible : {exc}") from exc
    try:
        return _rows(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def _rows(rows: Iterable[Any]) -> list[tuple[int, dict[str, Any]]]:
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise ImportFileError("fichier vide : l'en-tête date, account, label, amount est requis")
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        canonical = ALIASES.get("" if cell is None else str(cell).strip().lower())
        if canonical and canonical not in columns:
            columns[canonical] = i
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(str(c) for c in header if c not in (None, "")) or "rien"
        raise ImportFileError(
            f"colonnes manquantes dans l'en-tête (ligne 1) : {', '.join(missing)} ;"
            f" attendu : {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
            f" (service facultatif) ; trouvé : {found}"
        )
    out = []
    for number, row in enumerate(it, start=2):
        if not row or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        cells = list(row)
        out.append(
            (number, {name: cells[i] if i < len(cells) else None for name, i in columns.items()})
        )
    return out


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError("montant manquant")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a spreadsheet cell: its shortest decimal representation
        return Decimal(repr(value))
    text = str(value).strip()
    if not text:
        raise ValueError("montant manquant")
    try:
        return parse_fr_decimal(text)
    except ValueError:
        raise ValueError(
            f"montant invalide « {text} » (attendu par ex. 1234,56 ou -45.00)"
        ) from None


def check_rows(
    raw_rows: list[tuple[int, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Parse and check every row; return the clean rows and *every* problem."""
    frozen = services.regularised_years()
    service_ids = services.service_ids_by_code()
    clean: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for number, raw in raw_rows:
        row_problems: list[RowProblem] = []
        data: dict[str, Any] = {
            "date": None,
            "account": "",
            "label": "",
            "amount": None,
            "service_id": None,
        }
        try:
            value = raw.get("date")
            data["date"] = (
                value.date()
                if isinstance(value, datetime)
                else (value if isinstance(value, date) else parse_date(value))
            )
        except ParseError as exc:
            row_problems.append(RowProblem(number, "date", str(exc)))
        account = raw.get("account")
        if isinstance(account, int | float) and not isinstance(account, bool):
            account = str(int(account))  # a spreadsheet may store 613200 as a number
        data["account"] = "" if account is None else str(account).strip()
        data["label"] = "" if raw.get("label") is None else str(raw["label"]).strip()
        try:
            data["amount"] = _amount(raw.get("amount"))
        except ValueError as exc:
            row_problems.append(RowProblem(number, "amount", str(exc)))
        code = "" if raw.get("service") is None else str(raw["service"]).strip()
        if code:
            sid = service_ids.get(code.upper())
            if sid is None:
                row_problems.append(RowProblem(number, "service", f"service inconnu « {code} »"))
            data["service_id"] = sid
        for p in services.check_expense(data, frozen):
            if p.field in ("date", "amount") and any(rp.field == p.field for rp in row_problems):
                continue  # already reported as unreadable
            if p.field == "service_id":
                continue
            row_problems.append(RowProblem(number, p.field or "", _lower_first(p.message)))
        if row_problems:
            problems.extend(row_problems)
        else:
            clean.append(data)
    return clean, problems


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message else message


def import_expenses(
    raw_rows: list[tuple[int, dict[str, Any]]],
    *,
    source: str,
    dry_run: bool = False,
    user_id: int | None = None,
) -> ImportResult:
    """All or nothing: with any problem nothing is written."""
    clean, problems = check_rows(raw_rows)
    result = ImportResult(rows=len(raw_rows), problems=problems)
    if not raw_rows:
        result.problems.append(RowProblem(1, "", "aucune dépense dans le fichier"))
    if result.problems:
        return result
    result.total = sum((r["amount"] for r in clean), Decimal("0.00"))
    if dry_run:
        return result
    result.imported = services.create_expenses(clean, source=source, user_id=user_id)
    return result
