"""VAT on services, pure: when the VAT of an invoice becomes due, and the monthly CA3 figures.

* **Due on receipt** (art. 269-2-c CGI): the VAT of a service becomes due when the price is
  received. An invoice credits *TVA collectée à régulariser* (44574); each amount received on
  it moves its VAT share to *TVA collectée* (44571). Unless the group opted for debits
  (art. 269-2-c CGI, last paragraph): then the VAT is due at invoicing (44571 at once) and
  every invoice says "Option pour le paiement de la taxe d'après les débits" (décret
  2022-1299).
* **The VAT share** of an amount settled on an invoice is ``round_half_up(settled × invoice
  VAT / invoice total incl. tax, 2)``; the settlement that brings the invoice's outstanding to
  zero takes exactly the VAT left (invoice VAT − VAT credited by credit notes − VAT already
  moved), so an invoice fully settled has moved exactly its VAT — never a cent more or less.
  A credit note reverses its own VAT from 44574 when it is issued, so applying it to an
  invoice moves nothing: only cash moves VAT.
* **CA3** (formulaire 3310-CA3, monthly régime réel normal): per month, the taxable base and
  the VAT that became due, the exempt operations (art. 261 B CGI) and those outside the
  scope (membership fees), the deductible VAT and the VAT due; reconciled with the books
  (44571 and 44566 movements, 44574 balance = VAT of what is still unpaid).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from accounting.money import ZERO, D, round_cents

__all__ = [
    "OPERATION_KINDS",
    "BooksMonth",
    "Ca3Month",
    "Operation",
    "VatMove",
    "ca3_year",
    "ca3_totals",
    "moved_by_earlier",
    "vat_share",
    "vat_to_move",
]


# --------------------------------------------------------------------------- moves


@dataclass(frozen=True)
class VatMove:
    """VAT of one invoice that becomes due with a payment: D 44574 / C 44571."""

    invoice_number: str
    vat: Decimal


def vat_share(settled: Decimal, invoice_vat: Decimal, invoice_total: Decimal) -> Decimal:
    """``round_half_up(settled × VAT / total incl. tax, 2)``; 0 for an invoice without VAT."""
    settled, invoice_vat, invoice_total = D(settled), D(invoice_vat), D(invoice_total)
    if not invoice_vat or not invoice_total:
        return ZERO
    return round_cents(settled * invoice_vat / invoice_total)


def moved_by_earlier(
    earlier: Iterable[Decimal], invoice_vat: Decimal, invoice_total: Decimal
) -> Decimal:
    """The VAT already moved by the earlier settlements of an invoice, in the order they were
    recorded. Each was followed by another one, so none of them settled the invoice: each
    moved its proportional share, capped at the VAT the invoice still had."""
    moved = ZERO
    for settled in earlier:
        left = max(D(invoice_vat) - moved, ZERO)
        moved += min(vat_share(settled, invoice_vat, invoice_total), left)
    return moved


def vat_to_move(
    *,
    settled: Decimal,
    invoice_vat: Decimal,
    invoice_total: Decimal,
    already_moved: Decimal = ZERO,
    credited_vat: Decimal = ZERO,
    settles_fully: bool = False,
) -> Decimal:
    """The VAT a settlement of ``settled`` (incl. tax) on an invoice moves from 44574 to
    44571: its proportional share, or — when it brings the invoice's outstanding to zero —
    exactly the VAT left (VAT − credited VAT − already moved). Never negative, never more
    than what is left."""
    left = max(D(invoice_vat) - D(credited_vat) - D(already_moved), ZERO)
    if settles_fully:
        return left
    return min(vat_share(settled, invoice_vat, invoice_total), left)


# --------------------------------------------------------------------------- CA3

OperationKind = Literal["taxable", "exempt", "outside"]
OPERATION_KINDS: tuple[OperationKind, ...] = ("taxable", "exempt", "outside")


@dataclass(frozen=True)
class Operation:
    """One fact of a month's CA3: a base (excl. tax) and the VAT that became due with it.

    ``taxable`` at 20 % (line 08 of the CA3), ``exempt`` under art. 261 B CGI (line E3 *autres
    opérations non imposables*), ``outside`` the scope of VAT (membership fees, line E2).
    Negative for a credit note under the debits option."""

    month: int  # 1..12
    kind: OperationKind
    base: Decimal
    vat: Decimal = ZERO


@dataclass(frozen=True)
class BooksMonth:
    """What the books say about a month: 44571 net credit and 44566 net debit of the
    month's entries, and the 44574 balance (credit − debit) at the month's end."""

    collected: Decimal = ZERO
    deductible: Decimal = ZERO
    pending_balance: Decimal = ZERO


@dataclass(frozen=True)
class Ca3Month:
    month: int
    taxable_base: Decimal
    collected_vat: Decimal
    exempt_base: Decimal
    outside_base: Decimal
    deductible_vat: Decimal
    books_collected: Decimal
    books_deductible: Decimal
    pending_balance: Decimal

    @property
    def vat_due(self) -> Decimal:
        """TVA nette due (line 28), or a credit of VAT (line 23) when negative."""
        return self.collected_vat - self.deductible_vat

    @property
    def collected_gap(self) -> Decimal:
        """Collected VAT of the operations − 44571 movements of the month: 0 when reconciled."""
        return self.collected_vat - self.books_collected

    @property
    def reconciled(self) -> bool:
        return not self.collected_gap


def ca3_year(operations: Iterable[Operation], books: Mapping[int, BooksMonth]) -> list[Ca3Month]:
    """The twelve months of a year's CA3 figures. The deductible VAT is the books' 44566
    debits of the month (what the purchases journal recorded)."""
    sums: dict[tuple[int, str], list[Decimal]] = {}
    for op in operations:
        acc = sums.setdefault((op.month, op.kind), [ZERO, ZERO])
        acc[0] += D(op.base)
        acc[1] += D(op.vat)
    out = []
    for month in range(1, 13):
        taxable = sums.get((month, "taxable"), [ZERO, ZERO])
        b = books.get(month, BooksMonth())
        out.append(
            Ca3Month(
                month=month,
                taxable_base=taxable[0],
                collected_vat=taxable[1],
                exempt_base=sums.get((month, "exempt"), [ZERO, ZERO])[0],
                outside_base=sums.get((month, "outside"), [ZERO, ZERO])[0],
                deductible_vat=D(b.deductible),
                books_collected=D(b.collected),
                books_deductible=D(b.deductible),
                pending_balance=D(b.pending_balance),
            )
        )
    return out


CA3_SUMMED = (
    "taxable_base",
    "collected_vat",
    "exempt_base",
    "outside_base",
    "deductible_vat",
    "books_collected",
    "books_deductible",
)


def ca3_totals(months: Sequence[Ca3Month]) -> dict[str, Decimal]:
    """The year's totals of the summed columns, the VAT due, and the 44574 balance at the
    end of the last month."""
    totals = {name: sum((getattr(m, name) for m in months), ZERO) for name in CA3_SUMMED}
    totals["vat_due"] = totals["collected_vat"] - totals["deductible_vat"]
    totals["pending_balance"] = months[-1].pending_balance if months else ZERO
    return totals
