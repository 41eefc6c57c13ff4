"""SEPA files out of the group (issue 16): the creditor settings, the members' direct-debit
mandates, the batches generated (pain.008 direct debits, pain.001 credit transfers) and each
of their transactions.

A batch is a generated file, kept in the document store with its SHA-256; its rows are never
changed afterwards except a transaction's ``status`` (the bank statement confirms or rejects
it). The references are the contract with the bank reconciliation: a debit's EndToEndId is the
invoice number, a transfer's ``SAL-YYYY-MM-<employee>``, ``URSSAF-YYYY-MM``…
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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

from eage.models.base import Base, utcnow
from eage.models.invoicing import Invoice, StoredDocument
from eage.models.members import Member
from eage.models.payroll import Payslip

MANDATE_KINDS = ("recurrent", "one_off")
BATCH_KINDS = ("debit", "transfer")
TRANSACTION_STATUSES = ("pending", "done", "rejected")


class SepaSettings(Base):
    """One row: the group's SEPA creditor identifier (ICS, given by the Banque de France
    through the group's bank) and the accounts the payroll charges are transferred to. The
    group's own name, IBAN and BIC are the organisation's (printed on the invoices)."""

    __tablename__ = "sepa_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_identifier: Mapped[str | None] = mapped_column(String(35))
    # {"urssaf": {"name": …, "iban": …, "bic": …}, "retirement": …, "withholding_tax": …}
    payees: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SepaMandate(Base):
    """A member's direct-debit mandate (SEPA Core rulebook): its unique reference (RUM), the
    date it was signed, the debtor's account; FRST on its first collection, RCUR after; a
    one-off mandate is used once."""

    __tablename__ = "sepa_mandate"
    __table_args__ = (
        CheckConstraint("kind IN ('recurrent', 'one_off')", name="kind"),
        CheckConstraint("revoked_on IS NULL OR revoked_on >= signed_on", name="revoked_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35), unique=True)
    signed_on: Mapped[date]
    debtor_name: Mapped[str] = mapped_column(String(140))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    kind: Mapped[str] = mapped_column(String(10), default="recurrent")
    first_collected_on: Mapped[date | None]
    last_collected_on: Mapped[date | None]
    revoked_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    member: Mapped[Member] = relationship()

    @property
    def sequence_type(self) -> str:
        """What its next collection is: OOFF (one-off), FRST (first) or RCUR."""
        if self.kind == "one_off":
            return "OOFF"
        return "FRST" if self.first_collected_on is None else "RCUR"

    def is_active_on(self, day: date) -> bool:
        if self.revoked_on is not None and self.revoked_on <= day:
            return False
        return not (self.kind == "one_off" and self.first_collected_on is not None)


class SepaBatch(Base):
    __tablename__ = "sepa_batch"
    __table_args__ = (
        CheckConstraint("kind IN ('debit', 'transfer')", name="kind"),
        CheckConstraint("total > 0 AND count > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    schema: Mapped[str] = mapped_column(String(20))  # pain.008.001.02, pain.001.001.03
    msg_id: Mapped[str] = mapped_column(String(35), unique=True)
    due_date: Mapped[date]  # collection date (debits) or execution date (transfers)
    month: Mapped[str | None] = mapped_column(String(7))  # the payroll month of a transfer
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    sha256: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int] = mapped_column(ForeignKey("stored_document.id"))
    notified_at: Mapped[datetime | None]  # pre-notification e-mails of a debit batch
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    document: Mapped[StoredDocument] = relationship()
    transactions: Mapped[list[SepaTransaction]] = relationship(
        back_populates="batch", order_by="SepaTransaction.id", cascade="save-update, merge"
    )


class SepaTransaction(Base):
    __tablename__ = "sepa_transaction"
    __table_args__ = (
        UniqueConstraint("batch_id", "end_to_end_id", name="uq_sepa_transaction_batch_e2e"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("status IN ('pending', 'done', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("sepa_batch.id"), index=True)
    payment_info_id: Mapped[str] = mapped_column(String(35))
    end_to_end_id: Mapped[str] = mapped_column(String(35), index=True)
    sequence_type: Mapped[str | None] = mapped_column(String(4))  # FRST/RCUR/OOFF (debits)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    name: Mapped[str] = mapped_column(String(140))  # debtor or creditor
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    remittance: Mapped[str] = mapped_column(String(140))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    mandate_id: Mapped[int | None] = mapped_column(ForeignKey("sepa_mandate.id"))
    payslip_id: Mapped[int | None] = mapped_column(ForeignKey("payslip.id"), index=True)
    settlement_kind: Mapped[str | None] = mapped_column(String(20))  # urssaf, retirement…
    status: Mapped[str] = mapped_column(String(10), default="pending")

    batch: Mapped[SepaBatch] = relationship(back_populates="transactions")
    invoice: Mapped[Invoice | None] = relationship()
    mandate: Mapped[SepaMandate | None] = relationship()
    payslip: Mapped[Payslip | None] = relationship()
