"""A supplier's bank details (issue 16), remembered per supplier name: the name is the one
written on the expenses (their 401 auxiliary account), so one IBAN serves every invoice of
that supplier. Entered on the expense form, used by the SEPA transfers (``FOUR-<expense id>``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from eage.models.base import Base, utcnow


class Supplier(Base):
    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
