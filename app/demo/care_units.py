"""Generated care units: a plausible mix per municipality, sized by population."""
from __future__ import annotations

import random
from collections.abc import Iterable

import sqlalchemy as sa

from app.core.models import CareUnit, CareUnitType, Organisation, Ownership
from app.extensions import db

HOME_NAMES = (
    "Björkbacken", "Solgården", "Lindgården", "Ekbacken", "Almgården", "Tallbacken",
    "Rönngården", "Sjöglimten", "Ängsgården", "Granbacken", "Lärkan", "Vallmon",
    "Hägern", "Furuhöjden", "Åkerbo", "Strandgården", "Klövervägen", "Blåklinten",
)
PRIVATE_PROVIDERS = ("Attendo", "Vardaga", "Humana", "Förenade Care", "Nytida", "Frösunda")
UNITS_PER_PERSON = {
    CareUnitType.RESIDENTIAL_CARE: 9_000,
    CareUnitType.HOME_CARE: 14_000,
    CareUnitType.DISABILITY_SUPPORT: 22_000,
}
PRIVATE_SHARE = 0.25


def _unit_count(population: int, unit_type: CareUnitType) -> int:
    return max(1, min(12, round(population / UNITS_PER_PERSON[unit_type])))


def _units_for(org: Organisation) -> list[CareUnit]:
    """Deterministic units for one municipality (seeded by its SCB code)."""
    rng = random.Random(int(org.scb_code or 0))
    names = iter(rng.sample(HOME_NAMES, len(HOME_NAMES)) * 2)
    units = [CareUnit(name=f"Hemsjukvården {org.name}", unit_type=CareUnitType.HOME_HEALTH_CARE,
                      ownership=Ownership.MUNICIPAL)]
    labels = {
        CareUnitType.RESIDENTIAL_CARE: "{name}s äldreboende",
        CareUnitType.HOME_CARE: "Hemtjänst {name}",
        CareUnitType.DISABILITY_SUPPORT: "LSS-boendet {name}",
    }
    for unit_type, label in labels.items():
        for _ in range(_unit_count(org.population or 0, unit_type)):
            private = rng.random() < PRIVATE_SHARE
            provider = rng.choice(PRIVATE_PROVIDERS)
            name = label.format(name=next(names))
            units.append(CareUnit(
                name=f"{name} ({provider})" if private else name,
                unit_type=unit_type,
                ownership=Ownership.PRIVATE if private else Ownership.MUNICIPAL,
                provider_name=provider if private else None,
            ))
    return units


def create_care_units(municipalities: Iterable[Organisation]) -> int:
    """Give each municipality without care units its generated set; returns how many were added."""
    with_units = set(db.session.scalars(sa.select(CareUnit.organisation_id).distinct()))
    added = 0
    for org in municipalities:
        if org.id in with_units:
            continue
        for unit in _units_for(org):
            unit.organisation = org
            db.session.add(unit)
            added += 1
    db.session.flush()
    return added
