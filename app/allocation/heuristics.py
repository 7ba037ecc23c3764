"""Fast plans without a solver: the greedy baseline and a pair-reusing heuristic.

Both start from the amounts fixed by the level (:mod:`app.allocation.levels`) and only
decide who hands what to whom. The greedy baseline treats each material on its own:
largest remaining giver to largest remaining receiver. The pair-reusing heuristic treats
all materials of a round together and prefers giver -> receiver pairs that already carry
another material, so that one handover carries more. Its plan seeds the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.allocation.levels import Targets
from app.allocation.model import Transfer

Pair = tuple[str, str]


def _largest(remaining: Mapping[str, int]) -> str:
    """The code with the largest remaining amount (ties: the smallest code)."""
    return min(remaining, key=lambda code: (-remaining[code], code))


def _take(remaining: dict[str, int], code: str, amount: int, min_transfer: int) -> None:
    """Subtract ``amount``; forget the site once what is left is too small to hand over."""
    remaining[code] -= amount
    if remaining[code] < min_transfer:
        del remaining[code]


def _transfer(
    givers: dict[str, int], receivers: dict[str, int], pair: Pair, min_transfer: int
) -> Transfer:
    """Hand over as much as both sides of ``pair`` allow and update what remains."""
    giver, receiver = pair
    amount = min(givers[giver], receivers[receiver])
    _take(givers, giver, amount, min_transfer)
    _take(receivers, receiver, amount, min_transfer)
    return Transfer(giver, receiver, amount)


def greedy_plan(targets: Targets) -> list[Transfer]:
    """The baseline: largest remaining giver to largest remaining receiver."""
    givers, receivers = dict(targets.give), dict(targets.receive)
    transfers = []
    while givers and receivers:
        pair = (_largest(givers), _largest(receivers))
        transfers.append(_transfer(givers, receivers, pair, targets.min_transfer))
    return transfers


def _best_known_pair(
    known: Iterable[Pair], givers: Mapping[str, int], receivers: Mapping[str, int]
) -> Pair | None:
    """Among pairs already in use, the one that settles the most (exact matches first)."""
    best, best_key = None, None
    for giver, receiver in known:
        if giver in givers and receiver in receivers:
            amount = min(givers[giver], receivers[receiver])
            key = (givers[giver] == receivers[receiver], amount, giver, receiver)
            if best_key is None or key > best_key:
                best, best_key = (giver, receiver), key
    return best


def _new_pair(givers: Mapping[str, int], receivers: Mapping[str, int]) -> Pair:
    """The largest giver with a receiver it settles exactly, else the largest receiver."""
    giver = _largest(givers)
    exact = sorted(r for r, amount in receivers.items() if amount == givers[giver])
    return giver, exact[0] if exact else _largest(receivers)


def _participants(targets: Targets) -> int:
    return len(targets.give) + len(targets.receive)


def pair_reusing_plan(targets: Mapping[str, Targets]) -> dict[str, list[Transfer]]:
    """Plans for all materials that reuse giver -> receiver pairs wherever they can.

    Materials with the most participants go first, so later ones find many pairs to join.
    """
    known: set[Pair] = set()
    plans: dict[str, list[Transfer]] = {}
    for material in sorted(targets, key=lambda m: (-_participants(targets[m]), m)):
        target = targets[material]
        givers, receivers = dict(target.give), dict(target.receive)
        transfers = []
        while givers and receivers:
            pair = _best_known_pair(known, givers, receivers) or _new_pair(givers, receivers)
            transfers.append(_transfer(givers, receivers, pair, target.min_transfer))
        known.update((t.giver, t.receiver) for t in transfers)
        plans[material] = transfers
    return {material: plans[material] for material in targets}


def count_shipments(plans: Mapping[str, Iterable[Transfer]]) -> int:
    """Distinct giver -> receiver pairs over all materials."""
    return len({(t.giver, t.receiver) for transfers in plans.values() for t in transfers})
