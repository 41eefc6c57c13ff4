"""The group itself, its fiscal years and settings, and closed months."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, false
from sqlalchemy.orm import Mapped, mapped_column

from eage.models.base import Base, utcnow


class Organisation(Base):
    """The employer group (one row): identity printed on every document."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(100))
    siren: Mapped[str] = mapped_column(String(9))
    siret: Mapped[str] = mapped_column(String(14))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    ape_code: Mapped[str | None] = mapped_column(String(10))
    collective_agreement: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    iban: Mapped[str | None] = mapped_column(String(40))
    bic: Mapped[str | None] = mapped_column(String(11))
    # Late-payment penalty (art. L441-10 C. com.): annual rate, percent.
    late_penalty_rate: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("12.15"))
    headcount: Mapped[int] = mapped_column(Integer, default=3)
    # VAT on services is due on receipt (art. 269-2-c CGI) unless the group opted for debits;
    # the option prints "Option pour le paiement de la taxe d'après les débits" on invoices.
    vat_on_debits: Mapped[bool] = mapped_column(default=False, server_default=false())
    # No validated entry may be dated on or before this day (the accountant's period lock).
    books_locked_until: Mapped[date | None]


class FiscalYear(Base):
    """A calendar year and its settings (SPEC §3)."""

    __tablename__ = "fiscal_year"
    __table_args__ = (
        CheckConstraint("hours_denominator IN (1607, 1820)", name="hours_denominator"),
        CheckConstraint("billing_mode IN ('hourly_rate', 'coefficient')", name="billing_mode"),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hours_denominator: Mapped[int] = mapped_column(Integer, default=1607)
    billing_mode: Mapped[str] = mapped_column(String(20), default="hourly_rate")
    # Employer-specific payroll settings (percent / euros per month).
    atmp_rate: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal("2.08"))
    health_insurance_monthly: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), default=Decimal("40.00")
    )
    health_employer_share: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("50.00"))
    prevoyance_employer_rate: Mapped[Decimal] = mapped_column(
        Numeric(6, 3), default=Decimal("0.000")
    )
    prevoyance_employee_rate: Mapped[Decimal] = mapped_column(
        Numeric(6, 3), default=Decimal("0.000")
    )
    # Membership fee (SPEC §1): rate of previous-year gross payroll, capped.
    fee_rate: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal("1.000"))
    fee_cap: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("5000.00"))
    # The year's closing (eage close-year): result booked, year locked, AN of Y+1 written.
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    result: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class MonthLock(Base):
    """A closed month ("YYYY-MM"): its time can no longer be created, changed or deleted."""

    __tablename__ = "month_lock"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The month's time is also kept grouped in `month_time_summary` (written with the lock,
    # dropped with it): what the allocation reads instead of the timesheet rows.
    time_summarised: Mapped[bool] = mapped_column(default=False, server_default=false())
