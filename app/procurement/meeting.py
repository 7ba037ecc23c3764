"""Pooled orders before the logistics meeting: the agenda source the meeting page asks for
the county's undecided orders, and what the meetings resolved about one order."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext
from sqlalchemy.orm import selectinload

from app.core.formatting import number, short_date
from app.extensions import db
from app.procurement.labels import ORDER_STATUS
from app.procurement.models import PooledOrder
from app.procurement.orders import orders_open_for_decision
from app.redistribution.agenda import Subject, SubjectSource, agenda_source
from app.redistribution.decisions import on_agenda, subject_items
from app.redistribution.models import AgendaItem

KIND = "pooled_order"


def subject(order: PooledOrder) -> Subject:
    """A pooled order as an agenda item shows it: its title and its commitments so far."""
    offer = order.offer
    summary = gettext(
        "%(status)s: %(committed)s av %(offered)s %(unit)s åtagna, à %(price)s kr från "
        "%(supplier)s; sista dag för åtaganden %(deadline)s.",
        status=ORDER_STATUS[order.status], committed=number(order.committed),
        offered=number(offer.quantity), unit=offer.material.unit,
        price=number(offer.unit_price, 2), supplier=offer.supplier.name,
        deadline=short_date(order.deadline))
    return Subject(KIND, order.id, gettext("Samordnat inköp: %(title)s", title=order.title),
                   summary, url_for("procurement.order", order_id=order.id),
                   gettext("Öppna inköpet"))


def _open_in(county_code: str) -> list[Subject]:
    """Undecided orders with commitments that no meeting has on its agenda (unless tabled)."""
    orders = orders_open_for_decision(county_code)
    taken = on_agenda(KIND, [order.id for order in orders])
    return [subject(order) for order in orders if order.id not in taken]


def _by_ids(ids: Iterable[int]) -> dict[int, Subject]:
    orders = db.session.scalars(sa.select(PooledOrder).where(PooledOrder.id.in_(list(ids)))
                                .options(selectinload(PooledOrder.commitments)))
    return {order.id: subject(order) for order in orders}


agenda_source(KIND, SubjectSource(open_in=_open_in, by_ids=_by_ids))


def meeting_items(order: PooledOrder) -> list[AgendaItem]:
    """The logistics meetings' items about this order, oldest first."""
    return subject_items(KIND, order.id)
