"""The one door for money.

Every amount in eage is a :class:`decimal.Decimal` built through :func:`D`, never a
``float``. Rounding happens only where SPEC.md §5 names it, and always by a named mode
(:data:`ROUND_HALF_UP`), never with the built-in ``round()``.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "is_whole_cents",
    "CENT",
    "ROUND_FLOOR",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_UP",
    "ZERO",
    "D",
    "MoneyError",
    "round_cents",
    "to_cents",
    "from_cents",
    "fmt2",
    "is_cents",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """A value that cannot be money (a float, garbage text, NaN…)."""


def D(value: Decimal | int | str) -> Decimal:
    """Build a Decimal from an int, a str or a Decimal; refuse floats.

    Floats carry binary rounding errors (``0.1 + 0.2``); money never goes through them.
    """
    if isinstance(value, (bool, float)):
        raise MoneyError(f"money must not be built from {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise MoneyError(f"not a decimal number: {value!r}") from exc
    else:
        raise MoneyError(f"money must not be built from {type(value).__name__}: {value!r}")
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {value!r}")
    return result


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent (SPEC §5: the only rounding of money)."""
    return D(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def is_whole_cents(amount: Decimal) -> bool:
    """Whether ``amount`` has at most two decimals (a bank or a form gives cents, nothing finer)."""
    return amount == amount.quantize(CENT, rounding=ROUND_HALF_UP)


def is_cents(amount: Decimal) -> bool:
    """Whether ``amount`` is a whole number of cents (no digit below the cent)."""
    q = D(amount)
    # A test, not a rounding: the mode only matters for amounts that fail it.
    return q == q.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    """An amount already at the cent, as an integer number of cents."""
    q = D(amount)
    if not is_cents(q):
        raise MoneyError(f"{amount} is not a whole number of cents")
    return int(q * 100)


def from_cents(cents: int) -> Decimal:
    """Integer cents back to a Decimal amount with two decimals."""
    # Exact: an integer divided by 100 has two decimals at most, so nothing is rounded.
    return (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt2(amount: Decimal) -> str:
    """Two-decimal string, as the JSON API and CLI print amounts and hours ("1234.50")."""
    return str(D(amount).quantize(CENT, rounding=ROUND_HALF_UP))
