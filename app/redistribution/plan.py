"""A redistribution plan as numbers: checks, coverage before and after, shipments, shortage.

Pure (standard library and the engine's distance function): the services load a round's
frozen figures and a proposal version into these values, and the pages, the PDF documents
and the what-if comparison read the results. One definition for all of them.

Units: quantities in units (st, par, liter), use in units per day, coverage in days,
values in SEK, distances in whole km.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Key = tuple[int, int, int]  # material id, giver id, receiver id


@dataclass(frozen=True)
class PlanSite:
    """One municipality and material as the round froze them."""

    organisation_id: int
    material_id: int
    stock: int
    incoming: int
    daily_use: float

    def coverage(self, units: float) -> float:
        return math.inf if self.daily_use <= 0 else units / self.daily_use


@dataclass(frozen=True)
class PlanMaterial:
    """What the plan needs to know of a material: its pack size and compensation price."""

    material_id: int
    pack_size: int
    unit_price: Decimal


@dataclass(frozen=True)
class PlanTransfer:
    material_id: int
    giver_id: int
    receiver_id: int
    quantity: int

    @property
    def key(self) -> Key:
        return (self.material_id, self.giver_id, self.receiver_id)


@dataclass(frozen=True)
class Problem:
    """Something wrong with a plan; ``key`` names the transfer it concerns, if one."""

    code: str  # "packs", "below_zero", "below_floor", "unknown_site", "not_positive"
    material_id: int
    organisation_id: int | None
    key: Key | None = None


@dataclass(frozen=True)
class Coverage:
    """A municipality's days of supply in one material before and after the plan."""

    before: float
    after: float
    received: int
    given: int
    shortage_after: int  # units still missing for the horizon


@dataclass
class Shipment:
    """Everything one giver hands one receiver: one trip, several materials."""

    giver_id: int
    receiver_id: int
    km: int
    transfers: list[PlanTransfer] = field(default_factory=list)
    value: Decimal = Decimal(0)


@dataclass(frozen=True)
class Rules:
    """The round's limits: planning horizon and the givers' safety floor, in days."""

    horizon_days: int
    safety_days: int


def _sites_by_key(sites: Iterable[PlanSite]) -> dict[tuple[int, int], PlanSite]:
    return {(site.organisation_id, site.material_id): site for site in sites}


def _moved(transfers: Iterable[PlanTransfer]) -> tuple[dict, dict]:
    """Units received and given per (organisation, material)."""
    received: dict[tuple[int, int], int] = defaultdict(int)
    given: dict[tuple[int, int], int] = defaultdict(int)
    for t in transfers:
        received[(t.receiver_id, t.material_id)] += t.quantity
        given[(t.giver_id, t.material_id)] += t.quantity
    return received, given


def below_floor(site: PlanSite, given: int, safety_days: int) -> bool:
    """Whether giving ``given`` units leaves the giver with fewer than its safety floor of
    days, counting stock and confirmed incoming (the engine's rule)."""
    return site.stock + site.incoming - given < safety_days * site.daily_use - 1e-9


def check(sites: Iterable[PlanSite], materials: Mapping[int, PlanMaterial],
          transfers: Iterable[PlanTransfer], rules: Rules) -> list[Problem]:
    """Everything that makes a plan unacceptable: a quantity that is not positive or not whole
    packs, a giver or receiver the round does not know, a giver giving more than it has in
    hand, or going below its safety floor. An empty list means the plan holds.

    Conservation holds by construction: every unit given is received by someone.
    """
    transfers = list(transfers)
    by_key = _sites_by_key(sites)
    problems = []
    for t in transfers:
        if t.quantity <= 0:
            problems.append(Problem("not_positive", t.material_id, t.giver_id, t.key))
        elif t.quantity % materials[t.material_id].pack_size:
            problems.append(Problem("packs", t.material_id, t.giver_id, t.key))
        for org_id in (t.giver_id, t.receiver_id):
            if (org_id, t.material_id) not in by_key:
                problems.append(Problem("unknown_site", t.material_id, org_id, t.key))
    _, given = _moved(transfers)
    for (org_id, material_id), units in sorted(given.items()):
        site = by_key.get((org_id, material_id))
        if site is None:
            continue
        if units > site.stock:
            problems.append(Problem("below_zero", material_id, org_id))
        elif below_floor(site, units, rules.safety_days):
            problems.append(Problem("below_floor", material_id, org_id))
    return problems


def coverage(sites: Iterable[PlanSite], transfers: Iterable[PlanTransfer],
             rules: Rules) -> dict[tuple[int, int], Coverage]:
    """Per (organisation, material): days of supply before and after, and what is left short."""
    received, given = _moved(transfers)
    result = {}
    for site in sites:
        key = (site.organisation_id, site.material_id)
        units_before = site.stock + site.incoming
        units_after = units_before + received[key] - given[key]
        short = max(0, math.ceil(rules.horizon_days * site.daily_use - units_after - 1e-9))
        result[key] = Coverage(site.coverage(units_before), site.coverage(units_after),
                               received[key], given[key], short)
    return result


def shortage_by_material(cover: Mapping[tuple[int, int], Coverage]) -> dict[int, int]:
    """Units still missing for the horizon after the plan, per material, over the county."""
    totals: dict[int, int] = defaultdict(int)
    for (_, material_id), item in cover.items():
        totals[material_id] += item.shortage_after
    return dict(totals)


def value_of(transfer: PlanTransfer, materials: Mapping[int, PlanMaterial]) -> Decimal:
    """What the receiver owes the giver for the transfer, in SEK (to the öre)."""
    price = materials[transfer.material_id].unit_price
    return (Decimal(transfer.quantity) * price).quantize(Decimal("0.01"))


def shipments(transfers: Iterable[PlanTransfer], materials: Mapping[int, PlanMaterial],
              distance_km: Callable[[int, int], int]) -> list[Shipment]:
    """The plan's trips: transfers grouped by giver and receiver, with km and value."""
    grouped: dict[tuple[int, int], Shipment] = {}
    for t in sorted(transfers, key=lambda t: (t.giver_id, t.receiver_id, t.material_id)):
        pair = (t.giver_id, t.receiver_id)
        if pair not in grouped:
            grouped[pair] = Shipment(t.giver_id, t.receiver_id, distance_km(*pair))
        grouped[pair].transfers.append(t)
        grouped[pair].value += value_of(t, materials)
    return list(grouped.values())


@dataclass(frozen=True)
class Summary:
    """A plan in four figures, as the what-if comparison shows them."""

    shipments: int
    transfers: int
    km: int
    shortage_units: dict[int, int]
    value: Decimal


def summary(sites: Iterable[PlanSite], materials: Mapping[int, PlanMaterial],
            transfers: Iterable[PlanTransfer], rules: Rules,
            distance_km: Callable[[int, int], int]) -> Summary:
    transfers = list(transfers)
    trips = shipments(transfers, materials, distance_km)
    return Summary(len(trips), len(transfers), sum(trip.km for trip in trips),
                   shortage_by_material(coverage(sites, transfers, rules)),
                   sum((trip.value for trip in trips), Decimal(0)))


def changes(old: Iterable[PlanTransfer], new: Iterable[PlanTransfer]
            ) -> list[tuple[Key, int, int]]:
    """Lines that differ between two plans: (key, old quantity, new quantity), 0 for absent."""
    before = {t.key: t.quantity for t in old}
    after = {t.key: t.quantity for t in new}
    return [(key, before.get(key, 0), after.get(key, 0))
            for key in sorted(set(before) | set(after))
            if before.get(key, 0) != after.get(key, 0)]
