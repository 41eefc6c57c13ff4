"""HTML → PDF/A-3b with WeasyPrint; invoices then become Factur-X (CII XML embedded)."""

from __future__ import annotations

import hashlib
import warnings
from typing import Any

from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]


class DocumentError(RuntimeError):
    """A document could not be rendered."""


class _NoFetch(URLFetcher):  # type: ignore[misc]
    """Documents are self-contained: any attempt to load a resource is a bug."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise FatalURLFetchingError(f"documents load no external resource (asked for {url})")


def html_to_pdf(html: str, *, identifier: str, pdf_a3: bool = True) -> bytes:
    """Render ``html`` to PDF (PDF/A-3b by default). ``identifier`` seeds the PDF file
    identifier so that two renders of the same document differ only by what WeasyPrint
    cannot fix."""
    options: dict[str, Any] = {
        "pdf_identifier": hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
    }
    if pdf_a3:
        options["pdf_variant"] = "pdf/a-3b"
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its bundled sRGB2014.icc for the PDF/A output intent and never
        # closes it (Pillow reads it, the file object is dropped at once): a ResourceWarning
        # raised synchronously inside write_pdf, harmless, silenced here only.
        warnings.filterwarnings("ignore", category=ResourceWarning, message=r".*sRGB2014\.icc")
        try:
            pdf: bytes = HTML(string=html, url_fetcher=_NoFetch()).write_pdf(**options)
        except FatalURLFetchingError as exc:
            raise DocumentError(str(exc)) from None
    return pdf
