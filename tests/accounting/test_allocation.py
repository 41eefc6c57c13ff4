"""Period allocation (SPEC §5 "Allocation"): table-driven cases with Decimal literals, and
Hypothesis properties. The largest-remainder split itself: tests/accounting/test_split.py."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounting.allocation import AllocationError, TimeBlock, allocate_period

# --- allocate_period: table-driven -------------------------------------------------------


def test_allocation_by_hand() -> None:
    """SPEC §5, three steps, by hand.

    Employees: KB costs 3 000.00 € and worked 60 h for LEFIL/PAIE (3 600 min), 30 h for
    GAGA/GESTION (1 800 min) and 10 h internal (600 min, CP) — 6 000 min.
    AM costs 1 000.00 € and worked 20 h for GAGA/GESTION (1 200 min) only.
    ZZ costs 500.00 € and has no time: the structure carries it.

    Step 1 (KB): LEFIL/PAIE 3000 × 3600/6000 = 1 800.00; GAGA/GESTION 3000 × 1800/6000 =
    900.00; internal 300.00. (AM): GAGA/GESTION 1 000.00. Internal share = 300.00 + 500.00
    (ZZ) = 800.00.
    Step 2: structure = 800.00 + overheads 400.00 − income 200.00 = 1 000.00, over billable
    minutes LEFIL/PAIE 3 600, GAGA/GESTION 3 000 (6 600): 1000 × 3600/6600 = 545.4545… →
    545.45 (fraction .4545), 1000 × 3000/6600 = 454.5454… → 454.54 (fraction .5454); one
    cent left goes to the largest fraction, GAGA/GESTION → 454.55.
    Step 3: LEFIL/PAIE 1 800.00 + 545.45 = 2 345.45; GAGA/GESTION 1 900.00 + 454.55 =
    2 354.55. Sum 4 700.00 = 3 000 + 1 000 + 500 + 400 − 200.
    """
    result = allocate_period(
        {"KB": Decimal("3000.00"), "AM": Decimal("1000.00"), "ZZ": Decimal("500.00")},
        [
            TimeBlock("KB", "LEFIL", "PAIE", 3600),
            TimeBlock("KB", "GAGA", "GESTION", 1800),
            TimeBlock("KB", None, "CP", 600),
            TimeBlock("AM", "GAGA", "GESTION", 1200),
        ],
        overheads=Decimal("400.00"),
        income=Decimal("200.00"),
    )
    lines = {(ln.member, ln.service): ln for ln in result.lines}
    assert list(lines) == [("GAGA", "GESTION"), ("LEFIL", "PAIE")]
    assert lines["LEFIL", "PAIE"].direct_cost == Decimal("1800.00")
    assert lines["LEFIL", "PAIE"].structure_cost == Decimal("545.45")
    assert lines["LEFIL", "PAIE"].total_cost == Decimal("2345.45")
    assert lines["GAGA", "GESTION"].direct_cost == Decimal("1900.00")
    assert lines["GAGA", "GESTION"].structure_cost == Decimal("454.55")
    assert lines["GAGA", "GESTION"].minutes == 3000
    assert result.internal_cost == Decimal("800.00")
    assert result.structure_cost == Decimal("1000.00")
    assert result.employer_cost == Decimal("4500.00")
    assert result.allocated == Decimal("4700.00")
    assert result.unallocated == Decimal("0.00")
    assert result.per_member() == {"GAGA": Decimal("2354.55"), "LEFIL": Decimal("2345.45")}


def test_income_above_costs_gives_negative_structure() -> None:
    """Structure = 0 internal + 10.00 − 100.00 = −90.00 over 1:2 → −30.00 / −60.00."""
    result = allocate_period(
        {"KB": Decimal("30.00")},
        [TimeBlock("KB", "A", "PAIE", 60), TimeBlock("KB", "B", "PAIE", 120)],
        overheads=Decimal("10.00"),
        income=Decimal("100.00"),
    )
    assert [(ln.direct_cost, ln.structure_cost) for ln in result.lines] == [
        (Decimal("10.00"), Decimal("-30.00")),
        (Decimal("20.00"), Decimal("-60.00")),
    ]
    assert result.allocated == Decimal("-60.00")


def test_no_billable_time_leaves_the_structure_unallocated() -> None:
    result = allocate_period(
        {"KB": Decimal("100.00")},
        [TimeBlock("KB", None, "CP", 420)],
        overheads=Decimal("5.00"),
        income=Decimal("0.00"),
    )
    assert result.lines == ()
    assert result.unallocated == Decimal("105.00")


def test_duplicate_blocks_are_added() -> None:
    once = allocate_period(
        {"KB": Decimal("10.00")},
        [TimeBlock("KB", "A", "PAIE", 120)],
        Decimal("0.00"),
        Decimal("0.00"),
    )
    twice = allocate_period(
        {"KB": Decimal("10.00")},
        [TimeBlock("KB", "A", "PAIE", 60), TimeBlock("KB", "A", "PAIE", 60)],
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert once == twice


def test_member_coded_like_internal_stays_a_member() -> None:
    result = allocate_period(
        {"KB": Decimal("10.00")},
        [TimeBlock("KB", "INTERNE", "PAIE", 60), TimeBlock("KB", None, "PAIE", 60)],
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert [(ln.member, ln.direct_cost, ln.structure_cost) for ln in result.lines] == [
        ("INTERNE", Decimal("5.00"), Decimal("5.00"))
    ]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(AllocationError):
        allocate_period(
            {"KB": Decimal("1.001")}, [TimeBlock("KB", "A", "PAIE", 60)], Decimal("0"), Decimal("0")
        )
    with pytest.raises(AllocationError):
        allocate_period({}, [TimeBlock("KB", "A", "PAIE", -1)], Decimal("0"), Decimal("0"))
    with pytest.raises(AllocationError):
        allocate_period({}, [], Decimal("0.001"), Decimal("0"))


# --- allocate_period: properties ---------------------------------------------------------

employees = st.sampled_from(["E1", "E2", "E3", "E4"])
members = st.sampled_from([None, "ADH1", "ADH2", "CINE", "FIL"])
services = st.sampled_from(["GESTION", "PAIE", "RESEAU"])
blocks = st.lists(
    st.builds(TimeBlock, employees, members, services, st.integers(min_value=0, max_value=20_000)),
    max_size=25,
)
costs = st.dictionaries(
    st.sampled_from(["E1", "E2", "E3", "E4", "E5"]),
    st.integers(min_value=0, max_value=10**8).map(lambda c: Decimal(c) / 100),
    max_size=5,
)
money = st.integers(min_value=0, max_value=10**8).map(lambda c: Decimal(c) / 100)


@settings(max_examples=300)
@given(costs=costs, blocks=blocks, overheads=money, income=money)
def test_allocation_conserves_the_total_to_the_cent(costs, blocks, overheads, income) -> None:
    """SPEC §5: Σ member costs = Σ employer costs + overheads − income (when there is billable
    time to carry it; otherwise it is reported as unallocated)."""
    result = allocate_period(costs, blocks, overheads, income)
    expected = sum(costs.values(), Decimal("0")) + overheads - income
    assert result.allocated + result.unallocated == expected
    assert result.direct_cost + result.structure_cost == expected
    if any(b.member is not None and b.minutes for b in blocks):
        assert result.unallocated == 0
        assert result.allocated == expected
    for ln in result.lines:
        assert ln.total_cost == ln.direct_cost + ln.structure_cost
        assert ln.direct_cost >= 0
        if result.structure_cost >= 0:
            assert ln.structure_cost >= 0


@given(costs=costs, blocks=blocks, overheads=money, income=money, seed=st.integers(0, 1000))
def test_allocation_is_invariant_to_input_order(costs, blocks, overheads, income, seed) -> None:
    rng = random.Random(seed)
    shuffled_blocks = blocks[:]
    rng.shuffle(shuffled_blocks)
    cost_items = list(costs.items())
    rng.shuffle(cost_items)
    assert allocate_period(costs, blocks, overheads, income) == allocate_period(
        dict(cost_items), shuffled_blocks, overheads, income
    )
