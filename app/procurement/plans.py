"""The arithmetic of pooled orders, pure: how a delivery is split, and when goods are due.

No database and no Flask here, only the allocation engine, so the rules can be tested
alone (with Hypothesis) and the services just convert rows to these values and back.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from app.allocation import EQUAL_DAYS, Site, split_delivery
from app.allocation.split import proportional_packs


@dataclass(frozen=True)
class Participant:
    """One committed organisation as the split sees it.

    ``site`` carries its stock, incoming and daily use (its code is the participant's key);
    ``remaining`` is what it committed and has not received yet (units); ``reported`` is
    False when the organisation has no situation report (the region, or a municipality
    that has not reported), and its site is then an assumption (see :func:`participant`).
    """

    site: Site
    remaining: int
    reported: bool = True

    @property
    def code(self) -> str:
        return self.site.code


def participant(code: str, remaining: int, horizon_days: int, site: Site | None,
                assumed_days: float = 0.0) -> Participant:
    """A participant from its reported site or, without one, an assumed site.

    The assumption neither favours nor punishes an organisation without a report: it uses
    its remaining commitment over the horizon (so it needs that much to reach the horizon)
    and has ``assumed_days`` of supply, normally the average of those who reported.
    """
    if site is not None:
        return Participant(replace(site, code=code), remaining)
    use = remaining / horizon_days if horizon_days > 0 else 0.0
    stock = round(use * max(assumed_days, 0.0))
    return Participant(Site(code=code, stock=stock, daily_use=use), remaining, reported=False)


def average_days(sites: Sequence[Site]) -> float:
    """The mean days of supply of the sites that use anything (0 when none does)."""
    days = [site.coverage() for site in sites if site.daily_use > 0]
    return sum(days) / len(days) if days else 0.0


@dataclass(frozen=True)
class SplitProposal:
    """Units per participant code, and what is left when every commitment is met."""

    shares: dict[str, int]
    undistributed: int


def propose_split(received: int, participants: Sequence[Participant],
                  pack_size: int) -> SplitProposal:
    """Split ``received`` units by equal days of supply, in whole packs, never above a
    participant's remaining commitment.

    Whole packs first; the loose units of a last opened pack (when ``received`` is not a
    whole number of packs) are then split the same way, unit by unit. Everything is
    distributed unless every remaining commitment is met; the rest is ``undistributed``.
    Raises ValueError for a negative ``received`` or ``pack_size`` < 1.
    """
    if received < 0:
        raise ValueError(f"received must be >= 0, got {received}")
    if pack_size < 1:
        raise ValueError(f"pack_size must be at least 1, got {pack_size}")
    if not participants:
        return SplitProposal({}, received)
    sites = [p.site for p in participants]
    caps = {p.code: max(p.remaining, 0) for p in participants}
    whole = received - received % pack_size
    shares = split_delivery(whole, sites, caps=caps, pack_size=pack_size, principle=EQUAL_DAYS)
    loose = received - sum(shares.values())
    if loose:
        after = [replace(s, incoming=s.incoming + shares[s.code]) for s in sites]
        left = {code: caps[code] - shares[code] for code in caps}
        extra = split_delivery(loose, after, caps=left, pack_size=1, principle=EQUAL_DAYS)
        shares = {code: shares[code] + extra[code] for code in shares}
    return SplitProposal(shares, received - sum(shares.values()))


def coverage_after(p: Participant, share: int) -> float:
    """Days of supply after receiving ``share`` (infinite for no use)."""
    return p.site.coverage(p.site.on_hand_and_incoming + share)


@dataclass(frozen=True)
class Expected:
    """Units an organisation still expects from an order on one date."""

    key: int
    expected_on: date
    quantity: int


def expected_schedule(schedule: Sequence[tuple[date, int]], delivered: int,
                      remaining: Mapping[int, int]) -> list[Expected]:
    """When each organisation's remaining commitment is due, from the supplier's schedule.

    ``schedule`` lists (date, units) promised; the first ``delivered`` units fill the
    earliest entries. Each organisation's remaining units are spread over the entries not
    yet delivered in proportion to their size (largest remainders), or, when the schedule
    is used up but units are still missing, all on its last date (they are late).
    """
    ordered = sorted(schedule)
    left, due = delivered, []
    for on, quantity in ordered:
        used = min(left, quantity)
        left -= used
        if quantity - used > 0:
            due.append((on, quantity - used))
    if not due and ordered:
        due = [(ordered[-1][0], 1)]
    result = []
    for key, units in sorted(remaining.items()):
        if units <= 0 or not due:
            continue
        weights = {str(index): float(quantity) for index, (_, quantity) in enumerate(due)}
        parts = proportional_packs(units, weights, dict.fromkeys(weights, math.inf))
        result.extend(Expected(key, due[int(index)][0], part)
                      for index, part in sorted(parts.items(), key=lambda kv: int(kv[0]))
                      if part > 0)
    return result
