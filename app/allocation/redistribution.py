"""Fair redistribution of stock between municipalities: :func:`redistribute` and
:func:`redistribute_all`.

First the allocation principle fixes how much every municipality gives or receives of
each material; only then do we look for the fewest, most practical handovers that move
those amounts. Three principles (codes in :mod:`app.allocation.principles`):

- equal days of supply (the default, :mod:`app.allocation.levels`): everyone should end
  with as many days of supply as the county can give them, the worst-off first; givers
  keep at least that many days themselves (and their safety floor);
- proportional to need and per capita (:mod:`app.allocation.rationing`): what the
  municipalities above the horizon can spare is shared among the short ones by their need
  or by their population, never above what they need to reach the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from app.allocation.heuristics import count_shipments, greedy_plan, pair_reusing_plan
from app.allocation.levels import Targets, material_targets, need_units
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
from app.allocation.principles import (
    EQUAL_DAYS,
    PER_CAPITA,
    PROPORTIONAL_TO_NEED,
    REDISTRIBUTION_PRINCIPLES,
)
from app.allocation.rationing import by_need, by_population, shared_targets
from app.allocation.solver import Distance, PairsResult, solve_pairs, within_transfer_bound

Progress = Callable[[int, int], None]


def redistribute(
    sites: Sequence[Site],
    *,
    horizon_days: float,
    safety_days: float = 0.0,
    min_transfer: int = 1,
    pack_size: int = 1,
    time_limit_s: float = 2.0,
    locations: Mapping[str, tuple[float, float]] | None = None,
    principle: str = EQUAL_DAYS,
) -> Plan:
    """Propose who gives how much of one material to whom.

    ``principle`` decides the amounts:

    - ``EQUAL_DAYS`` ("equal days of supply", leximin / water-filling, the default): the
      municipality with the fewest days of supply is lifted first, then the next, like
      water filling the lowest vessels, until all who were short reach one common level of
      days, as high as the county's spare stock allows and never above ``horizon_days``.
      Solidarity has a limit that protects the givers: a giver gives only from stock in
      hand (not from deliveries still on their way), never ends below the level it lifts
      others to, and never below ``safety_days`` of its own use. A receiver may end up to
      one pack below the level (a pack the rounding leaves over goes to the worst-off when
      the givers can spare it).
    - ``PROPORTIONAL_TO_NEED``: a receiver's need is ``horizon_days * daily_use - stock -
      incoming`` (units). Givers are the sites above the horizon; they give only from stock
      in hand and never below ``max(horizon_days, safety_days)`` days of their own use.
      Every receiver gets the same fraction ``min(1, spare / total need)`` of its need,
      rounded to whole packs by the largest remainder (so within a pack of that fraction,
      never above its need).
    - ``PER_CAPITA``: the same givers and spare; the spare goes to the short sites in
      proportion to their ``population``, nobody above its need (water-filling of units
      received per inhabitant, with the needs as caps), rounded the same way.

    Under every principle amounts are whole packs of ``pack_size`` units and every transfer
    at least ``min_transfer`` units (a receiver whose share would be smaller gets nothing,
    and the others share its part); a municipality that uses none of the material may
    give, never receive. Among the plans that move these amounts, the one with the fewest
    handovers wins, then the least quantity moved, then (when ``locations`` maps codes to
    (latitude, longitude)) the shortest trips.

    Units: stock, incoming and quantities in units; daily use in units per day; days in
    days; ``time_limit_s`` in seconds. Returns a :class:`Plan` with ``status`` "optimal"
    when the fewest shipments are proven, "feasible" when the time limit stopped the
    search (the plan is still valid). Raises ``ValueError`` for negative stock, incoming
    or use, duplicate codes, ``pack_size`` < 1, a ``min_transfer`` that is not a positive
    multiple of ``pack_size``, a non-positive horizon, an unknown principle, or per capita
    with a receiver without a positive population.
    """
    plans = redistribute_all(
        {"": sites},
        horizon_days=horizon_days,
        safety_days=safety_days,
        min_transfer=min_transfer,
        pack_size=pack_size,
        time_limit_s=time_limit_s,
        locations=locations,
        principle=principle,
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
    principle: str = EQUAL_DAYS,
    progress: Progress | None = None,
) -> dict[str, Plan]:
    """Propose the redistribution of every material of a round at once.

    Each material is shared by ``principle`` exactly as :func:`redistribute` does and gets
    the same amounts per site. On top, the plans are chosen together so that the number
    of shipments is as small as possible: a shipment is one giver -> receiver pair, and it
    carries every material between those two municipalities. ``min_transfer`` and
    ``pack_size`` are given per material code or as one number for all. Givers may give
    up to one pack more or less than their exact fair share when that lets one shipment
    carry more (under proportional to need and per capita any giver may give anything it
    can spare above the horizon, since that changes nobody's coverage within it).
    ``locations`` (code -> (latitude, longitude) in degrees) makes the shorter trips win
    among equally good plans; ``time_limit_s`` (seconds) bounds the joint search, which is
    reproducible: the budget is counted in deterministic work, not on the clock.

    ``progress(done, total)``, if given, is called as the work advances, with ``total`` the
    number of materials: ``(0, total)`` when the search starts, then ``(k, total)`` once
    the search has spent ``k / total`` of its budget (``k`` < ``total``; a search that
    settles early reports the remaining steps at once), and ``(total, total)`` when the
    plans are ready. The amounts per material take a negligible part of the time, so the
    steps follow the search budget; every step is reported once, in order.

    Returns one :class:`Plan` per material (same keys as ``materials``); every plan's
    ``stats`` describe the joint solve (shipments over all materials, the greedy
    baseline's counts, the proven lower bound). Raises ``ValueError`` as
    :func:`redistribute` does, naming the material.
    """
    validate_horizon(horizon_days, safety_days)
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
    if principle not in REDISTRIBUTION_PRINCIPLES:
        choices = ", ".join(REDISTRIBUTION_PRINCIPLES)
        raise ValueError(f"unknown principle {principle!r}; choose one of {choices}")
    report = StepReport(len(materials), progress)
    targets = _all_targets(materials, horizon_days, safety_days, min_transfer, pack_size, principle)
    greedy = {material: greedy_plan(target) for material, target in targets.items()}
    start = _better_start(pair_reusing_plan(targets), greedy)
    distance = trip_km(locations) if locations else None
    result = _solve(targets, start, time_limit_s, distance, report.spent)
    plans = _plans(materials, targets, horizon_days, result, greedy, principle)
    report.finish()
    return plans


class StepReport:
    """Turns the share of the budget spent into ``progress(done, total)`` calls.

    Every step from 0 to ``total`` is reported once, in order; ``total`` only by
    :meth:`finish`.
    """

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.progress = progress
        self.reported = -1

    def _report_up_to(self, done: int) -> None:
        while self.progress is not None and self.reported < done:
            self.reported += 1
            self.progress(self.reported, self.total)

    def spent(self, share: float) -> None:
        """The search has spent ``share`` (0 to 1) of its budget."""
        self._report_up_to(max(0, min(self.total - 1, math.floor(share * self.total))))

    def finish(self) -> None:
        """The plans are ready."""
        self._report_up_to(self.total)


def _per_material(value: Mapping[str, int] | int, material: str, name: str) -> int:
    """The value of a per-material option for ``material``."""
    if isinstance(value, Mapping):
        if material not in value:
            raise ValueError(f"{name} has no entry for material {material!r}")
        return value[material]
    return value


def _material_targets(
    sites: Sequence[Site],
    principle: str,
    *,
    horizon_days: float,
    safety_days: float,
    pack_size: int,
    min_transfer: int,
) -> Targets:
    """One material's amounts under ``principle`` (raises ``ValueError`` as its rule does)."""
    options = {
        "horizon_days": horizon_days,
        "safety_days": safety_days,
        "pack_size": pack_size,
        "min_transfer": min_transfer,
    }
    if principle == EQUAL_DAYS:
        return material_targets(sites, **options)
    weight = by_population if principle == PER_CAPITA else by_need
    return shared_targets(sites, weight, **options)


def _all_targets(
    materials: Mapping[str, Sequence[Site]],
    horizon_days: float,
    safety_days: float,
    min_transfer: Mapping[str, int] | int,
    pack_size: Mapping[str, int] | int,
    principle: str,
) -> dict[str, Targets]:
    """Validate every material's input and fix its amounts by ``principle``."""
    targets = {}
    for material, sites in materials.items():
        label = f"material {material!r}" if material else ""
        pack = _per_material(pack_size, material, "pack_size")
        minimum = _per_material(min_transfer, material, "min_transfer")
        validate_packing(pack, minimum, label)
        try:
            validate_sites(sites)
            targets[material] = _material_targets(
                sites,
                principle,
                horizon_days=horizon_days,
                safety_days=safety_days,
                pack_size=pack,
                min_transfer=minimum,
            )
        except ValueError as error:
            raise ValueError(f"{label}: {error}" if label else str(error)) from None
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
    spent: Callable[[float], None],
) -> PairsResult:
    """Run the solver unless there is nothing to decide; keep the start if it is better."""
    spent(0.0)
    if not any(t.receive for t in targets.values()):
        return PairsResult(start, True, "NOTHING_TO_MOVE", 0, 0.0, 0, False)
    result = solve_pairs(targets, start, time_limit_s=time_limit_s, distance=distance, spent=spent)
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
    principle: str,
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
        reason = _reason_maker(sites, targets[material], horizon_days, principle)
        transfers = [
            replace(t, reason=reason(t))
            for t in sorted(result.plans[material], key=lambda t: (t.giver, t.receiver))
        ]
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


def _reason_maker(
    sites: Sequence[Site], target: Targets, horizon_days: float, principle: str
) -> Callable[[Transfer], str]:
    """A function giving each transfer a one-line reason a coordinator can read."""
    by_code = {site.code: site for site in sites}

    def reason(t: Transfer) -> str:
        giver, receiver = by_code[t.giver], by_code[t.receiver]
        gets = target.receive[t.receiver]
        if principle == PROPORTIONAL_TO_NEED:
            share = gets / max(1.0, need_units(receiver, horizon_days))
            why = (
                f"{t.receiver} has {_days(receiver.coverage())} of supply, short of the "
                f"horizon of {_days(horizon_days)}; it gets {share:.0%} of its need, the "
                f"share every short municipality gets (within a pack)"
            )
        elif principle == PER_CAPITA:
            per_1000 = 1000 * gets / (receiver.population or 1)
            why = (
                f"{t.receiver} has {_days(receiver.coverage())} of supply, short of the "
                f"horizon of {_days(horizon_days)}; the county's spare is shared per "
                f"inhabitant, {per_1000:.1f} units per 1000 inhabitants (at most its need)"
            )
        else:
            return (
                f"{t.receiver} has {_days(receiver.coverage())} of supply, below the common "
                f"level of {_days(target.level_days)}; {t.giver} has "
                f"{_days(giver.coverage())} and can spare {t.quantity} units without falling "
                "below that level."
            )
        return (
            f"{why}; {t.giver} has {_days(giver.coverage())} and can spare {t.quantity} "
            "units without falling below the horizon."
        )

    return reason


def _days(days: float) -> str:
    return "unlimited days" if days == float("inf") else f"{days:.1f} days"
