"""Hourly rate calculator (SPEC §5 "Hourly rate calculator"). Pure: no Flask, no database.

For a fiscal year, the provisional hourly rate of each service is

    rate(s) = round_half_up(budgeted cost attributed to s / planned billable hours of s, 2)

where the budgeted cost of s is

* the **staff cost** of each employee split over the services by that employee's planned
  share of each service (weights: typically the billable minutes of a reference period),
* plus the **overheads net of the budgeted income** (subsidies) spread over the services
  pro rata to their planned billable hours.

Every split of an amount uses the largest-remainder rule of SPEC §5
(:func:`accounting.split.largest_remainder`: shares in cents, the cents left over going to
the largest fractional parts, ties broken by code), so the
services' costs add up to the budget to the cent. The rate itself is the only rounding
(half-up to the cent): rate × hours is therefore close to, not equal to, the cost — the
year-end regularisation trues the members up to the real cost (SPEC §5).

The rate is provisional by nature: a group invoicing "à l'euro près" (LEGAL-FACTS §1, §7)
only needs a rate that is close to the real cost, then regularises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import CENT, ROUND_HALF_EVEN, ZERO, D, is_cents, round_cents
from accounting.split import largest_remainder

__all__ = [
    "EmployeeSplit",
    "RateError",
    "RateInputs",
    "RateProblem",
    "RateProposal",
    "ServiceRateLine",
    "check_rate_inputs",
    "propose_rates",
]


# --------------------------------------------------------------------------------------
# Inputs, problems, outputs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateInputs:
    """What the calculator needs for one year (all amounts in euros, whole cents).

    ``staff_cost``: employee code → budgeted annual staff cost (employer cost).
    ``shares``: employee code → service code → weight ≥ 0 (planned share of the service,
    e.g. billable minutes of a reference period). Only the proportions matter.
    ``overheads``: budgeted running costs; ``income``: budgeted operating income
    (subsidies) that comes off the overheads.
    ``planned_hours``: service code → planned billable hours (the members' conventions).
    """

    staff_cost: Mapping[str, Decimal]
    shares: Mapping[str, Mapping[str, Decimal | int]]
    overheads: Decimal
    income: Decimal
    planned_hours: Mapping[str, Decimal]


@dataclass(frozen=True)
class RateProblem:
    """One reason the rates cannot be computed. ``subject``: the employee or service code
    concerned, or ``""`` for the whole budget. ``message`` is French (shown as is)."""

    subject: str
    message: str


class RateError(ValueError):
    """Raised by :func:`propose_rates` with every problem at once."""

    def __init__(self, problems: list[RateProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class EmployeeSplit:
    """An employee's staff cost and its split over the services (largest remainder)."""

    employee: str
    cost: Decimal
    by_service: Mapping[str, Decimal]


@dataclass(frozen=True)
class ServiceRateLine:
    """One service: its attributed costs, planned hours and the proposed rate.

    ``rate`` is ``None`` for a service with neither cost nor planned hours."""

    service: str
    staff_cost: Decimal
    overhead_share: Decimal
    total_cost: Decimal
    hours: Decimal
    rate: Decimal | None

    @property
    def recovered(self) -> Decimal:
        """What rate × planned hours would invoice over the year (before regularisation)."""
        if self.rate is None:
            return ZERO
        return round_cents(self.rate * self.hours)


@dataclass(frozen=True)
class RateProposal:
    services: tuple[ServiceRateLine, ...]
    employees: tuple[EmployeeSplit, ...]
    staff_total: Decimal
    overheads: Decimal
    income: Decimal
    net_overheads: Decimal  # overheads − income
    total_cost: Decimal  # staff_total + net_overheads = Σ services' total_cost
    total_hours: Decimal

    def line(self, service: str) -> ServiceRateLine:
        for line in self.services:
            if line.service == service:
                return line
        raise KeyError(service)

    @property
    def recovered(self) -> Decimal:
        return sum((line.recovered for line in self.services), ZERO)


# --------------------------------------------------------------------------------------
# Validation (every problem at once, ARCHITECTURE §5)
# --------------------------------------------------------------------------------------


def _service_codes(inputs: RateInputs) -> list[str]:
    codes = set(inputs.planned_hours)
    for weights in inputs.shares.values():
        codes.update(weights)
    return sorted(codes)


def _fmt(amount: Decimal) -> str:
    """An amount echoed in a problem message, to the cent. Half-even, as the ``:.2f`` format
    it replaces did: the messages read as before; it only shows input that is refused."""
    return f"{D(amount).quantize(CENT, rounding=ROUND_HALF_EVEN):f}".replace(".", ",")


def _structural_problems(inputs: RateInputs) -> list[RateProblem]:
    """Amounts, hours and shares that are wrong in themselves, else costs that cannot land."""
    problems = [
        *_staff_cost_problems(inputs.staff_cost),
        *_budget_problems(inputs),
        *_negative_hours_and_shares(inputs),
    ]
    return problems or _placement_problems(inputs)


def _staff_cost_problems(staff_cost: Mapping[str, Decimal]) -> list[RateProblem]:
    problems: list[RateProblem] = []
    for code in sorted(staff_cost):
        cost = D(staff_cost[code])
        if cost < 0:
            problems.append(
                RateProblem(code, f"{code} : coût de personnel négatif ({_fmt(cost)} €).")
            )
        elif not is_cents(cost):
            problems.append(
                RateProblem(code, f"{code} : coût de personnel au-delà du centime ({cost}).")
            )
    return problems


def _budget_problems(inputs: RateInputs) -> list[RateProblem]:
    problems: list[RateProblem] = []
    for label, amount in (("frais de structure", inputs.overheads), ("produits", inputs.income)):
        amount = D(amount)
        if amount < 0:
            problems.append(RateProblem("", f"Montant des {label} négatif ({_fmt(amount)} €)."))
        elif not is_cents(amount):
            problems.append(RateProblem("", f"Montant des {label} au-delà du centime ({amount})."))
    return problems


def _negative_hours_and_shares(inputs: RateInputs) -> list[RateProblem]:
    problems = [
        RateProblem(service, f"{service} : heures prévues négatives ({_fmt(hours)}).")
        for service, hours in sorted((s, D(h)) for s, h in inputs.planned_hours.items())
        if hours < 0
    ]
    for code in sorted(inputs.shares):
        for service in sorted(inputs.shares[code]):
            if D(inputs.shares[code][service]) < 0:
                problems.append(
                    RateProblem(code, f"{code} : part négative sur le service {service}.")
                )
    return problems


def _placement_problems(inputs: RateInputs) -> list[RateProblem]:
    """Costs that cannot land anywhere: a staff cost without shares, shares on a service
    without planned hours, overheads without any planned hour."""
    problems: list[RateProblem] = []
    unplaced: set[str] = set()
    for code in sorted(inputs.staff_cost):
        if D(inputs.staff_cost[code]) == 0:
            continue
        weights = inputs.shares.get(code, {})
        if sum((D(w) for w in weights.values()), ZERO) == 0:
            problems.append(
                RateProblem(
                    code,
                    f"{code} : coût de personnel de {_fmt(inputs.staff_cost[code])} € sans "
                    "répartition prévue entre les services.",
                )
            )
            continue
        unplaced.update(
            service
            for service, weight in weights.items()
            if D(weight) > 0 and D(inputs.planned_hours.get(service, ZERO)) == 0
        )
    problems.extend(
        RateProblem(
            service,
            f"{service} : du coût de personnel lui est attribué mais aucune heure "
            "facturable n'est prévue.",
        )
        for service in sorted(unplaced)
    )
    total_hours = sum((D(h) for h in inputs.planned_hours.values()), ZERO)
    if total_hours == 0 and D(inputs.overheads) - D(inputs.income) != 0:
        problems.append(
            RateProblem(
                "",
                "Aucune heure facturable prévue : les frais de structure ne peuvent pas être "
                "répartis.",
            )
        )
    return problems


def _compute(inputs: RateInputs) -> RateProposal:
    services = _service_codes(inputs)
    staff_by_service = dict.fromkeys(services, ZERO)
    employees: list[EmployeeSplit] = []
    for code in sorted(inputs.staff_cost):
        cost = D(inputs.staff_cost[code])
        weights = {s: D(w) for s, w in inputs.shares.get(code, {}).items()}
        split = largest_remainder(cost, weights) if weights else {}
        for service, amount in split.items():
            staff_by_service[service] += amount
        employees.append(EmployeeSplit(code, cost, dict(sorted(split.items()))))
    staff_total = sum((D(c) for c in inputs.staff_cost.values()), ZERO)

    overheads, income = D(inputs.overheads), D(inputs.income)
    net = overheads - income
    hours = {s: D(inputs.planned_hours.get(s, ZERO)) for s in services}
    total_hours = sum(hours.values(), ZERO)
    overhead_share = (
        largest_remainder(net, hours) if total_hours > 0 else dict.fromkeys(services, ZERO)
    )

    lines = []
    for service in services:
        total = staff_by_service[service] + overhead_share[service]
        rate = round_cents(total / hours[service]) if hours[service] > 0 else None
        lines.append(
            ServiceRateLine(
                service,
                staff_by_service[service],
                overhead_share[service],
                total,
                hours[service],
                rate,
            )
        )
    return RateProposal(
        services=tuple(lines),
        employees=tuple(employees),
        staff_total=staff_total,
        overheads=overheads,
        income=income,
        net_overheads=net,
        total_cost=staff_total + net,
        total_hours=total_hours,
    )


def check_rate_inputs(inputs: RateInputs) -> list[RateProblem]:
    """Every reason the year's rates cannot be proposed (empty list: all fine)."""
    problems = _structural_problems(inputs)
    if problems:
        return problems
    proposal = _compute(inputs)
    return [
        RateProblem(
            line.service,
            f"{line.service} : coût net négatif ({_fmt(line.total_cost)} €) — "
            "les produits dépassent les charges attribuées au service.",
        )
        for line in proposal.services
        if line.total_cost < 0
    ]


def propose_rates(inputs: RateInputs) -> RateProposal:
    """The proposed rates of SPEC §5; :class:`RateError` with every problem otherwise."""
    problems = check_rate_inputs(inputs)
    if problems:
        raise RateError(problems)
    return _compute(inputs)
