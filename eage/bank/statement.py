"""What every bank file becomes (CAMT.053, OFX, a mapped CSV): one :class:`Statement` of
signed :class:`StatementLine` (+ credit, − debit), Decimal to the cent. Pure: no Flask, no
database; the parsers raise :class:`~accounting.problems.ProblemsError` with every bad line
(``ligne N : …``) and nothing is imported from a file that has one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounting.problems import Problem
from eage.filters import tr


@dataclass(frozen=True)
class StatementLine:
    booking_date: date
    amount: Decimal  # + credit (money in), − debit (money out)
    value_date: date | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    remittance: str | None = None
    end_to_end_id: str | None = None
    bank_reference: str | None = None
    reversal: bool = False
    return_reason: str | None = None

    def fingerprint(self, account_iban: str, occurrence: int = 0) -> str:
        """The same movement read from two overlapping statements gives the same print;
        ``occurrence`` tells apart identical movements of one statement."""
        parts = (
            account_iban,
            self.booking_date.isoformat(),
            f"{self.amount:.2f}",
            self.bank_reference or "",
            self.end_to_end_id or "",
            self.remittance or "",
            self.counterparty_iban or "",
            str(occurrence),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Statement:
    account_iban: str
    statement_id: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    date_from: date
    date_to: date
    lines: tuple[StatementLine, ...] = field(default_factory=tuple)
    file_format: str = "camt053"


def compact_iban(text: str | None) -> str | None:
    """An IBAN without spaces, upper case (None stays None)."""
    if not text:
        return None
    return "".join(text.split()).upper() or None


def line_problem(row: int | str, message: str) -> Problem:
    return Problem(None, tr("ligne %(row)s : %(message)s", row=row, message=message), row=row)
