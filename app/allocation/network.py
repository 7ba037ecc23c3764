"""Search over the shipments themselves: which giver -> receiver pairs a round uses.

Whether every material can be moved over a given set of pairs is a network-flow problem,
solved exactly and fast: OR-Tools' min-cost flow, in packs, receivers getting exactly
their targets and givers giving within their windows. So the search works on the set of
pairs directly. Dropping a pair re-routes only the materials that used it, over the
whole county; the drop stands when every one of them can still be moved. A round of the
search adds every possible pair among a few sites drawn at random and drops pairs again
(those among the sites first, in random order, then those with one end among them,
those that could carry fewest materials first), and is kept when it uses no more pairs
than before. Unlike re-solving a neighbourhood, a drop may re-route a
material anywhere, which is what lets large rounds share far more of their shipments.

Only materials moved in single packs are routed this way (a flow knows no minimum per
transfer); the others keep their transfers, and the pairs those use stay.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from ortools.graph.python import min_cost_flow

from app.allocation.levels import Targets
from app.allocation.model import Transfer, received_units

Pair = tuple[str, str]
Flow = dict[Pair, int]

RANDOM_SEED = 20200316
# Sites whose every possible pair is added back in one round of the search.
ROUND_SITES = 8
# Cost model of one routing in reference seconds, fitted by least squares on the
# routings of ten of the benchmark's counties (budgets of 3 and 8 s) on the reference
# machine: a fixed part (with the budget's bookkeeping), a part per node of the
# material's network and a part per pair looked at.
ROUTE_OVERHEAD_S = 2.4e-5
ROUTE_S_PER_NODE = 1.2e-6
ROUTE_S_PER_PAIR = 6.4e-8


class Budget(Protocol):
    """What the search needs of the solver's budget."""

    def add(self, seconds: float) -> None: ...

    def exhausted(self) -> bool: ...


def routable(targets: Mapping[str, Targets]) -> dict[str, Targets]:
    """The materials the flow may route: single-pack minimums, something to move."""
    return {m: t for m, t in targets.items() if t.min_transfer == t.pack and t.receive}


