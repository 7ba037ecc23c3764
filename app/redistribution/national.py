"""The request for national allocation (begäran om nationell tilldelning) to Socialstyrelsen
for the need the county cannot cover, and the split of an allocation that arrives.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.allocation import EQUAL_DAYS, Site, split_delivery
from app.core import audit
from app.core.models import Material
from app.core.reference import NATIONAL_BOARD_NAME
from app.core.workflow import transition
from app.documents.spreadsheets import Sheet
from app.extensions import db
from app.ledger.services import Source, book
from app.redistribution import plan
from app.redistribution.decisions import decided_plan
from app.redistribution.models import (
    AllocationShare,
    AllocationState,
    Decision,
    NationalAllocation,
    NationalRequest,
    RequestLine,
    RequestState,
    Round,
)
from app.redistribution.rounds import RoundInputs, inputs

SOURCE_TYPE = "national_allocation"


class NationalError(ValueError):
    """A request or allocation step that cannot be taken; the message is for the user."""


def _after_decision(round_: Round) -> tuple[RoundInputs, dict[tuple[int, int], plan.Coverage]]:
    decision = db.session.scalar(sa.select(Decision).where(Decision.round_id == round_.id))
    data = inputs(round_)
    return data, plan.coverage(data.sites, decided_plan(decision), data.rules)


def unmet_lines(round_: Round) -> list[RequestLine]:
    """Per municipality and material, the need for the horizon left after the decision."""
    _, cover = _after_decision(round_)
    return [RequestLine(organisation_id=org_id, material_id=material_id,
                        unmet_need=item.shortage_after, days_before=_finite(item.before),
                        days_after=_finite(item.after))
            for (org_id, material_id), item in sorted(cover.items()) if item.shortage_after]


def _finite(days: float) -> float | None:
    return None if days == float("inf") else round(days, 2)


def create_request(round_: Round, *, justification: str, by: Any) -> NationalRequest:
    """A draft request with every unmet need of the decided round (one per round).

    Raises :class:`NationalError` when the decision leaves no shortage.
    """
    existing = db.session.scalar(sa.select(NationalRequest)
                                 .where(NationalRequest.round_id == round_.id))
    if existing is not None:
        return existing
    lines = unmet_lines(round_)
    if not lines:
        raise NationalError(gettext("Beslutet täcker hela behovet; det finns inget att begära."))
    request = NationalRequest(round=round_, justification=justification.strip(),
                              created_by_id=getattr(by, "id", None))
    request.lines = lines
    db.session.add(request)
    db.session.flush()
    audit.record("national_request.create", "national_request", request.id,
                 after=audit.snapshot(request) | {"lines": len(lines)})
    return request


def update_justification(request: NationalRequest, text: str) -> None:
    if request.state is not RequestState.DRAFT:
        raise NationalError(gettext("Begäran är skickad och kan inte ändras."))
    before = audit.snapshot(request)
    request.justification = text.strip()
    db.session.flush()
    audit.record("national_request.update", "national_request", request.id, before=before,
                 after=audit.snapshot(request))


def mark_sent(request: NationalRequest, sent_on: date, *, by: Any) -> None:
    if not request.justification.strip():
        raise NationalError(gettext("Skriv en motivering innan begäran skickas."))
    transition(request, RequestState.SENT, by=by, changes={"sent_on": sent_on})


def mark_answered(request: NationalRequest, answer: str, *, by: Any) -> None:
    transition(request, RequestState.ANSWERED, by=by, changes={"answer": answer.strip()})


def request_sheet(request: NationalRequest) -> Sheet:
    """The request as one table: material, municipality, unmet need and the evidence."""
    return Sheet("Begäran", ["Material", "Enhet", "Kommun", "Kommunkod", "Behov som inte täcks",
                             "Dagar av tillgång före", "Dagar av tillgång efter omfördelning"],
                 [[line.material.name_sv, line.material.unit, line.organisation.name,
                   line.organisation.scb_code, line.unmet_need, line.days_before,
                   line.days_after] for line in sorted(request.lines, key=_line_order)])


def _line_order(line: RequestLine) -> tuple[int, str]:
    return (line.material.sort_order, line.organisation.name)


def record_allocation(request: NationalRequest, material: Material, quantity: int,
                      received_on: date, *, by: Any) -> NationalAllocation:
    """An allocation that arrived, with its proposed split by need (equal days of supply,
    whole packs) over the municipalities' coverage after the decision."""
    if request.state is RequestState.DRAFT:
        raise NationalError(gettext("Begäran är inte skickad än."))
    if quantity <= 0 or quantity % material.pack_size:
        raise NationalError(gettext("Ange antalet i hela förpackningar om %(pack)s.",
                                    pack=material.pack_size))
    split = proposed_split(request.round, material, quantity)
    allocation = NationalAllocation(request=request, material=material, quantity=quantity,
                                    received_on=received_on, created_by_id=getattr(by, "id", None))
    allocation.shares = [AllocationShare(organisation_id=org_id, quantity=units)
                         for org_id, units in split.items()]
    db.session.add(allocation)
    db.session.flush()
    audit.record("national_allocation.create", "national_allocation", allocation.id,
                 after=audit.snapshot(allocation) | {"shares": _shares(allocation)})
    return allocation


