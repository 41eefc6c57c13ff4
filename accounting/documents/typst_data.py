"""The documents' data as JSON-ready dicts for the Typst templates: every figure and date is
formatted here, by the same helpers as the HTML path (French spaces, « € », « 7 h 30 »), so
that the two engines print the same text; the templates only lay it out."""

from __future__ import annotations

from typing import Any

from accounting import formats
from accounting.documents.html import (
    _fr_date_day,
    _hours_or_dash,
    duration,
    invoice_rows,
    statement_details,
)
from accounting.invoicing import InvoiceDocument, Party, SellerParty, TimeStatement
from accounting.months import Month


def party(p: Party) -> dict[str, Any]:
    """The buyer/member block: name, legal form, address, identifiers, e-mail."""
    ids = [f"SIREN {p.siren or 'non communiqué'}" + (f" · SIRET {p.siret}" if p.siret else "")]
    if p.vat_number:
        ids.append(f"N° TVA intracommunautaire {p.vat_number}")
    if p.email:
        ids.append(p.email)
    return {
        "name": p.name,
        "legal_form": p.legal_form,
        "address": list(p.address_block),
        "ids": ids,
    }


def seller(s: SellerParty) -> dict[str, Any]:
    """The group's header block and its one-line identity for the page footer."""
    first = " · ".join(
        x
        for x in (
            f"SIREN {s.siren}" if s.siren else "",
            f"SIRET {s.siret}" if s.siret else "",
            f"APE {s.ape}" if s.ape else "",
        )
        if x
    )
    ids = [first] if first else []
    if s.vat_number:
        ids.append(f"N° TVA intracommunautaire {s.vat_number}")
    contact = " · ".join(x for x in (s.email, s.phone) if x)
    if contact:
        ids.append(contact)
    return {
        "name": s.name,
        "legal_form": s.legal_form,
        "address": list(s.address_block),
        "ids": ids,
        "footer": s.identity_line + (f" – {s.email}" if s.email else ""),
    }


def _meta(rows: list[tuple[str, str]]) -> list[list[str]]:
    return [[k, v] for k, v in rows if v]


def invoice_data(doc: InvoiceDocument) -> dict[str, Any]:
    d = formats.fr_date
    labels = {r.service_code: r.service_label for r in doc.time_annex if r.service_label}
    annex = sorted(doc.time_annex, key=lambda r: (r.day, r.employee_name, r.service_code))
    meta = [
        ("Numéro", doc.number),
        ("Date d'émission", d(doc.issue_date)),
        ("Période de prestation", f"{d(doc.period_start)} – {d(doc.period_end)}"),
        ("Date d'échéance", "" if doc.is_credit_note else d(doc.due_date)),
        ("Votre commande", doc.purchase_order or ""),
    ]
    totals = [["Total HT", formats.money(doc.totals.excl_tax)]]
    totals += [[b.total_label, formats.money(b.vat)] for b in doc.totals.breakdown]
    s = doc.seller
    return {
        "title": doc.title,
        "docref": f"{doc.title} {doc.number}",
        "pdf_title": f"{doc.title} {doc.number} – {s.name}",
        "author": s.name,
        "description": f"{doc.title} {doc.number} du {d(doc.issue_date)} – {doc.buyer.name}",
        "number": doc.number,
        "seller": seller(s),
        "buyer": party(doc.buyer),
        "meta": _meta(meta),
        "delivery": list(doc.delivery_address or ()),
        "credit_mention": doc.credit_mention,
        "reform": [
            m + (f" – {doc.operation_description}" if i == 0 else "")
            for i, m in enumerate(doc.reform_mentions)
        ],
        "rows": invoice_rows(doc),
        "vat": [
            [b.label, formats.money(b.base), formats.money(b.vat)] for b in doc.totals.breakdown
        ],
        "vat_mentions": list(doc.vat_mentions),
        "totals": totals,
        "incl_tax": formats.money(doc.totals.incl_tax),
        "grand_label": "Montant de l'avoir" if doc.is_credit_note else "Net à payer",
        "is_credit_note": doc.is_credit_note,
        "due_date": d(doc.due_date),
        "payment_terms_days": str(doc.payment_terms_days),
        "iban": s.iban_display if s.iban else "",
        "bic": s.bic,
        "payment_mentions": list(doc.payment_mentions),
        "corrected": [
            [c.number, d(c.issue_date), formats.money(c.amount_excl_tax), formats.money(c.vat)]
            for c in doc.corrected_invoices
        ],
        "notes": list(doc.notes),
        "annex_intro": (
            f"{doc.title} {doc.number} – {doc.buyer.name} – période du {d(doc.period_start)} "
            f"au {d(doc.period_end)}. Durées en heures et minutes (7 h 30 = 7,5 heures)."
        ),
        "annex": [
            [d(r.day), r.employee_name, r.service_label or r.service_code, duration(r.minutes)]
            for r in annex
        ],
        "annex_subtotals": [
            [f"Total {labels.get(code, code)}", duration(minutes)]
            for code, minutes in doc.annex_totals_by_service()
        ],
        "annex_total": duration(doc.annex_total_minutes),
    }


def statement_data(stmt: TimeStatement) -> dict[str, Any]:
    d = formats.fr_date
    h = formats.hours
    month = formats.month_label(Month(stmt.year, stmt.month))
    matrix = stmt.minutes_by_employee_service()
    by_employee = stmt.minutes_by_employee()
    by_service = stmt.minutes_by_service()
    meta = [
        ("Mois", month),
        ("Référence", stmt.reference),
        ("Période", f"{d(stmt.period_start)} – {d(stmt.period_end)}"),
        ("Établi le", d(stmt.issue_date)),
        ("Facture", stmt.invoice_number or ""),
    ]
    title = f"Relevé mensuel de mise à disposition – {stmt.member.name} – {month}"
    return {
        "title": "Relevé mensuel de mise à disposition",
        "docref": f"Relevé {month}",
        "pdf_title": title,
        "author": stmt.seller.name,
        "description": title,
        "month": month,
        "seller": seller(stmt.seller),
        "member": party(stmt.member),
        "meta": _meta(meta),
        "services": [label or code for code, label in stmt.services],
        "summary": [
            [emp]
            + [_hours_or_dash(matrix.get((emp, code), 0)) for code, _ in stmt.services]
            + [h(by_employee[emp])]
            for emp in stmt.employees
        ],
        "summary_total": ["Total"]
        + [h(by_service[code]) for code, _ in stmt.services]
        + [h(stmt.total_minutes)],
        "details": [
            {
                "employee": emp,
                "rows": [
                    [_fr_date_day(r.day), r.service_label or r.service_code, h(r.minutes), r.note]
                    for r in rows
                ],
                "total": h(by_employee[emp]),
            }
            for emp, rows in statement_details(stmt)
        ],
        "notes": list(stmt.notes),
        "ge_signatory": stmt.ge_signatory,
        "member_signatory": stmt.member_signatory,
    }
