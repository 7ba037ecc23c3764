"""Joint procurement: suppliers, their offers, pooled orders with commitments, deliveries.

Every record with a workflow is :class:`~app.core.workflow.Stateful`: its state changes
only through :func:`~app.core.workflow.transition` (audited). A county's buyers share one
register of suppliers and offers; a procurement lead pools an accepted offer into an order
that the county's municipalities (and the region) commit quantities to; each delivery of
the order is split between them by need and booked in the ledger.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import County, Material, Organisation
from app.core.types import enum_column, utcnow
from app.core.workflow import Stateful
from app.extensions import db


class SupplierStatus(enum.Enum):
    NEW = "new"
    VERIFIED = "verified"
    BLOCKED = "blocked"


class OfferStatus(enum.Enum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


#: Offers that can still be reviewed, accepted or pooled.
OPEN_OFFER_STATES = frozenset({OfferStatus.NEW, OfferStatus.UNDER_REVIEW, OfferStatus.ACCEPTED})


class Standard(enum.Enum):
    """The harmonised standard a product's CE marking claims."""

    EN149_FFP2 = "en149_ffp2"
    EN149_FFP3 = "en149_ffp3"
    EN14683_IIR = "en14683_iir"
    EN455 = "en455"
    EN14126 = "en14126"
    EN166 = "en166"

    @property
    def needs_notified_body(self) -> bool:
        """PPE of categories II and III (respirators, protective clothing against infective
        agents, eye protection) is examined by a notified body; medical devices of class I
        (masks type IIR, examination gloves) are self-declared."""
        return self not in (Standard.EN14683_IIR, Standard.EN455)


class OrderStatus(enum.Enum):
    OPEN = "open"  # collecting commitments
    CLOSED = "closed"  # the round is closed, the order not yet placed
    PLACED = "placed"  # ordered from the supplier, deliveries expected
    COMPLETED = "completed"  # nothing more is expected
    CANCELLED = "cancelled"


class DeliveryStatus(enum.Enum):
    PROPOSED = "proposed"  # the split can still be adjusted
    CONFIRMED = "confirmed"  # split, booked and announced in the distribution note


class ShareStatus(enum.Enum):
    ALLOCATED = "allocated"
    RECEIVED = "received"  # the municipality confirmed that it got its share


supplier_materials = sa.Table(
    "supplier_materials", db.metadata,
    sa.Column("supplier_id", sa.ForeignKey("suppliers.id"), primary_key=True),
    sa.Column("material_id", sa.ForeignKey("materials.id"), primary_key=True),
)


