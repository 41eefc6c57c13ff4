"""Member structures (structures adhérentes) and their planned hours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base
from eage.models.catalog import Service

VAT_REGIMES = ("exempt_261B", "vat_20")


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint("vat_regime IN ('exempt_261B', 'vat_20')", name="vat_regime"),
        CheckConstraint("payment_terms_days >= 0", name="payment_terms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(100))
    siren: Mapped[str | None] = mapped_column(String(9))
    siret: Mapped[str | None] = mapped_column(String(14))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    vat_regime: Mapped[str] = mapped_column(String(20), default="exempt_261B")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    previous_year_gross_payroll: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), default=Decimal("0")
    )
    # The account the member pays from: a bank line from it is the member's (issue 16).
    iban: Mapped[str | None] = mapped_column(String(34))

    planned_hours: Mapped[list[PlannedHours]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    @property
    def full_address(self) -> str:
        return ", ".join(
            p for p in (self.address, f"{self.postcode or ''} {self.city or ''}".strip()) if p
        )


class PlannedHours(Base):
    """Hours per year and service from the member's convention de mise à disposition."""

    __tablename__ = "planned_hours"
    __table_args__ = (
        UniqueConstraint(
            "member_id", "year", "service_id", name="uq_planned_hours_member_year_service"
        ),
        CheckConstraint("hours >= 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    year: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    hours: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    member: Mapped[Member] = relationship(back_populates="planned_hours")
    service: Mapped[Service] = relationship()
