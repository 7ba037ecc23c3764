"""Deliveries of pooled orders: register, split by need, adjust, confirm, book, receive.

A registered delivery gets a proposed split at once (:func:`~app.procurement.plans.propose_split`
on the county's latest reported figures, read through
:func:`app.reports.supply.county_supply`). The lead may adjust each share; confirming
books the goods in the ledger (supplier → lead → each municipality, at the offer's price),
issues the distribution note (fördelningsbesked) as a stored PDF and locks the split.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.allocation import Site
from app.auth.models import User
from app.core import audit, workflow
from app.core.models import Organisation
from app.core.workflow import check_version, transition
from app.documents.archive import store_pdf
from app.documents.pdf import render_pdf
from app.extensions import db
from app.ledger.services import Source, book, value_of
from app.procurement.models import (
    Delivery,
    DeliveryShare,
    DeliveryStatus,
    OrderStatus,
    PooledOrder,
    ShareStatus,
)
from app.procurement.orders import (
    LEDGER_SOURCE,
    expected_for_order,
    received_by,
    remaining_commitments,
)
from app.procurement.plans import (
    Participant,
    average_days,
    coverage_after,
    participant,
    propose_split,
)
from app.procurement.services import ProcurementError, latest_supply
from app.reports.periods import today
from app.reports.supply import CountySupply

DOCUMENT_KIND = "distribution_note"


def participants(order: PooledOrder, supply: CountySupply,
                 exclude_delivery: Delivery | None = None) -> list[Participant]:
    """The organisations still owed units of the order, as the split sees them.

    Their incoming leaves out what they expect from this very order (it is what is being
    split); organisations without a report count as needing their remaining commitment.
    """
    remaining = remaining_commitments(order, received_by([order.id]))
    committed = [c for c in order.commitments if c.quantity > 0]
    sites = _reported_sites(order, supply, [c.organisation_id for c in committed])
    assumed = average_days(list(sites.values()))
    return [participant(str(c.organisation_id), remaining[c.organisation_id],
                        supply.horizon_days, sites.get(c.organisation_id), assumed)
            for c in committed]


def _reported_sites(order: PooledOrder, supply: CountySupply, org_ids: list[int]
                    ) -> dict[int, Site]:
    """The reported sites of these organisations, without what this order brings them."""
    own_expected = expected_for_order(order)
    sites = {}
    for org_id in org_ids:
        figure = supply.figures.get((org_id, order.offer.material_id))
        if figure is not None:
            own = min(own_expected.get(org_id, 0), figure.ordered)
            site = figure.site()
            sites[org_id] = replace(site, incoming=max(0, site.incoming - own))
    return sites


def register_delivery(order: PooledOrder, *, received_on: date, quantity: int,
                      by: User) -> Delivery:
    """Record goods received for a placed order and propose their split; audited.

    Raises :class:`ProcurementError` for an order not placed, a date before the order or
    in the future, a quantity larger than the whole offer, or while another delivery's
    split is still unconfirmed.
    """
    if order.status is not OrderStatus.PLACED:
        raise ProcurementError(_l("Leveranser kan bara registreras för en lagd beställning."))
    if any(d.status is DeliveryStatus.PROPOSED for d in order.deliveries):
        raise ProcurementError(_l("Bekräfta fördelningen av den förra leveransen först."))
    if received_on > today() or (order.ordered_on and received_on < order.ordered_on):
        raise ProcurementError(_l("Mottagningsdagen ska ligga mellan beställningsdagen och "
                                  "i dag."), "received_on")
    if quantity > order.offer.quantity:
        raise ProcurementError(_l("Leveransen kan inte vara större än hela erbjudandet "
                                  "(%(quantity)s).", quantity=order.offer.quantity), "quantity")
    delivery = Delivery(order=order, number=len(order.deliveries) + 1, received_on=received_on,
                        quantity=quantity, created_by_id=by.id)
    db.session.add(delivery)
    material = order.offer.material
    proposal = propose_split(quantity, participants(order, latest_supply(order.county_code,
                                                                         [material])),
                             material.pack_size)
    delivery.shares = [DeliveryShare(organisation_id=int(code), proposed=units, quantity=units)
                       for code, units in proposal.shares.items()]
    db.session.flush()
    audit.record("delivery.create", "delivery", delivery.id, after=audit.snapshot(delivery) | {
        "shares": {code: units for code, units in proposal.shares.items()}},
        organisation_id=by.organisation_id, user_id=by.id)
    return delivery


def locked_delivery(delivery_id: int) -> Delivery | None:
    """The delivery, locked until the transaction ends (adjusting and confirming its split)."""
    return workflow.locked(Delivery, delivery_id)


def adjust_share(delivery: Delivery, org_id: int, quantity: int, *, by: User) -> DeliveryShare:
    """Change one organisation's share of a proposed (locked) split; audited.

    Raises :class:`ProcurementError` once the split is confirmed, above the organisation's
    remaining commitment, or when the shares would add up to more than was received.
    """
    if delivery.status is not DeliveryStatus.PROPOSED:
        raise ProcurementError(_l("Fördelningen är bekräftad och kan inte ändras."))
    share = next((s for s in delivery.shares if s.organisation_id == org_id), None)
    if share is None:
        raise ProcurementError(_l("Organisationen har inget åtagande i beställningen."))
    remaining = remaining_commitments(delivery.order, received_by([delivery.order_id]))
    if quantity > remaining.get(org_id, 0):
        raise ProcurementError(_l("Högst %(max)s: det som återstår av åtagandet.",
                                  max=remaining.get(org_id, 0)), "quantity")
    others = delivery.distributed - share.quantity
    if others + quantity > delivery.quantity:
        raise ProcurementError(_l("Högst %(max)s: mer än så finns inte kvar av leveransen.",
                                  max=delivery.quantity - others), "quantity")
    before = audit.snapshot(share)
    share.quantity = quantity
    db.session.flush()
    audit.record("delivery_share.adjust", "delivery_share", share.id, before=before,
                 after=audit.snapshot(share), organisation_id=by.organisation_id, user_id=by.id)
    return share


def split_problem(delivery: Delivery) -> str | None:
    """Why the split cannot be confirmed yet, or None: it must use everything received
    unless every remaining commitment is met."""
    undistributed = delivery.undistributed
    if undistributed < 0:
        return gettext("Andelarna är större än leveransen.")
    if undistributed == 0:
        return None
    remaining = remaining_commitments(delivery.order, received_by([delivery.order_id]))
    if any(share.quantity < remaining.get(share.organisation_id, 0) for share in delivery.shares):
        return gettext("%(units)s är inte fördelade fast några åtaganden inte är uppfyllda. "
                       "Fördela resten.", units=undistributed)
    return None


@dataclass(frozen=True)
class NoteLine:
    """One organisation's line of the distribution note (cost in SEK excluding VAT)."""

    organisation: Organisation
    quantity: int
    packs: int
    loose: int
    cost: Decimal


