"""The ledgers as .xlsx workbooks (the trial balance, the general ledger, the members'
ledger): one sheet, a title, the filter as subtitle, a frozen header, totals in bold."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from accounting.aging import BUCKETS, AgedBalance, bucket_of
from accounting.formats import text_cells_as_text
from eage.books.ledgers import (
    LedgerFilter,
    LedgerSection,
    balance_totals,
    general_ledger,
    member_ledger,
    trial_balance,
)

_MONEY_FORMAT = '#,##0.00;-#,##0.00;""'
_HEADER_ROW = 4
_THIN = Side(style="thin", color="999999")


def _write_head(ws: Worksheet, title: str, subtitle: str, header: list[str]) -> None:
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([subtitle])
    ws["A2"].font = Font(italic=True, color="555555")
    ws.append([])
    ws.append(header)
    head_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[_HEADER_ROW]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _write_rows(
    ws: Worksheet,
    rows: Iterable[list[Any]],
    widths: list[int],
    money_columns: set[int],
    total_rows: set[int],
) -> None:
    """Append the rows, formatting money and dates; ``widths`` grow with the contents."""
    for count, values in enumerate(rows, start=1):
        ws.append(values)
        r = ws.max_row
        for i, value in enumerate(values):
            cell = ws.cell(row=r, column=i + 1)
            if i in money_columns:
                cell.number_format = _MONEY_FORMAT
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            widths[i] = min(max(widths[i], len(str(value if value is not None else "")) + 2), 60)
        if count in total_rows:
            for cell in ws[r]:
                cell.font = Font(bold=True)
                cell.border = Border(top=_THIN)


def _workbook(
    title: str,
    subtitle: str,
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    money_columns: set[int],
    total_rows: set[int] | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _write_head(ws, title, subtitle, header)
    widths = [len(h) + 2 for h in header]
    _write_rows(ws, rows, widths, money_columns, total_rows or set())
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(width, 10)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(header))}{max(ws.max_row, _HEADER_ROW)}"
    ws.sheet_view.showGridLines = False
    text_cells_as_text(ws)  # labels and names come from users: never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _period(flt: LedgerFilter) -> str:
    parts = [f"du {flt.start:%d/%m/%Y} au {flt.end:%d/%m/%Y}"]
    if flt.journal:
        parts.append(f"journal {flt.journal}")
    if flt.account:
        parts.append(f"comptes {flt.account}…")
    return ", ".join(parts) + ("" if not flt.include_drafts else ", brouillons compris")


def trial_balance_xlsx(flt: LedgerFilter) -> bytes:
    rows = trial_balance(flt)
    totals = balance_totals(rows)
    data: list[list[Any]] = [
        [r.account, r.label, r.debit, r.credit, r.debit_balance, r.credit_balance] for r in rows
    ]
    data.append(
        ["Total", "", totals.debit, totals.credit, totals.debit_balance, totals.credit_balance]
    )
    return _workbook(
        "Balance générale",
        _period(flt),
        ["Compte", "Intitulé", "Débit", "Crédit", "Solde débiteur", "Solde créditeur"],
        data,
        money_columns={2, 3, 4, 5},
        total_rows={len(data)},
    )


_LEDGER_HEADER = [
    "Compte",
    "Date",
    "Journal",
    "N° écriture",
    "Pièce",
    "Compte général",
    "Libellé",
    "Adhérent",
    "Service",
    "Débit",
    "Crédit",
    "Solde",
    "Lettrage",  # the member ledger's codes (empty in the general ledger)
]


def _section_rows(s: LedgerSection) -> list[list[Any]]:
    """A section's lines, then its total line."""
    rows: list[list[Any]] = [
        [
            s.account,
            r.day,
            r.journal,
            r.number,
            r.piece_ref,
            r.account,
            r.label,
            r.member or "",
            r.service or "",
            r.debit,
            r.credit,
            r.balance,
            r.lettering,
        ]
        for r in s.rows
    ]
    total = f"Total {s.account} {s.label}"
    rows.append([s.account, None, "", "", "", "", total, "", "", s.debit, s.credit, s.balance, ""])
    return rows


def _ledger_xlsx(title: str, sections: list[LedgerSection], flt: LedgerFilter) -> bytes:
    data: list[list[Any]] = []
    totals: set[int] = set()
    for s in sections:
        data.extend(_section_rows(s))
        totals.add(len(data))
    return _workbook(
        title, _period(flt), _LEDGER_HEADER, data, money_columns={9, 10, 11}, total_rows=totals
    )


def general_ledger_xlsx(flt: LedgerFilter) -> bytes:
    return _ledger_xlsx("Grand livre", general_ledger(flt), flt)


def member_ledger_xlsx(flt: LedgerFilter) -> bytes:
    return _ledger_xlsx("Grand livre adhérents", member_ledger(flt), flt)


_AGED_HEADER = [
    "Adhérent",
    "Nom",
    "Facture",
    "Émise le",
    "Échéance",
    "Jours",
    "Non échu",
    "0–30 j",
    "31–60 j",
    "61–90 j",
    "> 90 j",
    "Non imputé",
    "Total",
]


def aged_receivables_xlsx(aged: AgedBalance, names: dict[str, str]) -> bytes:
    """The aged balance: one row per open invoice in its bucket's column, one total row per
    member (with what is to its credit and applied to no invoice), the overall total."""
    data: list[list[Any]] = []
    totals: set[int] = set()
    for line in aged.lines:
        name = names.get(line.member, "")
        for item in line.items:
            bucket = bucket_of(item.due_date, aged.at)
            amounts = [item.amount if b == bucket else None for b in BUCKETS]
            days = (aged.at - item.due_date).days
            head = [line.member, name, item.reference, item.issue_date, item.due_date, days]
            data.append([*head, *amounts, None, item.amount])
        buckets = [line.buckets[b] for b in BUCKETS]
        head = [line.member, f"Total {name}", "", None, None, None]
        data.append([*head, *buckets, line.unapplied, line.total])
        totals.add(len(data))
    overall = [aged.buckets[b] for b in BUCKETS]
    data.append(["Total", "", "", None, None, None, *overall, aged.unapplied, aged.total])
    totals.add(len(data))
    return _workbook(
        "Balance âgée",
        f"créances au {aged.at:%d/%m/%Y}, TTC",
        _AGED_HEADER,
        data,
        money_columns=set(range(6, 13)),
        total_rows=totals,
    )
