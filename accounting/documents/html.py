"""Jinja2 → HTML for the documents (pure: no Flask). Templates and CSS live beside this file."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accounting import formats
from accounting.invoicing import (
    InvoiceDocument,
    InvoiceLine,
    TimeStatement,
    TimeStatementRow,
    line_vat,
)
from accounting.months import Month

TEMPLATES = Path(__file__).parent / "templates"


def _hours_or_dash(minutes: int) -> str:
    return formats.hours(minutes) if minutes else "–"


def _fr_date_day(value: date) -> str:
    """'lun. 02/11/2026': the weekday helps the member check a statement."""
    return format_date(value, "EEE dd/MM/y", locale=formats.LOCALE)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=formats.money,
        hours=formats.hours,
        hours_or_dash=_hours_or_dash,
        duration=duration,
        fr_date=formats.fr_date,
        fr_date_day=_fr_date_day,
        percent=formats.percent,
        number2=formats.number2,
    )
    return env


def vat_label(line: InvoiceLine, doc: InvoiceDocument) -> str:
    category, rate = line_vat(line.kind, doc.vat_regime)
    if category == "S":
        return formats.percent(rate)
    return "Exonéré" if category == "E" else "Hors champ"


def quantity_label(line: InvoiceLine) -> str:
    """Time in hours and exact minutes ('20 h 40'), so that the printed quantity × the hourly
    price gives the printed amount (issue 14); a flat line prints its count ('1')."""
    if line.unit == "HUR":
        if line.minutes is not None:
            return formats.hours_and_minutes(line.minutes).replace(" ", "\xa0")
        return f"{formats.number2(line.quantity)}\xa0h"
    return formats.number2(line.quantity).replace(",00", "")


def unit_price_label(line: InvoiceLine) -> str:
    """The price of one unit: per hour for time ('36,50 € / h'), the amount otherwise."""
    price = formats.unit_price(line.unit_price)
    return f"{price}\xa0/\xa0h" if line.unit == "HUR" else price


def duration(minutes: int) -> str:
    """Hours and minutes that do not break across a cell: 1240 → "20\xa0h\xa040"."""
    return formats.hours_and_minutes(minutes).replace(" ", "\xa0")


def invoice_rows(doc: InvoiceDocument) -> list[dict[str, str]]:
    return [
        {
            "label": line.label,
            "code": line.service_code,
            "quantity": quantity_label(line),
            "unit_price": unit_price_label(line),
            "vat": vat_label(line, doc),
            "amount": formats.money(line.amount),
        }
        for line in doc.lines
    ]


def invoice_context(doc: InvoiceDocument) -> dict[str, Any]:
    labels = {r.service_code: r.service_label for r in doc.time_annex if r.service_label}
    annex = sorted(doc.time_annex, key=lambda r: (r.day, r.employee_name, r.service_code))
    return {
        "doc": doc,
        "rows": invoice_rows(doc),
        "annex": annex,
        "service_labels": labels,
        "created": doc.issue_date.isoformat(),
    }


def render_invoice_html(doc: InvoiceDocument) -> str:
    return environment().get_template("invoice.html").render(invoice_context(doc))


def statement_details(stmt: TimeStatement) -> list[tuple[str, list[TimeStatementRow]]]:
    details: dict[str, list[TimeStatementRow]] = {}
    for row in stmt.sorted_rows():
        details.setdefault(row.employee_name, []).append(row)
    return list(details.items())


def statement_context(stmt: TimeStatement) -> dict[str, Any]:
    return {
        "stmt": stmt,
        "month": formats.month_label(Month(stmt.year, stmt.month)),
        "matrix": stmt.minutes_by_employee_service(),
        "by_employee": stmt.minutes_by_employee(),
        "by_service": stmt.minutes_by_service(),
        "details": statement_details(stmt),
        "created": stmt.issue_date.isoformat(),
    }


def render_time_statement_html(stmt: TimeStatement) -> str:
    return environment().get_template("time_statement.html").render(statement_context(stmt))
