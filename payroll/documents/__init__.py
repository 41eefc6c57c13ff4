"""Payroll documents (pure): the payslip as PDF and .docx, the monthly payroll journal as
PDF and .xlsx. No Flask: inputs are :mod:`payroll.documents.model` dataclasses."""

from .model import EmployeeIdentity, Employer, JournalRow, PaidLeave, PayslipDocument
from .office import journal_xlsx, payslip_docx
from .render import (
    JOURNAL_FAMILIES,
    KEEP_MENTION,
    family_amounts,
    journal_html,
    journal_pdf,
    journal_totals,
    payslip_context,
    payslip_html,
    render_pdf,
)
from .typst_data import payslip_pdf

__all__ = [
    "JOURNAL_FAMILIES",
    "KEEP_MENTION",
    "EmployeeIdentity",
    "Employer",
    "JournalRow",
    "PaidLeave",
    "PayslipDocument",
    "family_amounts",
    "journal_html",
    "journal_pdf",
    "journal_totals",
    "journal_xlsx",
    "payslip_context",
    "payslip_docx",
    "payslip_html",
    "payslip_pdf",
    "render_pdf",
]
