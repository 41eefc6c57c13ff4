"""Services the group provides, and their hourly rate per fiscal year."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base


class Service(Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(200))

    rates: Mapped[list[ServiceRate]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ServiceRate.year"
    )


class ServiceRate(Base):
    __tablename__ = "service_rate"
    __table_args__ = (
        UniqueConstraint("service_id", "year", name="uq_service_rate_service_year"),
        CheckConstraint("rate >= 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    year: Mapped[int] = mapped_column(Integer)
    rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    service: Mapped[Service] = relationship(back_populates="rates")
