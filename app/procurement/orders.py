"""Pooled orders: pool an accepted offer, collect commitments, close, place, complete.

Services flush and audit, the view commits. Commitments lock the order row
(:func:`~app.core.workflow.locked`), so two buyers committing at once both count and the
total never passes the offer's quantity. What is still expected of a placed order feeds
the county picture through :func:`app.reports.supply.expected_source`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.auth.models import User
from app.core import audit, workflow
from app.core.formatting import number
from app.core.models import Organisation, OrgKind
from app.core.workflow import check_version, transition
from app.extensions import db
from app.ledger.services import debts, entries_for
from app.procurement.models import (
    Commitment,
    Delivery,
    DeliveryShare,
    DeliveryStatus,
    Offer,
    OfferStatus,
    OrderStatus,
    PooledOrder,
    ScheduledDelivery,
)
from app.procurement.plans import expected_schedule
from app.procurement.services import FURTHEST_AHEAD, ProcurementError
from app.reports.periods import today as swedish_today
from app.reports.supply import ExpectedDelivery, expected_source

#: Orders whose round is still running or closed but not yet ordered.
UNDECIDED = (OrderStatus.OPEN, OrderStatus.CLOSED)
ACTIVE = (OrderStatus.OPEN, OrderStatus.CLOSED, OrderStatus.PLACED)
LEDGER_SOURCE = "delivery"


def participants_of(county_code: str) -> list[Organisation]:
    """Who is invited to commit: the county's region, then its municipalities by name."""
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.county_code == county_code,
                                      Organisation.kind.in_([OrgKind.REGION,
                                                             OrgKind.MUNICIPALITY]))
        .order_by(Organisation.kind.desc(), Organisation.name)))


def create_order(offer: Offer, *, title: str, deadline: date, by: User,
                 today: date) -> PooledOrder:
    """Pool an accepted offer into an order led by ``by``'s organisation; audited.

    Raises :class:`ProcurementError` for an offer that is not accepted or is already
    pooled, and for a deadline in the past.
    """
    if offer.status is not OfferStatus.ACCEPTED:
        raise ProcurementError(_l("Bara ett godtaget erbjudande kan bli ett samordnat inköp."))
    if db.session.scalar(sa.select(PooledOrder.id).where(PooledOrder.offer_id == offer.id)):
        raise ProcurementError(_l("Erbjudandet har redan ett samordnat inköp."))
    if deadline < today:
        raise ProcurementError(_l("Sista dag för åtaganden har redan passerat."), "deadline")
    if deadline > today + FURTHEST_AHEAD:
        raise ProcurementError(_l("Ange ett datum inom två år."), "deadline")
    order = PooledOrder(county_code=offer.county_code, offer=offer, title=title.strip(),
                        deadline=deadline, lead_organisation_id=by.organisation_id,
                        created_by_id=by.id)
    db.session.add(order)
    db.session.flush()
    audit.record("pooled_order.create", "pooled_order", order.id, after=audit.snapshot(order),
                 organisation_id=by.organisation_id, user_id=by.id)
    return order


def locked_order(order_id: int) -> PooledOrder | None:
    """The order, locked until the transaction ends (commitments, closing, placing)."""
    return workflow.locked(PooledOrder, order_id)


def _committed_by_others(order: PooledOrder, org: Organisation) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Commitment.quantity), 0))
                             .where(Commitment.order_id == order.id,
                                    Commitment.organisation_id != org.id))


def remaining_on_offer(order: PooledOrder) -> int:
    """Units of the offer that nobody has committed to yet."""
    return order.offer.quantity - order.committed


def commit(order: PooledOrder, org: Organisation, quantity: int, *, by: User,
           today: date) -> Commitment:
    """Set ``org``'s commitment (units; 0 withdraws it) in a locked, open order; audited.

    Raises :class:`ProcurementError` after the deadline, once the round is closed, for an
    organisation outside the county, and for a quantity above what is left of the offer.
    """
    if order.status is not OrderStatus.OPEN:
        raise ProcurementError(_l("Rundan är stängd. Åtaganden kan inte längre ändras."))
    if today > order.deadline:
        raise ProcurementError(_l("Sista dag för åtaganden var %(date)s.",
                                  date=order.deadline.isoformat()), "quantity")
    if org.county_code != order.county_code or org.kind not in (OrgKind.MUNICIPALITY,
                                                                OrgKind.REGION):
        raise ProcurementError(_l("Organisationen deltar inte i länets inköp."))
    room = order.offer.quantity - _committed_by_others(order, org)
    if quantity > room:
        raise ProcurementError(_l("Det finns bara %(room)s %(unit)s kvar av erbjudandet.",
                                  room=number(max(room, 0)),
                                  unit=order.offer.material.unit), "quantity")
    commitment = next((c for c in order.commitments if c.organisation_id == org.id), None)
    before = audit.snapshot(commitment) if commitment else None
    if commitment is None:
        commitment = Commitment(order=order, organisation=org, quantity=quantity)
        db.session.add(commitment)
    commitment.quantity, commitment.updated_by_id = quantity, by.id
    # Writing the order row too makes the later of two concurrent commitments fail on its
    # version where the database has no row locks (SQLite).
    flag_modified(order, "title")
    db.session.flush()
    audit.record("commitment.save", "commitment", commitment.id, before=before,
                 after=audit.snapshot(commitment), organisation_id=org.id, user_id=by.id)
    return commitment


