"""Demo suppliers and offers in Västernorrlands län, so the offer comparison shows its flags
at once: one offer expired, one from an unverified supplier priced far above the catalogue's
reference price. No pooled orders or deliveries (those are for the users to make).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.auth.services import find_user
from app.core.models import Material
from app.extensions import db
from app.procurement import services
from app.procurement.models import OfferStatus, Standard, Supplier, SupplierStatus
from app.reports.periods import today

COUNTY = "22"
LEAD = "region-vasternorrland.inkop"


@dataclass(frozen=True)
class DemoOffer:
    material: str
    quantity: int
    unit_price: str
    minimum_order: int
    lead_time_days: int
    valid_days: int  # from today; negative: already past (the offer expires)
    standard: Standard
    notified_body: str | None = None
    status: OfferStatus = OfferStatus.NEW


@dataclass(frozen=True)
class DemoSupplier:
    name: str
    registered_by: str
    materials: tuple[str, ...]
    offers: tuple[DemoOffer, ...]
    org_number: str | None = None
    vat_number: str | None = None
    verified: bool = False
    contact: dict[str, str] = field(default_factory=dict)


SUPPLIERS = (
    DemoSupplier(
        "Norrlandsmedicin AB", "harnosand.inkop", ("MUNSKYDD_IIR", "HANDSKAR_UNDERSOKNING"),
        (DemoOffer("MUNSKYDD_IIR", 200_000, "0.42", 10_000, 7, 21, Standard.EN14683_IIR,
                   status=OfferStatus.UNDER_REVIEW),
         DemoOffer("HANDSKAR_UNDERSOKNING", 100_000, "1.05", 5_000, 5, 30, Standard.EN455)),
        org_number="556677-8899", verified=True,
        contact={"contact_name": "Eva Lund", "contact_email": "order@norrlandsmedicin.example"}),
    DemoSupplier(
        "Medisafe Handels GmbH", "ornskoldsvik.inkop", ("MUNSKYDD_IIR",),
        (DemoOffer("MUNSKYDD_IIR", 500_000, "1.45", 50_000, 14, 14, Standard.EN14683_IIR),),
        vat_number="DE136695976",
        contact={"contact_name": "Jonas Weber", "contact_email": "sales@medisafe.example"}),
    DemoSupplier(
        "Skyddsprodukter i Sverige AB", "sundsvall.inkop", ("ANDNINGSSKYDD_FFP2", "VISIR"),
        (DemoOffer("ANDNINGSSKYDD_FFP2", 30_000, "4.20", 2_000, 10, -3, Standard.EN149_FFP2,
                   notified_body="0598"),),
        org_number="556123-4567", verified=True,
        contact={"contact_name": "Ali Hassan", "contact_phone": "060-12 34 56"}),
)


def _create(demo: DemoSupplier, materials: dict[str, Material]) -> int:
    """One supplier with its offers; returns how many offers were added."""
    buyer, lead = find_user(demo.registered_by), find_user(LEAD)
    supplier = services.save_supplier(
        None, {"name": demo.name, "org_number": demo.org_number,
               "vat_number": demo.vat_number, **demo.contact},
        county_code=COUNTY, by=buyer, chosen_materials=[materials[c] for c in demo.materials])
    if demo.verified:
        services.set_supplier_status(supplier, SupplierStatus.VERIFIED,
                                     "Kontrollerad hos Bolagsverket; levererat till regionen "
                                     "tidigare.", by=lead)
    for offer in demo.offers:
        valid_until = today() + timedelta(days=offer.valid_days)
        created = services.save_offer(None, {
            "supplier_id": supplier.id, "material_id": materials[offer.material].id,
            "quantity": offer.quantity, "unit_price": Decimal(offer.unit_price),
            "minimum_order": offer.minimum_order, "lead_time_days": offer.lead_time_days,
            "valid_until": valid_until, "ce_marked": True, "standard": offer.standard,
            "notified_body": offer.notified_body, "market_surveillance": False,
        }, county_code=COUNTY, by=buyer, today=min(today(), valid_until))
        if offer.status is OfferStatus.UNDER_REVIEW:
            services.review_offer(created, OfferStatus.UNDER_REVIEW, by=lead)
    return len(demo.offers)


def create_demo_procurement() -> int:
    """The demo suppliers that do not exist yet, with their offers; returns offers added.

    Offers past their validity date expire at once, as they would on the first page view.
    """
    if find_user(LEAD) is None:
        return 0
    existing = set(db.session.scalars(sa.select(Supplier.name).where(
        Supplier.county_code == COUNTY)))
    materials = {m.code: m for m in db.session.scalars(sa.select(Material))}
    added = sum(_create(demo, materials) for demo in SUPPLIERS if demo.name not in existing)
    services.expire_offers(today())
    return added
