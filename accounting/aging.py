"""Aged receivables (balance âgée des créances): each open invoice put in a bucket by the
days elapsed since its due date at a given date, summed per member and overall.

The due date is the one printed on the invoice (art. L441-10 C. com.: the payment term runs
from it). An invoice whose due date is after the date is « non échue »; on or past it, it is
« échue » and ages by whole days: 0–30, 31–60, 61–90, more than 90 days. Amounts are what is
still owed, tax included, as the member ledger (411) carries them. Pure: no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounting.money import ZERO

# The buckets in the order of the columns, with the last day late each one holds
# (None: no upper bound). "not_due" holds the invoices whose due date has not come.
BUCKETS: tuple[str, ...] = ("not_due", "days_0_30", "days_31_60", "days_61_90", "over_90")
_UPPER_BOUNDS: tuple[tuple[str, int | None], ...] = (
    ("days_0_30", 30),
    ("days_31_60", 60),
    ("days_61_90", 90),
    ("over_90", None),
)


@dataclass(frozen=True)
class OpenItem:
    """An invoice still (partly) owed."""

    member: str  # the member's code: the grouping key
    reference: str  # the invoice number
    issue_date: date
    due_date: date
    amount: Decimal  # what is still owed, tax included


def days_late(due_date: date, at: date) -> int:
    """Whole days between the due date and ``at`` (negative: not yet due)."""
    return (at - due_date).days


def bucket_of(due_date: date, at: date) -> str:
    """The column an item falls in at ``at``: due later → not_due; due today → 0–30."""
    late = days_late(due_date, at)
    if late < 0:
        return "not_due"
    for name, upper in _UPPER_BOUNDS:
        if upper is None or late <= upper:
            return name
    raise AssertionError("unreachable: the last bucket has no bound")  # pragma: no cover


def _zero_buckets() -> dict[str, Decimal]:
    return {name: ZERO for name in BUCKETS}


@dataclass
class AgedLine:
    """One member's line: its open items and their amounts per bucket. ``unapplied`` is
    what the member has to its credit and is not set against any invoice (credit notes or
    payments not applied), ≤ 0; it lowers the member's total."""

    member: str
    items: list[OpenItem] = field(default_factory=list)
    buckets: dict[str, Decimal] = field(default_factory=_zero_buckets)
    unapplied: Decimal = ZERO

    @property
    def open_total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return self.open_total + self.unapplied


@dataclass(frozen=True)
class AgedBalance:
    at: date
    lines: list[AgedLine]

    def bucket_total(self, name: str) -> Decimal:
        return sum((line.buckets[name] for line in self.lines), ZERO)

    @property
    def buckets(self) -> dict[str, Decimal]:
        return {name: self.bucket_total(name) for name in BUCKETS}

    @property
    def unapplied(self) -> Decimal:
        return sum((line.unapplied for line in self.lines), ZERO)

    @property
    def open_total(self) -> Decimal:
        return sum((line.open_total for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.open_total + self.unapplied


def aged_balance(
    items: Iterable[OpenItem],
    at: date,
    unapplied: dict[str, Decimal] | None = None,
) -> AgedBalance:
    """The aged balance at ``at``: items issued after ``at`` are left out; members sorted by
    code; a member with only an unapplied credit still gets its line."""
    lines: dict[str, AgedLine] = {}
    for item in sorted(items, key=lambda i: (i.member, i.due_date, i.reference)):
        if item.issue_date > at or item.amount == 0:
            continue
        line = lines.setdefault(item.member, AgedLine(item.member))
        line.items.append(item)
        line.buckets[bucket_of(item.due_date, at)] += item.amount
    for member, amount in (unapplied or {}).items():
        if amount != 0:
            lines.setdefault(member, AgedLine(member)).unapplied += amount
    return AgedBalance(at, [lines[k] for k in sorted(lines)])
