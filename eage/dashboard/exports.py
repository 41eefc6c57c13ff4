"""Every dashboard table as .xlsx (pandas + openpyxl, formatted) and as CSV.

The exports write the very :class:`~eage.dashboard.services.Table` the page shows, rows then
footer rows, so their figures are the page's. pandas is imported here, lazily (it costs half
a second at import: STACK-NOTES §6), never at app start.

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

from eage.dashboard.services import Table

EURO_FORMAT = '#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"'
HOURS_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
NUMBER_FORMAT = "0.00"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    """Decimals to floats for the spreadsheet (Excel stores IEEE doubles anyway; each cell is
    already rounded to the cent / to 1e-4 for shares)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_xlsx(table: Table, year: int) -> bytes:
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = _shown_rows(table)
    frame = pd.DataFrame(
        [[_cell(row.get(c.key)) for c in table.columns] for row in rows],
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
        n_rows = len(table.rows)
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = {
                "money": EURO_FORMAT,
                "hours": HOURS_FORMAT,
                "percent": PERCENT_FORMAT,
                "number": NUMBER_FORMAT,
            }.get(column.kind)
            width = len(column.title)
            for r, row in enumerate(rows, start=2):
                cell = sheet.cell(row=r, column=index)
                if number_format:
                    cell.number_format = number_format
                if r - 2 >= n_rows:
                    cell.font = Font(bold=True)  # footer (totals) rows
                value = row.get(column.key)
                shown = _shown_width(value, column.kind)
                width = max(width, shown)
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        sheet.title = sheet_name
    workbook_bytes = buffer.getvalue()
    return workbook_bytes


def _shown_rows(table: Table) -> list[dict[str, Any]]:
    """The rows as the page shows them: statuses and totals' text in the reader's language."""
    n = len(table.rows)
    return [
        {c.key: c.shown(row.get(c.key), i >= n) for c in table.columns}
        for i, row in enumerate(table.all_rows())
    ]


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "money":
        return len(f"{value:,.2f}") + 2
    if kind in ("hours", "number"):
        return len(f"{value:,.2f}")
    if kind == "percent":
        return 8
    return len(str(value))


def csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return f"{Decimal(value) * 100:.2f} %".replace(".", ",")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in table.columns])
    for row in _shown_rows(table):
        writer.writerow([csv_value(row.get(c.key), c.kind) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