def note_lines(delivery: Delivery) -> list[NoteLine]:
    """Each organisation's share of the delivery with its packs and cost, by name."""
    material, price = delivery.order.offer.material, delivery.order.offer.unit_price
    return [NoteLine(share.organisation, share.quantity, share.quantity // material.pack_size,
                     share.quantity % material.pack_size, value_of(share.quantity, price))
            for share in sorted(delivery.shares, key=lambda s: s.organisation.name)]


def _book(delivery: Delivery, by: User) -> None:
    """Supplier → lead for everything received, then lead → each other organisation."""
    order = delivery.order
    offer, lead = order.offer, order.lead_organisation
    source = Source(LEDGER_SOURCE, delivery.id, order.reference)
    book(material=offer.material, quantity=delivery.quantity, unit_price=offer.unit_price,
         source=source, booked_on=delivery.received_on, to_org=lead,
         external_party=offer.supplier.name, by=by)
    for share in delivery.shares:
        if share.quantity > 0 and share.organisation_id != lead.id:
            book(material=offer.material, quantity=share.quantity, unit_price=offer.unit_price,
                 source=source, booked_on=delivery.received_on, to_org=share.organisation,
                 from_org=lead, by=by)


def confirm_delivery(delivery: Delivery, *, by: User, version: int | None) -> None:
    """Lock the split, book it and issue the distribution note (stored PDF).

    Raises ``StaleObject`` for a form that showed another version, and
    :class:`ProcurementError` while :func:`split_problem` finds one.
    """
    check_version(delivery, version)
    problem = split_problem(delivery)
    if problem:
        raise ProcurementError(problem)
    transition(delivery, DeliveryStatus.CONFIRMED, by=by, organisation_id=by.organisation_id)
    _book(delivery, by)
    delivery.document_id = issue_note(delivery, by).id
    db.session.flush()


def issue_note(delivery: Delivery, by: User):  # noqa: ANN201 - a StoredDocument
    """Render and store the distribution note of a confirmed delivery."""
    order = delivery.order
    title = gettext("Fördelningsbesked, %(title)s", title=order.title)
    lines = note_lines(delivery)
    pdf = render_pdf("procurement/pdf/distribution_note.html", title=title,
                     number=delivery.reference, delivery=delivery, order=order, lines=lines,
                     total_cost=sum((line.cost for line in lines), Decimal(0)),
                     issued_by=by, issued_at=datetime.now(UTC))
    return store_pdf(pdf, kind=DOCUMENT_KIND, title=title, number=delivery.reference,
                     source_type="delivery", source_id=delivery.id, by=by)


def confirm_receipt(share: DeliveryShare, *, by: User) -> None:
    """The organisation confirms that it received its share of a confirmed delivery."""
    if share.delivery.status is not DeliveryStatus.CONFIRMED:
        raise ProcurementError(_l("Fördelningen är inte bekräftad än."))
    transition(share, ShareStatus.RECEIVED, by=by, organisation_id=share.organisation_id,
               changes={"received_by_id": by.id, "received_at": datetime.now(UTC)})


@dataclass(frozen=True)
class SplitRow:
    """A row of the proposed split: the share and the coverage it gives (days)."""

    share: DeliveryShare
    remaining: int
    reported: bool
    before_days: float | None
    after_days: float | None
    packs: int
    loose: int


def split_rows(delivery: Delivery) -> list[SplitRow]:
    """The proposed split with each organisation's days of supply before and after."""
    order = delivery.order
    material = order.offer.material
    found = {p.code: p for p in participants(order, latest_supply(order.county_code, [material]))}
    rows = []
    for share in sorted(delivery.shares, key=lambda s: s.organisation.name):
        p = found.get(str(share.organisation_id))
        reported = p is not None and p.reported
        rows.append(SplitRow(
            share, p.remaining if p else 0, reported,
            p.site.coverage() if reported else None,
            coverage_after(p, share.quantity) if reported else None,
            share.quantity // material.pack_size, share.quantity % material.pack_size))
    return rows
