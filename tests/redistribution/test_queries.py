"""The proposal page costs the same number of queries for 7 municipalities as for 49."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.models import Material, Organisation, OrgKind
from app.extensions import db
from app.redistribution.models import (
    ProposalVersion,
    ProposedTransfer,
    Round,
    RoundSite,
    RoundState,
)
from app.redistribution.principles import current_principles
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import count_queries


def synthetic_round(county_code: str) -> Round:
    """A round over every municipality and material of a county, half of them giving."""
    orgs = db.session.scalars(sa.select(Organisation).where(
        Organisation.county_code == county_code, Organisation.kind == OrgKind.MUNICIPALITY)
        .order_by(Organisation.name)).all()
    materials = db.session.scalars(sa.select(Material)).all()
    period = period_containing(today(), Frequency.WEEKLY)
    round_ = Round(county_code=county_code, number=1, period_start=period.start,
                   period_end=period.end, principles=current_principles(county_code),
                   state=RoundState.PROPOSAL)
    round_.sites = [RoundSite(organisation_id=org.id, material_id=m.id,
                              stock=100_000 if index % 2 else 0, daily_use=100.0, incoming=0)
                    for index, org in enumerate(orgs) for m in materials]
    givers, receivers = orgs[1::2], orgs[0::2]
    version = ProposalVersion(number=1, principle=round_.principles.principle, reason="test")
    version.transfers = [ProposedTransfer(material_id=m.id, giver_id=giver.id,
                                          receiver_id=receiver.id, quantity=m.pack_size * 5)
                         for giver, receiver in zip(givers, receivers, strict=False)
                         for m in materials]
    round_.versions.append(version)
    db.session.add(round_)
    db.session.commit()
    return round_


def test_proposal_page_queries_do_not_grow_with_municipalities(client, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    small, large = synthetic_round("22"), synthetic_round("14")
    assert len({s.organisation_id for s in large.sites}) == 49
    assert count_queries(client, f"/omfordelning/omgang/{small.id}") == count_queries(
        client, f"/omfordelning/omgang/{large.id}")
