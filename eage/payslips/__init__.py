"""Payslips: issue, pages, documents, simulator (SPEC §5 "Payroll")."""
