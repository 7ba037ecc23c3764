"""The logistics meeting (logistikberedning): its record, the outcome per transfer, and the
decision, written once with its PDF.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.models import County, Organisation, OrgKind
from app.core.types import utcnow
from app.core.workflow import StaleObject, locked, transition
from app.documents.archive import store_pdf
from app.documents.pdf import render_pdf
from app.extensions import db
from app.redistribution import plan
from app.redistribution.agenda import Subject, open_subjects
from app.redistribution.models import (
    AgendaItem,
    DecidedTransfer,
    Decision,
    DecisionCounter,
    ItemStatus,
    Meeting,
    MeetingParticipant,
    MeetingState,
    Outcome,
    Round,
    RoundState,
    TransferOutcome,
)
from app.redistribution.presentation import coverage_charts, plan_view, shipments_map
from app.redistribution.rounds import PlanRejected, inputs, transfers_of
from app.reports.services import materials


class MeetingError(ValueError):
    """A change the meeting record cannot take; the message is for the user."""


def create_meeting(county_code: str, held_on: date, participants: Iterable[tuple[str, int | None]],
                   *, by: Any) -> Meeting:
    """A meeting of the county with its participants (name, organisation id or None)."""
    meeting = Meeting(county_code=county_code, held_on=held_on,
                      created_by_id=getattr(by, "id", None))
    set_participants(meeting, participants)
    db.session.add(meeting)
    db.session.flush()
    audit.record("logistics_meeting.create", "logistics_meeting", meeting.id,
                 after=audit.snapshot(meeting) | {"participants": len(meeting.participants)})
    return meeting


def set_participants(meeting: Meeting, participants: Iterable[tuple[str, int | None]]) -> None:
    meeting.participants = [MeetingParticipant(name=name.strip(), organisation_id=org_id)
                            for name, org_id in participants if name.strip()]


def update_meeting(meeting: Meeting, *, held_on: date, notes: str | None,
                   participants: Iterable[tuple[str, int | None]]) -> None:
    """Change the record of an open meeting (nothing when nothing differs); audited."""
    _require_open(meeting)
    wanted = [(name.strip(), org_id) for name, org_id in participants if name.strip()]
    current = [(p.name, p.organisation_id) for p in meeting.participants]
    if (held_on, (notes or "").strip() or None, wanted) == (meeting.held_on, meeting.notes,
                                                            current):
        return
    before = audit.snapshot(meeting) | {"participants": _names(meeting)}
    meeting.held_on, meeting.notes = held_on, (notes or "").strip() or None
    set_participants(meeting, wanted)
    db.session.flush()
    audit.record("logistics_meeting.update", "logistics_meeting", meeting.id, before=before,
                 after=audit.snapshot(meeting) | {"participants": _names(meeting)})


def _names(meeting: Meeting) -> list[str]:
    return [participant.name for participant in meeting.participants]


def _require_open(meeting: Meeting) -> None:
    if meeting.state is not MeetingState.OPEN:
        raise MeetingError(gettext("Mötet är avslutat och protokollet kan inte ändras."))


def add_item(meeting: Meeting, *, title: str, round_: Round | None = None,
             subject: Subject | None = None) -> AgendaItem:
    """A new agenda item: a round still at the proposal stage, a matter another domain
    brings (``subject``, see :mod:`app.redistribution.agenda`), or another matter."""
    _require_open(meeting)
    if round_ is not None:
        if round_.county_code != meeting.county_code or round_.state is not RoundState.PROPOSAL:
            raise MeetingError(gettext("Omgången kan inte tas upp: den har inget förslag att "
                                       "besluta om."))
        if db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.round_id == round_.id)):
            raise MeetingError(gettext("Omgången finns redan på en dagordning."))
    if subject is not None:
        _require_undecided(meeting.county_code, subject)
    item = AgendaItem(position=len(meeting.items) + 1, title=title.strip(), round=round_,
                      subject_type=subject.kind if subject else None,
                      subject_id=subject.id if subject else None)
    meeting.items.append(item)
    db.session.flush()
    audit.record("agenda_item.create", "agenda_item", item.id, after=audit.snapshot(item))
    return item


def _require_undecided(county_code: str, subject: Subject) -> None:
    """A matter comes up when it is open for decision and no meeting has it on its agenda,
    unless a meeting tabled it."""
    if subject.token not in {s.token for s in open_subjects(county_code)}:
        raise MeetingError(gettext("Ärendet kan inte tas upp: det är inte längre öppet för "
                                   "beslut."))
    if db.session.scalar(sa.select(AgendaItem.id).where(
            AgendaItem.subject_type == subject.kind, AgendaItem.subject_id == subject.id,
            AgendaItem.status != ItemStatus.TABLED)):
        raise MeetingError(gettext("Ärendet finns redan på en dagordning."))


def on_agenda(kind: str, ids: Iterable[int]) -> set[int]:
    """Which of these matters are on an agenda and not tabled (not to be offered again)."""
    return set(db.session.scalars(sa.select(AgendaItem.subject_id).where(
        AgendaItem.subject_type == kind, AgendaItem.subject_id.in_(list(ids)),
        AgendaItem.status != ItemStatus.TABLED)))


def resolve_item(item_id: int, status: ItemStatus, remarks: str | None, *, by: Any
                 ) -> AgendaItem:
    """Record what the meeting decided on an item that is not a round: once.

    The row is locked, so of two requests at once the later finds the item resolved; the
    same resolution again changes nothing, another one is refused.
    """
    item = locked(AgendaItem, item_id)
    _require_open(item.meeting)
    remarks = (remarks or "").strip() or None
    if item.round_id is not None:
        raise MeetingError(gettext("En omgång avgörs med ett beslut om omfördelning."))
    if item.status is not ItemStatus.OPEN:
        if (item.status, item.remarks) == (status, remarks):
            return item
        raise MeetingError(gettext("Punkten är redan avgjord."))
    transition(item, status, by=by, reason=remarks,
               changes={"remarks": remarks, "resolved_at": utcnow(),
                        "resolved_by_id": getattr(by, "id", None)})
    return item


def subject_items(kind: str, subject_id: int) -> list[AgendaItem]:
    """The agenda items about one matter, oldest meeting first (for the matter's own page)."""
    return list(db.session.scalars(
        sa.select(AgendaItem).join(Meeting).where(AgendaItem.subject_type == kind,
                                                  AgendaItem.subject_id == subject_id)
        .options(selectinload(AgendaItem.meeting), selectinload(AgendaItem.resolved_by))
        .order_by(Meeting.held_on, AgendaItem.id)))


def set_outcome(item: AgendaItem, key: plan.Key, outcome: Outcome, *,
                amended_quantity: int | None, remark: str | None) -> TransferOutcome:
    """Record what the meeting said about one line of the round's proposal."""
    _require_open(item.meeting)
    if item.round is None or item.round.state is not RoundState.PROPOSAL:
        raise MeetingError(gettext("Beslutet är redan fattat."))
    existing = next((o for o in item.outcomes if o.key == key), None)
    before = audit.snapshot(existing) if existing else None
    record = existing or TransferOutcome(material_id=key[0], giver_id=key[1],
                                         receiver_id=key[2])
    record.outcome = outcome
    record.amended_quantity = amended_quantity if outcome is Outcome.AMENDED else None
    record.remark = (remark or "").strip() or None
    if existing is None:
        item.outcomes.append(record)
    db.session.flush()
    audit.record("transfer_outcome.set", "transfer_outcome", record.id, before=before,
                 after=audit.snapshot(record))
    return record


def agreed_transfers(item: AgendaItem) -> list[plan.PlanTransfer]:
    """The round's latest proposal with the meeting's outcomes applied."""
    outcomes = {o.key: o for o in item.outcomes}
    agreed = []
    for t in transfers_of(item.round.latest):
        outcome = outcomes.get(t.key)
        if outcome is None or outcome.outcome is Outcome.AGREED:
            agreed.append(t)
        elif outcome.outcome is Outcome.AMENDED:
            agreed.append(plan.PlanTransfer(*t.key, outcome.amended_quantity))
    return agreed


def record_decision(item: AgendaItem, *, version_number: int | None, decided_on: date,
                    by: Any) -> Decision:
    """Decide the round on the agenda: once, whatever the number of requests.

    Returns the existing decision when it was already recorded. Raises
    :class:`StaleObject` when the page showed an older proposal version and
    :class:`PlanRejected` when the amended quantities break the plan's rules.
    """
    round_ = locked(Round, item.round_id)
    existing = db.session.scalar(sa.select(Decision).where(Decision.round_id == round_.id))
    if existing is not None:
        return existing
    if round_.latest is None or version_number != round_.latest.number:
        raise StaleObject(round_)
    data = inputs(round_)
    agreed = agreed_transfers(item)
    if problems := plan.check(data.sites, data.materials, agreed, data.rules):
        raise PlanRejected(problems)
    decision = Decision(round_id=round_.id, meeting_id=item.meeting_id,
                        version_number=version_number, county_code=round_.county_code,
                        year=decided_on.year, sequence=_next_sequence(round_.county_code,
                                                                      decided_on.year),
                        decided_on=decided_on, created_by_id=getattr(by, "id", None))
    decision.transfers = [DecidedTransfer(material_id=t.material_id, giver_id=t.giver_id,
                                          receiver_id=t.receiver_id, quantity=t.quantity,
                                          unit_price=data.materials[t.material_id].unit_price)
                          for t in agreed]
    db.session.add(decision)
    db.session.flush()
    transition(round_, RoundState.DECIDED, by=by, reason=decision.number)
    audit.record("decision.create", "decision", decision.id,
                 after=audit.snapshot(decision) | {"number": decision.number,
                                                   "transfers": len(decision.transfers)})
    with force_locale("sv"):
        title = gettext("Beslut om omfördelning")
    decision.document = store_pdf(decision_pdf(decision), kind="redistribution_decision",
                                  title=title,
                                  number=decision.number, source_type="decision",
                                  source_id=decision.id, by=by)
    db.session.flush()
    return decision


def _next_sequence(county_code: str, year: int) -> int:
    """The county's next running decision number of the year (the counter row is locked)."""
    counter = db.session.scalars(
        sa.select(DecisionCounter).where(DecisionCounter.county_code == county_code,
                                         DecisionCounter.year == year)
        .with_for_update()).one_or_none()
    if counter is None:
        counter = DecisionCounter(county_code=county_code, year=year, last=0)
        db.session.add(counter)
    counter.last += 1
    db.session.flush()
    return counter.last


def decided_plan(decision: Decision) -> list[plan.PlanTransfer]:
    return [plan.PlanTransfer(t.material_id, t.giver_id, t.receiver_id, t.quantity)
            for t in decision.transfers]


def document_context(round_: Round, transfers: list[plan.PlanTransfer]) -> dict[str, Any]:
    """What the draft and the decision documents show of a plan."""
    catalogue = {m.id: m for m in materials()}
    data = inputs(round_)
    view = plan_view(data, transfers, catalogue)
    board = db.session.scalar(sa.select(Organisation).where(
        Organisation.county_code == round_.county_code,
        Organisation.kind == OrgKind.COUNTY_BOARD))
    by_material: dict[int, list] = {}
    for trip in view.shipments:
        for line in trip.lines:
            by_material.setdefault(line.material.id, []).append((trip, line))
    return {"round": round_, "view": view, "board": board,
            "county": db.session.get(County, round_.county_code),
            "principles": round_.principles,
            "by_material": [(catalogue[m_id], rows) for m_id, rows in
                            sorted(by_material.items(),
                                   key=lambda item: catalogue[item[0]].sort_order)],
            "map_svg": shipments_map(round_.county_code, view, width=420,
                                     id_prefix="document-map"),
            "coverage_charts": coverage_charts(view, round_.principles.horizon_days),
            "materials": catalogue}


def draft_pdf(round_: Round) -> bytes:
    """The latest proposal as a draft document for the meeting (UTKAST on every page).

    Documents are written in Swedish whatever the UI language, like the decision.
    """
    with force_locale("sv"):
        return _draft_pdf(round_)


def _draft_pdf(round_: Round) -> bytes:
    return render_pdf("redistribution/pdf/decision.html", draft=True,
                      title=gettext("Förslag till omfördelning"),
                      number=gettext("Omgång %(title)s, version %(version)s",
                                     title=round_.title, version=round_.latest.number),
                      decision=None, meeting=None,
                      **document_context(round_, transfers_of(round_.latest)))


def decision_pdf(decision: Decision) -> bytes:
    """The decision document as issued (in Swedish: an official document)."""
    with force_locale("sv"):
        return _decision_pdf(decision)


def _decision_pdf(decision: Decision) -> bytes:
    return render_pdf("redistribution/pdf/decision.html",
                      title=gettext("Beslut om omfördelning"), number=decision.number,
                      decision=decision, meeting=decision.meeting,
                      **document_context(decision.round, decided_plan(decision)))


def meetings_of(county_code: str) -> list[Meeting]:
    return list(db.session.scalars(sa.select(Meeting).where(Meeting.county_code == county_code)
                                   .order_by(Meeting.held_on.desc())))


def decisions_of(county_code: str) -> list[Decision]:
    return list(db.session.scalars(sa.select(Decision).where(Decision.county_code == county_code)
                                   .order_by(Decision.year.desc(), Decision.sequence.desc())))
