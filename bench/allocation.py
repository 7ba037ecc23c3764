"""Benchmark of the allocation engine on realistic rounds: ``python -m bench.allocation``.

Builds one round per county (every municipality in the project's copy of
``app/data/kommuner.csv``, 13 materials from ``app/data/materials.csv``) and a national
round (all 290 municipalities as one pool), solves each with :func:`redistribute_all` at
the default time limit (``--round``: the web app's 20 s budget of a round, counties only)
and prints, per case, the build and solve time, the level reached per material,
transfers and shipments, the greedy baseline's transfers and shipments, the proven lower
bound on shipments and the gap. ``--plans FILE`` writes every plan as JSON, to compare
two runs; ``--principle`` picks the allocation principle (default equal days of supply).
Daily use is proportional to population; stock is drawn so that some municipalities have
0-5 days of supply and others 30 or more, the same ones tending to be short in most
materials (a seeded random generator, so every run builds the same cases).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from app.allocation import EQUAL_DAYS, REDISTRIBUTION_PRINCIPLES, Plan, Site, redistribute_all
from app.allocation.model import trip_km

DATA = Path(__file__).resolve().parent.parent / "app" / "data"
SEED = 2026
HORIZON_DAYS = 21.0
SAFETY_DAYS = 3.0
NATIONAL = "Sverige (nationellt)"
ROUND_TIME_LIMIT_S = 20.0

# Use per 1000 inhabitants per day and pack size, by material code: rough figures for
# municipal care (the benchmark needs realistic orders of magnitude, not exact ones).
USE_PER_1000 = {
    "MUNSKYDD_IIR": (20.0, 50),
    "ANDNINGSSKYDD_FFP2": (2.0, 20),
    "ANDNINGSSKYDD_FFP3": (0.3, 10),
    "VISIR": (1.0, 10),
    "SKYDDSGLASOGON": (0.2, 1),
    "SKYDDSROCK": (5.0, 10),
    "FORKLADE_LANGARMAT": (5.0, 100),
    "FORKLADE_KORTARMAT": (10.0, 100),
    "HANDSKAR_UNDERSOKNING": (60.0, 50),
    "HANDDESINFEKTION": (0.2, 1),
    "YTDESINFEKTION": (0.1, 1),
    "PROVTAGNING_PCR": (1.0, 25),
    "ANTIGENTEST": (2.0, 25),
}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Case:
    name: str
    materials: dict[str, list[Site]]
    pack_size: dict[str, int]
    locations: dict[str, tuple[float, float]]
    build_s: float


def load_municipalities() -> list[Municipality]:
    with (DATA / "kommuner.csv").open(encoding="utf-8") as handle:
        return [
            Municipality(
                row["kommunkod"],
                row["kommun"],
                row["lan"],
                int(row["folkmangd"]),
                float(row["lat"]),
                float(row["lon"]),
            )
            for row in csv.DictReader(handle)
        ]


def load_material_codes() -> list[str]:
    with (DATA / "materials.csv").open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def _situation_days(rng: random.Random) -> float:
    """A municipality's typical days of supply: short, middling or well stocked."""
    draw = rng.random()
    if draw < 0.35:
        return rng.uniform(0.0, 5.0)
    if draw < 0.75:
        return rng.uniform(8.0, 25.0)
    return rng.uniform(30.0, 60.0)


def build_round(
    municipalities: list[Municipality], codes: list[str], rng: random.Random
) -> dict[str, list[Site]]:
    """Sites per material: use by population, days mostly following the municipality's situation."""
    situation = {m.code: _situation_days(rng) for m in municipalities}
    materials: dict[str, list[Site]] = {}
    for code in codes:
        per_1000, _ = USE_PER_1000[code]
        sites = []
        for m in municipalities:
            use = round(m.population * per_1000 / 1000, 2)
            days = situation[m.code] if rng.random() < 0.8 else _situation_days(rng)
            days *= rng.uniform(0.8, 1.2)
            incoming = int(use * rng.uniform(0, 7)) if rng.random() < 0.2 else 0
            sites.append(Site(m.code, int(use * days), use, incoming, m.population))
        materials[code] = sites
    return materials


