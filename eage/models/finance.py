"""Operating income (produits d'exploitation: subsidies…) actually received. With the
overhead expenses (:class:`eage.models.budget.Expense`) it makes the structure cost of the
allocation (SPEC §5: structure = internal share + overheads − operating income)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base
from eage.models.catalog import Service


class OperatingIncome(Base):
    __tablename__ = "operating_income"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # Plan comptable associatif: products are class 7 (740000 subventions d'exploitation…).
        CheckConstraint("account LIKE '7%'", name="account_class_7"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(index=True)
    account: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))

    service: Mapped[Service | None] = relationship()
