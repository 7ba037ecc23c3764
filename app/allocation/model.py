"""Values that go in and out of the allocation engine.

Everything here is a frozen dataclass or a plain function of them: no database rows, no
Flask. A service converts its rows to :class:`Site` values, calls the engine and stores
the :class:`Plan` it gets back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Site:
    """One material at one municipality.

    ``stock`` is what is in hand (units), ``incoming`` what is ordered but not yet
    delivered (units), ``daily_use`` the expected use in units per day. Coverage, in days,
    is (stock + incoming) / daily_use; a site with no daily use needs nothing.
    ``population`` (inhabitants) is needed only by the per-capita principle.
    """

    code: str
    stock: int
    daily_use: float
    incoming: int = 0
    population: int | None = None

    @property
    def on_hand_and_incoming(self) -> int:
        """Units the site will have without any transfer."""
        return self.stock + self.incoming

    def coverage(self, amount: float | None = None) -> float:
        """Days of supply for ``amount`` units (default: its own stock + incoming)."""
        units = self.on_hand_and_incoming if amount is None else amount
        return math.inf if self.daily_use == 0 else units / self.daily_use


@dataclass(frozen=True)
class Transfer:
    """A handover of ``quantity`` units from ``giver`` to ``receiver`` (municipality codes)."""

    giver: str
    receiver: str
    quantity: int
    reason: str = field(default="", compare=False)


@dataclass(frozen=True)
class SiteOutcome:
    """One site's coverage in days before and after a plan (``inf`` when it uses nothing)."""

    code: str
    before_days: float
    after_days: float
    received: int
    given: int


@dataclass(frozen=True)
class SolveStats:
    """How the solver got to a plan, for the curious coordinator and for the benchmark.

    Counts are over all materials solved together. ``shipment_bound`` is a proven lower
    bound on the number of shipments and ``gap`` = (shipments - bound) / shipments;
    ``wall_clock_stopped`` tells that the wall-clock safety net, not the deterministic
    budget, ended the search (the plan is valid but may differ between runs).
    """

    transfers: int
    shipments: int
    shipment_bound: int
    gap: float
    greedy_transfers: int
    greedy_shipments: int
    solver_status: str
    wall_time_s: float
    candidate_pairs: int
    wall_clock_stopped: bool


@dataclass(frozen=True)
class Plan:
    """A proposed redistribution of one material.

    ``level_days`` is the days of supply reached by the worst-off municipality (capped at
    the horizon); ``target_level_days`` the water-filling level the plan aims at (under
    proportional to need and per capita: the lowest coverage the amounts lead to, capped
    at the horizon); ``status`` is ``"optimal"`` when the fewest shipments are proven (by
    the solver, or because they reach the proven lower bound) or ``"feasible"`` (the time
    limit stopped the search with a valid plan).
    """

    transfers: list[Transfer]
    level_days: float
    status: str
    target_level_days: float = 0.0
    outcomes: tuple[SiteOutcome, ...] = ()
    stats: SolveStats | None = None

    @property
    def quantity_moved(self) -> int:
        """Total units moved by the plan."""
        return sum(t.quantity for t in self.transfers)


def received_units(transfers: Iterable[Transfer]) -> dict[str, int]:
    """Units each receiver gets from ``transfers``."""
    totals: dict[str, int] = {}
    for t in transfers:
        totals[t.receiver] = totals.get(t.receiver, 0) + t.quantity
    return totals


def given_units(transfers: Iterable[Transfer]) -> dict[str, int]:
    """Units each giver hands over in ``transfers``."""
    totals: dict[str, int] = {}
    for t in transfers:
        totals[t.giver] = totals.get(t.giver, 0) + t.quantity
    return totals


def validate_sites(sites: Sequence[Site]) -> None:
    """Raise ``ValueError`` for stock or incoming that is not a whole number >= 0, a
    negative or non-finite daily use, a population that is not a whole number >= 0, or
    duplicate codes."""
    seen: set[str] = set()
    for site in sites:
        if not isinstance(site, Site):
            raise ValueError(f"expected Site values, got {type(site).__name__}")
        if site.code in seen:
            raise ValueError(f"duplicate site code {site.code!r}")
        seen.add(site.code)
        if not (isinstance(site.stock, int) and isinstance(site.incoming, int)):
            raise ValueError(f"site {site.code!r}: stock and incoming must be whole units")
        if site.stock < 0 or site.incoming < 0:
            raise ValueError(f"site {site.code!r}: stock and incoming must be >= 0")
        if not math.isfinite(site.daily_use) or site.daily_use < 0:
            raise ValueError(f"site {site.code!r}: daily_use must be a finite number >= 0")
        if site.population is not None and not (
            isinstance(site.population, int) and site.population >= 0
        ):
            raise ValueError(f"site {site.code!r}: population must be a whole number >= 0")


def validate_packing(pack_size: int, min_transfer: int, what: str = "") -> None:
    """Raise ``ValueError`` unless pack_size >= 1 and min_transfer is a positive multiple."""
    label = f" for {what}" if what else ""
    if pack_size < 1:
        raise ValueError(f"pack_size{label} must be at least 1, got {pack_size}")
    if min_transfer < 1 or min_transfer % pack_size:
        raise ValueError(
            f"min_transfer{label} must be a positive multiple of pack_size {pack_size}, "
            f"got {min_transfer}"
        )


def validate_horizon(horizon_days: float, safety_days: float) -> None:
    """Raise ``ValueError`` unless 0 <= safety_days and 0 < horizon_days (both finite)."""
    if not (math.isfinite(horizon_days) and horizon_days > 0):
        raise ValueError(f"horizon_days must be a positive number, got {horizon_days}")
    if not (math.isfinite(safety_days) and safety_days >= 0):
        raise ValueError(f"safety_days must be a number >= 0, got {safety_days}")


def site_outcomes(sites: Iterable[Site], transfers: Iterable[Transfer]) -> tuple[SiteOutcome, ...]:
    """Each site's coverage before and after ``transfers``."""
    received: dict[str, int] = {}
    given: dict[str, int] = {}
    for t in transfers:
        received[t.receiver] = received.get(t.receiver, 0) + t.quantity
        given[t.giver] = given.get(t.giver, 0) + t.quantity
    outcomes = []
    for site in sites:
        got, gave = received.get(site.code, 0), given.get(site.code, 0)
        after = site.on_hand_and_incoming + got - gave
        outcomes.append(SiteOutcome(site.code, site.coverage(), site.coverage(after), got, gave))
    return tuple(outcomes)


def worst_off_days(outcomes: Iterable[SiteOutcome], horizon_days: float) -> float:
    """Lowest coverage after the plan, capped at the horizon."""
    return min((min(o.after_days, horizon_days) for o in outcomes), default=horizon_days)


EARTH_RADIUS_KM = 6371.0


def trip_km(locations: Mapping[str, tuple[float, float]]) -> Callable[[str, str], int]:
    """A function giving the great-circle distance in whole km between two site codes.

    ``locations`` maps codes to (latitude, longitude) in degrees; a code without a
    location counts as 0 km away, so it never wins or loses a tie. Raises ``ValueError``
    for coordinates that are not finite latitudes and longitudes.
    """
    for code, (lat, lon) in locations.items():
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also False for NaN
            raise ValueError(f"location of {code!r} is not a (latitude, longitude) in degrees")

    def distance(first: str, second: str) -> int:
        if first not in locations or second not in locations:
            return 0
        (lat1, lon1), (lat2, lon2) = locations[first], locations[second]
        phi1, phi2 = math.radians(lat1), math.radians(lat2)
        dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
        h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
        return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)))

    return distance
