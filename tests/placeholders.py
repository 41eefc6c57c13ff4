"""Closes that store placeholder documents instead of rendering them.

Tests that generate months to read figures (a whole year, the demo, a partial year) do not
read PDF layouts: WeasyPrint would cost them minutes for nothing. The closing, payslip and
document tests render every document for real; these only skip the rendering, never the
numbering, storage, hashing or postings (the placeholders are stored and chained like any file).
"""

from __future__ import annotations

from typing import Any

import pytest

from eage.invoicing import documents as invoicing_documents
from eage.payslips import services as payslip_services

PDF = b"%PDF-1.7 placeholder"
DOCX = b"PK placeholder"


def placeholder_job(job: Any) -> Any:
    """`render_job` without rendering: one member's invoices and time statement."""
    docs, stmt = job
    invoice = {"pdf": PDF, "docx": DOCX, "xml": b"<placeholder/>"}
    statement = {"pdf": PDF, "docx": DOCX}
    return [dict(invoice) for _ in docs], (dict(statement) if stmt is not None else None)


def use_placeholder_documents(mp: pytest.MonkeyPatch) -> None:
    """Invoices, time statements and payslips stored as placeholders for as long as `mp` lasts."""
    mp.setattr(invoicing_documents, "render_job", placeholder_job)
    mp.setattr(payslip_services, "payslip_pdf", lambda _doc: PDF)
    mp.setattr(payslip_services, "payslip_docx", lambda _doc: DOCX)
