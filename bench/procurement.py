"""Benchmarks of joint procurement in the largest county: ``python -m bench.procurement``.

Västra Götaland: the region and 49 municipalities commit to one pooled order, 40 offers sit
in the comparison, and a delivery is split between all 50. Measured, as the median of a
few runs: registering the delivery (the split by ``split_delivery`` included), the order,
comparison and delivery pages with their query counts, and the distribution note PDF.
Targets: pages under 300 ms, the split under 1 s, the note under 3 s.

Runs on a throwaway SQLite database with the reference data.
"""
from __future__ import annotations

import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from stdnum import luhn

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import Organisation, OrgKind
from app.core.reference import load_reference_data
from app.extensions import db
from app.procurement import deliveries, orders, services
from app.procurement.models import Offer, OfferStatus, PooledOrder, Standard
from app.reports.periods import today
from bench.redistribution import _median_seconds
from tests.helpers import count_queries, login

COUNTY = "14"
OFFERS = 40
PASSWORD = "bench-password-1"


def _buyers() -> list[User]:
    """A buyer (and procurement lead) for the region and every municipality of the county."""
    orgs = db.session.scalars(sa.select(Organisation).where(
        Organisation.county_code == COUNTY,
        Organisation.kind.in_((OrgKind.REGION, OrgKind.MUNICIPALITY)))
        .order_by(Organisation.kind.desc(), Organisation.name)).all()
    return [create_user(username=f"buyer{index}", full_name=org.name, password=PASSWORD,
                        organisation=org, roles=[Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD])
            for index, org in enumerate(orgs)]


def _org_number(index: int) -> str:
    """A valid Swedish organisation number (Luhn check digit) for supplier ``index``."""
    digits = f"55{index:07d}"
    return f"{digits[:6]}-{digits[6:]}{luhn.calc_check_digit(digits)}"


def _offers(buyer: User) -> list[Offer]:
    """``OFFERS`` accepted offers of face masks from as many suppliers."""
    material = next(m for m in services.materials() if m.code == "MUNSKYDD_IIR")
    found = []
    for index in range(OFFERS):
        supplier = services.save_supplier(
            None, {"name": f"Leverantör {index} AB", "org_number": _org_number(index),
                   "vat_number": None}, county_code=COUNTY, by=buyer,
            chosen_materials=[material])
        offer = services.save_offer(None, {
            "supplier_id": supplier.id, "material_id": material.id,
            "quantity": 1_000_000, "unit_price": Decimal("0.40") + index,
            "minimum_order": 1_000, "lead_time_days": 7, "delivery_date": None,
            "valid_until": today() + timedelta(days=30), "ce_marked": True,
            "standard": Standard.EN14683_IIR, "notified_body": None,
            "market_surveillance": False, "notes": None}, county_code=COUNTY, by=buyer,
            today=today())
        services.review_offer(offer, OfferStatus.UNDER_REVIEW, by=buyer)
        services.review_offer(offer, OfferStatus.ACCEPTED, by=buyer)
        found.append(offer)
    return found


def _placed_order(offer: Offer, buyers: list[User]) -> PooledOrder:
    """Every buyer commits 10 000 units; the first (the region) places the order."""
    lead = buyers[0]
    order = orders.create_order(offer, title="Munskydd, hela länet",
                                deadline=today() + timedelta(days=3), by=lead, today=today())
    for buyer in buyers:
        orders.commit(order, buyer.organisation, 10_000, by=buyer, today=today())
    orders.close_round(order, by=lead, version=order.version)
    orders.place_order(order, order_number="VGR-1", ordered_on=today(),
                       schedule=[orders.PlannedDelivery(today() + timedelta(days=5),
                                                        order.committed)],
                       by=lead, version=order.version)
    return order


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "JOBS_BACKEND": "immediate"})
    with app.app_context(), app.test_request_context():
        db.create_all()
        load_reference_data()
        buyers = _buyers()
        offers = _offers(buyers[0])
        order = _placed_order(offers[0], buyers)
        db.session.commit()
        lead = buyers[0]

        def register_and_roll_back() -> None:
            deliveries.register_delivery(order, received_on=today(), quantity=250_000,
                                         by=lead)
            db.session.rollback()

        split_s = _median_seconds(register_and_roll_back)
        delivery = deliveries.register_delivery(order, received_on=today(), quantity=250_000,
                                                by=lead)
        db.session.commit()
        note_s = _median_seconds(lambda: deliveries.issue_note(delivery, lead), runs=3)
        db.session.rollback()
        order_id, delivery_id, username = order.id, delivery.id, lead.username
    with app.app_context():
        _measure_pages(app, username, order_id, delivery_id)
    print(f"{len(buyers)} organisations, {OFFERS} offers in the comparison")
    print(f"register a delivery and split it: median {split_s[0] * 1000:.0f} ms wall, "
          f"{split_s[1] * 1000:.0f} ms CPU (target < 1 s)")
    print(f"distribution note PDF, {len(buyers)} shares: median {note_s[0]:.2f} s wall, "
          f"{note_s[1]:.2f} s CPU (target < 3 s)")


def _measure_pages(app, username: str, order_id: int, delivery_id: int) -> None:  # noqa: ANN001
    client = app.test_client()
    login(client, type("U", (), {"username": username})(), password=PASSWORD)
    for name, url in (("order page", f"/inkop/bestallningar/{order_id}"),
                      ("comparison page", f"/inkop/lan/{COUNTY}/jamforelse/MUNSKYDD_IIR"),
                      ("delivery page", f"/inkop/leveranser/{delivery_id}"),
                      ("overview page", f"/inkop/lan/{COUNTY}/")):
        wall, cpu = _median_seconds(lambda url=url: client.get(url))
        print(f"{name}: median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU "
              f"(target < 300 ms), {count_queries(client, url)} queries")

if __name__ == "__main__":
    main()
