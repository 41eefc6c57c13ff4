"""Notifications at issue (issue 18): when an invoice or a credit note is issued for a
member, each of its active users gets an e-mail (outbox or SMTP, eage/mail.py) with the
document's stored PDF attached (the very bytes stored: same SHA-256) and a link to the
portal. One function, called by every place that issues: the month close and the credit
notes. Called after the issuing commit: a mail server down never undoes an issue (it is
logged, and the accountant can still send the invoice by hand)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from email.message import EmailMessage

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from accounting import formats
from eage import audit, mail, storage
from eage.extensions import db
from eage.models import Invoice, StoredDocument, User

logger = logging.getLogger(__name__)


def portal_url() -> str:
    """The portal's address, on PUBLIC_URL when set (never on a visitor's Host header)."""
    base = str(current_app.config.get("PUBLIC_URL") or "")
    if base:
        return base.rstrip("/") + "/portail"
    if has_request_context():
        return url_for("core.portal", _external=True)
    return "/portail"


def member_recipients(member_id: int) -> list[str]:
    """The e-mail addresses of the member's active users."""
    return list(
        db.session.scalars(
            select(User.email)
            .where(User.member_id == member_id, User.role == "member", User.active.is_(True))
            .order_by(User.email)
        )
    )


def _money(value: Decimal) -> str:
    return formats.money(value)  # French: the e-mail speaks as the invoice does


def _date(value: date) -> str:
    return formats.fr_date(value)


def issue_email(invoice: Invoice, pdf: StoredDocument, to: list[str]) -> EmailMessage:
    """The message: a short French text (like the invoice itself), the PDF, the portal."""
    seller = invoice.seller or {}
    what = "Avoir" if invoice.is_credit_note else "Facture"
    msg = mail.new_message(
        f"{what} {invoice.number} — {seller.get('name', 'eage')}",
        ", ".join(to),
        sender=seller.get("email"),
    )
    due = "" if invoice.is_credit_note else f", à régler au plus tard le {_date(invoice.due_date)}"
    msg.set_content(
        f"Bonjour,\n\n{'Un avoir' if invoice.is_credit_note else 'Une facture'} vient "
        f"d'être émis{'' if invoice.is_credit_note else 'e'} pour {invoice.member.name} : "
        f"{invoice.number} du {_date(invoice.issue_date)}, "
        f"{_money(invoice.total_incl_tax)}{due}.\nLe PDF est joint ; retrouvez vos factures, "
        f"vos heures et votre solde dans votre espace adhérent :\n\n{portal_url()}\n\n"
        f"Cordialement,\n{seller.get('name', '')}\n"
    )
    msg.add_attachment(
        storage.read(pdf), maintype="application", subtype="pdf", filename=pdf.filename
    )
    return msg


def notify_issued(documents: Iterable[Invoice]) -> list[str]:
    """E-mail each issued document to its member's users; returns where each message went.
    Audited per document; a delivery failure is logged and skipped, never raised."""
    sent: list[str] = []
    for invoice in documents:
        pdf = invoice.document("invoice_pdf")
        to = member_recipients(invoice.member_id)
        if pdf is None or not to:
            continue
        try:
            where = mail.deliver(issue_email(invoice, pdf, to), f"notify-{invoice.number}")
        except (OSError, smtplib.SMTPException) as exc:
            logger.warning("notification of %s not sent: %s", invoice.number, exc)
            continue
        audit.record(
            "notify",
            "credit_note" if invoice.is_credit_note else "invoice",
            invoice.number,
            summary=f"to {', '.join(to)} via {where}"[:500],
        )
        sent.append(where)
    if sent:
        db.session.commit()
    return sent
