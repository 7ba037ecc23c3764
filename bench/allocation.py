"""Benchmark of the allocation engine on realistic rounds: ``python -m bench.allocation``.

Builds one round per county (every municipality in the project's copy of
``app/data/kommuner.csv``, 13 materials from ``app/data/materials.csv``) and a national
round (all 290 municipalities as one pool), solves each with :func:`redistribute_all` at
the default time limit and prints, per case, the build and solve time, the level reached
per material, transfers and shipments, and the greedy baseline's transfers and
shipments. Daily use is proportional to population; stock is drawn so that some
municipalities have 0-5 days of supply and others 30 or more, the same ones tending to be
short in most materials (a seeded random generator, so every run builds the same cases).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from app.allocation import Plan, Site, redistribute_all

DATA = Path(__file__).resolve().parent.parent / "app" / "data"
SEED = 2026
HORIZON_DAYS = 21.0
SAFETY_DAYS = 3.0

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
            sites.append(Site(m.code, int(use * days), use, incoming))
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
    cases = [
        Case(county, build_round(by_county[county], codes, rng), packs)
        for county in sorted(by_county)
    ]
    cases.append(Case("Sverige (nationellt)", build_round(municipalities, codes, rng), packs))
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
    gap: float


def run_case(case: Case, time_limit_s: float) -> Result:
    began = time.perf_counter()
    plans: dict[str, Plan] = redistribute_all(
        case.materials,
        horizon_days=HORIZON_DAYS,
        safety_days=SAFETY_DAYS,
        min_transfer=case.pack_size,
        pack_size=case.pack_size,
        time_limit_s=time_limit_s,
    )
    solve_s = time.perf_counter() - began
    stats = next(iter(plans.values())).stats
    assert stats is not None
    return Result(
        case.name,
        len(next(iter(case.materials.values()))),
        0.0,
        solve_s,
        [plan.level_days for plan in plans.values()],
        stats.transfers,
        stats.shipments,
        stats.greedy_transfers,
        stats.greedy_shipments,
        next(iter(plans.values())).status + ("*" if stats.wall_clock_stopped else ""),
        stats.gap,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--only", help="run only cases whose name contains this text")
    args = parser.parse_args()
    began = time.perf_counter()
    cases = build_cases()
    build_s = (time.perf_counter() - began) / len(cases)
    print(
        f"{'case':28} {'sites':>5} {'solve s':>7} {'levels (days) min/median/max':>30} "
        f"{'transfers':>9} {'greedy':>6} {'ships':>5} {'greedy':>6} {'fewer':>6} status   gap"
    )
    reductions = []
    for case in cases:
        if args.only and args.only not in case.name:
            continue
        r = run_case(case, args.time_limit)
        fewer = 1 - r.shipments / r.greedy_shipments if r.greedy_shipments else 0.0
        if case.name != "Sverige (nationellt)":
            reductions.append(fewer)
        levels = f"{min(r.levels):.1f}/{statistics.median(r.levels):.1f}/{max(r.levels):.1f}"
        print(
            f"{r.case:28} {r.sites:5} {r.solve_s:7.2f} {levels:>30} {r.transfers:9} "
            f"{r.greedy_transfers:6} {r.shipments:5} {r.greedy_shipments:6} {fewer:6.1%} "
            f"{r.status:8} {r.gap:.3f}",
            flush=True,
        )
    print(f"build time per case {build_s * 1000:.1f} ms")
    if reductions:
        print(f"mean shipment reduction over counties: {statistics.mean(reductions):.1%}")


if __name__ == "__main__":
    main()
