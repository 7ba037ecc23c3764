"""Service functions for organisations (the view commits)."""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from app.core import audit
from app.core.models import County, Organisation, OrgKind
from app.extensions import db

ORG_FIELDS = ("kind", "name", "county_code", "scb_code", "org_number", "population")


def org_snapshot(org: Organisation) -> dict[str, object]:
    return {name: getattr(org, name) for name in ORG_FIELDS}


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
    before = org_snapshot(org) if org is not None else None
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
                 "organisation", org.id, before=before, after=org_snapshot(org),
                 organisation_id=org.id)
    return org
