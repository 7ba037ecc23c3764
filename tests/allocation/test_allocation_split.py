"""Hand-computed cases and Hypothesis properties of split_delivery."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.allocation import EQUAL_DAYS, PROPORTIONAL_TO_NEED, Site, split_delivery


def test_lowest_coverage_is_served_first() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 5, 1.0), Site("C", 0, 0.0)]
    assert split_delivery(10, sites) == {"A": 8, "B": 2, "C": 0}


def test_coverage_is_equalised_in_days_not_units() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 0, 3.0)]
    assert split_delivery(40, sites) == {"A": 10, "B": 30}


def test_incoming_counts_as_coverage() -> None:
    sites = [Site("A", 0, 1.0, incoming=10), Site("B", 0, 1.0)]
    assert split_delivery(10, sites) == {"A": 0, "B": 10}


def test_caps_limit_a_site_and_the_rest_goes_to_the_others() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 0, 1.0)]
    assert split_delivery(10, sites, caps={"A": 2}) == {"A": 2, "B": 8}


def test_everything_capped_leaves_the_rest_unallocated() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 0, 1.0)]
    assert split_delivery(10, sites, caps={"A": 2, "B": 3}) == {"A": 2, "B": 3}


def test_site_without_use_gets_only_what_nobody_else_can_take() -> None:
    sites = [Site("A", 0, 1.0), Site("Z", 0, 0.0)]
    assert split_delivery(10, sites, caps={"A": 4}) == {"A": 4, "Z": 6}


def test_packs_make_a_perfect_split_impossible() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 0, 1.0)]
    split = split_delivery(30, sites, pack_size=10)
    assert sorted(split.values()) == [10, 20]


def test_proportional_to_need_with_largest_remainder() -> None:
    # Needs for 10 days: A 10, B 5, C 0; 7 packs of 1: A 4.67 -> 5, B 2.33 -> 2.
    sites = [Site("A", 0, 1.0), Site("B", 5, 1.0), Site("C", 20, 1.0)]
    split = split_delivery(7, sites, principle=PROPORTIONAL_TO_NEED, horizon_days=10)
    assert split == {"A": 5, "B": 2, "C": 0}


def test_proportional_to_need_respects_caps() -> None:
    sites = [Site("A", 0, 1.0), Site("B", 0, 1.0)]
    split = split_delivery(
        10, sites, caps={"A": 2}, principle=PROPORTIONAL_TO_NEED, horizon_days=10
    )
    assert split == {"A": 2, "B": 8}


@pytest.mark.parametrize(
    ("quantity", "options", "message"),
    [
        (-1, {}, "quantity"),
        (7, {"pack_size": 5}, "whole number of packs"),
        (10, {"pack_size": 0}, "pack_size"),
        (10, {"caps": {"X": 1}}, "unknown site codes"),
        (10, {"caps": {"A": -1}}, "caps"),
        (10, {"principle": "lottery"}, "unknown principle"),
        (10, {"principle": PROPORTIONAL_TO_NEED}, "horizon_days"),
    ],
)
def test_invalid_input_raises_value_error(quantity: int, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_delivery(quantity, [Site("A", 0, 1.0)], **options)


def test_invalid_sites_raise_value_error() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        split_delivery(1, [Site("A", 0, 1.0), Site("A", 0, 1.0)])


@st.composite
def deliveries(draw: st.DrawFn) -> dict:
    count = draw(st.integers(1, 6))
    sites = [
        Site(
            f"K{i}",
            draw(st.integers(0, 100)),
            draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])),
            draw(st.sampled_from([0, 0, 10])),
        )
        for i in range(count)
    ]
    pack = draw(st.sampled_from([1, 2, 5]))
    caps = {s.code: draw(st.integers(0, 60)) for s in sites if draw(st.booleans())}
    return {"sites": sites, "pack": pack, "caps": caps, "quantity": pack * draw(st.integers(0, 40))}


def _one_pack_at_a_time(
    quantity: int, sites: list[Site], caps: dict[str, int], pack: int
) -> dict[str, int]:
    """Reference: each pack to the site with the fewest days (zero-use sites last)."""
    result = {s.code: 0 for s in sites}
    for _ in range(quantity // pack):
        open_sites = [s for s in sites if result[s.code] + pack <= caps.get(s.code, math.inf)]
        users = [s for s in open_sites if s.daily_use > 0]
        if users:
            site = min(
                users, key=lambda s: ((s.stock + s.incoming + result[s.code]) / s.daily_use, s.code)
            )
        elif open_sites:
            site = min(open_sites, key=lambda s: (result[s.code], s.code))
        else:
            break
        result[site.code] += pack
    return result


@settings(max_examples=150, deadline=None)
@given(deliveries())
def test_equal_days_split_obeys_every_rule(case: dict) -> None:
    sites, caps, pack, quantity = case["sites"], case["caps"], case["pack"], case["quantity"]
    split = split_delivery(quantity, sites, caps=caps, pack_size=pack)
    assert set(split) == {s.code for s in sites}
    assert all(units % pack == 0 and units >= 0 for units in split.values())
    assert all(split[code] <= cap for code, cap in caps.items())
    room = {s.code: caps.get(s.code, math.inf) // pack * pack for s in sites}
    everyone_capped = all(split[s.code] == room[s.code] for s in sites)
    assert sum(split.values()) == quantity or everyone_capped
    idle = [s for s in sites if s.daily_use == 0]
    users_capped = all(split[s.code] == room[s.code] for s in sites if s.daily_use > 0)
    if any(split[s.code] for s in idle):
        assert users_capped
    reference = _one_pack_at_a_time(quantity, sites, caps, pack)
    assert split == reference


@settings(max_examples=150, deadline=None)
@given(deliveries(), st.sampled_from([7.0, 14.0, 30.0]))
def test_proportional_split_is_within_one_pack_of_the_exact_share(
    case: dict, horizon: float
) -> None:
    sites, pack, quantity = case["sites"], case["pack"], case["quantity"]
    split = split_delivery(
        quantity, sites, pack_size=pack, principle=PROPORTIONAL_TO_NEED, horizon_days=horizon
    )
    needs = {s.code: max(0.0, horizon * s.daily_use - s.stock - s.incoming) for s in sites}
    total_need = sum(needs.values())
    if total_need == 0:
        assert sum(split.values()) == 0
        return
    assert sum(split.values()) == quantity
    for code, units in split.items():
        exact = quantity * needs[code] / total_need
        assert abs(units - exact) < pack + 1e-9
        assert units == 0 or needs[code] > 0


def test_principles_are_named() -> None:
    assert EQUAL_DAYS == "equal_days"
    assert PROPORTIONAL_TO_NEED == "proportional_to_need"
