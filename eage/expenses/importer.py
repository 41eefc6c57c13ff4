"""Importing overhead expenses from a CSV (or XLSX) file, all or nothing.

Columns ``date, account, label, amount, service, vat, supplier, paid_by`` (header required;
the last four optional; French headers ``compte, libellé, montant, tva, fournisseur,
reglement`` accepted). ``vat`` is the deductible VAT (44566), with the amount's sign;
``paid_by`` ``supplier``/``fournisseur``/``401`` (default) or ``bank``/``banque``/``512``.
``date`` as YYYY-MM-DD or DD/MM/YYYY;
``amount`` as ``1234.56``, ``1 234,56`` or ``-45,00`` (a refund); ``service`` a service code
or empty; ``,`` or ``;`` separated, UTF-8 (BOM allowed). Row numbers are line numbers in
the file, the header being row 1. On any bad row nothing is written and every bad row is
reported as ``row N: <reason>`` — the same rules as the timesheet import (SPEC §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from accounting.problems import Problem, ProblemsError
from eage.expenses import services
from eage.filters import tr
from eage.forms_fr import parse_fr_decimal
from eage.tables import Columns, read_table
from eage.timesheets.parsing import parse_date

COLUMNS = Columns(
    required=("date", "account", "label", "amount"),
    optional=("service", "vat", "supplier", "paid_by"),
    aliases={
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
        "vat": "vat",
        "tva": "vat",
        "tva deductible": "vat",
        "tva déductible": "vat",
        "supplier": "supplier",
        "fournisseur": "supplier",
        "paid_by": "paid_by",
        "reglement": "paid_by",
        "règlement": "paid_by",
        "reglee par": "paid_by",
        "réglée par": "paid_by",
    },
    optional_note="service, vat, supplier et paid_by facultatifs",
)


@dataclass
class ImportResult:
    rows: int
    problems: list[Problem] = field(default_factory=list)
    imported: int = 0
    total: Decimal = Decimal("0.00")

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    def messages(self) -> list[str]:
        return [f"row {p.row}: {p.message}" for p in self.problems]


def read_rows(
    source: str | Path | IO[bytes], filename: str | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column: raw value}) for every non-blank data row; ProblemsError when the
    file cannot be read as an expense list."""
    table = read_table(source, COLUMNS, filename)
    return [
        (number, dict(zip(COLUMNS.names, values, strict=True))) for number, values in table.rows
    ]


PAID_BY = {
    "": "supplier",
    "supplier": "supplier",
    "fournisseur": "supplier",
    "401": "supplier",
    "bank": "bank",
    "banque": "bank",
    "512": "bank",
}


def _amount(value: Any, what: str | None = None) -> Decimal:
    what = what or tr("montant")
    if isinstance(value, bool) or value is None:
        raise ValueError(tr("%(what)s manquant", what=what))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a spreadsheet cell: its shortest decimal representation
        return Decimal(repr(value))
    text = str(value).strip()
    if not text:
        raise ValueError(tr("%(what)s manquant", what=what))
    try:
        return parse_fr_decimal(text)
    except ValueError:
        raise ValueError(
            tr(
                "%(what)s invalide « %(text)s » (attendu par ex. 1234,56 ou -45.00)",
                what=what,
                text=text,
            )
        ) from None


def check_rows(
    raw_rows: list[tuple[int, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse and check every row; return the clean rows and *every* problem."""
    frozen = services.regularised_years()
    service_ids = services.service_ids_by_code()
    clean: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, raw in raw_rows:
        data, row_problems = _check_row(raw, frozen, service_ids)
        if row_problems:
            problems.extend(replace(p, row=number) for p in row_problems)
        else:
            clean.append(data)
    return clean, problems


def _check_row(
    raw: dict[str, Any], frozen: set[int], service_ids: dict[str, int]
) -> tuple[dict[str, Any], list[Problem]]:
    """One row read as an expense, and its problems: what cannot be read, then the rules of
    a typed expense (services.check_expense) in the file's words."""
    problems: list[Problem] = []
    data: dict[str, Any] = {
        "date": None,
        "account": _account(raw.get("account")),
        "label": "" if raw.get("label") is None else str(raw["label"]).strip(),
        "amount": None,
        "service_id": None,
        "supplier": "" if raw.get("supplier") is None else str(raw["supplier"]).strip(),
        "vat": None,
        "paid_by": "supplier",
    }
    try:
        data["date"] = _date(raw.get("date"))
    except ProblemsError as exc:
        problems.append(Problem("date", str(exc)))
    try:
        data["amount"] = _amount(raw.get("amount"))
    except ValueError as exc:
        problems.append(Problem("amount", str(exc)))
    code = "" if raw.get("service") is None else str(raw["service"]).strip()
    if code:
        data["service_id"] = service_ids.get(code.upper())
        if data["service_id"] is None:
            problems.append(Problem("service", tr("service inconnu « %(code)s »", code=code)))
    _read_purchase(raw, data, problems)
    for p in services.check_expense(data, frozen):
        if p.field in ("date", "amount", "vat", "paid_by") and any(
            rp.field == p.field for rp in problems
        ):
            continue  # already reported as unreadable
        if p.field == "service_id":
            continue
        problems.append(Problem(p.field or "", _lower_first(p.message)))
    return data, problems


def _read_purchase(raw: dict[str, Any], data: dict[str, Any], problems: list[Problem]) -> None:
    """The optional VAT and payment columns of a row, into ``data``; what cannot be read,
    into ``problems``."""
    vat = raw.get("vat")
    if vat is not None and str(vat).strip():
        try:
            data["vat"] = _amount(vat, tr("TVA"))
        except ValueError as exc:
            problems.append(Problem("vat", str(exc)))
    paid_by = "" if raw.get("paid_by") is None else str(raw["paid_by"]).strip()
    if paid_by.lower() in PAID_BY:
        data["paid_by"] = PAID_BY[paid_by.lower()]
    else:
        problems.append(
            Problem(
                "paid_by",
                tr("règlement inconnu « %(paid_by)s » (fournisseur ou banque)", paid_by=paid_by),
            )
        )


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else parse_date(value)


def _account(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))  # a spreadsheet may store 613200 as a number
    return "" if value is None else str(value).strip()


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
        result.problems.append(Problem("", tr("aucune dépense dans le fichier"), row=1))
    if result.problems:
        return result
    result.total = sum((r["amount"] for r in clean), Decimal("0.00"))
    if dry_run:
        return result
    result.imported = services.create_expenses(clean, source=source, user_id=user_id)
    return result
