"""Sharing the county's spare by need or by population: the targets of two principles.

Both principles treat the shortage as a claims problem (the rationing of an estate among
claimants): the estate is what the municipalities above the planning horizon can spare,
the claims are what the short ones lack to reach the horizon.

- Proportional to need: the proportional rule. Every claimant gets the same fraction of
  its claim, ``min(1, spare / total need)``.
- Per capita: the constrained equal awards rule per inhabitant. Every claimant gets the
  same number of units per inhabitant, except that nobody gets more than its claim; what
  a capped claimant cannot take is shared the same way among the others.

Givers are the municipalities above the horizon; they give only from stock in hand and
never below ``max(horizon, safety floor)`` days of their own use, so who among them gives
changes nobody's coverage within the horizon. Amounts are whole packs: shares are rounded
by the largest remainder, so a receiver ends within a pack of its exact share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from app.allocation.levels import (
    Targets,
    giver_shares,
    in_transfers,
    need_units,
    spare_units,
)
from app.allocation.model import Site


def proportional_packs(
    packs: int, weights: Mapping[str, float], caps: Mapping[str, float]
) -> dict[str, int]:
    """Largest-remainder split of ``packs`` in proportion to ``weights``, within caps.

    Sites whose proportional share exceeds their cap get the cap, and the rest is shared
    again among the others. Sites with zero weight get nothing.
    """
    result = dict.fromkeys(weights, 0)
    open_codes = {code for code, weight in weights.items() if weight > 0 and caps[code] > 0}
    left = packs
    while left > 0 and open_codes:
        total = sum(weights[code] for code in open_codes)
        exact = {code: left * weights[code] / total for code in open_codes}
        over = {code for code in open_codes if exact[code] >= caps[code] - result[code]}
        if not over:
            shares = _largest_remainder(left, exact)
            for code, share in shares.items():
                result[code] += share
            return result
        for code in sorted(over):
            take = int(caps[code] - result[code])
            result[code] += take
            left -= take
        open_codes -= over
    return result


def _largest_remainder(total: int, exact: Mapping[str, float]) -> dict[str, int]:
    """Floors of ``exact`` plus one to the largest remainders until they add up to ``total``."""
    floors = {code: math.floor(value) for code, value in exact.items()}
    missing = total - sum(floors.values())
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - floors[code]), code))
    for code in by_remainder[:missing]:
        floors[code] += 1
    return floors


def _share_in_transfers(
    spare_packs: int,
    weights: Mapping[str, float],
    caps: Mapping[str, int],
    min_packs: int,
) -> dict[str, int]:
    """Packs per receiver, leaving out receivers whose share is below the minimum transfer.

    The one with the smallest share (then the smallest code) drops out first, and the
    others share again, until every share is zero or at least ``min_packs``.
    """
    weights = dict(weights)
    while True:
        shares = proportional_packs(spare_packs, weights, caps)
        too_small = [code for code, packs in shares.items() if 0 < packs < min_packs]
        if not too_small:
            return {code: packs for code, packs in shares.items() if packs}
        del weights[min(too_small, key=lambda code: (shares[code], code))]


def shared_targets(
    sites: Sequence[Site],
    weight: Callable[[Site, float], float],
    *,
    horizon_days: float,
    safety_days: float,
    pack_size: int,
    min_transfer: int,
) -> Targets:
    """The targets when the spare above the horizon is shared in proportion to ``weight``.

    ``weight(site, need_units)`` is a receiver's weight (its need, or its population).
    ``level_days`` of the result is the lowest coverage the targets lead to, capped at the
    horizon.
    """
    capacity = {
        s.code: units
        for s in sites
        if (
            units := in_transfers(
                spare_units(s, horizon_days, safety_days), pack_size, min_transfer
            )
        )
    }
    needs = {s.code: need_units(s, horizon_days) for s in sites if s.code not in capacity}
    caps = {
        code: in_transfers(need, pack_size, min_transfer) // pack_size
        for code, need in needs.items()
    }
    by_code = {s.code: s for s in sites}
    weights = {code: weight(by_code[code], needs[code]) for code, cap in caps.items() if cap}
    spare_packs = sum(capacity.values()) // pack_size
    packs = _share_in_transfers(spare_packs, weights, caps, min_transfer // pack_size)
    receive = {code: count * pack_size for code, count in packs.items()}
    givers = [by_code[code] for code in capacity]
    give, window = giver_shares(
        givers, capacity, sum(receive.values()), horizon_days, safety_days, pack_size, min_transfer
    )
    after = [
        s.coverage(s.on_hand_and_incoming + receive.get(s.code, 0) - give.get(s.code, 0))
        for s in sites
    ]
    return Targets(pack_size, min_transfer, min([horizon_days, *after]), receive, give, window)


def by_need(site: Site, need: float) -> float:
    """The weight of a receiver under "proportional to need": its need in units."""
    return need


def by_population(site: Site, need: float) -> float:
    """The weight of a receiver under "per capita": its population.

    Raises ``ValueError`` when the site has no positive population.
    """
    if not site.population:
        raise ValueError(f"site {site.code!r}: per capita needs a positive population")
    return float(site.population)
