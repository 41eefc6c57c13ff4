"""Bank statements imported (CAMT.053, OFX, a mapped CSV), their lines and what each line
became in the books (issue 16): a member payment, a rejected direct debit (the payment it
reverses), a payroll settlement, or a bank entry on another account.

A statement is never imported twice: (account IBAN, statement id) is unique, and so is the
SHA-256 of the file; a line is never stored twice across overlapping statements: its
fingerprint (account, booking date, amount, references, text) is unique.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base, utcnow
from eage.models.invoicing import Payment

# What a statement line waits for, or what became of it.
LINE_STATUSES = ("open", "proposed", "matched", "confirmed")
# What a part of a line was booked as.
MATCH_KINDS = ("payment", "reversal", "settlement", "account")


class BankStatement(Base):
    __tablename__ = "bank_statement"
    __table_args__ = (
        UniqueConstraint("account_iban", "statement_ref", name="uq_bank_statement_account_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_iban: Mapped[str] = mapped_column(String(40))
    statement_ref: Mapped[str] = mapped_column(String(100))
    file_format: Mapped[str] = mapped_column(String(10))  # camt053 / ofx / csv
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64), unique=True)
    opening_balance: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    closing_balance: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    date_from: Mapped[date]
    date_to: Mapped[date]
    skipped_lines: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    lines: Mapped[list[BankLine]] = relationship(
        back_populates="statement", order_by="BankLine.position", cascade="all, delete-orphan"
    )


class BankLine(Base):
    __tablename__ = "bank_line"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("status IN ('open', 'proposed', 'matched', 'confirmed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statement.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    booking_date: Mapped[date]
    value_date: Mapped[date | None]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # + credit, − debit
    counterparty_name: Mapped[str | None] = mapped_column(String(200))
    counterparty_iban: Mapped[str | None] = mapped_column(String(40))
    remittance: Mapped[str | None] = mapped_column(String(500))
    end_to_end_id: Mapped[str | None] = mapped_column(String(100))
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    reversal: Mapped[bool] = mapped_column(Boolean, default=False)
    return_reason: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    # What the matcher proposes when it is not sure: {"kind", "score", "label", …}.
    proposal: Mapped[dict | None] = mapped_column(JSON)  # type: ignore[type-arg]

    statement: Mapped[BankStatement] = relationship(back_populates="lines")
    matches: Mapped[list[BankMatch]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="BankMatch.id"
    )

    @property
    def is_done(self) -> bool:
        return self.status in ("matched", "confirmed")


class BankMatch(Base):
    """One part of a line booked: the payment, reversal, settlement or bank entry it made."""

    __tablename__ = "bank_match"
    __table_args__ = (
        CheckConstraint("kind IN ('payment', 'reversal', 'settlement', 'account')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("bank_line.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("payment_reversal.id"))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlement.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    line: Mapped[BankLine] = relationship(back_populates="matches")


class PaymentReversal(Base):
    """A member payment the bank took back (a rejected SEPA direct debit, R-transaction):
    the invoices it settled are open again; its ``BQ`` entry is the payment's, reversed."""

    __tablename__ = "payment_reversal"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), unique=True)
    date: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(10))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    payment: Mapped[Payment] = relationship(back_populates="reversal")


class BankCsvMapping(Base):
    """How one bank's CSV export reads, entered once and reused for its files."""

    __tablename__ = "bank_csv_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_name: Mapped[str] = mapped_column(String(100), unique=True)
    account_iban: Mapped[str] = mapped_column(String(40))
    date_column: Mapped[str] = mapped_column(String(60))
    date_format: Mapped[str] = mapped_column(String(20), default="%d/%m/%Y")
    label_column: Mapped[str] = mapped_column(String(60))
    amount_column: Mapped[str | None] = mapped_column(String(60))
    debit_column: Mapped[str | None] = mapped_column(String(60))
    credit_column: Mapped[str | None] = mapped_column(String(60))
    reference_column: Mapped[str | None] = mapped_column(String(60))
    counterparty_column: Mapped[str | None] = mapped_column(String(60))
    iban_column: Mapped[str | None] = mapped_column(String(60))
    decimal_comma: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
