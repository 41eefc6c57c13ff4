"""Every dashboard table as .xlsx (pandas + openpyxl, formatted) and as CSV.

The exports write the very :class:`~eage.dashboard.table.Table` the page shows, rows then
footer rows, so their figures are the page's.

* .xlsx: one sheet, header row in bold and frozen, euro format on money columns, two
  decimals on hours, percentages as percentages, widths fitted to the content.
* CSV: for French spreadsheets — UTF-8 with BOM, ``;`` separated, decimal comma, no
  thousands separator, percentages as ratios written like ``92,31 %``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from accounting.formats import safe_cell, text_cells_as_text
from eage.dashboard.table import Cell, Column, Table

EURO_FORMAT = '#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"'
HOURS_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
NUMBER_FORMAT = "0.00"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


NUMBER_FORMATS = {
    "money": EURO_FORMAT,
    "hours": HOURS_FORMAT,
    "percent": PERCENT_FORMAT,
    "number": NUMBER_FORMAT,
}


def _cell(value: Cell) -> str | float | None:
    """Decimals to floats for the spreadsheet (Excel stores IEEE doubles anyway; each cell is
    already rounded to the cent / to 1e-4 for shares)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_xlsx(table: Table[Any], year: int) -> bytes:
    rows = _shown_rows(table)
    frame = pd.DataFrame(
        [[_cell(value) for value in row] for row in rows],
        columns=[c.title for c in table.columns],
    )
    buffer = io.BytesIO()
    sheet_name = table.name[:31]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet_name, index=False)
        sheet = writer.sheets[sheet_name]
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, column in enumerate(table.columns, start=1):
            _format_column(sheet, index, column, [row[index - 1] for row in rows], len(table.rows))
        sheet.title = sheet_name
        text_cells_as_text(sheet)  # names and labels come from users: never a formula
    workbook_bytes = buffer.getvalue()
    return workbook_bytes


def _format_column(sheet: Any, index: int, column: Column, values: list[Cell], n_rows: int) -> None:
    """Column `index` (from 1) of the sheet: its number format, the footer (totals) rows in
    bold, its width fitted to the title and the values."""
    number_format = NUMBER_FORMATS.get(column.kind)
    width = len(column.title)
    for r, value in enumerate(values, start=2):
        cell = sheet.cell(row=r, column=index)
        if number_format:
            cell.number_format = number_format
        if r - 2 >= n_rows:
            cell.font = Font(bold=True)  # footer (totals) rows
        width = max(width, _shown_width(value, column.kind))
    sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)


def _shown_rows(table: Table[Any]) -> list[list[Cell]]:
    """The rows' cells (column by column) as the page shows them: statuses and totals' text
    in the reader's language."""
    n = len(table.rows)
    return [
        [c.shown(row.cell(c.key), i >= n) for c in table.columns]
        for i, row in enumerate(table.all_rows())
    ]


def _shown_width(value: Cell, kind: str) -> int:
    if value is None:
        return 0
    if kind == "money":
        return len(f"{value:,.2f}") + 2
    if kind in ("hours", "number"):
        return len(f"{value:,.2f}")
    if kind == "percent":
        return 8
    return len(str(value))


def csv_value(value: Cell, kind: str) -> str:
    """The cell as CSV text: numbers written the French way (a negative amount stays a
    number), text escaped so that no spreadsheet runs it as a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(safe_cell(value))
    if kind == "percent":
        return f"{Decimal(value) * 100:.2f} %".replace(".", ",")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(table: Table[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(c.title) for c in table.columns])
    for row in _shown_rows(table):
        writer.writerow(
            [csv_value(value, c.kind) for value, c in zip(row, table.columns, strict=True)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
