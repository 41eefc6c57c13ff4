"""Budget lines per fiscal year and overhead expenses actually spent."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base
from eage.models.catalog import Service

BUDGET_KINDS = ("staff", "overhead", "income")


class BudgetLine(Base):
    __tablename__ = "budget_line"
    __table_args__ = (
        CheckConstraint("kind IN ('staff', 'overhead', 'income')", name="kind"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    account: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class Expense(Base):
    __tablename__ = "expense"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        CheckConstraint("paid_by IN ('supplier', 'bank')", name="paid_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date]
    account: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    # Purchases journal (SPEC §5): the supplier, the VAT the group may deduct (44566; 0 when
    # it may not: the VAT is then part of `amount`), and how it was paid: on a supplier's
    # invoice (401) or straight from the bank (512).
    supplier: Mapped[str | None] = mapped_column(String(200))
    vat: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"), server_default="0")
    paid_by: Mapped[str] = mapped_column(String(10), default="supplier", server_default="supplier")
    # The day the bank statement booked its payment (``FOUR-<id>`` on 401), None while unpaid.
    paid_on: Mapped[datetime.date | None]

    service: Mapped[Service | None] = relationship()
