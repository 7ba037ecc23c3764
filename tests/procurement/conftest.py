"""Fixtures for joint procurement: buyers and leads of Västernorrland, and records made
through the services (the pages are tested with the test client on top of them)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core.models import Material, OrgKind
from app.extensions import db
from app.procurement import orders, services
from app.procurement.models import Offer, OfferStatus, PooledOrder, Standard, Supplier
from app.reports.periods import today

REGION = "Region Västernorrland"


def material(code: str = "MUNSKYDD_IIR") -> Material:
    return db.session.scalar(sa.select(Material).where(Material.code == code))


def make_supplier(by: User, name: str = "Norrlandsmedicin AB",
                  org_number: str | None = "556677-8899", vat_number: str | None = None,
                  codes: tuple[str, ...] = ("MUNSKYDD_IIR",)) -> Supplier:
    supplier = services.save_supplier(
        None, {"name": name, "org_number": org_number, "vat_number": vat_number},
        county_code=by.organisation.county_code, by=by,
        chosen_materials=[material(code) for code in codes])
    db.session.commit()
    return supplier


def offer_data(supplier: Supplier, **changes: object) -> dict[str, object]:
    data = {"supplier_id": supplier.id, "material_id": material().id, "quantity": 10_000,
            "unit_price": Decimal("0.50"), "minimum_order": 1_000, "lead_time_days": 7,
            "delivery_date": None, "valid_until": today() + timedelta(days=14),
            "ce_marked": True, "standard": Standard.EN14683_IIR, "notified_body": None,
            "market_surveillance": False, "notes": None}
    return data | changes


def make_offer(by: User, supplier: Supplier, **changes: object) -> Offer:
    offer = services.save_offer(None, offer_data(supplier, **changes),
                                county_code=supplier.county_code, by=by, today=today())
    db.session.commit()
    return offer


def accept(offer: Offer, lead: User) -> Offer:
    services.review_offer(offer, OfferStatus.UNDER_REVIEW, by=lead)
    services.review_offer(offer, OfferStatus.ACCEPTED, by=lead)
    db.session.commit()
    return offer


def make_order(lead: User, offer: Offer, days: int = 7) -> PooledOrder:
    order = orders.create_order(offer, title="Munskydd vecka 50",
                                deadline=today() + timedelta(days=days), by=lead, today=today())
    db.session.commit()
    return order


def commit_for(order: PooledOrder, buyer: User, quantity: int) -> None:
    orders.commit(order, buyer.organisation, quantity, by=buyer, today=today())
    db.session.commit()


@pytest.fixture
def people(make_user) -> dict[str, User]:  # noqa: ANN001
    """Buyers of Timrå, Kramfors and Härnösand, the lead in Sundsvall, the region's lead,
    and a buyer in Örebro (another county)."""
    return {
        "timra": make_user("Timrå", Role.MUNICIPAL_BUYER),
        "kramfors": make_user("Kramfors", Role.MUNICIPAL_BUYER),
        "harnosand": make_user("Härnösand", Role.MUNICIPAL_BUYER),
        "lead": make_user("Sundsvall", Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD),
        "region": make_user(REGION, Role.PROCUREMENT_LEAD, Role.MUNICIPAL_BUYER,
                            kind=OrgKind.REGION),
        "orebro": make_user("Örebro", Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD),
    }


@pytest.fixture
def accepted_offer(people) -> Offer:  # noqa: ANN001
    supplier = make_supplier(people["timra"])
    return accept(make_offer(people["timra"], supplier), people["lead"])


@pytest.fixture
def open_order(people, accepted_offer) -> PooledOrder:  # noqa: ANN001
    return make_order(people["lead"], accepted_offer)


def placed_order(people: dict[str, User], order: PooledOrder,
                 commitments: dict[str, int]) -> PooledOrder:
    """Commit, close and place ``order`` with one expected delivery of everything."""
    for who, quantity in commitments.items():
        commit_for(order, people[who], quantity)
    orders.close_round(order, by=people["lead"], version=order.version)
    orders.place_order(order, order_number="PO-2026-17", ordered_on=today(),
                       schedule=[orders.PlannedDelivery(today() + timedelta(days=5),
                                                        order.committed)],
                       by=people["lead"], version=order.version)
    db.session.commit()
    return order


def login_as(client, user: User) -> None:  # noqa: ANN001
    from tests.helpers import login

    assert login(client, user).status_code == 302

