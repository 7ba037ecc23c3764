"""Suppliers and offers: register, change, review and expire them (the view commits).

Every function flushes and audits; state changes go through
:func:`~app.core.workflow.transition`. A refused change raises :class:`ProcurementError`
with a Swedish message for the user, before anything is changed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core import audit
from app.core.models import County, Material
from app.core.workflow import transition
from app.extensions import db
from app.procurement.models import (
    OPEN_OFFER_STATES,
    Offer,
    OfferStatus,
    OrderStatus,
    PooledOrder,
    Supplier,
    SupplierStatus,
)
from app.reports.periods import period_containing
from app.reports.periods import today as swedish_today
from app.reports.services import county_settings
from app.reports.supply import CountySupply, county_supply

T = TypeVar("T")

SUPPLIER_FIELDS = ("name", "org_number", "vat_number", "contact_name", "contact_email",
                   "contact_phone", "notes")
OFFER_FIELDS = ("supplier_id", "material_id", "quantity", "unit_price", "minimum_order",
                "lead_time_days", "delivery_date", "valid_until", "ce_marked", "standard",
                "notified_body", "market_surveillance", "notes")


class ProcurementError(Exception):
    """A change that the rules of joint procurement refuse; ``message`` tells the user why."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def _filled(row: T, fields: Iterable[str], data: Mapping[str, object]) -> T:
    """``row`` (added to the session) with each of ``fields`` set from the form's ``data``."""
    db.session.add(row)
    for name in fields:
        setattr(row, name, _cleaned(data.get(name)))
    return row


def _cleaned(value: Any) -> Any:
    """Form text without surrounding space, and None for empty text."""
    return (value.strip() or None) if isinstance(value, str) else value


# --- Suppliers -------------------------------------------------------------------------------

def counties() -> list[County]:
    return list(db.session.scalars(sa.select(County).order_by(County.code)))


def materials() -> list[Material]:
    return list(db.session.scalars(sa.select(Material).order_by(Material.sort_order)))


def suppliers_of(county_code: str) -> list[Supplier]:
    """The county's supplier register, by name."""
    return list(db.session.scalars(
        sa.select(Supplier).where(Supplier.county_code == county_code)
        .options(selectinload(Supplier.materials)).order_by(Supplier.name)))


def duplicate_supplier(county_code: str, org_number: str | None, vat_number: str | None,
                       supplier: Supplier | None = None) -> Supplier | None:
    """Another supplier of the county with the same organisation or VAT number."""
    identity = (Supplier.org_number == org_number if org_number
                else Supplier.vat_number == vat_number)
    query = sa.select(Supplier).where(Supplier.county_code == county_code, identity)
    if supplier is not None:
        query = query.where(Supplier.id != supplier.id)
    return db.session.scalar(query)


def save_supplier(supplier: Supplier | None, data: Mapping[str, Any], *, county_code: str,
                  by: User, chosen_materials: list[Material]) -> Supplier:
    """Register (``supplier`` None) or change a supplier from validated form data; audited.

    Raises :class:`ProcurementError` when another supplier of the county has the same
    organisation or VAT number.
    """
    twin = duplicate_supplier(county_code, data.get("org_number"), data.get("vat_number"),
                              supplier)
    if twin is not None:
        field = "org_number" if data.get("org_number") else "vat_number"
        raise ProcurementError(_l("%(name)s är redan registrerad med det numret.",
                                  name=twin.name), field)
    before = audit.snapshot(supplier) if supplier is not None else None
    supplier = _filled(supplier or Supplier(county_code=county_code,
                                            organisation_id=by.organisation_id,
                                            created_by_id=by.id), SUPPLIER_FIELDS, data)
    supplier.materials = chosen_materials
    db.session.flush()
    after = audit.snapshot(supplier) | {"materials": [m.code for m in chosen_materials]}
    audit.record("supplier.create" if before is None else "supplier.update", "supplier",
                 supplier.id, before=before, after=after, organisation_id=by.organisation_id)
    return supplier


def set_supplier_status(supplier: Supplier, status: SupplierStatus, reason: str, *,
                        by: User) -> None:
    """Verify or block a supplier (or lift a block) with the reason; who and when are kept."""
    transition(supplier, status, by=by, reason=reason, organisation_id=by.organisation_id,
               changes={"status_reason": reason.strip(), "status_set_by_id": by.id,
                        "status_set_at": datetime.now(UTC)})


# --- Offers ----------------------------------------------------------------------------------

#: How far ahead a date in procurement may lie; anything later is a typing mistake.
FURTHEST_AHEAD = timedelta(days=2 * 365)


