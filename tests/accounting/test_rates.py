"""Hourly rate calculator (SPEC §5 "Hourly rate calculator", "Largest-remainder rule").

rate(s) = round_half_up((staff cost of s + net overheads share of s) / planned hours of s, 2)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from accounting.rates import (
    RateError,
    RateInputs,
    check_rate_inputs,
    propose_rates,
)

D = Decimal


# --------------------------------------------------------------------------- proposal

DEMO_LIKE = RateInputs(
    staff_cost={"CMARTIN": D("46918.79"), "KBENALI": D("35280.17"), "JFOURNIER": D("18801.04")},
    shares={
        "CMARTIN": {"GESTION": 240},
        "KBENALI": {"PAIE": 180, "GESTION": 60},
        "JFOURNIER": {"RESEAU": 120},
    },
    overheads=D("14000.00"),
    income=D("0.00"),
    planned_hours={"GESTION": D("1660"), "PAIE": D("1250"), "RESEAU": D("740")},
)


def test_demo_like_year_by_hand() -> None:
    """KBENALI 35 280,17 € over PAIE 180 / GESTION 60 min: 26 460,1275 → 26 460,13 (remainder
    .75 beats .25) and 8 820,04. Overheads 14 000 € over 1 660 / 1 250 / 740 h: 6 367,12 /
    4 794,52 / 2 838,36 (RESEAU has the largest remainder, .62).
    GESTION (46 918,79 + 8 820,04 + 6 367,12) / 1 660 = 37,4132 → 37,41;
    PAIE (26 460,13 + 4 794,52) / 1 250 = 25,0037 → 25,00;
    RESEAU (18 801,04 + 2 838,36) / 740 = 29,2424 → 29,24."""
    p = propose_rates(DEMO_LIKE)
    assert [
        (s.service, s.staff_cost, s.overhead_share, s.total_cost, s.rate) for s in p.services
    ] == [
        ("GESTION", D("55738.83"), D("6367.12"), D("62105.95"), D("37.41")),
        ("PAIE", D("26460.13"), D("4794.52"), D("31254.65"), D("25.00")),
        ("RESEAU", D("18801.04"), D("2838.36"), D("21639.40"), D("29.24")),
    ]
    assert p.total_cost == D("115000.00") == sum(s.total_cost for s in p.services)
    assert p.staff_total == D("101000.00") and p.net_overheads == D("14000.00")
    assert p.total_hours == D("3650")
    kbenali = next(e for e in p.employees if e.employee == "KBENALI")
    assert kbenali.by_service == {"GESTION": D("8820.04"), "PAIE": D("26460.13")}
    # Rate × planned hours: close to the budget, not equal (rounding of the rate only).
    assert p.recovered == D("114988.20")
    assert p.line("PAIE").recovered == D("31250.00")


@pytest.mark.parametrize(
    ("change", "service", "direction"),
    [
        ({"overheads": D("20000.00")}, "GESTION", +1),
        ({"income": D("5000.00")}, "PAIE", -1),
        (
            {"planned_hours": {"GESTION": D("2000"), "PAIE": D("1250"), "RESEAU": D("740")}},
            "GESTION",
            -1,
        ),
        (
            {
                "staff_cost": {
                    "CMARTIN": D("50000.00"),
                    "KBENALI": D("35280.17"),
                    "JFOURNIER": D("18801.04"),
                }
            },
            "GESTION",
            +1,
        ),
    ],
    ids=["more-overheads-raise", "subsidy-lowers", "more-hours-lower", "higher-salary-raises"],
)
def test_what_if_moves_the_rate_the_right_way(
    change: dict[str, object], service: str, direction: int
) -> None:
    base = propose_rates(DEMO_LIKE).line(service).rate
    inputs = replace(DEMO_LIKE, **change)  # type: ignore[arg-type]
    moved = propose_rates(inputs).line(service).rate
    assert base is not None and moved is not None
    assert (moved - base) * direction > 0


def test_income_comes_off_the_overheads() -> None:
    """Overheads 1 000 − income 400 = 600 over 60/40 h → 360 / 240; with 1 000 € of staff
    on A only: A (1 000 + 360) / 60 = 22,666… → 22,67; B 240 / 40 = 6,00."""
    p = propose_rates(
        RateInputs(
            staff_cost={"E": D("1000.00")},
            shares={"E": {"A": 1}},
            overheads=D("1000.00"),
            income=D("400.00"),
            planned_hours={"A": D("60"), "B": D("40")},
        )
    )
    assert [(s.service, s.overhead_share, s.rate) for s in p.services] == [
        ("A", D("360.00"), D("22.67")),
        ("B", D("240.00"), D("6.00")),
    ]
    assert p.net_overheads == D("600.00") and p.total_cost == D("1600.00")


def test_service_without_cost_nor_hours_has_no_rate() -> None:
    p = propose_rates(
        RateInputs(
            staff_cost={"E": D("100.00")},
            shares={"E": {"A": 1, "B": 0}},
            overheads=D("0.00"),
            income=D("0.00"),
            planned_hours={"A": D("10"), "B": D("0")},
        )
    )
    assert p.line("B").rate is None and p.line("B").total_cost == D("0.00")
    assert p.line("A").rate == D("10.00")


def test_every_problem_at_once() -> None:
    inputs = RateInputs(
        staff_cost={"NEG": D("-1.00"), "FRAC": D("1.001")},
        shares={"NEG": {"A": -1}},
        overheads=D("-5.00"),
        income=D("0.001"),
        planned_hours={"A": D("-3")},
    )
    messages = [p.message for p in check_rate_inputs(inputs)]
    assert len(messages) == 6, messages
    assert any("NEG : coût de personnel négatif" in m for m in messages)
    assert any("FRAC : coût de personnel au-delà du centime" in m for m in messages)
    assert any("frais de structure négatif" in m for m in messages)
    assert any("produits au-delà du centime" in m for m in messages)
    assert any("A : heures prévues négatives" in m for m in messages)
    assert any("NEG : part négative sur le service A" in m for m in messages)


def test_costs_that_cannot_land_are_refused_together() -> None:
    """A service with staff cost but no planned hours (SPEC §5: division by planned hours),
    an employee with cost but no share, overheads with no hours at all."""
    inputs = RateInputs(
        staff_cost={"E1": D("1000.00"), "E2": D("500.00")},
        shares={"E1": {"A": 10}},
        overheads=D("300.00"),
        income=D("0.00"),
        planned_hours={"A": D("0")},
    )
    with pytest.raises(RateError) as caught:
        propose_rates(inputs)
    subjects = sorted(p.subject for p in caught.value.problems)
    assert subjects == ["", "A", "E2"]


def test_negative_net_cost_of_a_service_is_refused() -> None:
    inputs = RateInputs(
        staff_cost={},
        shares={},
        overheads=D("100.00"),
        income=D("500.00"),
        planned_hours={"A": D("10")},
    )
    problems = check_rate_inputs(inputs)
    assert [p.subject for p in problems] == ["A"] and "coût net négatif" in problems[0].message
