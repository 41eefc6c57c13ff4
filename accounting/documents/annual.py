"""Annual statement per member (issue 5): hours by service and month, real cost (direct and
structure), invoiced, regularisation and fee — the transparency the members asked for.
Pure: a frozen dataclass in, PDF/A-3b (WeasyPrint) and .docx (python-docx) out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from accounting import formats
from accounting.documents.docx_render import MUTED, _footer, _grid, _head, _open, _para, _save
from accounting.documents.html import _hours_or_dash, environment
from accounting.documents.pdf import html_to_pdf
from accounting.documents.typst_data import party, seller
from accounting.invoicing import Party, SellerParty
from accounting.typst_pdf import pdf_engine, typst_pdf

MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


@dataclass(frozen=True)
class ServiceYear:
    code: str
    label: str
    minutes_by_month: tuple[int, ...]  # 12 values, January first
    direct_cost: Decimal
    structure_cost: Decimal
    invoiced: Decimal  # services invoiced in the year, credit notes deducted, excl. tax

    @property
    def minutes(self) -> int:
        return sum(self.minutes_by_month)

    @property
    def total_cost(self) -> Decimal:
        return self.direct_cost + self.structure_cost


@dataclass(frozen=True)
class AnnualStatement:
    seller: SellerParty
    member: Party
    year: int
    issue_date: date
    services: tuple[ServiceYear, ...]
    regularisation: Decimal = Decimal("0.00")  # excl. tax: + invoiced to the member, − credited
    regularisation_documents: tuple[str, ...] = ()
    fee: Decimal = Decimal("0.00")
    fee_documents: tuple[str, ...] = ()
    reference: str = ""
    # False while a month of the year is still open: the statement is provisional and counts
    # only the closed months, named in `months_closed` (« janvier à octobre 2026 »).
    complete: bool = True
    months_closed: str = ""

    @property
    def title(self) -> str:
        return f"Bilan annuel {self.year}" + ("" if self.complete else " (provisoire)")

    @property
    def provisional_notice(self) -> str:
        """What a provisional statement says first ('' once the year is complete)."""
        if self.complete:
            return ""
        return (
            f"Document provisoire. Mois clôturés : {self.months_closed}. Les heures, coûts et "
            "factures ci-dessous ne comptent que ces mois ; le temps des mois non clôturés n'est "
            "pas encore facturé et n'y figure pas. Le bilan définitif suivra la clôture des douze "
            "mois et la régularisation de l'exercice."
        )

    @property
    def minutes_by_month(self) -> tuple[int, ...]:
        return tuple(sum(s.minutes_by_month[m] for s in self.services) for m in range(12))

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.services)

    @property
    def direct_cost(self) -> Decimal:
        return sum((s.direct_cost for s in self.services), Decimal("0.00"))

    @property
    def structure_cost(self) -> Decimal:
        return sum((s.structure_cost for s in self.services), Decimal("0.00"))

    @property
    def real_cost(self) -> Decimal:
        return self.direct_cost + self.structure_cost

    @property
    def invoiced(self) -> Decimal:
        return sum((s.invoiced for s in self.services), Decimal("0.00"))

    @property
    def balance(self) -> Decimal:
        """Real cost − invoiced (regularisation included): 0.00 once regularised."""
        return self.real_cost - self.invoiced

    @property
    def provisional(self) -> Decimal:
        """Invoiced during the year before the regularisation."""
        return self.invoiced - self.regularisation


def render_annual_statement_html(stmt: AnnualStatement) -> str:
    return (
        environment()
        .get_template("annual_statement.html")
        .render(stmt=stmt, months=MONTHS, created=stmt.issue_date.isoformat())
    )


def annual_statement_data(stmt: AnnualStatement) -> dict[str, Any]:
    """The Typst template's data (issue 17): the texts of annual_statement.html, formatted."""
    h, m = formats.hours, formats.money
    lines = summary_lines(stmt)
    label, fee = lines[-1]
    lines[-1] = (f"{label} — hors champ de la TVA", fee)
    strong = {"Total facturé pour les services", "Écart restant (coût réel − facturé)"}
    strong.add("Écart à date (coût réel − facturé), provisoire")
    return {
        "title": stmt.title,
        "docref": stmt.title,
        "pdf_title": f"{stmt.title} – {stmt.member.name}",
        "author": stmt.seller.name,
        "seller": seller(stmt.seller),
        "member": party(stmt.member),
        "meta": [
            [k, v]
            for k, v in (
                ("Exercice", str(stmt.year)),
                ("Référence", stmt.reference),
                ("Établi le", formats.fr_date(stmt.issue_date)),
            )
            if v
        ],
        "provisional_notice": stmt.provisional_notice,
        "member_name": stmt.member.name,
        "year": str(stmt.year),
        "months": list(MONTHS),
        "hours": [
            [s.label, *(_hours_or_dash(x) for x in s.minutes_by_month), h(s.minutes)]
            for s in stmt.services
        ],
        "hours_total": [
            "Total",
            *(_hours_or_dash(x) for x in stmt.minutes_by_month),
            h(stmt.total_minutes),
        ],
        "costs": [
            [
                s.label,
                h(s.minutes),
                m(s.direct_cost),
                m(s.structure_cost),
                m(s.total_cost),
                m(s.invoiced),
            ]
            for s in stmt.services
        ],
        "costs_total": [
            "Total",
            h(stmt.total_minutes),
            m(stmt.direct_cost),
            m(stmt.structure_cost),
            m(stmt.real_cost),
            m(stmt.invoiced),
        ],
        "summary": [[k, v, k in strong] for k, v in lines],
    }


