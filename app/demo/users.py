"""Demo users for Västernorrlands län and Örebro län, one password for all."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from app.auth.roles import Role
from app.auth.services import create_user, find_user
from app.core.models import Organisation, OrgKind
from app.extensions import db

DEMO_PASSWORD = "samordna-demo"
DEMO_COUNTIES = ("22", "18")  # Västernorrlands län (Sundsvall leads purchasing), Örebro län
LEAD_BUYER_MUNICIPALITY = {"22": "2281", "18": "1880"}  # Sundsvall, Örebro


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    organisation: Organisation
    roles: tuple[Role, ...]


def slug(name: str) -> str:
    """ASCII, lower case, hyphens: 'Örnsköldsvik' → 'ornskoldsvik'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(ascii_name.lower().split())


def _county_orgs(county_code: str) -> list[Organisation]:
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.county_code == county_code)
        .order_by(Organisation.name)
    ))


def _users_for_county(county_code: str) -> list[DemoUser]:
    orgs = _county_orgs(county_code)
    board = next(o for o in orgs if o.kind is OrgKind.COUNTY_BOARD)
    region = next(o for o in orgs if o.kind is OrgKind.REGION)
    county_slug = slug(board.name.removeprefix("Länsstyrelsen").removeprefix(" i ").strip()
                       .removesuffix(" län"))
    users = [
        DemoUser(f"lst-{county_slug}.samordnare", "Kim Samordnare", board,
                 (Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER)),
        DemoUser(f"lst-{county_slug}.beredning", "Alex Beredning", board, (Role.LOGISTICS_MEMBER,)),
        DemoUser(f"region-{county_slug}.inkop", "Robin Regioninköp", region,
                 (Role.PROCUREMENT_LEAD, Role.MUNICIPAL_BUYER)),
    ]
    for org in orgs:
        if org.kind is not OrgKind.MUNICIPALITY:
            continue
        leads = org.scb_code == LEAD_BUYER_MUNICIPALITY[county_code]
        buyer_roles = (Role.MUNICIPAL_BUYER,) + ((Role.PROCUREMENT_LEAD,) if leads else ())
        users.append(DemoUser(f"{slug(org.name)}.rapportor", f"Rapportör {org.name}", org,
                              (Role.MUNICIPAL_REPORTER,)))
        users.append(DemoUser(f"{slug(org.name)}.inkop", f"Inköpare {org.name}", org, buyer_roles))
    return users


def _national_users() -> list[DemoUser]:
    national = db.session.scalar(
        sa.select(Organisation).where(Organisation.kind == OrgKind.NATIONAL_BOARD))
    return [
        DemoUser("admin", "Administratör Samordna", national, (Role.ADMIN,)),
        DemoUser("socialstyrelsen.lasare", "Läsare Socialstyrelsen", national, (Role.VIEWER,)),
    ]


def demo_users() -> list[DemoUser]:
    """Every demo user: national ones, then each demo county's."""
    users = _national_users()
    for county_code in DEMO_COUNTIES:
        users.extend(_users_for_county(county_code))
    return users


def create_demo_users() -> list[DemoUser]:
    """Create the demo users that do not exist yet; returns the ones created."""
    created = []
    for demo in demo_users():
        if find_user(demo.username) is None:
            create_user(username=demo.username, full_name=demo.full_name, password=DEMO_PASSWORD,
                        organisation=demo.organisation, roles=demo.roles)
            created.append(demo)
    return created
