"""Reminders for overdue invoices (relances): which level each overdue invoice has reached,
and what the late payment costs, as the conditions printed on the invoice say.

- Art. L441-10 II C. com.: late-payment penalties are due of right from the day after the due
  date, at the rate printed on the invoice (art. L441-9: the invoice states it); simple
  interest on what is still owed (incl. tax), ``outstanding × rate × days / 365``, rounded
  half-up to the cent (:func:`accounting.collection.late_penalty`).
- Art. L441-10 II and D441-5 C. com.: a fixed 40 € recovery indemnity per invoice paid late.

Levels escalate: 1 relance amiable, 2 deuxième relance, 3 mise en demeure. An invoice reaches
level N+1 only once level N was sent for it and the delay between the two thresholds has
passed since; a level is never sent twice for the same invoice. Pure: plain data in and out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.collection import late_penalty
from accounting.invoicing import RECOVERY_INDEMNITY
from accounting.money import ZERO
from accounting.texts import N_

# Days late from which each level may be sent (the settings' REMINDER_LEVEL_DAYS).
DEFAULT_LEVEL_DAYS: tuple[int, int, int] = (1, 15, 30)
LEVELS = (1, 2, 3)
LEVEL_NAMES = {
    1: N_("Relance amiable"),
    2: N_("Deuxième relance"),
    3: N_("Mise en demeure"),
}


@dataclass(frozen=True)
class OverdueInvoice:
    """An invoice past its due date as the reminder sees it."""

    number: str
    issue_date: date
    due_date: date
    total_incl_tax: Decimal
    outstanding: Decimal
    penalty_rate: Decimal  # annual percent printed on the invoice


@dataclass(frozen=True)
class SentLevel:
    """The last level already sent for an invoice, and when."""

    level: int
    sent_on: date


@dataclass(frozen=True)
class ReminderLine:
    invoice: OverdueInvoice
    days_late: int
    penalty: Decimal
    indemnity: Decimal
    level: int | None  # the level this reminder sends for the invoice; None: nothing new
    last_sent: SentLevel | None


@dataclass(frozen=True)
class ReminderProposal:
    """One member's reminder: every overdue invoice, the level of the e-mail (the highest
    level reached by one of its invoices) and the sums."""

    lines: tuple[ReminderLine, ...]

    @property
    def level(self) -> int | None:
        levels = [ln.level for ln in self.lines if ln.level is not None]
        return max(levels) if levels else None

    @property
    def outstanding(self) -> Decimal:
        return sum((ln.invoice.outstanding for ln in self.lines), ZERO)

    @property
    def penalties(self) -> Decimal:
        return sum((ln.penalty for ln in self.lines), ZERO)

    @property
    def indemnities(self) -> Decimal:
        return sum((ln.indemnity for ln in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.outstanding + self.penalties + self.indemnities


def check_level_days(days: Sequence[int]) -> list[str]:
    """The settings' thresholds: three increasing whole numbers of days, the first ≥ 1."""
    if len(days) != len(LEVELS) or not all(isinstance(d, int) for d in days):
        return [f"REMINDER_LEVEL_DAYS must be three whole numbers of days, got {list(days)!r}"]
    if days[0] < 1 or not days[0] < days[1] < days[2]:
        return [f"REMINDER_LEVEL_DAYS must increase from at least 1 day, got {list(days)!r}"]
    return []


def next_level(
    days_late: int, last: SentLevel | None, today: date, level_days: Sequence[int]
) -> int | None:
    """The level an invoice `days_late` may be reminded at today, or None: level 1 from the
    first threshold; level N+1 once N was sent, the invoice is late enough, and the gap
    between the two thresholds has passed since N was sent."""
    if days_late < level_days[0]:
        return None
    if last is None:
        return 1
    if last.level >= len(LEVELS):
        return None
    wanted = last.level + 1
    gap = level_days[wanted - 1] - level_days[last.level - 1]
    if days_late >= level_days[wanted - 1] and (today - last.sent_on).days >= gap:
        return wanted
    return None


def reminder_line(
    invoice: OverdueInvoice, today: date, last: SentLevel | None, level_days: Sequence[int]
) -> ReminderLine:
    """One overdue invoice: days late counted from the day after the due date, the penalty
    at its printed rate on what is still owed, the 40 € indemnity (art. L441-10, D441-5)."""
    days = max((today - invoice.due_date).days, 0)
    penalty = late_penalty(invoice.outstanding, invoice.penalty_rate, days)
    indemnity = RECOVERY_INDEMNITY if days > 0 and invoice.outstanding > 0 else ZERO
    return ReminderLine(
        invoice, days, penalty, indemnity, next_level(days, last, today, level_days), last
    )


def propose(
    invoices: Sequence[OverdueInvoice],
    today: date,
    sent: Mapping[str, SentLevel],
    level_days: Sequence[int] = DEFAULT_LEVEL_DAYS,
) -> ReminderProposal:
    """A member's reminder from its overdue invoices and the last level sent per invoice
    number; its `level` is None when no invoice reached a new level (nothing to send)."""
    lines = tuple(
        reminder_line(inv, today, sent.get(inv.number), level_days)
        for inv in sorted(invoices, key=lambda i: (i.due_date, i.number))
        if inv.outstanding > 0 and inv.due_date < today
    )
    return ReminderProposal(lines)
