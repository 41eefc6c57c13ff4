"""Shared staff and their employment contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base

FULL_TIME_WEEKLY_HOURS = Decimal("35")  # art. L3121-27 C. trav.


class Employee(Base):
    __tablename__ = "employee"
    __table_args__ = (CheckConstraint("pas_rate >= 0 AND pas_rate <= 100", name="pas_rate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    job: Mapped[str] = mapped_column(String(200))
    classification: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    social_security_number: Mapped[str | None] = mapped_column(String(15))
    # Prélèvement à la source: rate communicated by the tax office, percent.
    pas_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    # Where the net salary is transferred (SEPA credit transfer, eage sepa-salaries).
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))

    contracts: Mapped[list[Contract]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="Contract.start_date"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_ssn(self) -> str:
        """Never show the social security number in full outside payslips."""
        if not self.social_security_number:
            return ""
        return (
            self.social_security_number[:1]
            + " •• •• •• ••• ••• "
            + self.social_security_number[-2:]
        )

    def contract_on(self, day: date) -> Contract | None:
        for c in self.contracts:
            if c.covers(day):
                return c
        return None

    def current_contract(self, today: date) -> Contract | None:
        current = self.contract_on(today)
        if current is None and self.contracts:
            return self.contracts[-1]
        return current


class Contract(Base):
    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("weekly_hours > 0 AND weekly_hours <= 48", name="weekly_hours"),
        CheckConstraint("monthly_gross >= 0", name="monthly_gross"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[str] = mapped_column(String(10), default="CDI")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    monthly_gross: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    cadre: Mapped[bool] = mapped_column(default=False)

    employee: Mapped[Employee] = relationship(back_populates="contracts")

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def fte(self) -> Decimal:
        return self.weekly_hours / FULL_TIME_WEEKLY_HOURS
