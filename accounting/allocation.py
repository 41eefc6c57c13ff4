"""Analytic allocation of a period (SPEC §5 "Allocation" and "Largest-remainder rule").

Pure domain: plain data in, frozen dataclasses out, no database. The caller (eage/allocation)
reads grouped sums from the database and hands them over as

* the employer cost of each employee over the period (issued payslips),
* the minutes per (employee, member or internal, service) — internal time with an absence
  code carries that code in place of the service,
* the overhead expenses and the operating income (subsidies) of the period.

Every split goes through the largest-remainder rule of :mod:`accounting.split`, in integer
cents, so each step adds up to the cent and the result does not depend on the order of the
inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from accounting.money import ZERO, D, MoneyError, from_cents, is_cents, to_cents
from accounting.split import largest_remainder_cents, split_cents

__all__ = [
    "INTERNAL",
    "Allocation",
    "AllocationError",
    "AllocationLine",
    "TimeBlock",
    "allocate_period",
]

INTERNAL = "INTERNE"


class AllocationError(ValueError):
    """Inputs that cannot be allocated (minutes that are not whole, amounts below the cent)."""


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
_Pair = tuple[str, str]


@dataclass(frozen=True)
class _Time:
    """The period's minutes, read once: each employee's by step-1 key, and the members'
    billable minutes by (member, service) over all employees."""

    per_employee: Mapping[str, Mapping[_Step1Key, int]]
    billable: Mapping[_Pair, int]


@dataclass(frozen=True)
class _DirectCosts:
    """Step 1 in cents: the members' direct shares, the internal share, the cost split."""

    direct: Mapping[_Pair, int]
    internal: int
    employer: int


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
    overhead_cents = _whole_cents("overheads", overheads)
    income_cents = _whole_cents("income", income)
    time = _read_time(minutes)
    step1 = _split_employee_costs(employee_costs, time.per_employee)
    structure_cents = step1.internal + overhead_cents - income_cents
    weights = sorted(time.billable.items())
    if weights:
        structure, unallocated = largest_remainder_cents(structure_cents, weights), 0
    else:
        structure, unallocated = {}, structure_cents
    return Allocation(
        lines=_lines(time.billable, step1.direct, structure),
        employer_cost=from_cents(step1.employer),
        overheads=from_cents(overhead_cents),
        income=from_cents(income_cents),
        internal_cost=from_cents(step1.internal),
        structure_cost=from_cents(structure_cents),
        unallocated=from_cents(unallocated),
    )


def _whole_cents(name: str, amount: Decimal) -> int:
    value = D(amount)
    if not is_cents(value):
        raise AllocationError(f"{name} must be whole cents: {value}")
    return to_cents(value)


def _read_time(minutes: Iterable[TimeBlock | tuple[str, str | None, str, int]]) -> _Time:
    """Add up the time blocks by employee and step-1 key, and the billable minutes by
    (member, service); refuse minutes that are not non-negative integers."""
    per_employee: dict[str, dict[_Step1Key, int]] = {}
    billable: dict[_Pair, int] = {}
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
    return _Time(per_employee, billable)


def _split_employee_costs(
    employee_costs: Mapping[str, Decimal], per_employee: Mapping[str, Mapping[_Step1Key, int]]
) -> _DirectCosts:
    """Step 1: each employee's cost over that employee's minutes; the internal share and
    the costs of employees without time go to the structure."""
    direct: dict[_Pair, int] = defaultdict(int)
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
        for key, share in split_cents(cents, blocks.items(), sum(blocks.values())).items():
            if len(key) == 3:
                internal_cents += share
            else:
                direct[key] += share
    return _DirectCosts(direct, internal_cents, employer_cents)


def _lines(
    billable: Mapping[_Pair, int], direct: Mapping[_Pair, int], structure: Mapping[_Pair, int]
) -> tuple[AllocationLine, ...]:
    """Step 3: direct + structure per (member, service), sorted by member then service."""
    return tuple(
        AllocationLine(
            member=m,
            service=s,
            minutes=billable.get((m, s), 0),
            direct_cost=from_cents(direct.get((m, s), 0)),
            structure_cost=from_cents(structure.get((m, s), 0)),
        )
        for m, s in sorted(set(billable) | set(direct))
    )
