"""Fair redistribution of stock between municipalities: :func:`redistribute` and
:func:`redistribute_all`.

The fairness principle, in plain words: everyone should end with as many days of supply
as the county can give them, and the worst-off come first. We find the highest number
of days (never more than the planning horizon) that every municipality below it can be
lifted to with what the others can spare; the others keep at least that many days
themselves (and at least their safety floor). Only then do we look for the fewest, most
practical handovers that achieve it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from app.allocation.heuristics import count_shipments, greedy_plan, pair_reusing_plan
from app.allocation.levels import Targets, material_targets
from app.allocation.model import (
    Plan,
    Site,
    SolveStats,
    Transfer,
    site_outcomes,
    trip_km,
    validate_horizon,
    validate_packing,
    validate_sites,
    worst_off_days,
)
from app.allocation.solver import Distance, PairsResult, solve_pairs, within_transfer_bound


def redistribute(
    sites: Sequence[Site],
    *,
    horizon_days: float,
    safety_days: float = 0.0,
    min_transfer: int = 1,
    pack_size: int = 1,
    time_limit_s: float = 2.0,
    locations: Mapping[str, tuple[float, float]] | None = None,
) -> Plan:
    """Propose who gives how much of one material to whom.

    Fairness ("equal days of supply", leximin / water-filling): the municipality with the
    fewest days of supply is lifted first, then the next, like water filling the lowest
    vessels, until all who were short reach one common level of days, as high as the
    county's spare stock allows and never above ``horizon_days``. Solidarity has a limit
    that protects the givers: a giver gives only from stock in hand (not from deliveries
    still on their way), never ends below the level it lifts others to, and never below
    ``safety_days`` of its own use. Amounts are whole packs of ``pack_size`` units, so a
    receiver may end up to one pack below the level (a pack the rounding leaves over goes
    to the worst-off when the givers can spare it). A municipality that uses none of the
    material needs nothing: it may give, never receive. Among the plans that
    reach the level, the one with the fewest handovers wins, then the least quantity moved,
    then (when ``locations`` maps codes to (latitude, longitude)) the shortest trips.

    Units: stock, incoming and quantities in units; daily use in units per day; days in
    days; ``time_limit_s`` in seconds. Returns a :class:`Plan` with ``status`` "optimal"
    when the fewest handovers are proven, "feasible" when the time limit stopped the
    search (the plan is still valid). Raises ``ValueError`` for negative stock, incoming
    or use, duplicate codes, ``pack_size`` < 1, a ``min_transfer`` that is not a positive
    multiple of ``pack_size``, or a non-positive horizon.
    """
    plans = redistribute_all(
        {"": sites},
        horizon_days=horizon_days,
        safety_days=safety_days,
        min_transfer=min_transfer,
        pack_size=pack_size,
        time_limit_s=time_limit_s,
        locations=locations,
    )
    return plans[""]


def redistribute_all(
    materials: Mapping[str, Sequence[Site]],
    *,
    horizon_days: float,
    safety_days: float = 0.0,
    min_transfer: Mapping[str, int] | int = 1,
    pack_size: Mapping[str, int] | int = 1,
    time_limit_s: float = 2.0,
    locations: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Plan]:
    """Propose the redistribution of every material of a round at once.

    Each material is shared by the same fairness principle as :func:`redistribute` (the
    worst-off first, up to one common level of days of supply, givers never below that
    level or their safety floor) and reaches the same level. On top, the plans are chosen
    together so that the number of shipments is as small as possible: a shipment is one
    giver -> receiver pair, and it carries every material between those two
    municipalities. ``min_transfer`` and ``pack_size`` are given per material code or as
    one number for all. Givers may give up to one pack more or less than their exact fair
    share when that lets one shipment carry more. ``locations`` (code -> (latitude,
    longitude) in degrees) makes the shorter trips win among equally good plans;
    ``time_limit_s`` (seconds) bounds the joint search, which is reproducible.

    Returns one :class:`Plan` per material (same keys as ``materials``); every plan's
    ``stats`` describe the joint solve (shipments over all materials, the greedy
    baseline's counts, the solver's bound). Raises ``ValueError`` as :func:`redistribute`
    does, naming the material.
    """
    validate_horizon(horizon_days, safety_days)
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
    targets = _all_targets(materials, horizon_days, safety_days, min_transfer, pack_size)
    greedy = {material: greedy_plan(target) for material, target in targets.items()}
    start = _better_start(pair_reusing_plan(targets), greedy)
    distance = trip_km(locations) if locations else None
    result = _solve(targets, start, time_limit_s, distance)
    return _plans(materials, targets, horizon_days, result, greedy)


def _per_material(value: Mapping[str, int] | int, material: str, name: str) -> int:
    """The value of a per-material option for ``material``."""
    if isinstance(value, Mapping):
        if material not in value:
            raise ValueError(f"{name} has no entry for material {material!r}")
        return value[material]
    return value


def _all_targets(
    materials: Mapping[str, Sequence[Site]],
    horizon_days: float,
    safety_days: float,
    min_transfer: Mapping[str, int] | int,
    pack_size: Mapping[str, int] | int,
) -> dict[str, Targets]:
    """Validate every material's input and fix its level and amounts."""
    targets = {}
    for material, sites in materials.items():
        label = f"material {material!r}" if material else ""
        pack = _per_material(pack_size, material, "pack_size")
        minimum = _per_material(min_transfer, material, "min_transfer")
        validate_packing(pack, minimum, label)
        try:
            validate_sites(sites)
        except ValueError as error:
            raise ValueError(f"{label}: {error}" if label else str(error)) from None
        targets[material] = material_targets(
            sites,
            horizon_days=horizon_days,
            safety_days=safety_days,
            pack_size=pack,
            min_transfer=minimum,
        )
    return targets


