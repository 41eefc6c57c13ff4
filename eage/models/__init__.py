"""Typed SQLAlchemy 2.0 models, one module per area; imported here so metadata is complete."""

from eage.models.audit import AuditLog
from eage.models.bank import (
    BankCsvMapping,
    BankLine,
    BankMatch,
    BankStatement,
    PaymentReversal,
)
from eage.models.base import Base
from eage.models.books import ChainLink, JournalEntry, JournalLine, LedgerAccount, Settlement
from eage.models.budget import BudgetLine, Expense
from eage.models.catalog import Service, ServiceRate
from eage.models.finance import OperatingIncome
from eage.models.invoicing import (
    AppLock,
    CreditApplication,
    Invoice,
    InvoiceCorrection,
    InvoiceLine,
    NumberSequence,
    Payment,
    PaymentAllocation,
    StoredDocument,
)
from eage.models.members import Member, PlannedHours
from eage.models.organisation import FiscalYear, MonthLock, Organisation
from eage.models.payroll import PAYSLIP_STATUSES, Payslip
from eage.models.reminders import CreditRefund, Reminder, ReminderItem, SecurityDeposit
from eage.models.sepa import SepaBatch, SepaMandate, SepaSettings, SepaTransaction
from eage.models.staff import Contract, Employee
from eage.models.suppliers import Supplier
from eage.models.timesheets import (
    ABSENCE_CODES,
    INTERNAL,
    MonthTimeSummary,
    TimesheetEntry,
    TimesheetImport,
)
from eage.models.users import ROLES, ApiToken, User

__all__ = [
    "ABSENCE_CODES",
    "INTERNAL",
    "PAYSLIP_STATUSES",
    "ROLES",
    "ApiToken",
    "AppLock",
    "CreditApplication",
    "Invoice",
    "InvoiceCorrection",
    "InvoiceLine",
    "NumberSequence",
    "Payment",
    "PaymentAllocation",
    "StoredDocument",
    "AuditLog",
    "Base",
    "BudgetLine",
    "ChainLink",
    "Contract",
    "Employee",
    "Expense",
    "FiscalYear",
    "JournalEntry",
    "JournalLine",
    "LedgerAccount",
    "Member",
    "MonthLock",
    "MonthTimeSummary",
    "OperatingIncome",
    "Organisation",
    "Payslip",
    "PlannedHours",
    "Service",
    "ServiceRate",
    "Settlement",
    "TimesheetEntry",
    "TimesheetImport",
    "User",
    "SepaBatch",
    "SepaMandate",
    "SepaSettings",
    "SepaTransaction",
    "BankCsvMapping",
    "BankLine",
    "BankMatch",
    "BankStatement",
    "PaymentReversal",
    "Reminder",
    "ReminderItem",
    "SecurityDeposit",
    "CreditRefund",
    "Supplier",
]
