"""Service functions for organisations (the view commits)."""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from app.core import audit
from app.core.models import CareUnit, CareUnitType, County, Organisation, OrgKind, Ownership
from app.extensions import db


def organisation_choices() -> list[SelectChoice]:
    """Organisations grouped by county for a select box (national ones first)."""
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name, County.name)
        .outerjoin(County, Organisation.county_code == County.code)
        .order_by(County.code.nulls_first(), Organisation.kind, Organisation.name)
    ).all()
    return [SelectChoice(org_id, name, optgroup=county_name or gettext("Nationellt"))
            for org_id, name, county_name in rows]


def county_choices() -> list[SelectChoice]:
    counties = db.session.scalars(sa.select(County).order_by(County.code)).all()
    return [SelectChoice("", "–")] + [SelectChoice(county.code, county.name) for county in counties]


def save_organisation(org: Organisation | None, data: Mapping[str, object]) -> Organisation:
    """Create (``org`` None) or update an organisation from validated form data; audited."""
    before = audit.snapshot(org) if org is not None else None
    if org is None:
        org = Organisation()
        db.session.add(org)
    org.kind = OrgKind(data["kind"])
    org.name = str(data["name"]).strip()
    org.county_code = data.get("county_code") or None
    org.scb_code = data.get("scb_code") or None
    org.org_number = data.get("org_number") or None
    org.population = data.get("population")
    db.session.flush()
    audit.record("organisation.create" if before is None else "organisation.update",
                 "organisation", org.id, before=before, after=audit.snapshot(org),
                 organisation_id=org.id)
    return org


def care_unit_name_taken(org: Organisation, name: str, unit: CareUnit | None) -> bool:
    """Whether another unit of ``org`` has this name, ignoring case ('Å' and 'å' too)."""
    wanted = name.strip().casefold()
    others = db.session.execute(sa.select(CareUnit.id, CareUnit.name).where(
        CareUnit.organisation_id == org.id)).all()
    return any(name_.casefold() == wanted for id_, name_ in others
               if unit is None or id_ != unit.id)


def save_care_unit(org: Organisation, unit: CareUnit | None,
                   data: Mapping[str, object]) -> CareUnit:
    """Create (``unit`` None) or update one of ``org``'s care units; audited."""
    before = audit.snapshot(unit) if unit is not None else None
    if unit is None:
        unit = CareUnit(organisation=org)
        db.session.add(unit)
    unit.name = str(data["name"]).strip()
    unit.unit_type = CareUnitType(data["unit_type"])
    unit.ownership = Ownership(data["ownership"])
    unit.provider_name = (str(data.get("provider_name") or "").strip() or None
                          if unit.ownership is Ownership.PRIVATE else None)
    unit.active = bool(data.get("active"))
    db.session.flush()
    audit.record("care_unit.create" if before is None else "care_unit.update", "care_unit",
                 unit.id, before=before, after=audit.snapshot(unit), organisation_id=org.id)
    return unit


def care_units_of(org: Organisation) -> list[CareUnit]:
    return list(db.session.scalars(sa.select(CareUnit).where(CareUnit.organisation_id == org.id)
                                   .order_by(CareUnit.ownership, CareUnit.name)))
