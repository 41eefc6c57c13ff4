"""Analytic allocation of a period (SPEC §5 "Allocation" and "Largest-remainder rule").

Pure domain: plain data in, frozen dataclasses out, no database. The caller (eage/allocation)
reads grouped sums from the database and hands them over as

* the employer cost of each employee over the period (issued payslips),
* the minutes per (employee, member or internal, service) — internal time with an absence
  code carries that code in place of the service,
* the overhead expenses and the operating income (subsidies) of the period.

Every split goes through :func:`largest_remainder`, in integer cents, so each step adds up
to the cent and the result does not depend on the order of the inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, TypeVar

from accounting.money import ZERO, D, MoneyError, from_cents, to_cents

__all__ = [
    "INTERNAL",
    "Allocation",
    "AllocationError",
    "AllocationLine",
    "TimeBlock",
    "allocate_period",
    "largest_remainder",
    "largest_remainder_cents",
]

INTERNAL = "INTERNE"


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


Key = TypeVar("Key", bound=_Comparable)


class AllocationError(ValueError):
    """An amount that cannot be split (no weight to split it over, bad weights, not cents)."""


def largest_remainder_cents(total: int, weights: Sequence[tuple[Key, int]]) -> dict[Key, int]:
    """Split `total` cents over `weights` (SPEC §5 "Largest-remainder rule"), in cents.

    Each key first gets ``floor(total × w / Σw)``; the cents left over go one each to the
    largest fractional parts; equal fractional parts are served in ascending key order. Keys
    are compared as given: the allocation uses ``(member code, service code, …)`` tuples, so
    ties go by member code then service code, as SPEC says. A negative total is split as its
    absolute value, then negated. The shares always add up to `total` exactly.

    Weights are non-negative integers (minutes); a key may appear once. When the weights add
    up to zero, a zero total gives every key 0 and any other total raises
    :class:`AllocationError` — there is nothing to split it over.
    """
    seen: set[Key] = set()
    weight_sum = 0
    for key, weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise AllocationError(f"weight of {key!r} must be an integer, got {weight!r}")
        if weight < 0:
            raise AllocationError(f"weight of {key!r} is negative: {weight}")
        if key in seen:
            raise AllocationError(f"key {key!r} appears twice")
        seen.add(key)
        weight_sum += weight
    if weight_sum == 0:
        if total != 0:
            raise AllocationError(f"cannot split {from_cents(total)} over a total weight of 0")
        return {key: 0 for key, _ in weights}
    return _split_cents(total, weights, weight_sum)


def _split_cents(total: int, weights: Iterable[tuple[Key, int]], weight_sum: int) -> dict[Key, int]:
    """The arithmetic of :func:`largest_remainder_cents` for weights already checked (unique
    keys, non-negative integers adding up to `weight_sum` > 0)."""
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


def largest_remainder(total: Decimal, weights: Sequence[tuple[Key, int]]) -> dict[Key, Decimal]:
    """Split an amount at the cent over integer weights; see :func:`largest_remainder_cents`.

    >>> largest_remainder(Decimal("100.00"), [(("A", "PAIE"), 1), (("B", "PAIE"), 1), (("C", "PAIE"), 1)])
    {('A', 'PAIE'): Decimal('33.34'), ('B', 'PAIE'): Decimal('33.33'), ('C', 'PAIE'): Decimal('33.33')}
    """
    try:
        cents = to_cents(D(total))
    except MoneyError as exc:
        raise AllocationError(str(exc)) from exc
    return {key: from_cents(c) for key, c in largest_remainder_cents(cents, weights).items()}


class TimeBlock(NamedTuple):
    """Minutes of one employee for one member (None = internal time) and one service (or,
    for internal time, an absence code), over the period. A named tuple: a year of a large
    group is tens of thousands of them, built from grouped rows."""

    employee: str
    member: str | None
    service: str
    minutes: int


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """One member × service of the period: billable minutes and costs in euros."""

    member: str
    service: str
    minutes: int
    direct_cost: Decimal
    structure_cost: Decimal

    @property
    def total_cost(self) -> Decimal:
        return self.direct_cost + self.structure_cost


@dataclass(frozen=True)
class Allocation:
    """The allocation of a period (SPEC §5), lines sorted by member code then service code.

    Invariant: ``allocated == employer_cost + overheads − income − unallocated`` to the cent,
    and ``unallocated`` is 0.00 whenever the period has billable time.
    """

    lines: tuple[AllocationLine, ...]
    employer_cost: Decimal  # Σ employer cost of the employees (step 1 input)
    overheads: Decimal
    income: Decimal
    internal_cost: Decimal  # step 1's internal share, including costs of employees without time
    structure_cost: Decimal  # internal_cost + overheads − income (step 2)
    unallocated: Decimal  # structure cost with no billable minute to carry it

    @property
    def direct_cost(self) -> Decimal:
        return sum((ln.direct_cost for ln in self.lines), ZERO)

    @property
    def allocated(self) -> Decimal:
        """Σ total cost over members (what the members carry)."""
        return sum((ln.total_cost for ln in self.lines), ZERO)

    @property
    def minutes(self) -> int:
        return sum(ln.minutes for ln in self.lines)

    def per_member(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for ln in self.lines:
            out[ln.member] += ln.total_cost
        return dict(sorted(out.items()))


# Step-1 keys: (member code, service code) for a member's time, (INTERNE, service or absence
# code, True) for internal time — sorted by member code then service code (SPEC tie rule); the
# longer tuple sorts after the pair of a member coded like INTERNE, keeping the two apart.
_Step1Key = tuple[str, str] | tuple[str, str, bool]


def allocate_period(
    employee_costs: Mapping[str, Decimal],
    minutes: Iterable[TimeBlock | tuple[str, str | None, str, int]],
    overheads: Decimal,
    income: Decimal,
) -> Allocation:
    """Allocate a period's costs to members and services (SPEC §5 "Allocation").

    1. Each employee's employer cost is split over that employee's minutes by (member or
       internal, service), largest remainder. An employee with a cost but **no minutes in
       the period** has nothing to split it over: the whole cost goes to the structure (it is
       added to the internal share). Minutes of an employee without cost (no payslip in the
       period) carry no direct cost but still count as billable minutes in step 2.
    2. Structure cost = internal share of step 1 + `overheads` − `income`, split over the
       (member, service) pairs pro rata to their billable minutes (all employees together),
       largest remainder. Negative (income above costs) is split the same way, negated. If
       the period has no billable minute at all, the structure cost stays `unallocated`.
    3. Each (member, service) costs its direct share + its structure share; a member's cost
       is the sum over its services.

    Duplicate time blocks for the same (employee, member, service) are added together; the
    result does not depend on the order of any input.
    """
    overheads = D(overheads)
    income = D(income)
    for name, value in (("overheads", overheads), ("income", income)):
        if value != value.quantize(Decimal("0.01")):
            raise AllocationError(f"{name} must be whole cents: {value}")

    per_employee: dict[str, dict[_Step1Key, int]] = {}
    billable: dict[tuple[str, str], int] = {}
    for employee, member, service, mins in minutes:
        if type(mins) is not int or mins < 0:
            raise AllocationError(
                f"minutes must be a non-negative integer: {(employee, member, service, mins)!r}"
            )
        if mins == 0:
            continue
        blocks = per_employee.get(employee)
        if blocks is None:
            blocks = per_employee[employee] = {}
        if member is None:
            internal_key = (INTERNAL, service, True)
            blocks[internal_key] = blocks.get(internal_key, 0) + mins
        else:
            pair = (member, service)
            blocks[pair] = blocks.get(pair, 0) + mins
            billable[pair] = billable.get(pair, 0) + mins

    # Step 1: each employee's cost over that employee's minutes.
    direct: dict[_Step1Key, int] = defaultdict(int)
    internal_cents = 0
    employer_cents = 0
    for employee, cost in employee_costs.items():
        try:
            cents = to_cents(D(cost))
        except MoneyError as exc:
            raise AllocationError(f"employer cost of {employee}: {exc}") from exc
        employer_cents += cents
        blocks = per_employee.get(employee)
        if not blocks:
            internal_cents += cents  # cost without time: the structure carries it
            continue
        # Weights checked as the blocks were read: unique keys, positive integer minutes.
        for key, share in _split_cents(cents, blocks.items(), sum(blocks.values())).items():
            if len(key) == 3:
                internal_cents += share
            else:
                direct[key] += share

    # Step 2: the structure cost over members' billable minutes.
    structure_cents = internal_cents + to_cents(overheads) - to_cents(income)
    weights = sorted(billable.items())
    unallocated = 0
    if weights:
        structure = largest_remainder_cents(structure_cents, weights)
    else:
        structure, unallocated = {}, structure_cents

    # Step 3: direct + structure per (member, service).
    keys: list[tuple[str, str]] = sorted(set(billable) | set(direct))  # type: ignore[arg-type]
    lines = tuple(
        AllocationLine(
            member=m,
            service=s,
            minutes=billable.get((m, s), 0),
            direct_cost=from_cents(direct.get((m, s), 0)),
            structure_cost=from_cents(structure.get((m, s), 0)),
        )
        for m, s in keys
    )
    return Allocation(
        lines=lines,
        employer_cost=from_cents(employer_cents),
        overheads=from_cents(to_cents(overheads)),
        income=from_cents(to_cents(income)),
        internal_cost=from_cents(internal_cents),
        structure_cost=from_cents(structure_cents),
        unallocated=from_cents(unallocated),
    )
