"""The books (SPEC §3 "Journal entry", §5 "Accounting entries"): the chart of accounts,
journal entries and their lines, and the inalterability chain.

Entries are generated from the documents (VT, PA, BQ) and validated as they are posted;
only OD entries are typed, as drafts, until the accountant validates them. A validated
entry never changes (guard declared in eage/immutability.py); every validated entry, issued
invoice, credit note and payslip gets one :class:`ChainLink`, whose hash covers the
record's content and its predecessor's hash.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base, utcnow
from eage.models.catalog import Service
from eage.models.members import Member

JOURNAL_CODES = ("VT", "HA", "PA", "BQ", "OD", "AN")
# Where an entry comes from: a document, a typed OD, or a year-end / cut-off operation.
ENTRY_ORIGINS = (
    "invoice",  # VT of an invoice or credit note
    "payslip",  # PA of a payslip
    "payment",  # BQ of a payment received
    "manual",  # OD typed by the accountant
    "expense",  # HA of an overhead expense
    "income",  # BQ of an operating income (subsidy…)
    "accrual",  # OD at 31/12 of Y for a document of Y issued in Y+1 (4181/4198)
    "reversal",  # OD at 01/01 of Y+1 reversing an accrual
    "settlement",  # BQ settling net pay / social charges (421/431/437/4421 → 512)
    "payroll_tax",  # OD of the yearly taxe sur les salaires
    "opening",  # AN of Y+1 written by the year's closing
    "bank",  # BQ of a bank statement line (charges, subsidy…, a rejected debit)
    "deposit",  # BQ of a member's security deposit received or refunded (512 / 165)
    "refund",  # BQ paying back a credit note's unapplied credit (411 / 512)
)
CHAINED_RECORDS = ("entry", "invoice", "payslip")


class LedgerAccount(Base):
    """An account of the chart. ``purpose`` names the role the posting rules look it up by
    (accounting/chart.py PURPOSES); ``service_id`` makes it the revenue account of a
    service. Entries copy number and label, so editing the chart never rewrites history."""

    __tablename__ = "ledger_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(40), unique=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    service: Mapped[Service | None] = relationship()


class JournalEntry(Base):
    __tablename__ = "journal_entry"
    __table_args__ = (
        CheckConstraint("journal IN ('VT', 'HA', 'PA', 'BQ', 'OD', 'AN')", name="journal"),
        CheckConstraint("(validated_at IS NULL) = (number IS NULL)", name="number_when_valid"),
        UniqueConstraint("journal", "year", "seq", name="uq_journal_entry_journal_year_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    journal: Mapped[str] = mapped_column(String(2))
    # EcritureNum: VT-2026-00001, continuous per journal and year, given at validation.
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[date]
    label: Mapped[str] = mapped_column(String(300))
    piece_ref: Mapped[str] = mapped_column(String(60))
    piece_date: Mapped[dt.date]  # `date` is the column above
    origin: Mapped[str] = mapped_column(String(12))  # one of ENTRY_ORIGINS
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), unique=True)
    payslip_id: Mapped[int | None] = mapped_column(ForeignKey("payslip.id"), unique=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    expense_id: Mapped[int | None] = mapped_column(ForeignKey("expense.id"), unique=True)
    income_id: Mapped[int | None] = mapped_column(ForeignKey("operating_income.id"), unique=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlement.id"), unique=True)
    # An accrual and its reversal name the document they anticipate (not unique: two entries).
    accrued_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    validated_at: Mapped[datetime | None]
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    lines: Mapped[list[JournalLine]] = relationship(
        back_populates="entry", order_by="JournalLine.position", cascade="all, delete-orphan"
    )

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal("0"))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal("0"))


class JournalLine(Base):
    __tablename__ = "journal_line"
    __table_args__ = (
        CheckConstraint("debit >= 0 AND credit >= 0", name="positive"),
        CheckConstraint("debit = 0 OR credit = 0", name="one_side"),
        UniqueConstraint("entry_id", "position", name="uq_journal_line_entry_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    account_number: Mapped[str] = mapped_column(String(20), index=True)
    account_label: Mapped[str] = mapped_column(String(200))
    aux_number: Mapped[str | None] = mapped_column(String(30), index=True)
    aux_label: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(300))
    debit: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    credit: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    # Analytics (SPEC §5): the member and the service the line is about, where one applies.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")
    member: Mapped[Member | None] = relationship()
    service: Mapped[Service | None] = relationship()


class ChainLink(Base):
    """One link of the inalterability chain: ``hash = sha256(previous_hash + canonical JSON
    of the record)``, ``seq`` gap-free from 1."""

    __tablename__ = "chain_link"
    __table_args__ = (
        CheckConstraint("record_type IN ('entry', 'invoice', 'payslip')", name="record_type"),
        UniqueConstraint("record_type", "record_id", name="uq_chain_link_record_type_record_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    record_type: Mapped[str] = mapped_column(String(10))
    record_id: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(60))
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_at: Mapped[datetime] = mapped_column(default=utcnow)


SETTLEMENT_KINDS = ("net_pay", "urssaf", "retirement", "health", "withholding_tax")


class Settlement(Base):
    """A payment made by the group for a closed month's payroll: net pay to the staff, the
    social charges to the URSSAF, retirement and health bodies, the withholding tax to the
    tax office (421 / 431 / 437x / 4421 → 512), dated as the bank paid it."""

    __tablename__ = "settlement"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('net_pay', 'urssaf', 'retirement', 'health', 'withholding_tax')",
            name="kind",
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("month", "kind", name="uq_settlement_month_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
