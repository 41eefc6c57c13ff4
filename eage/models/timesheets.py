"""Timesheet entries: whole minutes of one employee for one member (or internal) and service."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounting.texts import N_
from eage.models.base import Base, utcnow
from eage.models.catalog import Service
from eage.models.members import Member
from eage.models.staff import Employee

INTERNAL = "INTERNE"
# SPEC §5 "Time": internal time carries a service or one of these absence codes.
ABSENCE_CODES = {
    "CP": N_("Congés payés"),
    "MALADIE": N_("Arrêt maladie"),
    "SANS_SOLDE": N_("Congé sans solde"),
    "FORMATION": N_("Formation"),
}


class TimesheetEntry(Base):
    __tablename__ = "timesheet_entry"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        # Exactly one of service / absence; absences only on internal time.
        CheckConstraint(
            "(service_id IS NOT NULL AND absence_code IS NULL)"
            " OR (service_id IS NULL AND absence_code IS NOT NULL AND member_id IS NULL)",
            name="service_or_absence",
        ),
        Index("ix_timesheet_entry_employee_date", "employee_id", "date"),
        Index("ix_timesheet_entry_member_date", "member_id", "date"),
        # The open months of a period whose other months are read from their summaries.
        Index("ix_timesheet_entry_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date]
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))  # None = internal
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    absence_code: Mapped[str | None] = mapped_column(String(20))
    minutes: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(500))
    # Beyond 10 h a day only when authorised (art. L3121-18 C. trav.), never beyond 12 h.
    authorised_exception: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employee: Mapped[Employee] = relationship()
    member: Mapped[Member | None] = relationship()
    service: Mapped[Service | None] = relationship()

    @property
    def member_code(self) -> str:
        return self.member.code if self.member else INTERNAL

    @property
    def activity_code(self) -> str:
        return self.service.code if self.service else (self.absence_code or "")


class MonthTimeSummary(Base):
    """A closed month's minutes grouped per (employee, member or internal, service or
    absence): written by the close in the same transaction as the month's lock, deleted by
    the reopening. Time of a closed month can no longer change (SPEC §5 "Time"), so the
    allocation of closed months reads these rows — tens of thousands for a large group's
    year — instead of rescanning up to a million timesheet rows (issue 5)."""

    __tablename__ = "month_time_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), ForeignKey("month_lock.month"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))  # None = internal
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    absence_code: Mapped[str | None] = mapped_column(String(20))
    minutes: Mapped[int]


class TimesheetImport(Base):
    """One timesheet file imported (web page or CLI): its SHA-256 finds the same file
    imported again, whatever its name (issue 14: a file imported twice doubled the hours)."""

    __tablename__ = "timesheet_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the CLI
    user_label: Mapped[str] = mapped_column(String(255))  # e-mail, or the OS user of the CLI
    channel: Mapped[str] = mapped_column(String(10))  # web / cli
    entry_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
