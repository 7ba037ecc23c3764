"""Carrying out a decision: the giver marks a transfer sent, the receiver marks it received
(booked in the ledger at the round's price), and the coordinator settles any difference.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.core.workflow import transition
from app.extensions import db
from app.ledger.models import LedgerEntry
from app.ledger.services import Source, book, entries_for, reverse
from app.redistribution.models import DecidedTransfer, Decision, TransferState
from app.reports.periods import today

SOURCE_TYPE = "decision"


class ExecutionError(ValueError):
    """A step the transfer cannot take now; the message is for the user."""


def source_of(decision: Decision) -> Source:
    return Source(SOURCE_TYPE, decision.id, decision.number)


def mark_sent(transfer: DecidedTransfer, quantity: int, *, by: Any) -> None:
    """The giver has sent ``quantity`` units (usually what was decided)."""
    if quantity <= 0:
        raise ExecutionError(gettext("Ange hur många som skickades (minst 1)."))
    transition(transfer, TransferState.SENT, by=by, organisation_id=transfer.giver_id,
               changes={"sent_quantity": quantity, "sent_at": datetime.now(UTC)})


def mark_received(transfer: DecidedTransfer, quantity: int, *, by: Any,
                  booked_on: date | None = None) -> None:
    """The receiver got ``quantity`` units: booked giver → receiver at the round's price.

    A quantity other than the one sent leaves the transfer with a difference that stays
    visible until the coordinator settles it.
    """
    if quantity < 0:
        raise ExecutionError(gettext("Antalet kan inte vara negativt."))
    state = (TransferState.RECEIVED if quantity == transfer.sent_quantity
             else TransferState.DIFFERENCE)
    transition(transfer, state, by=by, organisation_id=transfer.receiver_id,
               changes={"received_quantity": quantity, "received_at": datetime.now(UTC)})
    if quantity:
        book(material=transfer.material, quantity=quantity, unit_price=transfer.unit_price,
             source=source_of(transfer.decision), booked_on=booked_on or today(),
             from_org=transfer.giver, to_org=transfer.receiver, by=by)


def resolve_difference(transfer: DecidedTransfer, note: str, *, settled_quantity: int,
                       by: Any) -> None:
    """Settle a difference: ``settled_quantity`` is what the receiver finally got.

    When it differs from what was booked at receipt, the booking is reversed and the
    settled quantity booked instead (the books are never edited).
    """
    if not note.strip():
        raise ExecutionError(gettext("Beskriv hur skillnaden har retts ut."))
    if settled_quantity < 0:
        raise ExecutionError(gettext("Antalet kan inte vara negativt."))
    if settled_quantity != transfer.received_quantity:
        _rebook(transfer, settled_quantity, note, by)
    transition(transfer, TransferState.RESOLVED, by=by, reason=note.strip(),
               changes={"resolution": note.strip(), "received_quantity": settled_quantity})


def _rebook(transfer: DecidedTransfer, quantity: int, note: str, by: Any) -> None:
    for entry in _bookings(transfer):
        reverse(entry, note, by=by)
    if quantity:
        book(material=transfer.material, quantity=quantity, unit_price=transfer.unit_price,
             source=source_of(transfer.decision), booked_on=today(),
             from_org=transfer.giver, to_org=transfer.receiver, by=by)


def _bookings(transfer: DecidedTransfer) -> list[LedgerEntry]:
    """The transfer's standing (unreversed) bookings."""
    entries = [e for e in entries_for(SOURCE_TYPE, [transfer.decision_id])
               if e.material_id == transfer.material_id
               and e.from_organisation_id == transfer.giver_id
               and e.to_organisation_id == transfer.receiver_id]
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [e for e in entries if e.reverses_id is None and e.id not in reversed_ids]


def transfers_of_organisation(organisation_id: int) -> list[DecidedTransfer]:
    """The decided transfers an organisation gives or receives, newest decision first."""
    return list(db.session.scalars(
        sa.select(DecidedTransfer).join(Decision)
        .where(sa.or_(DecidedTransfer.giver_id == organisation_id,
                      DecidedTransfer.receiver_id == organisation_id))
        .order_by(Decision.decided_on.desc(), DecidedTransfer.id)))


def open_differences(decision: Decision) -> list[DecidedTransfer]:
    return [t for t in decision.transfers if t.state is TransferState.DIFFERENCE]
