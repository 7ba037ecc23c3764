"""Splitting a delivery between municipalities: :func:`split_delivery`.

Two principles, chosen by the county: "equal days of supply" (the default: the
municipality with the fewest days of supply is served first, like water filling the
lowest vessels) and "proportional to need" (each gets the same fraction of what it lacks
to reach the horizon).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

from app.allocation.levels import highest_accepted
from app.allocation.model import Site, validate_sites
from app.allocation.principles import EQUAL_DAYS, PROPORTIONAL_TO_NEED
from app.allocation.rationing import proportional_packs

# The principles a delivery can be split by (per capita applies to redistribution only).
PRINCIPLES = (EQUAL_DAYS, PROPORTIONAL_TO_NEED)
_EPS = 1e-9


def split_delivery(
    quantity: int,
    sites: Sequence[Site],
    *,
    caps: Mapping[str, int] | None = None,
    pack_size: int = 1,
    principle: str = EQUAL_DAYS,
    horizon_days: float | None = None,
) -> dict[str, int]:
    """Split a delivery of ``quantity`` units into whole packs of ``pack_size`` units.

    "Equal days of supply" (leximin / water-filling, the default): packs go one by one to
    the municipality that currently has the fewest days of supply (stock + incoming + what
    it got so far, divided by its daily use; ties go to the smallest code), so that after
    the split the days of supply are as equal as the packs allow and the worst-off is as
    well off as possible. Nobody gets
    more than its ``caps`` entry (units; e.g. its remaining commitment in a pooled order).
    Everything is allocated unless every site is at its cap. A site that uses nothing gets
    something only when every other site is capped.

    "Proportional to need": each municipality gets ``quantity * need / total need``, where
    need is what it lacks to reach ``horizon_days`` of supply, rounded to packs by the
    largest-remainder method (caps respected; what a capped site cannot take goes to the
    others in proportion to their need).

    Returns units per site code (every code present, 0 for none). Raises ``ValueError`` for
    invalid sites, a negative ``quantity`` or one that is not a whole number of packs,
    ``pack_size`` < 1, negative caps or caps for unknown codes, an unknown principle, or
    proportional-to-need without a positive ``horizon_days``.
    """
    validate_sites(sites)
    caps_in_packs = _caps_in_packs(sites, caps, pack_size)
    if quantity < 0 or quantity % pack_size:
        raise ValueError(f"quantity must be a whole number of packs of {pack_size}, got {quantity}")
    packs = quantity // pack_size
    if principle == EQUAL_DAYS:
        result = _equal_days(packs, sites, caps_in_packs, pack_size)
    elif principle == PROPORTIONAL_TO_NEED:
        if horizon_days is None or not horizon_days > 0:
            raise ValueError("proportional_to_need needs a positive horizon_days")
        needs = {
            s.code: max(0.0, horizon_days * s.daily_use - s.on_hand_and_incoming) for s in sites
        }
        result = proportional_packs(packs, needs, caps_in_packs)
    else:
        raise ValueError(f"unknown principle {principle!r}; choose one of {', '.join(PRINCIPLES)}")
    return {s.code: result[s.code] * pack_size for s in sites}


def _caps_in_packs(
    sites: Sequence[Site], caps: Mapping[str, int] | None, pack_size: int
) -> dict[str, float]:
    """Each site's cap in whole packs (infinite when it has none)."""
    if pack_size < 1:
        raise ValueError(f"pack_size must be at least 1, got {pack_size}")
    caps = caps or {}
    codes = {s.code for s in sites}
    unknown = sorted(set(caps) - codes)
    if unknown:
        raise ValueError(f"caps name unknown site codes: {', '.join(unknown)}")
    if any(cap < 0 for cap in caps.values()):
        raise ValueError("caps must be >= 0")
    return {code: caps[code] // pack_size if code in caps else math.inf for code in codes}


def _equal_days(
    packs: int, sites: Sequence[Site], caps: Mapping[str, float], pack: int
) -> dict[str, int]:
    """Leximin split: lift the lowest coverage first, then sites with no use round-robin."""
    users = [s for s in sites if s.daily_use > 0]
    result = _lift_lowest(packs, users, caps, pack)
    left = packs - sum(result.values())
    idle = sorted(s.code for s in sites if s.daily_use == 0)
    result.update(_round_robin(left, idle, caps))
    return result


def _packs_below(site: Site, days: float, cap: float, pack: int) -> int:
    """Packs the site gets while its coverage is strictly below ``days`` (within its cap)."""
    slots = math.ceil((days * site.daily_use - site.on_hand_and_incoming) / pack - _EPS)
    return int(min(cap, max(0, slots)))


def _lift_lowest(
    packs: int, users: Sequence[Site], caps: Mapping[str, float], pack: int
) -> dict[str, int]:
    """Packs one by one to the site with the fewest days of supply (ties: smallest code).

    Served coverages only grow, so the one-by-one order is the same as serving every
    (site, pack) slot by the coverage the site has when it gets that pack. Bisection finds
    the threshold below which all slots fit; a heap hands out the few remaining packs.
    """
    if not users:
        return {}
    most_days = max(s.coverage() for s in users) + packs * pack / min(s.daily_use for s in users)
    low = highest_accepted(
        lambda days: sum(_packs_below(s, days, caps[s.code], pack) for s in users) <= packs,
        0.0,
        most_days,
    )
    # Slots just below the threshold are left to the heap, which breaks ties exactly.
    below = low - _EPS * (1 + low)
    result = {s.code: _packs_below(s, below, caps[s.code], pack) for s in users}
    left = packs - sum(result.values())
    queue = [
        (s.coverage(s.on_hand_and_incoming + result[s.code] * pack), s.code, s)
        for s in users
        if result[s.code] < caps[s.code]
    ]
    heapq.heapify(queue)
    while left > 0 and queue:
        _, code, site = heapq.heappop(queue)
        result[code] += 1
        left -= 1
        if result[code] < caps[code]:
            after = site.coverage(site.on_hand_and_incoming + result[code] * pack)
            heapq.heappush(queue, (after, code, site))
    return result


def _round_robin(packs: int, codes: Sequence[str], caps: Mapping[str, float]) -> dict[str, int]:
    """One pack at a time to each site in turn, skipping capped ones."""
    result = dict.fromkeys(codes, 0)
    open_codes = [code for code in codes if caps[code] > 0]
    while packs > 0 and open_codes:
        share = max(1, packs // len(open_codes))
        for code in list(open_codes):
            take = int(min(share, packs, caps[code] - result[code]))
            result[code] += take
            packs -= take
            if result[code] >= caps[code]:
                open_codes.remove(code)
    return result