def render_annual_statement_pdf(stmt: AnnualStatement, *, engine: str | None = None) -> bytes:
    """PDF/A-3b of the annual statement, laid out by Typst (default) or WeasyPrint."""
    if pdf_engine(engine) == "typst":
        data = annual_statement_data(stmt)
        return typst_pdf("annual_statement.typ", data, created=stmt.issue_date)
    return html_to_pdf(
        render_annual_statement_html(stmt),
        identifier=f"annual-{stmt.year}-{stmt.member.siren}-{stmt.reference}",
    )


def render_annual_statement_docx(stmt: AnnualStatement, template: bytes | None = None) -> bytes:
    document = _open(template)
    title = stmt.title
    document.core_properties.title = f"{title} – {stmt.member.name}"
    document.core_properties.author = stmt.seller.name
    _footer(document, stmt.seller, title)
    meta = [("Exercice", str(stmt.year)), ("Établi le", formats.fr_date(stmt.issue_date))]
    if stmt.reference:
        meta.append(("Référence", stmt.reference))
    _head(document, stmt.seller, title, meta, party_label="Structure adhérente", party=stmt.member)
    if stmt.provisional_notice:
        _para(document, stmt.provisional_notice, bold=True)
    _para(
        document,
        f"Heures de mise à disposition, coût réel et facturation de {stmt.member.name} "
        f"pour l'exercice {stmt.year}. Le groupement refacture ses coûts à l'euro près : "
        "le coût réel est la part des coûts employeur des salariés (selon leurs heures) "
        "et des frais de structure (au prorata des heures facturables).",
    )
    document.add_heading("Heures par service et par mois", level=2)
    rows = [
        [s.label]
        + [formats.hours(m) if m else "–" for m in s.minutes_by_month]
        + [formats.hours(s.minutes)]
        for s in stmt.services
    ]
    rows.append(
        ["Total"]
        + [formats.hours(m) if m else "–" for m in stmt.minutes_by_month]
        + [formats.hours(stmt.total_minutes)]
    )
    _grid(
        document,
        ["Service", *MONTHS, "Total"],
        rows,
        numeric=tuple(range(1, 14)),
        bold_rows=(len(rows) - 1,),
    )
    document.add_heading("Coût réel et facturation", level=2)
    rows = [
        [
            s.label,
            formats.hours(s.minutes),
            formats.money(s.direct_cost),
            formats.money(s.structure_cost),
            formats.money(s.total_cost),
            formats.money(s.invoiced),
        ]
        for s in stmt.services
    ]
    rows.append(
        [
            "Total",
            formats.hours(stmt.total_minutes),
            formats.money(stmt.direct_cost),
            formats.money(stmt.structure_cost),
            formats.money(stmt.real_cost),
            formats.money(stmt.invoiced),
        ]
    )
    _grid(
        document,
        ["Service", "Heures", "Coût direct", "Frais de structure", "Coût réel", "Facturé HT"],
        rows,
        numeric=(1, 2, 3, 4, 5),
        bold_rows=(len(rows) - 1,),
    )
    for line in summary_lines(stmt):
        _para(document, f"{line[0]} : {line[1]}")
    _para(
        document,
        "Montants hors taxes ; la cotisation annuelle est hors champ de la TVA.",
        size=8,
        color=MUTED,
    )
    return _save(document)


def summary_lines(stmt: AnnualStatement) -> list[tuple[str, str]]:
    reg = stmt.regularisation
    docs = f" ({', '.join(stmt.regularisation_documents)})" if stmt.regularisation_documents else ""
    if not stmt.complete:
        return _provisional_summary_lines(stmt)
    lines = [
        ("Coût réel de l'exercice", formats.money(stmt.real_cost)),
        (
            "Facturé en cours d'année (factures provisionnelles − avoirs)",
            formats.money(stmt.provisional),
        ),
        (
            "Régularisation" + docs,
            ("+" if reg > 0 else "") + formats.money(reg) if reg else "aucune",
        ),
        ("Total facturé pour les services", formats.money(stmt.invoiced)),
        ("Écart restant (coût réel − facturé)", formats.money(stmt.balance)),
    ]
    fee_docs = f" ({', '.join(stmt.fee_documents)})" if stmt.fee_documents else ""
    lines.append(("Cotisation annuelle" + fee_docs, formats.money(stmt.fee)))
    return lines


def _provisional_summary_lines(stmt: AnnualStatement) -> list[tuple[str, str]]:
    """A partial year: figures to date on the closed months, no regularisation yet."""
    lines = [
        (f"Coût réel des mois clôturés ({stmt.months_closed})", formats.money(stmt.real_cost)),
        ("Facturé pour ces mois (factures − avoirs)", formats.money(stmt.invoiced)),
        ("Régularisation", "après la clôture des douze mois"),
        ("Écart à date (coût réel − facturé), provisoire", formats.money(stmt.balance)),
    ]
    fee_docs = f" ({', '.join(stmt.fee_documents)})" if stmt.fee_documents else ""
    lines.append(("Cotisation annuelle" + fee_docs, formats.money(stmt.fee)))
    return lines
