"""Issued payslips (SPEC §3 "Payslip"): one per employee and month, immutable once issued.

The totals are columns (reports and the allocation sum them in the database); the lines are
the engine's JSON (``payroll.PayslipResult.to_json_dict()["lines"]``), frozen as issued. The
documents (PDF, .docx) are :class:`StoredDocument` rows stored under
``payslips/YYYY-MM/<number>.pdf``. A listener in eage/payslips/services.py refuses any update
or deletion of an issued payslip (ARCHITECTURE §4).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eage.models.base import Base, utcnow
from eage.models.invoicing import StoredDocument
from eage.models.staff import Employee

PAYSLIP_STATUSES = ("issued",)


class Payslip(Base):
    __tablename__ = "payslip"
    __table_args__ = (
        UniqueConstraint("employee_id", "month", name="uq_payslip_employee_month"),
        CheckConstraint("status IN ('issued')", name="status"),
        # SPEC §5: both invariants of the engine hold on every stored row (compared within
        # half a cent: SQLite computes on binary floats).
        CheckConstraint(
            "abs(gross - employee_contributions - net_before_tax) < 0.005", name="net_balance"
        ),
        CheckConstraint(
            "abs(gross + employer_contributions - reductions - employer_cost) < 0.005",
            name="cost_balance",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # BP-2026-11-KBENALI
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    period_start: Mapped[date]
    period_end: Mapped[date]
    payment_date: Mapped[date]  # last working day of the month
    issue_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="issued")

    # Totals, euros (SPEC §5: each line rounded to the cent, totals add rounded lines).
    gross: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    employee_contributions: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    employer_contributions: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    rgdu: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reductions: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    net_social: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    net_before_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    net_taxable: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    tax_withheld: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    net_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    employer_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    pas_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # percent, as on Employee

    # Hours of the month (two decimals): contract hours paid, extra hours, unpaid absence,
    # and what the timesheets say was worked in the month's weeks.
    contract_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    extra_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    unpaid_absence_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    worked_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))

    # The engine's output as issued: earnings (base, extra hours, absence) and contribution
    # lines, amounts as two-decimal strings, rates as percentages.
    earnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # General reduction: the coefficient of the month and the cumulative figures of the year
    # (exact decimal strings) that next month's computation continues from.
    rgdu_coefficient: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    rgdu_ytd: Mapped[dict[str, str]] = mapped_column(JSON)
    # Extra hours per ISO week ({"2026-W45": "2.50"}), paid leave, identities as printed.
    extra_hours_by_week: Mapped[dict[str, str]] = mapped_column(JSON)
    paid_leave: Mapped[dict[str, Any]] = mapped_column(JSON)
    employee_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    employer_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reference_model: Mapped[str] = mapped_column(String(100))

    pdf_document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_document.id"))
    docx_document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_document.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    employee: Mapped[Employee] = relationship()
    pdf_document: Mapped[StoredDocument | None] = relationship(foreign_keys=[pdf_document_id])
    docx_document: Mapped[StoredDocument | None] = relationship(foreign_keys=[docx_document_id])

    @property
    def month_start(self) -> date:
        year, month = self.month.split("-")
        return date(int(year), int(month), 1)
