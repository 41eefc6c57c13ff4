"""The portal's files: the year's documents as one zip, and the statement of account as a PDF
(a document: in French whatever the reader's language, like every document eage issues)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select

from accounting.documents.annual import render_annual_statement_pdf
from accounting.documents.pdf import html_to_pdf
from eage import storage
from eage.extensions import db
from eage.filters import fr_date, money
from eage.invoicing import services as invoicing
from eage.models import Member, Organisation
from eage.portal.services import YearDocuments
from eage.rates.services import convention_bytes, is_member_during
from eage.regularisation import statements


def year_zip(member: Member, docs: YearDocuments, today: date) -> bytes:
    """Every stored PDF of the year (invoices, credit notes, time statements), byte for byte,
    with the annual statement (provisional until the twelve months are closed) and the
    convention of the year."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc in docs.files:
            folder = "releves" if doc.kind.startswith("statement") else "factures"
            archive.writestr(f"{folder}/{doc.filename}", storage.read(doc))
        stmt = (
            statements.annual_statement(member, docs.year, today) if docs.annual_statement else None
        )
        if stmt is not None:
            name = f"bilan{'' if stmt.complete else '-provisoire'}-{docs.year}-{member.code}.pdf"
            archive.writestr(name, render_annual_statement_pdf(stmt))
        if is_member_during(member, docs.year):
            archive.writestr(
                f"convention-{docs.year}-{member.code}.docx",
                convention_bytes(member, docs.year, today=today),
            )
    return buffer.getvalue()


STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1f2933; }
h1 { font-size: 14pt; margin: 0 0 4mm; } h2 { font-size: 10.5pt; margin: 6mm 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border-bottom: 0.5pt solid #9aa5b1; padding: 1.2mm 1.5mm; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
.total td { font-weight: bold; border-top: 1pt solid #1f2933; }
"""


def _row(*cells: str, numeric_from: int = 2) -> str:
    return (
        "<tr>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if i >= numeric_from else f"<td>{escape(c)}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
    )


def account_statement_html(member: Member, today: date) -> str:
    """The statement of account (relevé de compte) in French: every invoice, credit note and
    payment with the running balance, then the items still open, at `today`."""
    org = db.session.scalar(select(Organisation))
    with force_locale("fr"):  # a document: French labels and formats
        rows = invoicing.statement_of_account(member.id)
        items = invoicing.open_items(member.id)
        balance = invoicing.member_balance(member.id)
        head = "".join(
            _row(
                fr_date(r.day),
                r.label,
                money(r.debit) if r.debit else "",
                money(r.credit) if r.credit else "",
                money(r.balance),
            )
            for r in rows
        )
        open_rows = "".join(
            _row(i.document.number, fr_date(i.document.due_date), money(i.amount), numeric_from=2)
            for i in items
        )
        bank = (
            f"IBAN {org.iban}" + (f" — BIC {org.bic}" if org.bic else "")
            if org and org.iban
            else ""
        )
        return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Relevé de compte – {escape(member.name)}</title><style>{STYLE}</style></head><body>
<h1>Relevé de compte au {escape(fr_date(today))}</h1>
<p><strong>{escape(org.name if org else "")}</strong><br>{escape(bank)}</p>
<p>Membre : <strong>{escape(member.name)}</strong> ({escape(member.code)})<br>
{escape(member.full_address)}<br>Référence à rappeler sur vos règlements : {escape(member.code)}</p>
<h2>Mouvements</h2><table><thead><tr><th>Date</th><th>Libellé</th><th class="num">Débit</th>
<th class="num">Crédit</th><th class="num">Solde</th></tr></thead><tbody>{head}</tbody></table>
<h2>Pièces ouvertes</h2><table><thead><tr><th>Pièce</th><th>Échéance</th>
<th class="num">Reste dû</th></tr></thead><tbody>{open_rows}</tbody>
<tfoot><tr class="total"><td colspan="2">Solde dû</td><td class="num">{escape(money(balance))}</td>
</tr></tfoot></table></body></html>"""


def account_statement_pdf(member: Member, today: date) -> bytes:
    html = account_statement_html(member, today)
    return html_to_pdf(html, identifier=f"account-{member.code}-{today}", pdf_a3=False)