def close_round(order: PooledOrder, *, by: User, version: int | None) -> None:
    """Stop collecting commitments. Raises :class:`ProcurementError` without any."""
    check_version(order, version)
    if order.committed <= 0:
        raise ProcurementError(_l("Ingen har gjort något åtagande. Avbryt inköpet i stället."))
    transition(order, OrderStatus.CLOSED, by=by, organisation_id=by.organisation_id)


@dataclass(frozen=True)
class PlannedDelivery:
    expected_on: date
    quantity: int


def place_order(order: PooledOrder, *, order_number: str, ordered_on: date,
                schedule: Sequence[PlannedDelivery], by: User, version: int | None) -> None:
    """Record that the order was placed with the supplier, with the expected deliveries.

    The expected quantities add up to the committed total, no earlier than the order date.
    Raises :class:`ProcurementError` otherwise, or when the total is below the offer's
    minimum order.
    """
    check_version(order, version)
    committed = order.committed
    if committed < order.offer.minimum_order:
        raise ProcurementError(_l("Åtagandena (%(total)s) når inte leverantörens minsta "
                                  "order (%(minimum)s).", total=committed,
                                  minimum=order.offer.minimum_order))
    if sum(item.quantity for item in schedule) != committed:
        raise ProcurementError(_l("De väntade leveranserna ska tillsammans bli %(total)s, "
                                  "lika mycket som åtagandena.", total=committed), "schedule")
    if ordered_on > swedish_today():
        raise ProcurementError(_l("Beställningsdagen kan inte ligga i framtiden."), "ordered_on")
    if any(item.expected_on < ordered_on for item in schedule):
        raise ProcurementError(_l("En leverans kan inte väntas före beställningsdagen."),
                               "schedule")
    if any(item.expected_on > ordered_on + FURTHEST_AHEAD for item in schedule):
        raise ProcurementError(_l("Ange ett datum inom två år."), "schedule")
    order.schedule = [ScheduledDelivery(expected_on=item.expected_on, quantity=item.quantity)
                      for item in schedule]
    transition(order, OrderStatus.PLACED, by=by, organisation_id=by.organisation_id,
               changes={"order_number": order_number.strip(), "ordered_on": ordered_on})


def complete_order(order: PooledOrder, *, by: User, version: int | None) -> None:
    """Nothing more is expected of a placed order (fully delivered, or short for good)."""
    check_version(order, version)
    if any(d.status is DeliveryStatus.PROPOSED for d in order.deliveries):
        raise ProcurementError(_l("Bekräfta eller ta bort fördelningen av den senaste "
                                  "leveransen först."))
    transition(order, OrderStatus.COMPLETED, by=by, organisation_id=by.organisation_id)


def cancel_order(order: PooledOrder, reason: str, *, by: User, version: int | None) -> None:
    """Cancel an order that was not placed; the reason is required."""
    check_version(order, version)
    if not reason.strip():
        raise ProcurementError(_l("Skriv varför inköpet avbryts."), "reason")
    transition(order, OrderStatus.CANCELLED, by=by, reason=reason.strip(),
               organisation_id=by.organisation_id, changes={"cancel_reason": reason.strip()})


def orders_of(county_code: str, statuses: Iterable[OrderStatus] = ACTIVE) -> list[PooledOrder]:
    """The county's pooled orders in ``statuses``, by deadline."""
    return list(db.session.scalars(
        sa.select(PooledOrder).where(PooledOrder.county_code == county_code,
                                     PooledOrder.status.in_(list(statuses)))
        .options(selectinload(PooledOrder.commitments))
        .order_by(PooledOrder.deadline, PooledOrder.id)))


def orders_open_for_decision(county_code: str) -> list[PooledOrder]:
    """Orders the logistics meeting could decide: commitments made, not yet placed.

    Each has a stable ``id``, a ``title`` and a ``status`` (open or closed round).
    """
    return [order for order in orders_of(county_code, UNDECIDED) if order.committed > 0]


