"""The dashboard's figure helpers: hours from minutes, shares, the run-rate forecast, and the
month names its tables and charts are labelled with.

`hours` (and, in :mod:`eage.dashboard.charts`, `hours_short` / `hours_text`) and the month
names are the dashboard's own for now: the French formats are to live once, at the top of
`eage/` (ARCHITECTURE §11), and these follow them there.
"""

from __future__ import annotations

from decimal import Decimal

from accounting.money import CENT, ROUND_HALF_UP, ZERO, D, round_cents


def N_(text: str) -> str:
    """Marks a French msgid for `make translations` (one of pybabel's default keywords);
    the figures stay language-neutral, the text is translated where it is shown (page,
    exports, charts), in the reader's language."""
    return text


MONTHS = tuple(range(1, 13))
MONTH_ABBR = (
    N_("janv."),
    N_("févr."),
    N_("mars"),
    N_("avr."),
    N_("mai"),
    N_("juin"),
    N_("juil."),
    N_("août"),
    N_("sept."),
    N_("oct."),
    N_("nov."),
    N_("déc."),
)
MONTH_NAMES = (
    N_("janvier"),
    N_("février"),
    N_("mars"),
    N_("avril"),
    N_("mai"),
    N_("juin"),
    N_("juillet"),
    N_("août"),
    N_("septembre"),
    N_("octobre"),
    N_("novembre"),
    N_("décembre"),
)
CHART_MEMBERS = 8  # members drawn one by one in the charts; the others are grouped
CHART_ROWS = 15  # bars of the per-employee / per-member bar charts of a large group
HOUR = Decimal(60)
RATIO = Decimal("0.0001")


def hours(minutes: int) -> Decimal:
    """Whole minutes → hours with two decimals (SPEC §5)."""
    return (Decimal(minutes) / HOUR).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole to four decimals (a share shown as a percentage), None over zero."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO, rounding=ROUND_HALF_UP)


def run_rate(amount: Decimal, months: int) -> Decimal:
    """Linear forecast to year end from `months` months of data."""
    if months <= 0:
        return amount
    return (D(amount) * 12 / months).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> Decimal:
    """A grouped SQL sum as money at the cent (nothing to sum: zero)."""
    return ZERO if value is None else round_cents(value)
