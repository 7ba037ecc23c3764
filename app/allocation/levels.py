"""Water-filling: the level of supply everyone can reach, and each site's share of the work.

These are the amounts of the default principle, equal days of supply; the other two
principles (:mod:`app.allocation.rationing`) reuse the giver shares and unit helpers.

The level comes first and is computed exactly (no solver): it is the highest number of
days of supply, at most the horizon, that the county can give everyone who is below it,
counting only whole packs that givers can spare without ending below that level (or below
their safety floor, or below what they have on order). Each receiver is then lifted to
the level, rounded down to whole packs, so nobody ends more than one pack below it; packs
the rounding leaves over go one at a time to the worst-off while every giver keeps at
least as many days as that receiver will have. The givers share the work from the top
down: the best-supplied give first (those above the horizon freely, since days beyond the
horizon count as the horizon), so that they too end as even as possible.

With a minimum transfer above one pack, needs and spare amounts smaller than the minimum
are left out; the solver may then fall short of a target by less than one minimum
transfer, and minimises that shortfall first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.allocation.model import Site

_EPS = 1e-9
_BISECTION_STEPS = 200


@dataclass(frozen=True)
class Targets:
    """One material's amounts fixed by the level, in units (multiples of ``pack``).

    ``receive[code]`` is what each receiver should get; ``give[code]`` each giver's fair
    share (they add up to the same total); ``give_window[code]`` the range a giver may
    give instead, without changing anyone's coverage by more than one pack.
    """

    pack: int
    min_transfer: int
    level_days: float
    receive: dict[str, int]
    give: dict[str, int]
    give_window: dict[str, tuple[int, int]]


def whole_packs(amount: float, pack: int) -> int:
    """The largest multiple of ``pack`` not above ``amount`` (tolerating float noise)."""
    return pack * max(0, math.floor(amount / pack + _EPS))


def _giver_floor(site: Site, level: float, safety_days: float) -> float:
    """Units a giver keeps at least: the level, its safety floor and its incoming units."""
    return max(level * site.daily_use, safety_days * site.daily_use, float(site.incoming))


def spare_units(site: Site, level: float, safety_days: float) -> float:
    """Units a site can give while staying at the level (0 for a site below it)."""
    return max(0.0, site.on_hand_and_incoming - _giver_floor(site, level, safety_days))


def need_units(site: Site, level: float) -> float:
    """Units a site lacks to reach ``level`` days (0 for a site that uses nothing)."""
    return max(0.0, level * site.daily_use - site.on_hand_and_incoming)


def in_transfers(amount: float, pack: int, min_transfer: int) -> int:
    """``amount`` in whole packs, or 0 when that is below the minimum transfer."""
    units = whole_packs(amount, pack)
    return units if units >= min_transfer else 0


def _reachable(
    sites: Sequence[Site], level: float, safety_days: float, pack: int, min_transfer: int
) -> bool:
    """True when what givers can spare at ``level`` covers what receivers need."""
    supply = sum(
        in_transfers(spare_units(s, level, safety_days), pack, min_transfer) for s in sites
    )
    demand = sum(in_transfers(need_units(s, level), pack, min_transfer) for s in sites)
    return supply >= demand


def _reachable_continuous(sites: Sequence[Site], level: float, safety_days: float) -> bool:
    """True when, ignoring packs, the spare units cover the needs at ``level``."""
    supply = sum(spare_units(s, level, safety_days) for s in sites)
    return supply >= sum(need_units(s, level) for s in sites)


def highest_accepted(accepts: Callable[[float], bool], low: float, high: float) -> float:
    """The highest value in [low, high] that ``accepts`` (true up to a point, then false).

    Bisection down to float resolution; ``low`` is assumed accepted.
    """
    if accepts(high):
        return high
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        if middle <= low or middle >= high:
            break
        low, high = (middle, high) if accepts(middle) else (low, middle)
    return low


def water_level(
    sites: Sequence[Site],
    *,
    horizon_days: float,
    safety_days: float = 0.0,
    pack_size: int = 1,
    min_transfer: int = 1,
) -> float:
    """The water-filling level in days, counting whole packs and minimum transfers."""
    return highest_accepted(
        lambda level: _reachable(sites, level, safety_days, pack_size, min_transfer),
        0.0,
        horizon_days,
    )


def continuous_level(
    sites: Sequence[Site], *, horizon_days: float, safety_days: float = 0.0
) -> float:
    """The water-filling level in days if any fraction of a unit could be moved."""
    return highest_accepted(
        lambda level: _reachable_continuous(sites, level, safety_days), 0.0, horizon_days
    )


def material_targets(
    sites: Sequence[Site],
    *,
    horizon_days: float,
    safety_days: float,
    pack_size: int,
    min_transfer: int,
) -> Targets:
    """The level and every site's amount for one material."""
    level = water_level(
        sites,
        horizon_days=horizon_days,
        safety_days=safety_days,
        pack_size=pack_size,
        min_transfer=min_transfer,
    )
    receive = {
        s.code: units
        for s in sites
        if (units := in_transfers(need_units(s, level), pack_size, min_transfer))
    }
    capacity = {
        s.code: units
        for s in sites
        if (units := in_transfers(spare_units(s, level, safety_days), pack_size, min_transfer))
    }
    by_code = {s.code: s for s in sites}
    givers = [by_code[code] for code in capacity]
    receive = _spend_leftover(
        sites, receive, givers, capacity, horizon_days, pack_size, min_transfer
    )
    give, window = giver_shares(
        givers, capacity, sum(receive.values()), horizon_days, safety_days, pack_size, min_transfer
    )
    return Targets(pack_size, min_transfer, level, receive, give, window)


