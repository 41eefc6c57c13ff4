"""The one error of the invoicing use cases."""

from __future__ import annotations


class InvoicingError(ValueError):
    """A request the rules refuse; the message is French and shown as is."""

    def __init__(self, errors: list[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else errors
        super().__init__("; ".join(self.errors))
