"""The county's allocation principles (fördelningsprinciper): versions and their history.

A change never edits a version: it writes the next one, with the date of the weekly
meeting of municipal chiefs that decided it. Rounds point at the version in force when
they were created, so their figures can always be explained.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.core import audit
from app.core.models import Material
from app.extensions import db
from app.redistribution.models import PriceRule, PrinciplesPrice, PrinciplesVersion

FIELDS = ("horizon_days", "safety_days", "min_transfer_packs", "principle", "price_rule",
          "include_private", "solver_budget_s")


def current_principles(county_code: str) -> PrinciplesVersion:
    """The version in force; the defaults (version 1) on first use."""
    latest = db.session.scalar(
        sa.select(PrinciplesVersion).where(PrinciplesVersion.county_code == county_code)
        .order_by(PrinciplesVersion.number.desc()).limit(1))
    if latest is None:
        latest = PrinciplesVersion(county_code=county_code, number=1)
        db.session.add(latest)
        db.session.flush()
    return latest


def history(county_code: str) -> list[PrinciplesVersion]:
    """Every version, newest first."""
    return list(db.session.scalars(
        sa.select(PrinciplesVersion).where(PrinciplesVersion.county_code == county_code)
        .order_by(PrinciplesVersion.number.desc())))


def change_principles(county_code: str, values: Mapping[str, Any],
                      prices: Mapping[int, Decimal], *, decided_on: date | None,
                      note: str | None, by: Any) -> PrinciplesVersion | None:
    """Write the next version when anything differs from the one in force; None otherwise.

    ``values`` holds :data:`FIELDS`; ``prices`` per material id (SEK per unit) are kept
    only under the custom price rule. Audited.
    """
    current = current_principles(county_code)
    wanted_prices = dict(prices) if values["price_rule"] is PriceRule.CUSTOM else {}
    if all(getattr(current, name) == values[name] for name in FIELDS) and (
            _prices(current) == wanted_prices):
        return None
    version = PrinciplesVersion(county_code=county_code, number=current.number + 1,
                                decided_at_meeting_on=decided_on, note=note or None,
                                created_by_id=getattr(by, "id", None),
                                **{name: values[name] for name in FIELDS})
    version.prices = [PrinciplesPrice(material_id=material_id, unit_price=price)
                      for material_id, price in sorted(wanted_prices.items())]
    db.session.add(version)
    db.session.flush()
    audit.record("principles.change", "principles", version.id,
                 before=audit.snapshot(current) | {"prices": _jsonable(_prices(current))},
                 after=audit.snapshot(version) | {"prices": _jsonable(wanted_prices)})
    return version


def _prices(version: PrinciplesVersion) -> dict[int, Decimal]:
    return {price.material_id: price.unit_price for price in version.prices}


def _jsonable(prices: Mapping[int, Decimal]) -> dict[str, str]:
    return {str(material_id): str(price) for material_id, price in prices.items()}


def prices_for(version: PrinciplesVersion, materials: list[Material]) -> dict[int, Decimal]:
    """The compensation price per unit of every material under ``version`` (SEK)."""
    return {material.id: version.price_of(material) for material in materials}