# --- What was received, and what is still expected ------------------------------------------

def received_by(order_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """Units received per (order id, organisation id) in confirmed deliveries."""
    rows = db.session.execute(
        sa.select(Delivery.order_id, DeliveryShare.organisation_id,
                  sa.func.sum(DeliveryShare.quantity))
        .join(DeliveryShare, DeliveryShare.delivery_id == Delivery.id)
        .where(Delivery.order_id.in_(list(order_ids)),
               Delivery.status == DeliveryStatus.CONFIRMED)
        .group_by(Delivery.order_id, DeliveryShare.organisation_id))
    return {(order_id, org_id): int(units) for order_id, org_id, units in rows}


def delivered_totals(order_ids: Sequence[int]) -> dict[int, int]:
    """Units received from the supplier per order (confirmed deliveries, split or not)."""
    rows = db.session.execute(
        sa.select(Delivery.order_id, sa.func.sum(Delivery.quantity))
        .where(Delivery.order_id.in_(list(order_ids)),
               Delivery.status == DeliveryStatus.CONFIRMED).group_by(Delivery.order_id))
    return {order_id: int(units) for order_id, units in rows}


def remaining_commitments(order: PooledOrder, received: dict[tuple[int, int], int]
                          ) -> dict[int, int]:
    """Committed minus received, per organisation id (never below 0)."""
    return {c.organisation_id: max(0, c.quantity - received.get((order.id, c.organisation_id), 0))
            for c in order.commitments}


@expected_source
def expected_deliveries(org_ids: list[int]) -> list[ExpectedDelivery]:
    """Ordered, not yet delivered units of placed orders for these organisations, with the
    dates the supplier promised (the county picture counts them as ordered)."""
    involved = sa.select(Commitment.order_id).where(Commitment.organisation_id.in_(org_ids))
    orders = list(db.session.scalars(
        sa.select(PooledOrder).where(PooledOrder.status == OrderStatus.PLACED,
                                     PooledOrder.id.in_(involved))
        .options(selectinload(PooledOrder.commitments), selectinload(PooledOrder.schedule))))
    if not orders:
        return []
    ids = [order.id for order in orders]
    received, delivered = received_by(ids), delivered_totals(ids)
    wanted = set(org_ids)
    found = []
    for order in orders:
        remaining = {org: units for org, units in remaining_commitments(order, received).items()
                     if org in wanted}
        plan = expected_schedule([(s.expected_on, s.quantity) for s in order.schedule],
                                 delivered.get(order.id, 0), remaining)
        found.extend(ExpectedDelivery(item.key, order.offer.material_id, item.expected_on,
                                      item.quantity) for item in plan)
    return found


def expected_for_order(order: PooledOrder) -> dict[int, int]:
    """Units each organisation still expects from this order (nothing unless placed)."""
    if order.status is not OrderStatus.PLACED:
        return {}
    return remaining_commitments(order, received_by([order.id]))


# --- The order page's figures ----------------------------------------------------------------

@dataclass(frozen=True)
class OrderRow:
    """One invited organisation's line on the order page (SEK excluding VAT)."""

    organisation: Organisation
    committed: int
    received: int
    commitment_cost: Decimal
    received_value: Decimal  # booked in the ledger for this order
    outstanding: Decimal  # what it owes the lead for all joint purchases, from the ledger

    @property
    def remaining(self) -> int:
        return max(0, self.committed - self.received)


def order_rows(order: PooledOrder, invited: list[Organisation]) -> list[OrderRow]:
    """Commitments, deliveries and debts per invited organisation, in a fixed number of
    queries. Values come from the ledger entries of the order's deliveries."""
    committed = {c.organisation_id: c.quantity for c in order.commitments}
    received = received_by([order.id])
    values: dict[int, Decimal] = defaultdict(Decimal)
    lead = order.lead_organisation_id
    for entry in entries_for(LEDGER_SOURCE, [d.id for d in order.deliveries]):
        if entry.from_organisation_id == lead:
            values[entry.to_organisation_id] += entry.value
    owed = {debt.debtor_id: debt.outstanding
            for debt in debts([lead], source_types=(LEDGER_SOURCE,)) if debt.creditor_id == lead}
    price = order.offer.unit_price
    return [OrderRow(org, committed.get(org.id, 0), received.get((order.id, org.id), 0),
                     price * committed.get(org.id, 0), values.get(org.id, Decimal(0)),
                     owed.get(org.id, Decimal(0)))
            for org in invited]