def build_cases() -> list[Case]:
    """One case per county (sorted by name) and the national case, same seed every run."""
    municipalities = load_municipalities()
    codes = load_material_codes()
    packs = {code: USE_PER_1000[code][1] for code in codes}
    rng = random.Random(SEED)
    by_county: dict[str, list[Municipality]] = defaultdict(list)
    for m in municipalities:
        by_county[m.county].append(m)
    groups = [(county, by_county[county]) for county in sorted(by_county)]
    groups.append((NATIONAL, municipalities))
    cases = []
    for name, members in groups:
        began = time.perf_counter()
        materials = build_round(members, codes, rng)
        locations = {m.code: (m.lat, m.lon) for m in members}
        cases.append(Case(name, materials, packs, locations, time.perf_counter() - began))
    return cases


@dataclass(frozen=True)
class Result:
    case: str
    sites: int
    build_s: float
    solve_s: float
    levels: list[float]
    transfers: int
    shipments: int
    greedy_transfers: int
    greedy_shipments: int
    status: str
    bound: int
    gap: float
    trip_km: int
    solver_s: float
    moves: dict[str, list[tuple[str, str, int]]]


def run_case(
    case: Case, time_limit_s: float, use_locations: bool = True, principle: str = EQUAL_DAYS
) -> Result:
    """Solve one case with :func:`redistribute_all` and collect what the table shows."""
    began = time.perf_counter()
    plans: dict[str, Plan] = redistribute_all(
        case.materials,
        horizon_days=HORIZON_DAYS,
        safety_days=SAFETY_DAYS,
        min_transfer=case.pack_size,
        pack_size=case.pack_size,
        time_limit_s=time_limit_s,
        locations=case.locations if use_locations else None,
        principle=principle,
    )
    solve_s = time.perf_counter() - began
    first = next(iter(plans.values()))
    stats = first.stats
    assert stats is not None
    distance = trip_km(case.locations)
    pairs = {(t.giver, t.receiver) for plan in plans.values() for t in plan.transfers}
    return Result(
        case=case.name,
        sites=len(case.locations),
        build_s=case.build_s,
        solve_s=solve_s,
        levels=[plan.level_days for plan in plans.values()],
        transfers=stats.transfers,
        shipments=stats.shipments,
        greedy_transfers=stats.greedy_transfers,
        greedy_shipments=stats.greedy_shipments,
        status=first.status + ("*" if stats.wall_clock_stopped else ""),
        bound=stats.shipment_bound,
        gap=stats.gap,
        trip_km=sum(distance(*pair) for pair in pairs),
        solver_s=stats.wall_time_s,
        moves={
            material: [(t.giver, t.receiver, t.quantity) for t in plan.transfers]
            for material, plan in plans.items()
        },
    )


HEADER = (
    f"{'case':22} {'sites':>5} {'build':>6} {'total s':>7} {'solver':>6} "
    f"{'level days min/med/max':>22} {'transf':>6} {'greedy':>6} {'ships':>5} "
    f"{'greedy':>6} {'fewer':>6} {'km':>6} status    {'bound':>5}   gap"
)


def format_row(r: Result) -> str:
    """One line of the results table."""
    fewer = 1 - r.shipments / r.greedy_shipments if r.greedy_shipments else 0.0
    levels = f"{min(r.levels):.1f}/{statistics.median(r.levels):.1f}/{max(r.levels):.1f}"
    return (
        f"{r.case[:22]:22} {r.sites:5} {r.build_s * 1000:4.1f}ms {r.solve_s:7.2f} "
        f"{r.solver_s:6.2f} {levels:>22} {r.transfers:6} {r.greedy_transfers:6} "
        f"{r.shipments:5} {r.greedy_shipments:6} {fewer:6.1%} {r.trip_km:6} "
        f"{r.status:9} {r.bound:5} {r.gap:.3f}"
    )