class Supplier(Stateful, db.Model):
    """A company that offers material, identified by its Swedish organisation number or, for
    a foreign supplier, its EU VAT number; one register per county."""

    __tablename__ = "suppliers"
    __table_args__ = (
        sa.UniqueConstraint("county_code", "org_number"),
        sa.UniqueConstraint("county_code", "vat_number"),
        sa.CheckConstraint("(org_number IS NULL) <> (vat_number IS NULL)", name="one_identity"),
    )
    AUDIT_ENTITY = "supplier"
    TRANSITIONS = {
        SupplierStatus.NEW: frozenset({SupplierStatus.VERIFIED, SupplierStatus.BLOCKED}),
        SupplierStatus.VERIFIED: frozenset({SupplierStatus.BLOCKED}),
        SupplierStatus.BLOCKED: frozenset({SupplierStatus.VERIFIED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    org_number: Mapped[str | None] = mapped_column(sa.String(11))
    vat_number: Mapped[str | None] = mapped_column(sa.String(20))
    contact_name: Mapped[str | None] = mapped_column(sa.String(120))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[SupplierStatus] = mapped_column(enum_column(SupplierStatus),
                                                   default=SupplierStatus.NEW)
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    status_set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status_set_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    county: Mapped[County] = relationship()
    materials: Mapped[list[Material]] = relationship(secondary=supplier_materials,
                                                     order_by=Material.sort_order)
    organisation: Mapped[Organisation] = relationship()
    status_set_by: Mapped[User | None] = relationship(foreign_keys=[status_set_by_id])

    @property
    def identity(self) -> str:
        return self.org_number or self.vat_number or ""

    @property
    def blocked(self) -> bool:
        return self.status is SupplierStatus.BLOCKED


class Offer(Stateful, db.Model):
    """A supplier's offer of one material, registered by a buyer for the county to share.

    ``unit_price`` is SEK per unit excluding VAT; ``lead_time_days`` or ``delivery_date``
    says when the goods can come; after ``valid_until`` an open offer expires.
    """

    __tablename__ = "offers"
    __table_args__ = (
        sa.Index("ix_offers_county_material", "county_code", "material_id"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price > 0", name="price_positive"),
        sa.CheckConstraint("minimum_order >= 0 AND minimum_order <= quantity",
                           name="minimum_within_quantity"),
        sa.CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0",
                           name="lead_time_not_negative"),
    )
    AUDIT_ENTITY = "offer"
    TRANSITIONS = {
        OfferStatus.NEW: frozenset({OfferStatus.UNDER_REVIEW, OfferStatus.REJECTED,
                                    OfferStatus.EXPIRED}),
        OfferStatus.UNDER_REVIEW: frozenset({OfferStatus.ACCEPTED, OfferStatus.REJECTED,
                                             OfferStatus.EXPIRED}),
        OfferStatus.ACCEPTED: frozenset({OfferStatus.EXPIRED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"))
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("suppliers.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    minimum_order: Mapped[int] = mapped_column(default=0)
    lead_time_days: Mapped[int | None]
    delivery_date: Mapped[date | None]
    valid_until: Mapped[date]
    ce_marked: Mapped[bool] = mapped_column(default=False)
    standard: Mapped[Standard | None] = mapped_column(enum_column(Standard))
    notified_body: Mapped[str | None] = mapped_column(sa.String(4))
    market_surveillance: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus),
                                                default=OfferStatus.NEW)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    county: Mapped[County] = relationship()
    supplier: Mapped[Supplier] = relationship(lazy="joined", innerjoin=True)
    material: Mapped[Material] = relationship(lazy="joined", innerjoin=True)
    organisation: Mapped[Organisation] = relationship()

    @property
    def total_price(self) -> Decimal:
        """The whole offered quantity at the unit price, SEK excluding VAT."""
        return self.unit_price * self.quantity

    @property
    def certified(self) -> bool:
        """CE marked with a standard (and a notified body where the standard needs one), or
        cleared through market surveillance."""
        if self.market_surveillance:
            return True
        return bool(self.ce_marked and self.standard and (
            self.notified_body or not self.standard.needs_notified_body))


class PooledOrder(Stateful, db.Model):
    """A joint purchase of an accepted offer, led by the region or the lead municipality.

    The logistics meeting can decide an order too: it refers to it by ``id`` and shows its
    ``title`` and ``status`` (see :func:`app.procurement.services.orders_open_for_decision`).
    """

    __tablename__ = "pooled_orders"
    __table_args__ = (
        sa.Index("ix_pooled_orders_county_status", "county_code", "status"),
        sa.UniqueConstraint("offer_id"),
    )
    AUDIT_ENTITY = "pooled_order"
    TRANSITIONS = {
        OrderStatus.OPEN: frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED}),
        OrderStatus.CLOSED: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
        OrderStatus.PLACED: frozenset({OrderStatus.COMPLETED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    lead_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    deadline: Mapped[date]
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus),
                                                default=OrderStatus.OPEN)
    order_number: Mapped[str | None] = mapped_column(sa.String(60))
    ordered_on: Mapped[date | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    offer: Mapped[Offer] = relationship(lazy="joined", innerjoin=True)
    lead_organisation: Mapped[Organisation] = relationship()
    commitments: Mapped[list[Commitment]] = relationship(back_populates="order",
                                                         order_by="Commitment.id")
    schedule: Mapped[list[ScheduledDelivery]] = relationship(
        back_populates="order", order_by="ScheduledDelivery.expected_on",
        cascade="all, delete-orphan")
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="order",
                                                      order_by="Delivery.id")

    @property
    def committed(self) -> int:
        return sum(commitment.quantity for commitment in self.commitments)

    @property
    def reference(self) -> str:
        """What a person reads: the supplier's order number once placed, else our number."""
        return self.order_number or f"SI-{self.id}"


class Commitment(db.Model):
    """How many units one organisation commits to buy in a pooled order (its åtagande)."""

    __tablename__ = "commitments"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "organisation_id"),
        sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("pooled_orders.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    quantity: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    order: Mapped[PooledOrder] = relationship(back_populates="commitments")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class ScheduledDelivery(db.Model):
    """When the supplier promised goods of a placed order: a date and a quantity."""

    __tablename__ = "scheduled_deliveries"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("pooled_orders.id"), index=True)
    expected_on: Mapped[date]
    quantity: Mapped[int]

    order: Mapped[PooledOrder] = relationship(back_populates="schedule")


class Delivery(Stateful, db.Model):
    """Goods of a pooled order received by the lead, possibly fewer than were due."""

    __tablename__ = "deliveries"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)
    AUDIT_ENTITY = "delivery"
    TRANSITIONS = {DeliveryStatus.PROPOSED: frozenset({DeliveryStatus.CONFIRMED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("pooled_orders.id"), index=True)
    number: Mapped[int]  # 1, 2, … within the order
    received_on: Mapped[date]
    quantity: Mapped[int]
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus),
                                                   default=DeliveryStatus.PROPOSED)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    order: Mapped[PooledOrder] = relationship(back_populates="deliveries")
    shares: Mapped[list[DeliveryShare]] = relationship(back_populates="delivery",
                                                       order_by="DeliveryShare.id")

    @property
    def distributed(self) -> int:
        return sum(share.quantity for share in self.shares)

    @property
    def undistributed(self) -> int:
        """Units received that no municipality gets (every commitment is met)."""
        return self.quantity - self.distributed

    @property
    def reference(self) -> str:
        return f"{self.order.reference}-L{self.number}"


class DeliveryShare(Stateful, db.Model):
    """One organisation's part of a delivery: what the engine proposed and what it gets."""

    __tablename__ = "delivery_shares"
    __table_args__ = (
        sa.UniqueConstraint("delivery_id", "organisation_id"),
        sa.CheckConstraint("quantity >= 0 AND proposed >= 0", name="quantity_not_negative"),
    )
    AUDIT_ENTITY = "delivery_share"
    TRANSITIONS = {ShareStatus.ALLOCATED: frozenset({ShareStatus.RECEIVED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("deliveries.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    proposed: Mapped[int]
    quantity: Mapped[int]
    status: Mapped[ShareStatus] = mapped_column(enum_column(ShareStatus),
                                                default=ShareStatus.ALLOCATED)
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    delivery: Mapped[Delivery] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
