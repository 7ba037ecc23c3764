"""CP-SAT search for the fewest shipments, given the amounts fixed by the principle.

The amounts are already fixed by the allocation principle (:mod:`app.allocation.levels`
or :mod:`app.allocation.rationing`, givers within a window); what is left is
which giver hands how many packs of which material to which receiver. It is a
fixed-charge problem: a boolean per giver -> receiver pair (one shipment carries every
material between them), a boolean per transfer and an integer number of packs per
transfer; the objective is, in this order, packs short of the targets (only possible
with minimum transfers above one pack), shipments, transfers.

Small rounds (up to FULL_MODEL_VARIABLES possible transfers) are solved as one model,
seeded with the heuristic plan as a hint; CP-SAT then usually proves the optimum. Larger
rounds (and small ones the whole model does not settle) first search over the pairs
themselves (:mod:`app.allocation.network`: drop a pair, re-route the materials it carried
by network flow over the whole county), then polish by large-neighbourhood search: a
handful of sites linked by the current plan is cut out, the handovers among them are
re-solved exactly (fewer transfers and shorter trips count there too), and the result is
kept when it is no worse. Every step keeps a valid plan, so the time limit never leaves
the caller without one.

The proven lower bound on shipments is the largest of a counting bound, the linear
relaxation (:mod:`app.allocation.bounds`, first, when its predicted cost fits in the
budget) and the whole model's objective bound.

Runs are reproducible: a fixed seed, one worker, and the time limit spent through a cost
model of deterministic measures (solver deterministic time, variables built, simplex
iterations) calibrated on the reference machine. The wall clock is only a safety net;
``wall_clock_stopped`` in the result says when it, rather than the budget, ended the
search.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from app.allocation.bounds import (
    counting_bound,
    lp_shipment_bound,
    transfer_columns,
)
from app.allocation.levels import Targets
from app.allocation.model import Transfer, given_units, received_units
from app.allocation.network import improve_pairs

Pair = tuple[str, str]
Distance = Callable[[str, str], int]

RANDOM_SEED = 20200316
# Cost model of a solve in wall-clock seconds on the reference machine (2 cores), used to
# spend the time limit deterministically: fitted by least squares on 314 neighbourhood
# solves of four counties (overhead, deterministic time, variables built, which also
# stands for the Python work around each solve). The wall clock is a safety net at
# WALL_MARGIN times the time limit, wide enough for a machine whose cores are both busy.
SOLVE_OVERHEAD_S = 0.01
BUILD_S_PER_VARIABLE = 2.4e-4
WALL_MARGIN = 3.0
# The linear relaxation's cost: predicted from its transfer columns before it is built,
# charged by its simplex work (iterations x rows) afterwards. It runs first, and only when
# its prediction fits in LP_SHARE of the budget.
LP_S_PER_COLUMN_SQUARED = 1.1e-7
LP_S_PER_WORK = 3.5e-8
LP_SHARE = 0.35
# Rounds up to this many possible transfers are first solved as one model, with this
# share of the budget; the local search gets the rest.
FULL_MODEL_VARIABLES = 1000
FULL_MODEL_SHARE = 0.3
# Neighbourhoods start at this many sites and grow (up to the maximum) while the solver
# settles them within their small budget: many quick exact re-solves beat a few slow ones.
NEIGHBOURHOOD_SIZE = 6
NEIGHBOURHOOD_MAX = 10
NEIGHBOURHOOD_DETERMINISTIC_S = 0.01
# Share of what is left after the bound and the whole model that goes to re-routing over
# fewer pairs (app.allocation.network); the neighbourhood search polishes with the rest.
FLOW_SHARE = 0.95


@dataclass(frozen=True)
class SolveKind:
    """How CP-SAT runs one kind of solve (always one worker, so the search never needs the
    second core), and its wall-clock seconds per deterministic second on the reference
    machine (the cost model)."""

    wall_per_deterministic: float
    linearization_level: int = 1


# The whole model, with the stronger linear relaxation (on mid-sized rounds it found
# better plans and bounds than CP-SAT's interleaved two-worker portfolio, and it proves
# the small ones); one neighbourhood of the local search.
FULL = SolveKind(wall_per_deterministic=3.3, linearization_level=2)
NEIGHBOURHOOD = SolveKind(wall_per_deterministic=10.8)


@dataclass(frozen=True)
class PairsResult:
    """The solver's plans per material and how far it got."""

    plans: dict[str, list[Transfer]]
    proven_optimal: bool
    solver_status: str
    shipment_bound: int
    wall_time_s: float
    candidate_pairs: int
    wall_clock_stopped: bool