@dataclass(frozen=True)
class _Network:
    """One material's flow network in packs, all but its giver -> receiver arcs.

    Nodes are the givers, then the receivers, then one extra source. A giver's lower
    bound is its own supply; the room above it comes from the extra source; receivers
    demand exactly their targets.
    """

    pack: int
    ends: dict[Pair, tuple[int, int]]
    supplies: list[int]
    room: tuple[list[int], list[int], list[int]]
    demand: int

    @classmethod
    def of(cls, target: Targets) -> _Network:
        pack = target.pack
        givers = {code: index for index, code in enumerate(sorted(target.give_window))}
        receivers = {code: len(givers) + index for index, code in enumerate(sorted(target.receive))}
        extra = len(givers) + len(receivers)
        demand = sum(target.receive.values()) // pack
        lows, tails, caps = [], [], []
        for giver, index in givers.items():
            low, high = (amount // pack for amount in target.give_window[giver])
            lows.append(low)
            if high > low:
                tails.append(index)
                caps.append(high - low)
        wanted = [-(target.receive[code] // pack) for code in receivers]
        ends = {(g, r): (tail, head) for g, tail in givers.items() for r, head in receivers.items()}
        return cls(
            pack,
            ends,
            [*lows, *wanted, demand - sum(lows)],
            ([extra] * len(tails), tails, caps),
            demand,
        )

    def route(self, pairs: Iterable[Pair]) -> Flow | None:
        """Units per pair that move the material over ``pairs`` only, or ``None``."""
        if self.supplies[-1] < 0:
            return None
        ends = self.ends
        used = [pair for pair in pairs if pair in ends]
        flow = min_cost_flow.SimpleMinCostFlow()
        extra, givers, room = self.room
        if room:
            flow.add_arcs_with_capacity_and_unit_cost(extra, givers, room, [0] * len(room))
        if not used:
            return None if self.demand else {}
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            [ends[pair][0] for pair in used],
            [ends[pair][1] for pair in used],
            [self.demand] * len(used),
            [0] * len(used),
        )
        flow.set_nodes_supplies(list(range(len(self.supplies))), self.supplies)
        if flow.solve() != flow.OPTIMAL:
            return None
        return {
            pair: int(units) * self.pack
            for pair, units in zip(used, flow.flows(arcs), strict=True)
            if units
        }


def route(target: Targets, pairs: Iterable[Pair]) -> Flow | None:
    """Units per pair that move ``target`` over ``pairs`` only, or ``None`` if impossible.

    Receivers get exactly what they should, givers give within their windows.
    """
    return _Network.of(target).route(pairs)


def _route_cost(network: _Network, pairs: int) -> float:
    """Reference seconds one routing over ``pairs`` pairs is charged."""
    nodes = len(network.supplies)
    return ROUTE_OVERHEAD_S + ROUTE_S_PER_NODE * nodes + ROUTE_S_PER_PAIR * pairs


@dataclass
class _State:
    """Pairs in use (ordered, so the search is reproducible) and each material's flow."""

    pairs: dict[Pair, None]
    flows: dict[str, Flow]

    def copy(self) -> _State:
        return _State(dict(self.pairs), dict(self.flows))

    def tidy(self, fixed: Iterable[Pair]) -> None:
        """Keep only the pairs some flow or a fixed transfer uses."""
        used = set(fixed) | {pair for flow in self.flows.values() for pair in flow}
        self.pairs = {pair: None for pair in self.pairs if pair in used}


class _Search:
    """The routable materials, the pairs that must stay, and the budget to charge."""

    def __init__(
        self, targets: Mapping[str, Targets], fixed: Iterable[Pair], budget: Budget
    ) -> None:
        self.networks = {material: _Network.of(t) for material, t in targets.items()}
        self.fixed = set(fixed)
        self.budget = budget

    def route(self, material: str, pairs: Mapping[Pair, None]) -> Flow | None:
        network = self.networks[material]
        self.budget.add(_route_cost(network, len(pairs)))
        return network.route(pairs)

    def drop(self, state: _State, order: Iterable[Pair]) -> None:
        """Drop each pair of ``order`` in turn while every material can still be moved."""
        for pair in order:
            if self.budget.exhausted():
                break
            if pair not in state.pairs or pair in self.fixed:
                continue
            del state.pairs[pair]
            rerouted = {}
            for material, flow in state.flows.items():
                if pair in flow:
                    if (new := self.route(material, state.pairs)) is None:
                        break
                    rerouted[material] = new
            else:
                state.flows.update(rerouted)
                continue
            state.pairs[pair] = None
        state.tidy(self.fixed)


def _carried(targets: Mapping[str, Targets], pair: Pair) -> int:
    """How many materials ``pair`` could carry."""
    giver, receiver = pair
    return sum(1 for t in targets.values() if giver in t.give_window and receiver in t.receive)


def improve_pairs(
    targets: Mapping[str, Targets],
    plans: Mapping[str, list[Transfer]],
    budget: Budget,
    enough: int = 0,
) -> dict[str, list[Transfer]]:
    """``plans`` on as few pairs as the search finds within ``budget`` (never more).

    The search stops early once it uses ``enough`` pairs (a proven lower bound).

    ``plans`` must be valid: every routable material's receivers get exactly their
    targets. Routed materials come back as the flow found (it may hold cycles of
    handovers, which the caller cancels); the others unchanged.
    """
    movable = {m: t for m, t in routable(targets).items() if received_units(plans[m]) == t.receive}
    if not movable:
        return dict(plans)
    fixed = {
        (t.giver, t.receiver)
        for m, transfers in plans.items()
        if m not in movable
        for t in transfers
    }
    search = _Search(movable, fixed, budget)
    state = _State(
        {pair: None for pair in sorted(_pairs_of(plans))},
        {m: _flow_of(plans[m]) for m in sorted(movable)},
    )
    candidates = sorted(
        {(g, r) for t in movable.values() for g in t.give_window for r in t.receive}
    )
    usefulness = {pair: _carried(movable, pair) for pair in candidates}
    sites = sorted({code for pair in candidates for code in pair})
    rng = random.Random(RANDOM_SEED)
    while len(state.pairs) > enough and not budget.exhausted():
        chosen = set(rng.sample(sites, min(ROUND_SITES, len(sites))))
        trial = state.copy()
        for pair in candidates:
            if pair[0] in chosen and pair[1] in chosen:
                trial.pairs.setdefault(pair, None)
        inside = [p for p in trial.pairs if p[0] in chosen and p[1] in chosen]
        rng.shuffle(inside)
        outside = [p for p in trial.pairs if (p[0] in chosen) != (p[1] in chosen)]
        noise = {pair: rng.random() for pair in outside}
        outside.sort(key=lambda p: (usefulness.get(p, 0), noise[p]))
        search.drop(trial, inside + outside)
        if len(trial.pairs) <= len(state.pairs):
            state = trial
    return {
        m: _transfers(state.flows[m]) if m in movable else list(transfers)
        for m, transfers in plans.items()
    }


def _pairs_of(plans: Mapping[str, list[Transfer]]) -> set[Pair]:
    return {(t.giver, t.receiver) for transfers in plans.values() for t in transfers}


def _flow_of(transfers: Iterable[Transfer]) -> Flow:
    flow: Flow = {}
    for t in transfers:
        flow[(t.giver, t.receiver)] = flow.get((t.giver, t.receiver), 0) + t.quantity
    return flow


def _transfers(flow: Flow) -> list[Transfer]:
    """The flow as transfers, in pair order."""
    return [Transfer(g, r, quantity) for (g, r), quantity in sorted(flow.items())]
