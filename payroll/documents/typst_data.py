"""The payslip's data for its Typst template (issue 17): every figure formatted here, by the
helpers of the HTML path (:func:`payroll.documents.render.payslip_context`), so that both
engines print the same text; ``typst/payslip.typ`` only lays it out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounting import formats
from accounting.typst_pdf import pdf_engine, typst_pdf

from .model import PayslipDocument
from .render import payslip_context, payslip_html, render_pdf

TEMPLATE = Path(__file__).parent / "typst" / "payslip.typ"


def _contribution_rows(sections: list[Any]) -> list[dict[str, Any]]:
    """Headings and their detail lines, as the « bulletin clarifié » prints them."""
    a, r = formats.amount, formats.rate
    rows: list[dict[str, Any]] = []
    for s in sections:
        if len(s.lines) == 1:
            line = s.lines[0]
            sub = f"({line['label']})" if line["label"].lower() != s.heading.lower() else ""
            rows.append(
                {
                    "kind": "heading",
                    "label": s.heading,
                    "sub": sub,
                    "cells": [
                        a(line["base"]),
                        r(line["employee_rate"]),
                        a(line["employee_amount"], True),
                        r(line["employer_rate"]),
                        a(line["employer_amount"], True),
                    ],
                }
            )
            continue
        rows.append(
            {
                "kind": "heading",
                "label": s.heading,
                "sub": "",
                "cells": ["", "", a(s.employee_total, True), "", a(s.employer_total, True)],
            }
        )
        rows.extend(
            {
                "kind": "detail",
                "label": line["label"],
                "sub": "",
                "cells": [
                    a(line["base"]),
                    r(line["employee_rate"]),
                    a(line["employee_amount"], True),
                    r(line["employer_rate"]),
                    a(line["employer_amount"], True),
                ],
            }
            for line in s.lines
        )
    return rows


def _employer_block(doc: PayslipDocument) -> dict[str, str]:
    employer = doc.employer
    return {
        "name": employer.name,
        "legal_form": employer.legal_form,
        "address": f"{employer.address}, {employer.postcode} {employer.city}",
        "siret": employer.siret,
        "ape": employer.ape_code,
        "agreement": employer.collective_agreement,
    }


def _employee_rows(doc: PayslipDocument, ctx: dict[str, Any]) -> list[list[str]]:
    a, employee = formats.amount, doc.employee
    hired = f", entrée le {formats.fr_date(employee.hire_date)}" if employee.hire_date else ""
    return [
        [
            "Salarié",
            employee.name,
            "N° de sécurité sociale",
            formats.ssn(employee.social_security_number),
        ],
        ["Emploi", employee.job, "Matricule", employee.code],
        ["Classification", employee.classification, "Contrat", employee.contract_kind + hired],
        [
            "Statut",
            "Cadre" if employee.cadre else "Non cadre",
            "Horaire",
            f"{a(employee.weekly_hours)} h par semaine ({a(ctx['normal_hours'])} h par mois)",
        ],
    ]


def _hour_rows(ctx: dict[str, Any]) -> list[list[str]]:
    a = formats.amount
    extra = [[e["label"], f"{a(e['hours'])} h"] for e in ctx["extra_lines"]] or [
        ["Heures supplémentaires ou complémentaires", "0,00 h"]
    ]
    hours = [["Heures normales (contrat)", f"{a(ctx['normal_hours'])} h"], *extra]
    if ctx["absence"]:
        hours.append(["Absence non rémunérée", f"{a(ctx['absence']['hours'])} h"])
    return hours


def _leave_taken(doc: PayslipDocument) -> str:
    if not doc.leave.taken_dates:
        return ""
    dates = ", ".join(formats.fr_date(x, "dd/MM") for x in doc.leave.taken_dates)
    return f"Dates : {dates} — indemnité de congés payés maintenue dans le salaire de base."


def payslip_data(doc: PayslipDocument) -> dict[str, Any]:
    ctx = payslip_context(doc)
    a, d, m = formats.amount, formats.fr_date, formats.money
    slip, employee, leave = ctx["slip"], doc.employee, doc.leave
    return {
        "number": doc.number,
        "employer": _employer_block(doc),
        "period": f"du {d(doc.period_start)} au {d(doc.period_end)}",
        "payment": f"{d(doc.payment_date)} ({doc.payment_method})",
        "employee": _employee_rows(doc, ctx),
        "employee_name": employee.name,
        "earnings": [
            [
                e["label"],
                f"{a(e['hours'])} h" if e["hours"] else "",
                formats.unit_rate(e["hourly_rate"]),
                a(e["amount"]),
            ]
            for e in ctx["earnings"]
        ],
        "gross": a(slip["gross"]),
        "contributions": _contribution_rows(ctx["sections"]),
        "employee_contributions": a(slip["employee_contributions"]),
        "employer_after_reductions": a(ctx["employer_after_reductions"]),
        "net_social": a(slip["net_social"]),
        "net_before_tax": a(slip["net_before_tax"]),
        "tax": [
            a(slip["net_taxable"]),
            formats.rate(ctx["pas_rate_percent"]),
            a(slip["tax_withheld"]),
        ],
        "net_paid": m(slip["net_paid"]),
        "net_paid_note": f"en euros, versé le {d(doc.payment_date)} par {doc.payment_method}",
        "hours": _hour_rows(ctx),
        "leave": [
            ["Acquis ce mois", f"{a(leave.acquired_month)} j"],
            [f"Acquis depuis le {d(leave.period_start)}", f"{a(leave.acquired_period)} j"],
            ["Pris ce mois", f"{a(leave.taken_month)} j"],
            [f"Pris depuis le {d(leave.period_start)}", f"{a(leave.taken_period)} j"],
        ],
        "leave_taken": _leave_taken(doc),
        "employer_box": [
            ["Coût total employeur", m(slip["employer_cost"])],
            ["Total des allègements de cotisations", m(slip["reductions"])],
            ["Cotisations patronales avant allègements", m(slip["employer_contributions"])],
        ],
        "keep_mention": ctx["keep_mention"],
        "small": (
            f"{ctx['glossary_mention']} Montant net social : montant à déclarer pour les "
            "prestations sociales (RSA, prime d'activité). Congés : art. L3141-3 et suivants "
            "du code du travail."
        ),
    }


def payslip_pdf_typst(doc: PayslipDocument) -> bytes:
    """The payslip laid out by Typst: a plain PDF, as the WeasyPrint path makes."""
    return typst_pdf(TEMPLATE, payslip_data(doc), created=doc.payment_date, pdf_a3=False)


def payslip_pdf(doc: PayslipDocument, *, engine: str | None = None) -> bytes:
    """The payslip as PDF, laid out by Typst (default) or WeasyPrint (issue 17)."""
    if pdf_engine(engine) == "typst":
        return payslip_pdf_typst(doc)
    return render_pdf(payslip_html(doc), identifier=doc.number)