def _reductions(counties: list[Result]) -> list[float]:
    """Shipments saved against greedy per county; nothing to move (Gotland) counts as 0 %."""
    return [1 - r.shipments / r.greedy_shipments if r.greedy_shipments else 0.0 for r in counties]


def check_targets(results: list[Result]) -> list[str]:
    """The targets at the default 2 s budget, each with a verdict."""
    counties = [r for r in results if r.case != NATIONAL]
    national = [r for r in results if r.case == NATIONAL]
    lines = []
    if counties:
        mean = statistics.mean(_reductions(counties))
        checks = [
            ("every county within 3 s", all(r.solve_s <= 3.0 for r in counties)),
            (
                "counties of up to 8 municipalities proven optimal within 1 s",
                all(r.status == "optimal" and r.solve_s <= 1.0 for r in counties if r.sites <= 8),
            ),
            (
                f"mean shipment reduction over {len(counties)} counties {mean:.1%} >= 35 %",
                mean >= 0.35,
            ),
            (
                "never more shipments than the greedy baseline",
                all(r.shipments <= r.greedy_shipments for r in counties),
            ),
        ]
        lines += [f"{'PASS' if ok else 'FAIL'}  {text}" for text, ok in checks]
    if national:
        ok = national[0].solve_s <= 30.0
        lines.append(f"{'PASS' if ok else 'FAIL'}  national case within 30 s")
    return lines


def check_round_targets(results: list[Result]) -> list[str]:
    """The targets at the round's 20 s budget, each with a verdict."""
    counties = [r for r in results if r.case != NATIONAL]
    if not counties:
        return []
    reductions = _reductions(counties)
    worst = min(zip(reductions, (r.case for r in counties), strict=True))
    widest = max(counties, key=lambda r: r.gap)
    checks = [
        (
            f"mean shipment reduction over {len(counties)} counties "
            f"{statistics.mean(reductions):.1%} >= 40 % (least: {worst[1]} {worst[0]:.1%})",
            statistics.mean(reductions) >= 0.40,
        ),
        (
            "never more shipments than the greedy baseline",
            all(r.shipments <= r.greedy_shipments for r in counties),
        ),
        (
            f"every gap below 25 % (widest: {widest.case} {widest.gap:.1%})",
            all(r.gap < 0.25 for r in counties),
        ),
        (
            "the wall-clock safety net never fired",
            not any(r.status.endswith("*") for r in counties),
        ),
    ]
    return [f"{'PASS' if ok else 'FAIL'}  {text}" for text, ok in checks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument(
        "--round",
        action="store_true",
        help=f"the counties at the round's budget ({ROUND_TIME_LIMIT_S:.0f} s) and its targets",
    )
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument(
        "--no-locations", action="store_true", help="do not break ties by trip length"
    )
    parser.add_argument("--plans", help="write every case's transfers to this JSON file")
    parser.add_argument("--principle", choices=REDISTRIBUTION_PRINCIPLES, default=EQUAL_DAYS)
    args = parser.parse_args()
    time_limit = ROUND_TIME_LIMIT_S if args.round else args.time_limit
    print(HEADER)
    results = []
    for case in build_cases():
        if args.only and args.only not in case.name or args.round and case.name == NATIONAL:
            continue
        results.append(run_case(case, time_limit, not args.no_locations, args.principle))
        print(format_row(results[-1]), flush=True)
    checks = check_round_targets(results) if args.round else check_targets(results)
    print("\n".join(checks))
    if args.plans:
        with open(args.plans, "w", encoding="utf-8") as handle:
            json.dump({r.case: r.moves for r in results}, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
