"""A bank's CSV export → :class:`Statement`, read with the house table reader
(eage/tables.py) under the columns the accountant mapped once for that bank (a date, an
amount or a debit and a credit column, a label, optionally a reference, the other party and
its IBAN; decimal comma or point; the bank's date format). A CSV carries no balances nor
statement id: the id is the file's period and its SHA-256 prefix."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from accounting.money import D, is_whole_cents
from accounting.problems import Problem, ProblemsError
from eage.bank.statement import Statement, StatementLine, compact_iban, line_problem
from eage.filters import tr
from eage.tables import Columns, read_table


@dataclass(frozen=True)
class CsvMapping:
    account_iban: str
    date_column: str
    label_column: str
    date_format: str = "%d/%m/%Y"
    amount_column: str | None = None
    debit_column: str | None = None
    credit_column: str | None = None
    reference_column: str | None = None
    counterparty_column: str | None = None
    iban_column: str | None = None
    decimal_comma: bool = True

    def columns(self) -> Columns:
        named = {
            "date": self.date_column,
            "label": self.label_column,
            "amount": self.amount_column,
            "debit": self.debit_column,
            "credit": self.credit_column,
            "reference": self.reference_column,
            "counterparty": self.counterparty_column,
            "iban": self.iban_column,
        }
        required = ("date", "label") + (("amount",) if self.amount_column else ())
        optional = tuple(n for n in named if n not in required)
        aliases = {v.strip().lower(): k for k, v in named.items() if v}
        return Columns(required, optional, aliases, "les autres colonnes sont facultatives")


def mapping_problems(m: CsvMapping) -> list[Problem]:
    problems = []
    if not m.amount_column and not (m.debit_column and m.credit_column):
        problems.append(
            Problem(
                "amount_column",
                tr("indiquez la colonne du montant, ou celles du débit et du crédit"),
            )
        )
    if not compact_iban(m.account_iban):
        problems.append(Problem("account_iban", tr("indiquez l'IBAN du compte")))
    return problems


def _number(text: Any, comma: bool) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return D("0")
    raw = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    raw = raw.replace("€", "")
    if comma:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        value = D(raw)
    except (InvalidOperation, ValueError):
        return None
    return value if is_whole_cents(value) else None


def _row_amount(values: dict[str, Any], m: CsvMapping) -> Decimal | None:
    if m.amount_column:
        return _number(values["amount"], m.decimal_comma)
    debit = _number(values["debit"], m.decimal_comma)
    credit = _number(values["credit"], m.decimal_comma)
    if debit is None or credit is None:
        return None
    return credit - abs(debit)


def _row_line(
    row: int, values: dict[str, Any], m: CsvMapping, problems: list[Problem]
) -> StatementLine | None:
    found = len(problems)
    day: date | None = None
    try:
        day = datetime.strptime(str(values["date"]).strip(), m.date_format).date()
    except ValueError:
        problems.append(
            line_problem(
                row,
                tr(
                    "date « %(date)s » illisible (attendu %(format)s)",
                    date=values["date"],
                    format=m.date_format,
                ),
            )
        )
    amount = _row_amount(values, m)
    if amount is None:
        problems.append(line_problem(row, tr("montant illisible")))
    elif amount == 0:
        problems.append(line_problem(row, tr("montant nul")))
    if len(problems) > found or day is None or amount is None:
        return None
    text = str(values["label"] or "").strip() or None
    ref = str(values.get("reference") or "").strip() or None
    return StatementLine(
        booking_date=day,
        amount=amount,
        remittance=text,
        end_to_end_id=ref,
        counterparty_name=str(values.get("counterparty") or "").strip() or None,
        counterparty_iban=compact_iban(str(values.get("iban") or "")),
    )


def parse_csv(data: bytes, m: CsvMapping, filename: str = "releve.csv") -> Statement:
    problems = mapping_problems(m)
    if problems:
        raise ProblemsError(problems)
    columns = m.columns()
    import io

    table = read_table(
        io.BytesIO(data), columns, filename if filename.endswith(".csv") else "x.csv"
    )
    lines: list[StatementLine] = []
    for row, cells in table.rows:
        values = dict(zip(columns.names, cells, strict=True))
        line = _row_line(row, values, m, problems)
        if line is not None:
            lines.append(line)
    if not lines and not problems:
        problems.append(Problem(None, tr("aucun mouvement dans le fichier")))
    if problems:
        raise ProblemsError(problems)
    start = min(ln.booking_date for ln in lines)
    end = max(ln.booking_date for ln in lines)
    digest = hashlib.sha256(data).hexdigest()[:12]
    iban = compact_iban(m.account_iban) or ""
    return Statement(
        iban, f"CSV-{start}-{end}-{digest}", None, None, start, end, tuple(lines), "csv"
    )
