"""Payslip and payroll-journal documents: Jinja2 HTML + CSS → PDF (WeasyPrint), .docx
(python-docx) and .xlsx (openpyxl). Pure: no Flask, no database.

The payslip follows the « bulletin clarifié » (arrêté du 25 février 2016 modifié par l'arrêté
du 31 janvier 2023) and prints every mention of art. R3243-1 C. trav.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]

from accounting import formats
from accounting.money import ROUND_HALF_UP, ZERO, D

from ..model import (
    HEADING_CSG_DEDUCTIBLE,
    HEADING_CSG_NON_DEDUCTIBLE,
    HEADING_EXONERATIONS,
    HEADINGS,
)
from .model import JournalRow, PayslipDocument

__all__ = [
    "KEEP_MENTION",
    "JOURNAL_FAMILIES",
    "journal_html",
    "journal_totals",
    "payslip_context",
    "payslip_html",
    "render_pdf",
]

TEMPLATES = Path(__file__).parent / "templates"

# Art. R3243-5 C. trav. (décret 2016-1762): the mention every payslip carries.
KEEP_MENTION = (
    "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de "
    "paie sans limitation de durée."
)
# Art. R3243-2 C. trav.: where the employee finds the meaning of the headings.
GLOSSARY_MENTION = (
    "Rubrique dédiée au bulletin de paie sur le portail www.service-public.fr "
    "(fiche F559 « Bulletin de paie »)."
)

# Contribution families of the payroll journal: short column labels for the headings.
JOURNAL_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Santé", (HEADINGS[0],)),
    ("AT/MP", (HEADINGS[1],)),
    ("Retraite", (HEADINGS[2],)),
    ("Famille", (HEADINGS[3],)),
    ("Chômage", (HEADINGS[4],)),
    ("Autres contrib.", (HEADINGS[5], HEADINGS[6])),
    ("CSG/CRDS", (HEADING_CSG_DEDUCTIBLE, HEADING_CSG_NON_DEDUCTIBLE)),
    ("Allègements", (HEADING_EXONERATIONS,)),
)


def _dec(value: Any) -> Decimal:
    return ZERO if value in (None, "") else D(str(value))


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
        amount=formats.amount,
        hours=formats.amount,
        unit_rate=formats.unit_rate,
        rate=formats.rate,
        days=formats.amount,
        fr_date=formats.fr_date,
        ssn=formats.ssn,
    )
    return env


# ------------------------------------------------------------------------------------------
# Payslip
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Mapping[str, Any], ...]
    employee_total: Decimal
    employer_total: Decimal


def sections(lines: Sequence[Mapping[str, Any]]) -> list[Section]:
    """Lines grouped under the headings, in the order of the « bulletin clarifié »."""
    out: list[Section] = []
    for heading in HEADINGS:
        under = tuple(line for line in lines if line["heading"] == heading)
        if under:
            out.append(
                Section(
                    heading,
                    under,
                    sum((_dec(line["employee_amount"]) for line in under), ZERO),
                    sum((_dec(line["employer_amount"]) for line in under), ZERO),
                )
            )
    return out


def payslip_context(doc: PayslipDocument) -> dict[str, Any]:
    """What the payslip templates (HTML and .docx) print, computed once."""
    slip = doc.payslip
    earnings = list(slip.get("earnings") or [])
    normal_hours = next(
        (_dec(e["hours"]) for e in earnings if e["code"] == "base" and e["hours"]), None
    )
    if normal_hours is None:  # incomplete month: contract hours of the days under contract
        normal_hours = ZERO
    extra = [e for e in earnings if e["code"].startswith(("overtime_", "complementary_"))]
    absence = next((e for e in earnings if e["code"] == "absence"), None)
    employer_after = _dec(slip["employer_contributions"]) - _dec(slip["reductions"])
    return {
        "doc": doc,
        "slip": slip,
        "employer": doc.employer,
        "employee": doc.employee,
        "earnings": earnings,
        "sections": sections(list(slip.get("lines") or [])),
        "normal_hours": normal_hours,
        "extra_lines": extra,
        "absence": absence,
        "extra_hours": sum((_dec(e["hours"]) for e in extra), ZERO),
        "employer_after_reductions": employer_after,
        # Exact: the rate is stored as a percentage with two decimals (Numeric(5, 2)).
        "pas_rate_percent": (doc.pas_rate * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        "month_label": formats.month_label(doc.period_start),
        "keep_mention": KEEP_MENTION,
        "glossary_mention": GLOSSARY_MENTION,
        "leave": doc.leave,
    }


def payslip_html(doc: PayslipDocument) -> str:
    return environment().get_template("payslip.html").render(**payslip_context(doc))


def render_pdf(html: str, *, identifier: str) -> bytes:
    """HTML → PDF with WeasyPrint; ``identifier`` seeds the PDF file identifier so that a
    document renders to the same bytes each time. Documents load no external resource."""
    pdf: bytes = HTML(string=html, url_fetcher=_NoFetch()).write_pdf(
        pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
    )
    return pdf


class _NoFetch(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that refuses everything: payroll documents are self-contained."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise FatalURLFetchingError(f"payroll documents load no resource (asked for {url})")


# ------------------------------------------------------------------------------------------
# Payroll journal
# ------------------------------------------------------------------------------------------


def family_amounts(slip: Mapping[str, Any]) -> list[tuple[Decimal, Decimal]]:
    """(employee, employer) amounts per journal family, in :data:`JOURNAL_FAMILIES` order."""
    out: list[tuple[Decimal, Decimal]] = []
    lines = list(slip.get("lines") or [])
    for _label, headings in JOURNAL_FAMILIES:
        under = [line for line in lines if line["heading"] in headings]
        out.append(
            (
                sum((_dec(line["employee_amount"]) for line in under), ZERO),
                sum((_dec(line["employer_amount"]) for line in under), ZERO),
            )
        )
    return out


TOTAL_FIELDS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "reductions",
    "net_social",
    "net_before_tax",
    "tax_withheld",
    "net_paid",
    "employer_cost",
)


def journal_totals(rows: Sequence[JournalRow]) -> dict[str, Decimal]:
    """Sums of the payslips' totals (the journal's last row)."""
    return {name: sum((_dec(row.payslip[name]) for row in rows), ZERO) for name in TOTAL_FIELDS}


def journal_family_totals(rows: Sequence[JournalRow]) -> list[tuple[Decimal, Decimal]]:
    totals = [(ZERO, ZERO) for _ in JOURNAL_FAMILIES]
    for row in rows:
        for i, (employee, employer) in enumerate(family_amounts(row.payslip)):
            totals[i] = (totals[i][0] + employee, totals[i][1] + employer)
    return totals


def journal_html(
    rows: Sequence[JournalRow], *, month_label: str, employer_name: str, siret: str
) -> str:
    return (
        environment()
        .get_template("journal.html")
        .render(
            rows=[(row, family_amounts(row.payslip)) for row in rows],
            families=[label for label, _ in JOURNAL_FAMILIES],
            totals=journal_totals(rows),
            family_totals=journal_family_totals(rows),
            month_label=month_label,
            employer_name=employer_name,
            siret=siret,
        )
    )


def journal_pdf(
    rows: Sequence[JournalRow], *, month_label: str, employer_name: str, siret: str
) -> bytes:
    html = journal_html(rows, month_label=month_label, employer_name=employer_name, siret=siret)
    return render_pdf(html, identifier=f"journal {month_label}")
