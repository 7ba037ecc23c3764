"""Roles: what each one is called, where it belongs, and every set of roles the app uses.

Each role set is defined here once; views, navigation and the dashboard name a set rather
than listing roles again.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.core.models import OrgKind


class Role(enum.Enum):
    """What a user may do; a user can hold several roles."""

    COUNTY_COORDINATOR = "county_coordinator"
    LOGISTICS_MEMBER = "logistics_member"
    MUNICIPAL_REPORTER = "municipal_reporter"
    MUNICIPAL_BUYER = "municipal_buyer"
    PROCUREMENT_LEAD = "procurement_lead"
    VIEWER = "viewer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.COUNTY_COORDINATOR: _l("Samordnare, länsstyrelsen"),
    Role.LOGISTICS_MEMBER: _l("Ledamot i logistikberedningen"),
    Role.MUNICIPAL_REPORTER: _l("Rapportör, kommun"),
    Role.MUNICIPAL_BUYER: _l("Inköpare, kommun"),
    Role.PROCUREMENT_LEAD: _l("Inköpsledare"),
    Role.VIEWER: _l("Läsbehörighet"),
    Role.ADMIN: _l("Administratör"),
}

#: The kinds of organisation a role may be held in (roles not listed fit everywhere).
ROLE_HOMES: dict[Role, frozenset[OrgKind]] = {
    Role.COUNTY_COORDINATOR: frozenset({OrgKind.COUNTY_BOARD}),
    Role.LOGISTICS_MEMBER: frozenset({OrgKind.COUNTY_BOARD, OrgKind.MUNICIPALITY,
                                      OrgKind.REGION}),
    Role.MUNICIPAL_REPORTER: frozenset({OrgKind.MUNICIPALITY}),
    # The region buys for itself and commits to pooled orders like a municipality.
    Role.MUNICIPAL_BUYER: frozenset({OrgKind.MUNICIPALITY, OrgKind.REGION}),
    Role.PROCUREMENT_LEAD: frozenset({OrgKind.MUNICIPALITY, OrgKind.REGION}),
}

ALL_ROLES = frozenset(Role)
#: Fill in a municipality's situation reports.
REPORTERS = frozenset({Role.MUNICIPAL_REPORTER})
#: Read situation reports and the county picture (each within their own scope).
SITUATION_READERS = frozenset({Role.MUNICIPAL_REPORTER, Role.COUNTY_COORDINATOR,
                               Role.LOGISTICS_MEMBER, Role.VIEWER})
#: Configure a county: settings, allocation principles, redistribution rounds.
COUNTY_COORDINATORS = frozenset({Role.COUNTY_COORDINATOR})
#: Act for a municipality on its decided transfers (sent, received) and its compensation.
MUNICIPAL_STAFF = frozenset({Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER})
#: Comment on proposals before the logistics meeting.
LOGISTICS_MEMBERS = frozenset({Role.LOGISTICS_MEMBER, Role.COUNTY_COORDINATOR})
#: See redistribution in their county: rounds, proposals, decisions, their own transfers.
REDISTRIBUTION_READERS = frozenset({Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER,
                                    Role.VIEWER}) | MUNICIPAL_STAFF
#: Joint procurement: buyers register offers and commitments, leads pool and split orders.
PROCUREMENT_READERS = frozenset({Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD,
                                 Role.COUNTY_COORDINATOR})
#: Register suppliers and offers, and commit their organisation's quantities.
BUYERS = frozenset({Role.MUNICIPAL_BUYER})
#: Review offers, pool orders, place them and split their deliveries (region, lead municipality).
PROCUREMENT_LEADS = frozenset({Role.PROCUREMENT_LEAD})
ADMINS = frozenset({Role.ADMIN})


def misplaced_roles(roles: list[Role], kind: OrgKind) -> list[Role]:
    """Roles that do not belong in an organisation of ``kind`` (a reporter at a county board)."""
    return [role for role in roles if role in ROLE_HOMES and kind not in ROLE_HOMES[role]]