def all_pairs(targets: Mapping[str, Targets]) -> set[Pair]:
    """Every giver -> receiver pair that could carry at least one material."""
    return {
        (giver, receiver)
        for target in targets.values()
        for giver in target.give_window
        for receiver in target.receive
    }


class _PairsModel:
    """Builds the CP-SAT model and reads plans back from a solved model."""

    def __init__(
        self,
        targets: Mapping[str, Targets],
        start: Mapping[str, list[Transfer]],
        pairs: set[Pair],
        distance: Distance | None = None,
    ) -> None:
        self.targets = targets
        self.distance = distance
        self.model = cp_model.CpModel()
        self.pair_used: dict[Pair, cp_model.IntVar] = {}
        self.packs: dict[tuple[str, Pair], cp_model.IntVar] = {}
        self.transfer_used: dict[tuple[str, Pair], cp_model.IntVar] = {}
        self.shortfall_terms: list[cp_model.LinearExprT] = []
        pairs = set(pairs) | {(t.giver, t.receiver) for plan in start.values() for t in plan}
        for material, target in targets.items():
            self._add_material(material, target, start.get(material, []), pairs)
        self._add_objective()
        self._add_hint(start)

    def _pair(self, pair: Pair) -> cp_model.IntVar:
        if pair not in self.pair_used:
            self.pair_used[pair] = self.model.new_bool_var(f"ship[{pair[0]}>{pair[1]}]")
        return self.pair_used[pair]

    def _add_material(
        self, material: str, target: Targets, start: list[Transfer], pairs: set[Pair]
    ) -> None:
        pack, min_packs = target.pack, target.min_transfer // target.pack
        received, given = received_units(start), given_units(start)
        incoming: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        outgoing: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for giver, (_, giver_high) in target.give_window.items():
            for receiver, wanted in target.receive.items():
                if (giver, receiver) not in pairs:
                    continue
                most = min(giver_high, wanted) // pack
                if most < min_packs:
                    continue
                key = (material, (giver, receiver))
                packs = self.model.new_int_var(0, most, f"packs[{material}:{giver}>{receiver}]")
                used = self.model.new_bool_var(f"moves[{material}:{giver}>{receiver}]")
                self.model.add(packs >= min_packs * used)
                self.model.add(packs <= most * used)
                self.model.add_implication(used, self._pair((giver, receiver)))
                self.packs[key], self.transfer_used[key] = packs, used
                incoming[receiver].append(packs)
                outgoing[giver].append(packs)
        for receiver, wanted in target.receive.items():
            lowest = min(wanted, received.get(receiver, 0)) // pack
            total = sum(incoming[receiver])
            self.model.add_linear_constraint(total, lowest, wanted // pack)
            if lowest < wanted // pack:
                self.shortfall_terms.append(wanted // pack - total)
        for giver, (low, high) in target.give_window.items():
            low = min(low, given.get(giver, 0))
            self.model.add_linear_constraint(sum(outgoing[giver]), low // pack, high // pack)
        if target.min_transfer > pack:
            self._limit_transfers(material)

    def _limit_transfers(self, material: str) -> None:
        """At most (sites involved - 1) transfers, for minimum transfers above one pack.

        With single-pack minimums a cycle of handovers can always be cancelled afterwards
        (:func:`cancel_cycles`); with larger minimums it cannot, so the model forbids it.
        """
        moves = {pair: used for (m, pair), used in self.transfer_used.items() if m == material}
        if not moves:
            return
        touching: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (giver, receiver), used in moves.items():
            touching[giver].append(used)
            touching[receiver].append(used)
        involved = []
        for site, uses in touching.items():
            site_involved = self.model.new_bool_var(f"involved[{material}:{site}]")
            self.model.add_max_equality(site_involved, uses)
            involved.append(site_involved)
        anything = self.model.new_bool_var(f"moves-any[{material}]")
        self.model.add_max_equality(anything, list(moves.values()))
        self.model.add(sum(moves.values()) <= sum(involved) - anything)

    def _add_objective(self) -> None:
        """Lexicographic by weights: packs short, shipments, transfers, then trip length."""
        transfers = sum(self.transfer_used.values())
        shipments = sum(self.pair_used.values())
        trips = {pair: self.distance(*pair) for pair in self.pair_used} if self.distance else {}
        per_transfer = sum(trips.values()) + 1
        self.per_shipment = per_transfer * (len(self.transfer_used) + 1)
        objective = self.per_shipment * shipments + per_transfer * transfers
        objective += sum(km * self.pair_used[pair] for pair, km in trips.items())
        if self.shortfall_terms:
            per_pack_short = self.per_shipment * (len(self.pair_used) + 1)
            objective += per_pack_short * sum(self.shortfall_terms)
        self.model.minimize(objective)

    def shipment_bound(self, objective_bound: float) -> int:
        """Shipments implied by a bound on the objective (0 when shortfalls blur it)."""
        if self.shortfall_terms:
            return 0
        return max(0, math.ceil(objective_bound - 1e-6)) // self.per_shipment

    def _add_hint(self, start: Mapping[str, list[Transfer]]) -> None:
        hinted: dict[tuple[str, Pair], int] = {}
        for material, transfers in start.items():
            for t in transfers:
                hinted[(material, (t.giver, t.receiver))] = (
                    t.quantity // self.targets[material].pack
                )
        used_pairs = {pair for (_, pair), packs in hinted.items() if packs}
        for key, var in self.packs.items():
            self.model.add_hint(var, hinted.get(key, 0))
            self.model.add_hint(self.transfer_used[key], hinted.get(key, 0) > 0)
        for pair, var in self.pair_used.items():
            self.model.add_hint(var, pair in used_pairs)

    def plans(self, solver: cp_model.CpSolver) -> dict[str, list[Transfer]]:
        plans: dict[str, list[Transfer]] = {material: [] for material in self.targets}
        for (material, (giver, receiver)), var in sorted(self.packs.items()):
            packs = solver.value(var)
            if packs:
                quantity = packs * self.targets[material].pack
                plans[material].append(Transfer(giver, receiver, quantity))
        for material, target in self.targets.items():
            if target.min_transfer == target.pack:
                plans[material] = cancel_cycles(plans[material])
        return plans


def _find_cycle(transfers: list[Transfer]) -> list[int] | None:
    """Indexes of transfers forming a cycle (alternately giver and receiver), if any."""
    links: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for index, t in enumerate(transfers):
        links[t.giver].append((t.receiver, index))
        links[t.receiver].append((t.giver, index))
    seen: dict[str, tuple[str | None, int | None]] = {}
    for root in sorted(links):
        if root in seen:
            continue
        seen[root] = (None, None)
        stack = [root]
        while stack:
            site = stack.pop()
            for neighbour, index in links[site]:
                if index == seen[site][1]:
                    continue
                if neighbour in seen:
                    return _cycle_edges(seen, site, neighbour, index)
                seen[neighbour] = (site, index)
                stack.append(neighbour)
    return None


def _cycle_edges(
    seen: dict[str, tuple[str | None, int | None]], first: str, second: str, closing: int
) -> list[int]:
    """The edges of the cycle closed by ``closing`` between two sites of one search tree."""

    def path_to_root(site: str) -> list[tuple[str, int | None]]:
        path = [(site, seen[site][1])]
        while seen[site][0] is not None:
            site = seen[site][0]
            path.append((site, seen[site][1]))
        return path

    up_first, up_second = path_to_root(first), path_to_root(second)
    common = {site for site, _ in up_first} & {site for site, _ in up_second}
    edges_first = [edge for site, edge in up_first if site not in common]
    edges_second = [edge for site, edge in up_second if site not in common]
    around = edges_first + list(reversed(edges_second)) + [closing]
    return [edge for edge in around if edge is not None]


def cancel_cycles(transfers: list[Transfer]) -> list[Transfer]:
    """Remove cycles of handovers by shifting packs around them.

    Going round a cycle, every other transfer grows and the others shrink by the same
    amount, so every site's total stays the same; the smallest shrinking transfer drops
    out. The result is a forest: at most (sites involved - 1) transfers, on no new pairs.
    """
    transfers = list(transfers)
    while (cycle := _find_cycle(transfers)) is not None:
        shrinking, growing = cycle[0::2], cycle[1::2]
        shift = min(transfers[i].quantity for i in shrinking)
        for index in shrinking:
            transfers[index] = replace(transfers[index], quantity=transfers[index].quantity - shift)
        for index in growing:
            transfers[index] = replace(transfers[index], quantity=transfers[index].quantity + shift)
        transfers = [t for t in transfers if t.quantity > 0]
    return transfers


def _parameters(
    solver: cp_model.CpSolver, deterministic_s: float, wall_s: float, kind: SolveKind
) -> None:
    """A fixed seed, one worker and a deterministic budget: every run returns the same plan."""
    params = solver.parameters
    params.random_seed = RANDOM_SEED
    params.num_workers = 1
    params.linearization_level = kind.linearization_level
    params.max_deterministic_time = max(deterministic_s, 0.0)
    params.max_time_in_seconds = max(wall_s, 0.01)


@dataclass
class _Budget:
    """The search budget in reference seconds, counted from deterministic measures.

    Each solve is charged a fixed overhead, its deterministic time scaled to wall-clock
    seconds on the reference machine, and the variables built; the wall clock itself is
    only a safety net, so on the reference machine the plan never depends on timing.
    ``spent``, if given, hears the share of the budget used after every charge.
    """

    seconds: float
    deadline: float
    spent: Callable[[float], None] | None = None
    used: float = 0.0

    def left(self) -> float:
        return self.seconds - self.used

    def exhausted(self) -> bool:
        return self.left() <= 0 or time.perf_counter() >= self.deadline

    def wall_left(self) -> float:
        return self.deadline - time.perf_counter()

    def deterministic_limit(self, seconds: float, kind: SolveKind) -> float:
        """The deterministic time a solve of ``kind`` may use to cost about ``seconds``."""
        return max(0.0, seconds - SOLVE_OVERHEAD_S) / kind.wall_per_deterministic

    def add(self, seconds: float) -> None:
        """Charge ``seconds`` (reference seconds) and tell ``spent``."""
        self.used += seconds
        if self.spent is not None:
            self.spent(min(1.0, self.used / self.seconds))

    def charge(self, solver: cp_model.CpSolver, variables: int, kind: SolveKind) -> None:
        self.add(
            SOLVE_OVERHEAD_S
            + solver.deterministic_time * kind.wall_per_deterministic
            + BUILD_S_PER_VARIABLE * variables
        )


@dataclass
class _Share:
    """Part of a budget: charges go to the whole, and it runs out at ``seconds``."""

    budget: _Budget
    seconds: float
    used: float = 0.0

    def add(self, seconds: float) -> None:
        self.used += seconds
        self.budget.add(seconds)

    def exhausted(self) -> bool:
        return self.used >= self.seconds or self.budget.exhausted()


def _score(plans: Mapping[str, list[Transfer]], distance: Distance | None) -> tuple[int, int, int]:
    """(shipments, transfers, trip length) of some plans; smaller is better."""
    pairs = {(t.giver, t.receiver) for transfers in plans.values() for t in transfers}
    trips = sum(distance(*pair) for pair in pairs) if distance else 0
    return len(pairs), sum(len(transfers) for transfers in plans.values()), trips


def _solve_full(
    targets: Mapping[str, Targets],
    start: Mapping[str, list[Transfer]],
    pairs: set[Pair],
    budget: _Budget,
    distance: Distance | None,
) -> tuple[dict[str, list[Transfer]], bool, str, int]:
    """The whole model in one solve with ``FULL_MODEL_SHARE`` of what is left of the
    budget: (plans, proven optimal, status name, shipment bound)."""
    built = _PairsModel(targets, start, pairs, distance)
    solver = cp_model.CpSolver()
    _parameters(
        solver,
        budget.deterministic_limit(budget.left() * FULL_MODEL_SHARE, FULL),
        budget.wall_left(),
        FULL,
    )
    status = solver.solve(built.model)
    budget.charge(solver, len(built.packs), FULL)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(start), False, solver.status_name(status), 0
    return (
        built.plans(solver),
        status == cp_model.OPTIMAL,
        solver.status_name(status),
        built.shipment_bound(solver.best_objective_bound),
    )


def _residual(
    targets: Mapping[str, Targets], plans: Mapping[str, list[Transfer]], chosen: set[str]
) -> tuple[dict[str, Targets], dict[str, list[Transfer]]]:
    """The sub-problem among ``chosen`` sites: transfers between them become free again.

    Receivers must get back exactly what those transfers gave them; givers may give within
    what is left of their window after their transfers to sites outside ``chosen``.
    """
    sub_targets, freed = {}, {}
    for material, target in targets.items():
        inside = [t for t in plans[material] if t.giver in chosen and t.receiver in chosen]
        if not inside:
            continue
        fixed_out = given_units(t for t in plans[material] if t.receiver not in chosen)
        windows = {}
        for giver, (low, high) in target.give_window.items():
            if giver in chosen and high - fixed_out.get(giver, 0) >= target.min_transfer:
                windows[giver] = (
                    max(0, low - fixed_out.get(giver, 0)),
                    high - fixed_out.get(giver, 0),
                )
        sub_targets[material] = Targets(
            target.pack,
            target.min_transfer,
            target.level_days,
            dict(received_units(inside)),
            {},
            windows,
        )
        freed[material] = inside
    return sub_targets, freed


def _neighbourhood(
    plans: Mapping[str, list[Transfer]], sites: list[str], size: int, rng: random.Random
) -> set[str]:
    """Sites linked by the current plan, grown breadth-first from a random site."""
    links: dict[str, set[str]] = defaultdict(set)
    for transfers in plans.values():
        for t in transfers:
            links[t.giver].add(t.receiver)
            links[t.receiver].add(t.giver)
    frontier = [rng.choice(sites)]
    chosen: set[str] = set()
    while frontier and len(chosen) < size:
        site = frontier.pop(0)
        if site in chosen:
            continue
        chosen.add(site)
        neighbours = sorted(links[site] - chosen)
        rng.shuffle(neighbours)
        frontier.extend(neighbours)
    while len(chosen) < size and len(chosen) < len(sites):
        chosen.add(rng.choice(sites))
    return chosen


def _improve_locally(
    targets: Mapping[str, Targets],
    plans: dict[str, list[Transfer]],
    budget: _Budget,
    distance: Distance | None,
) -> tuple[dict[str, list[Transfer]], bool]:
    """Large-neighbourhood search: re-solve the handovers among a few linked sites at a time.

    Returns the plans and whether they are proven best (a neighbourhood that spans every
    site was solved to optimality while no receiver was short of its target).
    """
    rng = random.Random(RANDOM_SEED)
    sites = sorted({code for t in targets.values() for code in (*t.give_window, *t.receive)})
    size = min(len(sites), NEIGHBOURHOOD_SIZE)
    while not budget.exhausted():
        size = max(2, min(len(sites), size, NEIGHBOURHOOD_MAX))
        chosen = _neighbourhood(plans, sites, size, rng)
        sub_targets, freed = _residual(targets, plans, chosen)
        if not freed:
            budget.add(SOLVE_OVERHEAD_S)
            continue
        built = _PairsModel(sub_targets, freed, all_pairs(sub_targets), distance)
        solver = cp_model.CpSolver()
        _parameters(
            solver,
            min(
                NEIGHBOURHOOD_DETERMINISTIC_S,
                budget.deterministic_limit(budget.left(), NEIGHBOURHOOD),
            ),
            budget.wall_left(),
            NEIGHBOURHOOD,
        )
        status = solver.solve(built.model)
        budget.charge(solver, len(built.packs), NEIGHBOURHOOD)
        # Grow the neighbourhood while the solver settles it easily, shrink it otherwise.
        size += 1 if status == cp_model.OPTIMAL else -1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        better = built.plans(solver)
        if _score(better, distance) <= _score(freed, distance):
            candidate = {
                material: _forest(
                    targets[material],
                    [t for t in transfers if not (t.giver in chosen and t.receiver in chosen)]
                    + better.get(material, []),
                )
                for material, transfers in plans.items()
            }
            if within_transfer_bound(candidate):
                plans = candidate
        if (
            status == cp_model.OPTIMAL
            and len(chosen) == len(sites)
            and _nobody_short(targets, plans)
        ):
            return plans, True
    return plans, False


def _forest(target: Targets, transfers: list[Transfer]) -> list[Transfer]:
    """The transfers without cycles where single-pack minimums allow cancelling them."""
    return cancel_cycles(transfers) if target.min_transfer == target.pack else transfers


def within_transfer_bound(plans: Mapping[str, list[Transfer]]) -> bool:
    """True when no material has more transfers than the sites it involves, minus one."""
    for transfers in plans.values():
        involved = {code for t in transfers for code in (t.giver, t.receiver)}
        if transfers and len(transfers) > len(involved) - 1:
            return False
    return True


def _nobody_short(targets: Mapping[str, Targets], plans: Mapping[str, list[Transfer]]) -> bool:
    """True when every receiver gets its full target amount."""
    return all(received_units(plans[m]) == target.receive for m, target in targets.items())


def solve_pairs(
    targets: Mapping[str, Targets],
    start: Mapping[str, list[Transfer]],
    *,
    time_limit_s: float,
    distance: Distance | None = None,
    spent: Callable[[float], None] | None = None,
) -> PairsResult:
    """Improve ``start`` (a valid plan per material) within about ``time_limit_s`` seconds.

    ``distance(giver, receiver)``, in whole km, breaks ties between equally good plans;
    ``spent(share)`` hears the share (0 to 1) of the budget used as the search advances.

    First the proven lower bound: the counting bound, and the linear relaxation's
    (:mod:`app.allocation.bounds`) when its predicted cost fits in ``LP_SHARE`` of the
    budget. Small rounds are then solved as one model, which usually proves the fewest
    shipments; larger ones, or those the whole model does not settle, get the pair
    search with ``FLOW_SHARE`` of what is left, then are polished a neighbourhood at a
    time until the budget is spent. The result is proven optimal when
    the solver proved it or the shipments reached the bound (then only transfers and trip
    length may still be improvable).
    """
    began = time.perf_counter()
    budget = _Budget(time_limit_s, began + time_limit_s * WALL_MARGIN, spent)
    bound = counting_bound(targets)
    if LP_S_PER_COLUMN_SQUARED * transfer_columns(targets) ** 2 <= LP_SHARE * time_limit_s:
        bound = max(bound, _lp_bound(targets, budget))
    pairs = all_pairs(targets)
    plans, optimal, status = dict(start), False, "LOCAL_SEARCH"
    variables = sum(len(t.give_window) * len(t.receive) for t in targets.values())
    if variables <= FULL_MODEL_VARIABLES:
        plans, optimal, status, full_bound = _solve_full(targets, start, pairs, budget, distance)
        bound = max(bound, full_bound)
    if not optimal:
        share = _Share(budget, budget.left() * FLOW_SHARE)
        plans = _reroute(targets, plans, share, bound)
        plans, optimal = _improve_locally(targets, plans, budget, distance)
    optimal = optimal or (_score(plans, None)[0] <= bound and _nobody_short(targets, plans))
    return PairsResult(
        plans=plans,
        proven_optimal=optimal,
        solver_status=status,
        shipment_bound=bound,
        wall_time_s=time.perf_counter() - began,
        candidate_pairs=len(pairs),
        wall_clock_stopped=budget.wall_left() <= 0,
    )


def _reroute(
    targets: Mapping[str, Targets],
    plans: dict[str, list[Transfer]],
    budget: _Share,
    bound: int,
) -> dict[str, list[Transfer]]:
    """The pair search of :mod:`app.allocation.network` (until it reaches ``bound``),
    kept when it is no worse."""
    rerouted = {
        material: _forest(targets[material], transfers)
        for material, transfers in improve_pairs(targets, plans, budget, bound).items()
    }
    if within_transfer_bound(rerouted) and _score(rerouted, None) <= _score(plans, None):
        return rerouted
    return plans


def _lp_bound(targets: Mapping[str, Targets], budget: _Budget) -> int:
    """The linear relaxation's bound, charged to ``budget`` by the simplex work done."""
    bound, work = lp_shipment_bound(targets, budget.wall_left())
    budget.add(SOLVE_OVERHEAD_S + LP_S_PER_WORK * work)
    return bound