def _score(
    targets: Mapping[str, Targets], plans: Mapping[str, list[Transfer]]
) -> tuple[int, int, int]:
    """(units short of the targets, shipments, transfers): smaller is better."""
    wanted = sum(sum(t.receive.values()) for t in targets.values())
    moved = sum(t.quantity for transfers in plans.values() for t in transfers)
    transfers = sum(len(transfers) for transfers in plans.values())
    return wanted - moved, count_shipments(plans), transfers


def _better_start(
    first: dict[str, list[Transfer]], second: dict[str, list[Transfer]]
) -> dict[str, list[Transfer]]:
    """The heuristic plan with fewer shipments (the pair-reusing one on a tie)."""
    return second if count_shipments(second) < count_shipments(first) else first


def _solve(
    targets: Mapping[str, Targets],
    start: dict[str, list[Transfer]],
    time_limit_s: float,
    distance: Distance | None,
) -> PairsResult:
    """Run the solver unless there is nothing to decide; keep the start if it is better."""
    if not any(t.receive for t in targets.values()):
        return PairsResult(start, True, "NOTHING_TO_MOVE", 0, 0.0, 0, False)
    result = solve_pairs(targets, start, time_limit_s=time_limit_s, distance=distance)
    if not within_transfer_bound(result.plans) or _score(targets, start) < _score(
        targets, result.plans
    ):
        return replace(result, plans=start, proven_optimal=False)
    return result


def _plans(
    materials: Mapping[str, Sequence[Site]],
    targets: Mapping[str, Targets],
    horizon_days: float,
    result: PairsResult,
    greedy: Mapping[str, list[Transfer]],
) -> dict[str, Plan]:
    """Wrap the solver's transfers into one explained :class:`Plan` per material."""
    shipments = count_shipments(result.plans)
    stats = SolveStats(
        transfers=sum(len(t) for t in result.plans.values()),
        shipments=shipments,
        shipment_bound=result.shipment_bound,
        gap=(shipments - result.shipment_bound) / shipments if shipments else 0.0,
        greedy_transfers=sum(len(t) for t in greedy.values()),
        greedy_shipments=count_shipments(greedy),
        solver_status=result.solver_status,
        wall_time_s=result.wall_time_s,
        candidate_pairs=result.candidate_pairs,
        wall_clock_stopped=result.wall_clock_stopped,
    )
    status = "optimal" if result.proven_optimal else "feasible"
    plans = {}
    for material, sites in materials.items():
        transfers = _explained(sites, result.plans[material], targets[material].level_days)
        outcomes = site_outcomes(sites, transfers)
        plans[material] = Plan(
            transfers=transfers,
            level_days=worst_off_days(outcomes, horizon_days),
            status=status,
            target_level_days=targets[material].level_days,
            outcomes=outcomes,
            stats=stats,
        )
    return plans


def _explained(
    sites: Sequence[Site], transfers: list[Transfer], level_days: float
) -> list[Transfer]:
    """Transfers in a stable order, each with a one-line reason a coordinator can read."""
    by_code = {site.code: site for site in sites}
    explained = []
    for t in sorted(transfers, key=lambda t: (t.giver, t.receiver)):
        giver, receiver = by_code[t.giver], by_code[t.receiver]
        reason = (
            f"{t.receiver} has {_days(receiver.coverage())} of supply, below the common level "
            f"of {_days(level_days)}; {t.giver} has {_days(giver.coverage())} and can spare "
            f"{t.quantity} units without falling below that level."
        )
        explained.append(Transfer(t.giver, t.receiver, t.quantity, reason))
    return explained


def _days(days: float) -> str:
    return "unlimited days" if days == float("inf") else f"{days:.1f} days"
