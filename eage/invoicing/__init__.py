"""Invoices, credit notes, payments and their documents (SPEC §5, §6)."""
