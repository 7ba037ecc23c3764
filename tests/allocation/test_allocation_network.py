"""The pair search: re-routing every material over fewer giver -> receiver pairs."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.allocation import Site, Transfer
from app.allocation.heuristics import count_shipments, greedy_plan
from app.allocation.levels import Targets, material_targets
from app.allocation.network import improve_pairs, route


class CountedBudget:
    """A budget of a number of routings (deterministic, independent of the clock)."""

    def __init__(self, routings: int) -> None:
        self.left = routings
        self.charged = 0.0

    def add(self, seconds: float) -> None:
        self.left -= 1
        self.charged += seconds

    def exhausted(self) -> bool:
        return self.left <= 0


def target(receive: dict[str, int], window: dict[str, tuple[int, int]], pack: int = 1) -> Targets:
    return Targets(pack, pack, 10.0, receive, {g: high for g, (_, high) in window.items()}, window)


def test_route_moves_exact_amounts_over_the_given_pairs_only() -> None:
    masks = target({"R1": 5, "R2": 5}, {"G1": (6, 6), "G2": (4, 4)})
    flow = route(masks, {("G1", "R1"): None, ("G1", "R2"): None, ("G2", "R2"): None})
    assert flow == {("G1", "R1"): 5, ("G1", "R2"): 1, ("G2", "R2"): 4}


def test_route_refuses_pairs_that_cannot_carry_the_amounts() -> None:
    masks = target({"R1": 5, "R2": 5}, {"G1": (6, 6), "G2": (4, 4)})
    # G2 reaches only R1, which cannot take G1's 6 as well as G2's 4.
    assert route(masks, {("G1", "R2"): None, ("G2", "R1"): None}) is None


def test_route_keeps_every_giver_within_its_window() -> None:
    masks = target({"R1": 20}, {"G1": (0, 20), "G2": (10, 10)}, pack=5)
    flow = route(masks, {("G1", "R1"): None, ("G2", "R1"): None})
    assert flow == {("G1", "R1"): 10, ("G2", "R1"): 10}


@st.composite
def county_rounds(draw: st.DrawFn) -> dict[str, Targets]:
    """Up to 12 municipalities and 4 materials, each mostly short or mostly well stocked."""
    count = draw(st.integers(3, 12))
    situation = [draw(st.sampled_from([2, 15, 45])) for _ in range(count)]
    targets = {}
    for name in ("masks", "gloves", "gowns", "visors")[: draw(st.integers(1, 4))]:
        pack = draw(st.sampled_from([1, 5]))
        sites = [
            Site(
                f"K{i:02}", situation[i] * draw(st.integers(1, 12)), float(draw(st.integers(1, 12)))
            )
            for i in range(count)
        ]
        targets[name] = material_targets(
            sites, horizon_days=20.0, safety_days=3.0, pack_size=pack, min_transfer=pack
        )
    return targets


def received(transfers: list[Transfer]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for t in transfers:
        totals[t.receiver] += t.quantity
    return dict(totals)


def given_by(transfers: list[Transfer]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for t in transfers:
        totals[t.giver] += t.quantity
    return dict(totals)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(county_rounds(), st.integers(0, 400))
def test_search_keeps_every_amount_and_never_uses_more_pairs(
    targets: dict[str, Targets], routings: int
) -> None:
    start = {m: greedy_plan(t) for m, t in targets.items()}
    plans = improve_pairs(targets, start, CountedBudget(routings))
    assert count_shipments(plans) <= count_shipments(start)
    for material, t in targets.items():
        transfers = plans[material]
        assert received(transfers) == t.receive
        for giver, units in given_by(transfers).items():
            low, high = t.give_window[giver]
            assert low <= units <= high
        for transfer in transfers:
            assert transfer.giver in t.give_window and transfer.receiver in t.receive
            assert transfer.quantity > 0 and transfer.quantity % t.pack == 0
        assert set(t.give_window) - set(given_by(transfers)) <= {
            g for g, (low, _) in t.give_window.items() if low == 0
        }


@settings(max_examples=20, deadline=None)
@given(county_rounds())
def test_search_is_deterministic(targets: dict[str, Targets]) -> None:
    start = {m: greedy_plan(t) for m, t in targets.items()}
    runs = [improve_pairs(targets, start, CountedBudget(300)) for _ in range(2)]
    assert runs[0] == runs[1]


def crossed_round() -> tuple[dict[str, Targets], dict[str, list[Transfer]]]:
    """Two materials that a start routes over crossed pairs; one pair per receiver suffices."""
    masks = target({"R1": 6, "R2": 4}, {"G1": (6, 6), "G2": (4, 4)})
    gloves = target({"R1": 3, "R2": 7}, {"G1": (3, 3), "G2": (7, 7)})
    start = {
        "masks": [Transfer("G1", "R1", 6), Transfer("G2", "R2", 4)],
        "gloves": [Transfer("G2", "R1", 3), Transfer("G2", "R2", 4), Transfer("G1", "R2", 3)],
    }
    return {"masks": masks, "gloves": gloves}, start


def test_search_shares_shipments_between_materials() -> None:
    targets, start = crossed_round()
    assert count_shipments(start) == 4
    plans = improve_pairs(targets, start, CountedBudget(200))
    assert count_shipments(plans) == 2
    assert sorted((t.giver, t.receiver, t.quantity) for t in plans["gloves"]) == [
        ("G1", "R1", 3),
        ("G2", "R2", 7),
    ]


def test_materials_with_larger_minimum_transfers_keep_their_transfers() -> None:
    masks = target({"R1": 6, "R2": 4}, {"G1": (6, 6), "G2": (4, 4)})
    gowns = Targets(1, 4, 10.0, {"R1": 4}, {"G2": 4}, {"G2": (4, 4)})
    start = {
        "masks": [Transfer("G1", "R1", 6), Transfer("G2", "R2", 4)],
        "gowns": [Transfer("G2", "R1", 4)],
    }
    plans = improve_pairs({"masks": masks, "gowns": gowns}, start, CountedBudget(200))
    assert plans["gowns"] == start["gowns"]
    assert received(plans["masks"]) == masks.receive


def test_an_exhausted_budget_returns_the_start() -> None:
    masks = target({"R1": 6, "R2": 4}, {"G1": (6, 6), "G2": (4, 4)})
    start = {"masks": [Transfer("G1", "R1", 6), Transfer("G2", "R2", 4)]}
    budget = CountedBudget(0)
    assert improve_pairs({"masks": masks}, start, budget) == start
    assert budget.charged == 0.0


def test_search_stops_once_it_reaches_the_bound() -> None:
    targets, start = crossed_round()
    budget = CountedBudget(10_000)
    plans = improve_pairs(targets, start, budget, enough=2)
    assert count_shipments(plans) == 2
    assert budget.left > 9_900
