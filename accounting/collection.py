"""Late payment (art. L441-10 C. com.): penalties run from the day after the due date at
the agreed annual rate; a fixed 40 € recovery indemnity per invoice (art. D441-5 C. com.)."""

from __future__ import annotations

from decimal import Decimal

from accounting.money import D, round_cents


def late_penalty(outstanding: Decimal, annual_rate_percent: Decimal, days_late: int) -> Decimal:
    """outstanding × rate × days / 365, rounded half-up to the cent; nothing before due."""
    if days_late <= 0 or outstanding <= 0:
        return Decimal("0.00")
    return round_cents(D(outstanding) * D(annual_rate_percent) / 100 * days_late / 365)
