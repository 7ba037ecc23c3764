"""Progress reporting of redistribute_all and the proven lower bounds on shipments."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from app.allocation import Site, redistribute_all
from app.allocation.bounds import counting_bound, lp_shipment_bound
from app.allocation.heuristics import greedy_plan
from app.allocation.levels import Targets, material_targets
from app.allocation.solver import NEIGHBOURHOOD, _PairsModel, _parameters, all_pairs

# --- progress ----------------------------------------------------------------------------


def recorded_progress(materials: dict[str, list[Site]], **options: object) -> list[tuple]:
    calls: list[tuple[int, int]] = []
    redistribute_all(materials, horizon_days=14, progress=lambda *a: calls.append(a), **options)
    return calls


def larger_round(count: int = 30, kinds: int = 4) -> dict[str, list[Site]]:
    """Too large to prove: the search runs to the end of its budget."""
    return {
        f"m{m}": [
            Site(f"K{i:02}", (i * 37 + m * 11) % 90, 1.0 + (i * 7 + m) % 5) for i in range(count)
        ]
        for m in range(kinds)
    }


def test_progress_counts_every_step_once_in_order() -> None:
    materials = larger_round()
    calls = recorded_progress(materials, safety_days=2, time_limit_s=0.5)
    assert calls == [(done, 4) for done in range(5)]


def test_progress_follows_the_budget_and_is_deterministic() -> None:
    materials = larger_round()
    seen: list[list[tuple[int, int]]] = []
    for _ in range(2):
        shares: list[tuple[int, int]] = []
        redistribute_all(
            materials,
            horizon_days=14,
            time_limit_s=0.5,
            progress=lambda done, total, shares=shares: shares.append((done, total)),
        )
        seen.append(shares)
    assert seen[0] == seen[1]


def test_progress_when_there_is_nothing_to_move() -> None:
    materials = {"masks": [Site("A", 40, 1.0)], "gloves": [Site("A", 0, 1.0)]}
    assert recorded_progress(materials) == [(0, 2), (1, 2), (2, 2)]


def test_progress_reaches_the_total_only_once_the_plans_are_ready() -> None:
    materials = larger_round(count=12, kinds=3)
    plans_ready: list[bool] = []
    redistribute_all(
        materials,
        horizon_days=14,
        time_limit_s=0.3,
        progress=lambda done, total: plans_ready.append(done == total),
    )
    assert plans_ready == [False, False, False, True]


def test_progress_is_optional_and_empty_rounds_report_the_end() -> None:
    assert recorded_progress({}) == [(0, 0)]


# --- lower bounds --------------------------------------------------------------------


def targets_of(materials: dict[str, list[Site]], horizon: float, pack: int) -> dict[str, Targets]:
    return {
        name: material_targets(
            sites, horizon_days=horizon, safety_days=0.0, pack_size=pack, min_transfer=pack
        )
        for name, sites in materials.items()
    }


def optimum_shipments(targets: dict[str, Targets]) -> int:
    """The fewest shipments, proven by the whole CP-SAT model without a time pressure.

    Seeded with the greedy plan, so that receivers get exactly their targets and givers
    stay in their windows, as in the engine.
    """
    start = {material: greedy_plan(target) for material, target in targets.items()}
    built = _PairsModel(targets, start, all_pairs(targets))
    solver = cp_model.CpSolver()
    _parameters(solver, 60.0, 60.0, NEIGHBOURHOOD)
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return sum(solver.value(var) for var in built.pair_used.values())


def test_lp_bound_is_tight_on_a_split_that_needs_three_shipments() -> None:
    # Givers of 6 and 4 units, receivers of 5 and 5: one receiver must be split. The
    # relaxation gives 6/5 + 4/4 = 2.2, so the bound is 3, the optimum.
    masks = [Site("G1", 16, 1.0), Site("G2", 14, 1.0), Site("R1", 5, 1.0), Site("R2", 5, 1.0)]
    targets = targets_of({"masks": masks}, horizon=10.0, pack=1)
    assert (targets["masks"].receive, targets["masks"].give) == (
        {"R1": 5, "R2": 5},
        {"G1": 6, "G2": 4},
    )
    assert lp_shipment_bound(targets, 10.0)[0] == 3 == optimum_shipments(targets)
    assert counting_bound(targets) == 2


def brute_force_shipments(target: Targets) -> int:
    """The fewest pairs over which one material's exact amounts can flow (tiny cases)."""
    pairs = [(g, r) for g in target.give for r in target.receive]
    for size in range(len(pairs) + 1):
        for chosen in itertools.combinations(pairs, size):
            if _flows(target, set(chosen)):
                return size
    raise AssertionError("no plan at all")


def _flows(target: Targets, chosen: set[tuple[str, str]]) -> bool:
    model = cp_model.CpModel()
    flow = {pair: model.new_int_var(0, target.receive[pair[1]], "") for pair in chosen}
    for receiver, wanted in target.receive.items():
        model.add(sum(v for (_, r), v in flow.items() if r == receiver) == wanted)
    for giver, (low, high) in target.give_window.items():
        outgoing = sum(v for (g, _), v in flow.items() if g == giver)
        model.add_linear_constraint(outgoing, low, high)
    return cp_model.CpSolver().solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=2, max_size=5))
def test_bounds_never_exceed_a_brute_force_optimum(stocks: list[int]) -> None:
    sites = [Site(f"K{i}", stock, 1.0 + i % 2) for i, stock in enumerate(stocks)]
    targets = targets_of({"m": sites}, horizon=20.0, pack=1)
    if not targets["m"].receive:
        return
    best = brute_force_shipments(targets["m"])
    assert lp_shipment_bound(targets, 10.0)[0] <= best
    assert counting_bound(targets) <= best


@st.composite
def small_rounds(draw: st.DrawFn) -> tuple[dict[str, list[Site]], int]:
    count = draw(st.integers(2, 6))
    materials = {
        name: [
            Site(f"K{i}", draw(st.integers(0, 120)), draw(st.sampled_from([0.0, 1.0, 2.0, 5.0])))
            for i in range(count)
        ]
        for name in ("masks", "gloves", "gowns")[: draw(st.integers(1, 3))]
    }
    return materials, draw(st.sampled_from([1, 5]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rounds())
def test_bounds_never_exceed_the_proven_optimum(case: tuple) -> None:
    materials, pack = case
    targets = targets_of(materials, horizon=20.0, pack=pack)
    if not any(t.receive for t in targets.values()):
        return
    best = optimum_shipments(targets)
    assert lp_shipment_bound(targets, 10.0)[0] <= best
    assert counting_bound(targets) <= best


@pytest.mark.parametrize("budget", [0.2, 2.0])
def test_reported_bound_is_at_most_the_plan(budget: float) -> None:
    plans = redistribute_all(larger_round(), horizon_days=14, time_limit_s=budget)
    stats = plans["m0"].stats
    assert stats is not None
    assert 0 < stats.shipment_bound <= stats.shipments
    assert stats.gap == (stats.shipments - stats.shipment_bound) / stats.shipments