def _spend_leftover(
    sites: Sequence[Site],
    receive: dict[str, int],
    givers: Sequence[Site],
    capacity: dict[str, int],
    horizon_days: float,
    pack: int,
    min_transfer: int,
) -> dict[str, int]:
    """Give the packs the level leaves over to the lowest sites, one pack at a time.

    Rounding to packs leaves some spare units unused; a pack more for the worst-off is
    fairer as long as it stays within its horizon and every giver keeps at least as many
    days as that receiver will have.
    """
    receive = dict(receive)
    leftover = sum(capacity.values()) - sum(receive.values())
    candidates = [s for s in sites if s.daily_use > 0 and s.code not in capacity]
    while True:
        best = None
        for site in candidates:
            got = receive.get(site.code, 0)
            step = pack if got else min_transfer
            room = horizon_days * site.daily_use - site.on_hand_and_incoming - got
            if step <= leftover and step <= room + _EPS:
                key = (site.coverage(site.on_hand_and_incoming + got), site.code)
                if best is None or key < best[0]:
                    best = (key, site, step)
        if best is None:
            return receive
        _, site, step = best
        got = receive.get(site.code, 0)
        lifted_to = site.coverage(site.on_hand_and_incoming + got + step)
        total = sum(receive.values()) + step
        if _lowest_giver_days(givers, capacity, total) < lifted_to - _EPS:
            return receive
        receive[site.code] = got + step
        leftover -= step


def _lowest_giver_days(givers: Sequence[Site], capacity: dict[str, int], total: int) -> float:
    """Days of supply of the worst-off giver when givers share ``total`` from the top."""
    shares = _top_down_shares(givers, capacity, total)
    return min(
        (g.coverage(g.on_hand_and_incoming - shares[g.code]) for g in givers if g.daily_use > 0),
        default=float("inf"),
    )


def _top_down_shares(
    givers: Sequence[Site], capacity: dict[str, int], total: int
) -> dict[str, float]:
    """Continuous shares: sites with no use first, then the best-supplied down to a level."""
    idle = [g for g in givers if g.daily_use == 0]
    idle_capacity = sum(capacity[g.code] for g in idle)
    if idle_capacity >= total:
        return {
            g.code: (total * capacity[g.code] / idle_capacity if total else 0.0) for g in givers
        }

    def given_at(level: float, giver: Site) -> float:
        if giver.daily_use == 0:
            return float(capacity[giver.code])
        excess = giver.on_hand_and_incoming - level * giver.daily_use
        return min(float(capacity[giver.code]), max(0.0, excess))

    level = highest_accepted(
        lambda days: sum(given_at(days, g) for g in givers) >= total,
        0.0,
        max(g.coverage() for g in givers if g.daily_use > 0),
    )
    return {g.code: given_at(level, g) for g in givers}


def _round_to_packs(
    shares: dict[str, float], capacity: dict[str, int], total: int, pack: int
) -> dict[str, int]:
    """Round continuous shares to packs adding up to ``total`` (largest remainder)."""
    packs = {code: min(capacity[code], whole_packs(share, pack)) for code, share in shares.items()}
    missing = total - sum(packs.values())
    by_remainder = sorted(shares, key=lambda code: (-(shares[code] - packs[code]), code))
    while missing > 0:
        progressed = False
        for code in by_remainder:
            if missing > 0 and packs[code] + pack <= capacity[code]:
                packs[code] += pack
                missing -= pack
                progressed = True
        if not progressed:
            break
    return packs


def _respect_min_transfer(
    packs: dict[str, int], capacity: dict[str, int], min_transfer: int
) -> dict[str, int]:
    """Move shares below the minimum transfer to givers that can take them on."""
    packs = dict(packs)
    for code in sorted(packs, key=lambda c: (packs[c], c)):
        amount = packs[code]
        if 0 < amount < min_transfer:
            packs[code] = 0
            takers = [c for c in packs if packs[c] >= min_transfer or c == code]
            takers = [c for c in takers if c != code and packs[c] + amount <= capacity[c]]
            if takers:
                taker = max(takers, key=lambda c: (capacity[c] - packs[c], c))
                packs[taker] += amount
    return packs


def giver_shares(
    givers: Sequence[Site],
    capacity: dict[str, int],
    total: int,
    horizon_days: float,
    safety_days: float,
    pack: int,
    min_transfer: int,
) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """Each giver's fair share of ``total`` units and the window it may vary in."""
    if total == 0 or not givers:
        return {}, {}
    exact = _top_down_shares(givers, capacity, total)
    shares = _round_to_packs(exact, capacity, total, pack)
    if min_transfer > pack:
        shares = _respect_min_transfer(shares, capacity, min_transfer)
    free = {
        g.code: _free_units(g, capacity[g.code], horizon_days, safety_days, pack) for g in givers
    }
    everyone_stays_above_horizon = sum(free.values()) >= total
    windows = {}
    for giver in givers:
        code = giver.code
        if everyone_stays_above_horizon:
            # Every giver keeps a full horizon: who gives changes nobody's capped coverage.
            windows[code] = (0, max(shares[code], free[code]))
            continue
        low = min(shares[code], whole_packs(exact[code], pack))
        high = max(shares[code], min(capacity[code], pack * math.ceil(exact[code] / pack - _EPS)))
        windows[code] = (low, high)
    return shares, windows


def _free_units(
    giver: Site, capacity: int, horizon_days: float, safety_days: float, pack: int
) -> int:
    """Whole packs a giver can spare while keeping a full horizon (all of it if it uses none)."""
    if giver.daily_use == 0:
        return capacity
    return min(capacity, whole_packs(spare_units(giver, horizon_days, safety_days), pack))
