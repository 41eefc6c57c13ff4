"""The largest-remainder split (SPEC §5 "Largest-remainder rule"): the one way eage splits an
amount over weights — the allocation's steps, the hourly rates' budget, the dashboard's
monthly budget.

Shares are ``floor(total × w / Σw)`` in cents; the cents left over go one each to the largest
fractional parts; equal fractional parts are served in ascending key order (keys are compared
as given: the allocation's ``(member code, service code)`` tuples break ties by member code
then service code, as SPEC says; the rate calculator's service codes by code). A negative total
is split as its absolute value, then negated. The shares always add up to the total exactly.

The arithmetic is in integers: integer cents over integer weights. Decimal weights (planned
hours, budgeted costs) are first scaled by one common factor to integers, which changes
neither the proportions nor, therefore, any share or any tie.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any, Protocol, TypeVar

from accounting.money import D, MoneyError, from_cents, to_cents

__all__ = [
    "SplitError",
    "Weight",
    "largest_remainder",
    "largest_remainder_cents",
    "split_cents",
]


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


Key = TypeVar("Key", bound=_Comparable)
Weight = Decimal | int


class SplitError(MoneyError):
    """An amount that cannot be split: no weight to split it over, bad weights, not cents.

    A :class:`~accounting.money.MoneyError` (hence a ``ValueError``): an amount below the cent
    is refused as money is."""


def largest_remainder(
    total: Decimal, weights: Mapping[Key, Weight] | Iterable[tuple[Key, Weight]]
) -> dict[Key, Decimal]:
    """Split an amount in whole cents over weights ≥ 0 (integers or Decimals), as
    :func:`largest_remainder_cents` does; the shares come back in the order of `weights`.

    >>> largest_remainder(Decimal("100.00"), {"B": 1, "A": 1, "C": 1})
    {'B': Decimal('33.33'), 'A': Decimal('33.34'), 'C': Decimal('33.33')}
    """
    try:
        cents = to_cents(D(total))
    except MoneyError as exc:
        raise SplitError(str(exc)) from exc
    return {key: from_cents(c) for key, c in largest_remainder_cents(cents, weights).items()}


def largest_remainder_cents(
    total: int, weights: Mapping[Key, Weight] | Iterable[tuple[Key, Weight]]
) -> dict[Key, int]:
    """Split `total` cents over `weights` (see the module docstring for the rule).

    Weights are non-negative integers or Decimals; a key may appear once. When the weights add
    up to zero, a zero total gives every key 0 and any other total raises
    :class:`SplitError` — there is nothing to split it over.
    """
    keys, integer_weights = _checked_weights(weights)
    weight_sum = sum(integer_weights)
    if weight_sum == 0:
        if total != 0:
            raise SplitError(f"cannot split {from_cents(total)} over a total weight of 0")
        return dict.fromkeys(keys, 0)
    return split_cents(total, zip(keys, integer_weights, strict=True), weight_sum)


def split_cents(total: int, weights: Iterable[tuple[Key, int]], weight_sum: int) -> dict[Key, int]:
    """The arithmetic of the split, for weights already checked: unique keys, non-negative
    integers adding up to `weight_sum` > 0 (the allocation checks its minutes as it reads
    them and calls this directly on its hot path)."""
    sign = -1 if total < 0 else 1
    amount = abs(total)
    products = [(key, amount * weight) for key, weight in weights]
    shares = {key: product // weight_sum for key, product in products}
    leftover = amount - sum(shares.values())
    if leftover:
        # Largest fractional part first (remainder / Σw, compared as integers); ties by key.
        remainders = [(product % weight_sum, key) for key, product in products]
        remainders.sort(key=itemgetter(1))
        remainders.sort(key=itemgetter(0), reverse=True)
        for _remainder, key in remainders[:leftover]:
            shares[key] += 1
    if sign < 0:
        return {key: -share for key, share in shares.items()}
    return shares


def _checked_weights(
    weights: Mapping[Key, Weight] | Iterable[tuple[Key, Weight]],
) -> tuple[list[Key], list[int]]:
    """The keys and their weights as integers, after refusing what cannot be a weight."""
    pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
    seen: set[Key] = set()
    for key, weight in pairs:
        if not _is_weight(weight):
            raise SplitError(f"weight of {key!r} must be an integer or a Decimal, got {weight!r}")
        if weight < 0:
            raise SplitError(f"weight of {key!r} is negative: {weight}")
        if key in seen:
            raise SplitError(f"key {key!r} appears twice")
        seen.add(key)
    return [key for key, _ in pairs], _as_integers([weight for _, weight in pairs])


def _is_weight(weight: object) -> bool:
    if isinstance(weight, Decimal):
        return weight.is_finite()
    return isinstance(weight, int) and not isinstance(weight, bool)


def _as_integers(weights: list[Weight]) -> list[int]:
    """Integer weights as they are; Decimal ones all multiplied by the least common multiple
    of their denominators (exact), so the proportions do not change."""
    if all(isinstance(weight, int) for weight in weights):
        return [int(weight) for weight in weights]
    exact = [Fraction(weight) for weight in weights]
    scale = math.lcm(*(fraction.denominator for fraction in exact))
    return [int(fraction * scale) for fraction in exact]