def proposed_split(round_: Round, material: Material, quantity: int) -> dict[int, int]:
    """``quantity`` units split by the engine among the round's municipalities."""
    data, cover = _after_decision(round_)
    sites = []
    for site in data.sites:
        if site.material_id == material.id:
            item = cover[(site.organisation_id, site.material_id)]
            units = site.stock + site.incoming + item.received - item.given
            sites.append(Site(code=str(site.organisation_id), stock=max(0, units),
                              daily_use=site.daily_use))
    if not sites:
        raise NationalError(gettext("Ingen kommun i omgången har rapporterat materialet."))
    split = split_delivery(quantity, sites, pack_size=material.pack_size, principle=EQUAL_DAYS)
    return {int(code): units for code, units in split.items()}


def _shares(allocation: NationalAllocation) -> dict[str, int]:
    return {str(share.organisation_id): share.quantity for share in allocation.shares}


def adjust_share(allocation: NationalAllocation, organisation_id: int, quantity: int,
                 *, by: Any) -> None:
    """Change one municipality's share of a proposed split (confirmed splits never change)."""
    if allocation.state is not AllocationState.PROPOSED:
        raise NationalError(gettext("Fördelningen är bekräftad och kan inte ändras."))
    if quantity < 0 or quantity % allocation.material.pack_size:
        raise NationalError(gettext("Ange antalet i hela förpackningar om %(pack)s.",
                                    pack=allocation.material.pack_size))
    share = next((s for s in allocation.shares if s.organisation_id == organisation_id), None)
    if share is None:
        raise NationalError(gettext("Kommunen finns inte i fördelningen."))
    before = _shares(allocation)
    share.quantity = quantity
    allocation.updated_at = datetime.now(UTC)  # moves the version: stale forms are refused
    db.session.flush()
    audit.record("national_allocation.adjust", "national_allocation", allocation.id,
                 before={"shares": before}, after={"shares": _shares(allocation)},
                 user_id=getattr(by, "id", None))


def split_difference(allocation: NationalAllocation) -> int:
    """Units the shares leave undistributed (negative: more shared out than arrived)."""
    return allocation.quantity - sum(share.quantity for share in allocation.shares)


def confirm_allocation(allocation: NationalAllocation, *, unit_price: Decimal,
                       by: Any) -> None:
    """Confirm the split and book each share from Socialstyrelsen to the municipality."""
    if split_difference(allocation):
        raise NationalError(gettext("Fördelningen måste summera till det som kom "
                                    "(%(quantity)s).", quantity=allocation.quantity))
    transition(allocation, AllocationState.CONFIRMED, by=by)
    source = Source(SOURCE_TYPE, allocation.id,
                    gettext("Nationell tilldelning %(id)s", id=allocation.id))
    for share in allocation.shares:
        if share.quantity:
            book(material=allocation.material, quantity=share.quantity, unit_price=unit_price,
                 source=source, booked_on=allocation.received_on, to_org=share.organisation,
                 external_party=NATIONAL_BOARD_NAME, by=by)


def request_of_round(round_: Round) -> NationalRequest | None:
    return db.session.scalar(sa.select(NationalRequest)
                             .where(NationalRequest.round_id == round_.id))
