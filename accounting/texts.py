"""The mark of a French text held as data (a journal's name, a role, a payment method):
``N_("Ventes")`` is the text itself, and tells Babel's extractor to list it, so that the
pages can show it in the reader's language (``eage.filters.translated``) while the
documents, the FEC and the ledger keep the French."""

from __future__ import annotations


def N_(text: str) -> str:
    return text
