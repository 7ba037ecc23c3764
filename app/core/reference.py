"""Reference data shipped in ``app/data``: counties, organisations and the material catalogue.

Loading is idempotent: existing rows (matched on their natural key) are left as they are.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

import sqlalchemy as sa

from app.core import audit
from app.core.models import County, Material, Organisation, OrgKind
from app.extensions import db

NATIONAL_BOARD_NAME = "Socialstyrelsen"


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``app/data/<name>`` as dictionaries."""
    text = resources.files("app.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    county_code: str
    population: int
    latitude: float
    longitude: float


@cache
def municipality_rows() -> tuple[MunicipalityRow, ...]:
    """All 290 municipalities from ``kommuner.csv``."""
    return tuple(
        MunicipalityRow(row["kommunkod"], row["kommun"], row["lanskod"], int(row["folkmangd"]),
                        float(row["lat"]), float(row["lon"]))
        for row in read_data_csv("kommuner.csv")
    )


def _add(instance: County | Organisation | Material, entity_type: str) -> None:
    """Insert a reference row and audit its creation."""
    db.session.add(instance)
    db.session.flush()
    key = instance.code if isinstance(instance, County) else instance.id
    name = instance.name_sv if isinstance(instance, Material) else instance.name
    audit.record(f"{entity_type}.create", entity_type, key, after={"name": name})


def load_counties() -> dict[str, County]:
    existing = {c.code: c for c in db.session.scalars(sa.select(County))}
    for row in read_data_csv("lan.csv"):
        if row["lanskod"] not in existing:
            county = County(code=row["lanskod"], name=row["lan"])
            _add(county, "county")
            existing[county.code] = county
    return existing


def _organisations_by_key() -> dict[tuple[OrgKind, str], Organisation]:
    return {(org.kind, org.name): org for org in db.session.scalars(sa.select(Organisation))}


def _ensure_org(existing: dict[tuple[OrgKind, str], Organisation], org: Organisation) -> None:
    if (org.kind, org.name) not in existing:
        _add(org, "organisation")
        existing[(org.kind, org.name)] = org


def load_organisations() -> None:
    """Every municipality, region and county board, and the national board."""
    existing = _organisations_by_key()
    _ensure_org(existing, Organisation(kind=OrgKind.NATIONAL_BOARD, name=NATIONAL_BOARD_NAME))
    for row in read_data_csv("lan.csv"):
        code = row["lanskod"]
        _ensure_org(existing, Organisation(kind=OrgKind.COUNTY_BOARD, name=row["lansstyrelse"],
                                           county_code=code))
        _ensure_org(existing, Organisation(kind=OrgKind.REGION, name=row["region"],
                                           county_code=code))
    for row in municipality_rows():
        _ensure_org(existing, Organisation(
            kind=OrgKind.MUNICIPALITY, name=row.name, scb_code=row.code,
            county_code=row.county_code, population=row.population,
            latitude=row.latitude, longitude=row.longitude,
        ))


def load_materials() -> None:
    """The material catalogue from ``materials.csv`` with pack sizes from ``packs.csv``."""
    packs = {row["code"]: row for row in read_data_csv("packs.csv")}
    existing = set(db.session.scalars(sa.select(Material.code)))
    for row in read_data_csv("materials.csv"):
        if row["code"] in existing:
            continue
        price = row["typical_unit_price_sek"]
        _add(Material(
            code=row["code"], name_sv=row["name_sv"], name_en=row["name_en"], unit=row["unit"],
            unit_price_sek=Decimal(price) if price else None,
            pack_size=int(packs[row["code"]]["pack_size"]),
            sort_order=int(packs[row["code"]]["sort_order"]),
        ), "material")


def load_reference_data() -> None:
    """Counties, organisations and materials; safe to run any number of times."""
    load_counties()
    load_organisations()
    load_materials()
