"""Reminders sent for overdue invoices (relances) and members' security deposits.

A reminder is a record of what was sent, never edited: the member, the level, the day, the
invoices it covered with their amounts, penalties and indemnities as computed that day, who
sent it, the e-mail's Message-ID and the statement of account attached. An invoice is never
reminded twice at the same level (unique invoice × level).

A security deposit (dépôt de garantie) is money the member hands over as a guarantee: a debt
of the group (compte 165 « Dépôts et cautionnements reçus »), never revenue, no VAT.

A credit refund pays back what is left of a credit note to a member with nothing open: it
closes the note's remaining credit (with the applications, what the note has been used for)."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base, utcnow
from eage.models.invoicing import Invoice, StoredDocument
from eage.models.members import Member


class Reminder(Base):
    __tablename__ = "reminder"
    __table_args__ = (CheckConstraint("level IN (1, 2, 3)", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date]
    email_to: Mapped[str] = mapped_column(String(400))
    message_id: Mapped[str] = mapped_column(String(200))
    delivered_to: Mapped[str] = mapped_column(String(400))  # smtp://server or the .eml path
    outstanding: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    penalties: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    indemnities: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_document.id"))
    penalty_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    member: Mapped[Member] = relationship()
    document: Mapped[StoredDocument | None] = relationship()
    penalty_invoice: Mapped[Invoice | None] = relationship()
    items: Mapped[list[ReminderItem]] = relationship(
        back_populates="reminder", order_by="ReminderItem.id", cascade="save-update, merge"
    )


class ReminderItem(Base):
    """One overdue invoice in a reminder; `level` is None when the e-mail listed the invoice
    without sending it a new level (it was already reminded at its current level)."""

    __tablename__ = "reminder_item"
    __table_args__ = (
        UniqueConstraint("invoice_id", "level", name="uq_reminder_item_invoice_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminder.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    days_late: Mapped[int] = mapped_column(Integer)
    outstanding: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    penalty_rate: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    penalty: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    indemnity: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    reminder: Mapped[Reminder] = relationship(back_populates="items")
    invoice: Mapped[Invoice] = relationship()


class SecurityDeposit(Base):
    __tablename__ = "security_deposit"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_on IS NULL OR received_on IS NOT NULL", name="refund_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    asked_on: Mapped[date]
    received_on: Mapped[date | None]
    refunded_on: Mapped[date | None]
    received_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    refunded_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    member: Mapped[Member] = relationship()

    @property
    def status(self) -> str:
        if self.refunded_on:
            return "refunded"
        return "received" if self.received_on else "asked"


class CreditRefund(Base):
    __tablename__ = "credit_refund"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_note_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    date: Mapped[dt.date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reference: Mapped[str | None] = mapped_column(String(100))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    credit_note: Mapped[Invoice] = relationship()
