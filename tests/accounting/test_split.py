"""The largest-remainder split (SPEC §5 "Largest-remainder rule"), the one split of the
allocation, the hourly rates and the dashboard: table-driven cases with Decimal literals (over
pairs as the allocation gives them, over mappings and Decimal weights as the rate calculator
does), and Hypothesis properties (shares add up to the total; ties by member then service)."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounting.money import MoneyError
from accounting.split import SplitError, largest_remainder, largest_remainder_cents

D = Decimal

# --- largest remainder: table-driven ------------------------------------------------------

A, B, C = ("ADH_A", "PAIE"), ("ADH_B", "PAIE"), ("ADH_C", "PAIE")

CASES = [
    pytest.param(
        "100.00",
        [(A, 1), (B, 1), (C, 1)],
        {A: "33.34", B: "33.33", C: "33.33"},
        id="SPEC§5-tie-by-member-code",
    ),
    pytest.param(
        "100.00",
        [(C, 1), (B, 1), (A, 1)],
        {A: "33.34", B: "33.33", C: "33.33"},
        id="SPEC§5-tie-independent-of-input-order",
    ),
    pytest.param(
        "0.02",
        [(A, 1), (B, 1), (C, 1)],
        {A: "0.01", B: "0.01", C: "0.00"},
        id="SPEC§5-two-cents-three-ways",
    ),
    # 10.00 over 1/2/3: exact 1.6666…, 3.3333…, 5.00 → floors 1.66/3.33/5.00, 1 cent left,
    # largest fraction .666 → A.
    pytest.param(
        "10.00",
        [(A, 1), (B, 2), (C, 3)],
        {A: "1.67", B: "3.33", C: "5.00"},
        id="SPEC§5-largest-fraction-first",
    ),
    pytest.param(
        "-100.00",
        [(A, 1), (B, 1), (C, 1)],
        {A: "-33.34", B: "-33.33", C: "-33.33"},
        id="SPEC§5-negative-split-as-absolute-then-negated",
    ),
    pytest.param("0.00", [(A, 5), (B, 0)], {A: "0.00", B: "0.00"}, id="zero-total"),
    pytest.param("12.34", [(A, 7), (B, 0)], {A: "12.34", B: "0.00"}, id="zero-weight-gets-nothing"),
    # Same member, tie between services: broken by service code (GESTION < PAIE < RESEAU).
    pytest.param(
        "0.01",
        [(("LEFIL", "RESEAU"), 1), (("LEFIL", "GESTION"), 1), (("LEFIL", "PAIE"), 1)],
        {("LEFIL", "GESTION"): "0.01", ("LEFIL", "PAIE"): "0.00", ("LEFIL", "RESEAU"): "0.00"},
        id="SPEC§5-tie-then-by-service-code",
    ),
]


@pytest.mark.parametrize(("total", "weights", "expected"), CASES)
def test_largest_remainder_table(total, weights, expected) -> None:
    shares = largest_remainder(Decimal(total), weights)
    assert shares == {k: Decimal(v) for k, v in expected.items()}
    assert sum(shares.values()) == Decimal(total)


def test_zero_weight_with_money_is_refused() -> None:
    with pytest.raises(SplitError, match="total weight of 0"):
        largest_remainder(Decimal("10.00"), [(A, 0)])
    with pytest.raises(SplitError):
        largest_remainder(Decimal("10.00"), [])
    assert largest_remainder(Decimal("0.00"), []) == {}


@pytest.mark.parametrize(
    "weights",
    [[(A, -1), (B, 2)], [(A, 1), (A, 2)], [(A, 1.5)], [(A, True)]],
    ids=["negative", "duplicate", "float", "bool"],
)
def test_bad_weights_are_refused(weights) -> None:
    with pytest.raises(SplitError):
        largest_remainder(Decimal("1.00"), weights)


def test_amount_below_the_cent_is_refused() -> None:
    with pytest.raises(SplitError, match="whole number of cents"):
        largest_remainder(Decimal("1.005"), [(A, 1)])


# --- largest remainder: properties ---------------------------------------------------------

codes = st.tuples(
    st.sampled_from(["ADH1", "ADH2", "CINE", "FIL", "GAGA", "RAISO"]),
    st.sampled_from(["GESTION", "PAIE", "RESEAU"]),
)
weight_maps = st.dictionaries(
    codes, st.integers(min_value=0, max_value=100_000), min_size=1, max_size=18
)
cents = st.integers(min_value=-(10**11), max_value=10**11)


@given(total=cents, weights=weight_maps)
def test_shares_add_up_exactly(total: int, weights: dict[tuple[str, str], int]) -> None:
    if sum(weights.values()) == 0:
        return
    shares = largest_remainder_cents(total, list(weights.items()))
    assert sum(shares.values()) == total
    assert set(shares) == set(weights)


@given(total=st.integers(min_value=0, max_value=10**11), weights=weight_maps)
def test_never_negative_for_a_positive_total(
    total: int, weights: dict[tuple[str, str], int]
) -> None:
    if sum(weights.values()) == 0:
        return
    shares = largest_remainder_cents(total, list(weights.items()))
    assert all(s >= 0 for s in shares.values())


@given(total=cents, weights=weight_maps, seed=st.integers(0, 1000))
def test_invariant_to_input_order(
    total: int, weights: dict[tuple[str, str], int], seed: int
) -> None:
    if sum(weights.values()) == 0:
        return
    items = list(weights.items())
    shuffled = items[:]
    random.Random(seed).shuffle(shuffled)
    assert largest_remainder_cents(total, items) == largest_remainder_cents(total, shuffled)


@given(total=cents, weights=weight_maps)
def test_each_share_is_floor_or_floor_plus_one(
    total: int, weights: dict[tuple[str, str], int]
) -> None:
    """SPEC: floor(total × w / Σw), plus at most one leftover cent (on the absolute value)."""
    w_sum = sum(weights.values())
    if w_sum == 0:
        return
    shares = largest_remainder_cents(total, list(weights.items()))
    for key, w in weights.items():
        floor = abs(total) * w // w_sum
        assert abs(shares[key]) - floor in (0, 1)


@given(total=cents, weights=weight_maps)
def test_negative_total_mirrors_positive(total: int, weights: dict[tuple[str, str], int]) -> None:
    if sum(weights.values()) == 0:
        return
    items = list(weights.items())
    pos = largest_remainder_cents(abs(total), items)
    neg = largest_remainder_cents(-abs(total), items)
    assert neg == {k: -v for k, v in pos.items()}


@given(
    n=st.integers(min_value=2, max_value=12),
    leftover=st.integers(min_value=1, max_value=11),
    seed=st.integers(0, 1000),
)
def test_ties_go_by_member_then_service_code(n: int, leftover: int, seed: int) -> None:
    """n equal weights and `leftover` cents below n: the first keys in (member, service)
    order get one cent each, whatever the input order."""
    leftover = min(leftover, n - 1)
    keys = [(f"M{i // 3:02d}", ("GESTION", "PAIE", "RESEAU")[i % 3]) for i in range(n)]
    shuffled = keys[:]
    random.Random(seed).shuffle(shuffled)
    shares = largest_remainder_cents(100 * n + leftover, [(k, 7) for k in shuffled])
    assert [shares[k] for k in sorted(keys)] == [101] * leftover + [100] * (n - leftover)


# --- the rate calculator's splits: mappings, Decimal weights (planned hours) ---------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        # 100.00 over 1/1/1: 3333 cents each, 1 cent left → the first code (tie broken by code).
        ("100.00", {"B": 1, "A": 1, "C": 1}, {"A": "33.34", "B": "33.33", "C": "33.33"}),
        # 10.00 over 1/2: 333.33… / 666.66… cents → the larger remainder (B, .67) gets the cent.
        ("10.00", {"A": 1, "B": 2}, {"A": "3.33", "B": "6.67"}),
        # Negative totals are split as their absolute value, then negated.
        ("-100.00", {"A": 1, "B": 1, "C": 1}, {"A": "-33.34", "B": "-33.33", "C": "-33.33"}),
        # Decimal weights (planned hours) work exactly.
        (
            "14000.00",
            {"GESTION": D("1660"), "PAIE": D("1250"), "RESEAU": D("740")},
            {"GESTION": "6367.12", "PAIE": "4794.52", "RESEAU": "2838.36"},
        ),
        # A zero weight gets nothing, even a left-over cent.
        ("0.01", {"A": 0, "B": 3}, {"A": "0.00", "B": "0.01"}),
        ("0.00", {"A": 0, "B": 0}, {"A": "0.00", "B": "0.00"}),
    ],
    ids=[
        "tie-by-code",
        "largest-remainder",
        "negative-total",
        "decimal-weights",
        "zero-weight",
        "zero-over-zero",
    ],
)
def test_split_over_a_mapping_spec_5(
    total: str, weights: dict[str, Decimal | int], expected: dict[str, str]
) -> None:
    shares = largest_remainder(D(total), weights)
    assert shares == {k: D(v) for k, v in expected.items()}
    assert sum(shares.values()) == D(total)


def test_mapping_split_refuses_what_cannot_be_split() -> None:
    with pytest.raises(ValueError):
        largest_remainder(D("1.00"), {"A": 0})
    with pytest.raises(ValueError):
        largest_remainder(D("1.00"), {"A": -1, "B": 2})
    with pytest.raises(MoneyError):
        largest_remainder(D("1.001"), {"A": 1})


def _exact_reference(total: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """SPEC §5 written out with exact fractions (the rate calculator's former arithmetic)."""
    cents = int(total * 100)
    magnitude, sign = abs(cents), (-1 if cents < 0 else 1)
    denominator = sum((Fraction(w) for w in weights.values()), Fraction(0))
    exact = {k: magnitude * Fraction(w) / denominator for k, w in weights.items()}
    floors = {k: x.numerator // x.denominator for k, x in exact.items()}
    left = magnitude - sum(floors.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))[:left]:
        floors[key] += 1
    return {k: Decimal(sign * floors[k]) / 100 for k in weights}


decimal_weights = st.dictionaries(
    st.sampled_from(["GESTION", "PAIE", "RESEAU", "SOCIAL", "X"]),
    st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=3),
    min_size=1,
    max_size=5,
)


@given(total=cents, weights=decimal_weights)
def test_decimal_weights_split_as_exact_fractions(total: int, weights: dict[str, Decimal]) -> None:
    """Decimal weights scaled to integers give the shares and ties of the exact rule."""
    if sum(weights.values()) == 0:
        return
    amount = Decimal(total) / 100
    assert largest_remainder(amount, weights) == _exact_reference(amount, weights)