def check_offer_dates(data: Mapping[str, Any], today: date) -> None:
    """Raise :class:`ProcurementError` for an offer already past its validity, a delivery
    date in the past, or a date more than two years ahead."""
    if data["valid_until"] < today:
        raise ProcurementError(_l("Giltighetsdatumet har redan passerat."), "valid_until")
    delivery = data.get("delivery_date")
    if delivery is not None and delivery < today:
        raise ProcurementError(_l("Leveransdatumet har redan passerat."), "delivery_date")
    for name in ("valid_until", "delivery_date"):
        if data.get(name) is not None and data[name] > today + FURTHEST_AHEAD:
            raise ProcurementError(_l("Ange ett datum inom två år."), name)


def save_offer(offer: Offer | None, data: Mapping[str, Any], *, county_code: str, by: User,
               today: date) -> Offer:
    """Register (``offer`` None) or change a new offer from validated form data; audited.

    Raises :class:`ProcurementError` for an offer no longer new (it is being reviewed or
    decided, so it never changes) or one whose validity date has passed.
    """
    if offer is not None and offer.status is not OfferStatus.NEW:
        raise ProcurementError(_l("Erbjudandet granskas eller är avgjort och kan inte ändras."))
    check_offer_dates(data, today)
    before = audit.snapshot(offer) if offer is not None else None
    offer = _filled(offer or Offer(county_code=county_code, organisation_id=by.organisation_id,
                                   created_by_id=by.id), OFFER_FIELDS, data)
    db.session.flush()
    audit.record("offer.create" if before is None else "offer.update", "offer", offer.id,
                 before=before, after=audit.snapshot(offer), organisation_id=by.organisation_id)
    return offer


def review_offer(offer: Offer, to_state: OfferStatus, *, by: User, reason: str = "") -> None:
    """Take an offer up for review, accept it or reject it (a rejection needs a reason).

    An offer from a blocked supplier cannot be accepted. Raises :class:`ProcurementError`
    for those, and ``TransitionNotAllowed`` for a move the offer's state does not allow.
    """
    reason = reason.strip()
    if to_state is OfferStatus.REJECTED and not reason:
        raise ProcurementError(_l("Skriv varför erbjudandet avvisas."), "reason")
    if to_state is OfferStatus.ACCEPTED and offer.supplier.blocked:
        raise ProcurementError(_l("Leverantören är spärrad. Erbjudandet kan inte godtas."))
    changes = {"rejection_reason": reason} if to_state is OfferStatus.REJECTED else {}
    transition(offer, to_state, by=by, reason=reason or None, changes=changes,
               organisation_id=by.organisation_id)


def expire_offers(today: date) -> int:
    """Expire every open offer whose validity date is before ``today`` and that no pooled
    order (other than a cancelled one) uses; how many. Deterministic: the same day gives
    the same result."""
    pooled = sa.select(PooledOrder.offer_id).where(PooledOrder.status != OrderStatus.CANCELLED)
    due = db.session.scalars(sa.select(Offer).where(
        Offer.status.in_(OPEN_OFFER_STATES), Offer.valid_until < today,
        Offer.id.not_in(pooled)).order_by(Offer.id)).all()
    for offer in due:
        transition(offer, OfferStatus.EXPIRED, by=None, organisation_id=offer.organisation_id,
                   reason=f"valid until {offer.valid_until.isoformat()}")
    return len(due)


def offers_of(county_code: str, *, material: Material | None = None,
              open_only: bool = False) -> list[Offer]:
    """The county's offers (of one material), newest first; ``open_only``: those still open
    and not yet pooled into an order."""
    query = sa.select(Offer).where(Offer.county_code == county_code)
    if material is not None:
        query = query.where(Offer.material_id == material.id)
    if open_only:
        query = query.where(Offer.status.in_(OPEN_OFFER_STATES),
                            Offer.id.not_in(sa.select(PooledOrder.offer_id)))
    return list(db.session.scalars(query.order_by(Offer.created_at.desc(), Offer.id.desc())))


def pooled_offer_ids(offer_ids: list[int]) -> frozenset[int]:
    """Which of these offers a pooled order was made of."""
    return frozenset(db.session.scalars(sa.select(PooledOrder.offer_id).where(
        PooledOrder.offer_id.in_(offer_ids))))


def order_of_offer(offer: Offer) -> PooledOrder | None:
    return db.session.scalar(sa.select(PooledOrder).where(PooledOrder.offer_id == offer.id))


# --- The county's need ---------------------------------------------------------------------

def latest_supply(county_code: str, materials: list[Material]) -> CountySupply:
    """The county's figures of the current period, or of the previous one when nobody has
    reported the current period yet ("the latest reports")."""
    settings = county_settings(county_code)
    period = period_containing(swedish_today(), settings.frequency)
    supply = county_supply(county_code, period, settings, materials)
    if supply.reported:
        return supply
    return county_supply(county_code, period.previous(), settings, materials)


def county_need(supply: CountySupply, material: Material) -> int:
    """The sum of the municipalities' needs of ``material`` over the horizon (units), after
    what they expect, jointly ordered goods included."""
    return sum(figure.need for (_, material_id), figure in supply.figures.items()
               if material_id == material.id)
