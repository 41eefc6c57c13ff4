"""Typed SQLAlchemy 2.0 models, one module per area; imported here so metadata is complete."""

from eage.models.audit import AuditLog
from eage.models.base import Base
from eage.models.books import ChainLink, JournalEntry, JournalLine, LedgerAccount  # noqa: F401
from eage.models.budget import BudgetLine, Expense
from eage.models.catalog import Service, ServiceRate
from eage.models.finance import OperatingIncome  # noqa: F401
from eage.models.invoicing import (
    AppLock,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Payment,
    PaymentAllocation,
    StoredDocument,
)
from eage.models.members import Member, PlannedHours
from eage.models.organisation import FiscalYear, MonthLock, Organisation
from eage.models.payroll import PAYSLIP_STATUSES, Payslip  # noqa: F401
from eage.models.staff import Contract, Employee
from eage.models.timesheets import ABSENCE_CODES, INTERNAL, MonthTimeSummary, TimesheetEntry
from eage.models.users import ROLES, ApiToken, User

__all__ = [
    "ABSENCE_CODES",
    "INTERNAL",
    "ROLES",
    "ApiToken",
    "AppLock",
    "Invoice",
    "InvoiceLine",
    "NumberSequence",
    "Payment",
    "PaymentAllocation",
    "StoredDocument",
    "AuditLog",
    "Base",
    "BudgetLine",
    "Contract",
    "Employee",
    "Expense",
    "FiscalYear",
    "Member",
    "MonthLock",
    "MonthTimeSummary",
    "Organisation",
    "PlannedHours",
    "Service",
    "ServiceRate",
    "TimesheetEntry",
    "User",
]
