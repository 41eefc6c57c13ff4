"""Invoices, credit notes, their lines, stored documents, payments, number series.

Issued documents are immutable (SPEC §5 "Numbering"): the guard declared in
eage/immutability.py refuses any change except the follow-up fields (status, sent_at), and
every deletion.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounting.texts import N_
from eage.models.base import Base, utcnow
from eage.models.catalog import Service
from eage.models.members import Member

if TYPE_CHECKING:
    from eage.models.bank import PaymentReversal

INVOICE_KINDS = ("invoice", "credit_note")
# monthly: provisional invoice of a closed month; complement: a later close invoices the
# difference; fee: yearly membership fee; regularisation: year end; credit: typed by hand;
# penalty: late-payment penalties and indemnities after a reminder (eage/reminders).
INVOICE_ORIGINS = ("monthly", "complement", "fee", "regularisation", "credit", "penalty")
STATUSES = ("issued", "sent", "partially_paid", "paid")
LINE_KINDS = ("service", "regularisation", "fee", "penalty", "indemnity")
PAYMENT_METHODS = {
    "virement": N_("Virement"),
    "prelevement": N_("Prélèvement"),
    "cheque": N_("Chèque"),
    "especes": N_("Espèces"),
}


class AppLock(Base):
    """A row to serialise work across processes: an UPDATE on it is the first statement of
    every issuing transaction, so SQLite and PostgreSQL both queue concurrent closes."""

    __tablename__ = "app_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0)


class NumberSequence(Base):
    """Last number used per series (F invoices, A credit notes) and year."""

    __tablename__ = "number_sequence"

    series: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("kind", "year", "seq", name="uq_invoice_kind_year_seq"),
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
        CheckConstraint("status IN ('issued', 'sent', 'partially_paid', 'paid')", name="status"),
        CheckConstraint(
            "total_excl_tax >= 0 AND vat >= 0 AND total_incl_tax >= 0", name="positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    origin: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    issue_date: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    month: Mapped[str | None] = mapped_column(String(7), index=True)  # YYYY-MM of a monthly close
    vat_regime: Mapped[str] = mapped_column(String(20))
    total_excl_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total_incl_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="issued")
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    seller: Mapped[dict[str, Any]] = mapped_column(JSON)  # identities as printed, frozen at issue
    buyer: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    sent_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="save-update, merge"
    )
    credited_invoice: Mapped[Invoice | None] = relationship(remote_side=[id])
    documents: Mapped[list[StoredDocument]] = relationship(
        back_populates="invoice", order_by="StoredDocument.kind", cascade="save-update, merge"
    )
    allocations: Mapped[list[PaymentAllocation]] = relationship(back_populates="invoice")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def signed_total(self) -> Decimal:
        """What the member owes for this document: credit notes count negative."""
        return -self.total_incl_tax if self.is_credit_note else self.total_incl_tax

    def document(self, kind: str) -> StoredDocument | None:
        return next((d for d in self.documents if d.kind == kind), None)


class InvoiceLine(Base):
    __tablename__ = "invoice_line"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('service', 'regularisation', 'fee', 'penalty', 'indemnity')", name="kind"
        ),
        UniqueConstraint("invoice_id", "position", name="uq_invoice_line_invoice_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    label: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int | None]
    rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    service: Mapped[Service | None] = relationship()


class StoredDocument(Base):
    """A generated file, written once under instance/storage with its SHA-256."""

    __tablename__ = "stored_document"
    __table_args__ = (UniqueConstraint("path", name="uq_stored_document_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(30)
    )  # invoice_pdf, invoice_docx, invoice_xml, statement_pdf…
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    month: Mapped[str | None] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer, default=1)
    filename: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(400))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invoice: Mapped[Invoice | None] = relationship(back_populates="documents")
    member: Mapped[Member | None] = relationship()


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    method: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    member: Mapped[Member] = relationship()
    allocations: Mapped[list[PaymentAllocation]] = relationship(
        back_populates="payment", cascade="all, delete-orphan"
    )
    # A rejected direct debit taken back by the bank (eage/models/bank.py, issue 16).
    reversal: Mapped[PaymentReversal | None] = relationship(
        back_populates="payment", lazy="selectin"
    )

    @property
    def is_reversed(self) -> bool:
        return self.reversal is not None


class PaymentAllocation(Base):
    __tablename__ = "payment_allocation"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    invoice: Mapped[Invoice] = relationship(back_populates="allocations")


class CreditApplication(Base):
    """A credit note applied to an open invoice of the same member (incl. tax): with the
    payments' allocations it is what settles an invoice, and what the lettrage matches."""

    __tablename__ = "credit_application"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_note_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    credit_note: Mapped[Invoice] = relationship(foreign_keys=[credit_note_id])
    invoice: Mapped[Invoice] = relationship(foreign_keys=[invoice_id])


class InvoiceCorrection(Base):
    """What a credit note (or a complementary invoice) corrects, per invoice it cites: the
    year-end regularisation cites every invoice of the year, its amount and VAT split over
    them (art. 272-1 CGI, art. 242 nonies A ann. II: a rectifying document refers to the
    invoice it corrects). Written when the document is issued, frozen with it."""

    __tablename__ = "invoice_correction"
    __table_args__ = (
        UniqueConstraint(
            "document_id", "invoice_id", name="uq_invoice_correction_document_invoice"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount_excl_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    document: Mapped[Invoice] = relationship(foreign_keys=[document_id])
    invoice: Mapped[Invoice] = relationship(foreign_keys=[invoice_id])
