"""The logistics meeting: its record, outcomes per transfer, and the decision with its PDF."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.auth.access import can_configure_county, roles_required
from app.auth.roles import COUNTY_COORDINATORS, REDISTRIBUTION_READERS
from app.core.models import Organisation
from app.core.workflow import StaleObject, transition
from app.documents.archive import send_document
from app.extensions import db
from app.redistribution import decisions, execution, rounds
from app.redistribution.agenda import open_subjects, subjects_of
from app.redistribution.forms import (
    AgendaForm,
    DecisionForm,
    MeetingForm,
    OutcomeForm,
    ResolutionForm,
    ResolveForm,
)
from app.redistribution.models import (
    AgendaItem,
    DecidedTransfer,
    Decision,
    ItemStatus,
    Meeting,
    MeetingState,
    Round,
    RoundState,
    TransferState,
)
from app.redistribution.presentation import plan_view
from app.redistribution.views.common import check_county, county_or_404
from app.reports.services import materials

bp = Blueprint("meetings", __name__, url_prefix="/omfordelning")


def _meeting_or_404(meeting_id: int, *, manage: bool = False) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    check_county(meeting.county_code, manage=manage)
    return meeting


def _organisation_choices(county_code: str) -> list[tuple[int, str]]:
    orgs = db.session.scalars(sa.select(Organisation).where(
        Organisation.county_code == county_code).order_by(Organisation.kind, Organisation.name))
    return [(0, "–")] + [(org.id, org.name) for org in orgs]


def _meeting_form(county_code: str, meeting: Meeting | None = None) -> MeetingForm:
    data = None
    if meeting is not None and request.method == "GET":
        data = {"held_on": meeting.held_on, "notes": meeting.notes, "participants": [
            {"name": p.name, "organisation_id": p.organisation_id or 0}
            for p in meeting.participants]}
    form = MeetingForm(data=data)
    while len(form.participants) < 8:
        form.participants.append_entry()
    choices = _organisation_choices(county_code)
    for entry in form.participants:
        entry.organisation_id.choices = choices
    return form


def _participants(form: MeetingForm) -> list[tuple[str, int | None]]:
    return [(entry.form.name.data or "", entry.form.organisation_id.data or None)
            for entry in form.participants]


@bp.route("/lan/<county_code>/moten", methods=["GET", "POST"])
@roles_required(REDISTRIBUTION_READERS)
def meetings(county_code: str) -> Response | tuple[str, int]:
    """The county's logistics meetings, and (for coordinators) a new one."""
    county = county_or_404(county_code)
    can_manage = can_configure_county(current_user, county.code)
    form = _meeting_form(county.code)
    if request.method == "POST":
        check_county(county.code, manage=True)
        if form.validate():
            meeting = decisions.create_meeting(county.code, form.held_on.data,
                                               _participants(form), by=current_user)
            db.session.commit()
            return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("redistribution/meetings.html", county=county, form=form,
                           meetings=decisions.meetings_of(county.code),
                           can_manage=can_manage), 422 if form.errors else 200


def _meeting_context(meeting: Meeting, **extra: object) -> dict[str, object]:
    catalogue = {m.id: m for m in materials()}
    views = {}
    for item in meeting.items:
        if item.round is not None and item.round.latest is not None:
            data = rounds.inputs(item.round)
            views[item.id] = (data, plan_view(data, rounds.transfers_of(item.round.latest),
                                              catalogue))
    open_rounds = db.session.scalars(sa.select(Round).where(
        Round.county_code == meeting.county_code, Round.state == RoundState.PROPOSAL,
        ~Round.id.in_(sa.select(AgendaItem.round_id).where(AgendaItem.round_id.is_not(None))))
    ).all()
    agenda_form = extra.pop("agenda_form", None) or AgendaForm()
    agenda_form.round_id.choices = [(0, "–")] + [(r.id, r.title) for r in open_rounds]
    candidates = open_subjects(meeting.county_code) if meeting.state is MeetingState.OPEN else []
    agenda_form.subject.choices = [("", "–")] + [(s.token, s.title) for s in candidates]
    return {"meeting": meeting, "views": views, "catalogue": catalogue,
            "subjects": subjects_of((i.subject_type, i.subject_id) for i in meeting.items
                                    if i.subject_type),
            "candidates": {s.token: s for s in candidates},
            "resolution_forms": _resolution_forms(meeting, extra.pop("resolution_form", None)),
            "outcomes": {item.id: {o.key: o for o in item.outcomes} for item in meeting.items},
            "agenda_form": agenda_form, "decision_form": DecisionForm(decided_on=meeting.held_on),
            "decisions": {d.round_id: d for d in db.session.scalars(sa.select(Decision).where(
                Decision.meeting_id == meeting.id))},
            "can_manage": can_configure_county(current_user, meeting.county_code)
            and meeting.state is MeetingState.OPEN, **extra}


def _resolution_form(item: AgendaItem) -> ResolutionForm:
    """The resolution form of one item; its fields are prefixed, as the page has several."""
    return ResolutionForm(prefix=f"item{item.id}")


def _resolution_forms(meeting: Meeting, failed: tuple[int, ResolutionForm] | None
                      ) -> dict[int, ResolutionForm]:
    """A form per undecided item that is not a round; ``failed`` (item id, form) keeps what
    was entered."""
    forms = {item.id: _resolution_form(item) for item in meeting.items
             if item.round_id is None and item.status is ItemStatus.OPEN}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return forms


@bp.route("/mote/<int:meeting_id>")
@roles_required(REDISTRIBUTION_READERS)
def meeting_page(meeting_id: int) -> str:
    """The meeting's record: participants, agenda, outcome per transfer, decisions."""
    meeting = _meeting_or_404(meeting_id)
    return render_template("redistribution/meeting.html", **_meeting_context(meeting))


@bp.route("/mote/<int:meeting_id>/protokoll", methods=["GET", "POST"])
@roles_required(COUNTY_COORDINATORS)
def edit_meeting(meeting_id: int) -> Response | tuple[str, int]:
    """Change the date, participants and notes of an open meeting."""
    meeting = _meeting_or_404(meeting_id, manage=True)
    form = _meeting_form(meeting.county_code, meeting)
    if form.validate_on_submit():
        try:
            decisions.update_meeting(meeting, held_on=form.held_on.data, notes=form.notes.data,
                                     participants=_participants(form))
        except decisions.MeetingError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Protokollet är sparat."), "success")
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("redistribution/meeting_form.html", meeting=meeting, form=form), (
        422 if form.errors else 200)


@bp.route("/mote/<int:meeting_id>/punkt", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def add_item(meeting_id: int) -> Response | tuple[str, int]:
    """Put a round (or another matter) on the meeting's agenda."""
    meeting = _meeting_or_404(meeting_id, manage=True)
    context = _meeting_context(meeting, agenda_form=AgendaForm())
    form = context["agenda_form"]
    if form.validate():
        round_ = db.session.get(Round, form.round_id.data) if form.round_id.data else None
        subject = context["candidates"].get(form.subject.data)
        title = (form.title.data or "").strip() or (
            subject.title if subject else _("Omfördelning, omgång %(title)s", title=round_.title))
        try:
            decisions.add_item(meeting, title=title, round_=round_, subject=subject)
        except decisions.MeetingError as error:
            (form.subject if subject else form.round_id).errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("redistribution/meeting.html", **context), 422


def _item_or_404(item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    check_county(item.meeting.county_code, manage=True)
    return item


@bp.route("/punkt/<int:item_id>/utfall", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def set_outcome(item_id: int) -> tuple[str, int]:
    """Record the meeting's outcome for one line of the proposal (htmx)."""
    item = _item_or_404(item_id)
    form = OutcomeForm()
    key = (form.material_id.data, form.giver_id.data, form.receiver_id.data)
    status, outcome = 200, None
    if not form.validate():
        status = 422
    else:
        try:
            outcome = decisions.set_outcome(item, key, form.outcome.data,
                                            amended_quantity=form.amended_quantity.data,
                                            remark=form.remark.data)
        except decisions.MeetingError as error:
            form.outcome.errors = [str(error)]
            status = 409
        else:
            db.session.commit()
    return render_template("redistribution/_outcome.html", item=item, key=key, form=form,
                           outcome=outcome, saved=status == 200), status


@bp.route("/punkt/<int:item_id>/beslut", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def decide(item_id: int) -> Response | tuple[str, int]:
    """Record the meeting's decision on the round: once, whatever the number of clicks."""
    item = _item_or_404(item_id)
    form = DecisionForm()
    if item.round is None or not form.validate():
        return render_template("redistribution/meeting.html",
                               **_meeting_context(item.meeting, decision_form=form)), 422
    try:
        decision = decisions.record_decision(item, version_number=_int(form.version.data),
                                             decided_on=form.decided_on.data, by=current_user)
        db.session.commit()
    except StaleObject:
        db.session.rollback()
        flash(_("Förslaget ändrades efter att sidan visades. Kontrollera den aktuella versionen "
                "och fatta beslutet igen."), "error")
        return redirect(url_for("meetings.meeting_page", meeting_id=item.meeting_id))
    except rounds.PlanRejected:
        db.session.rollback()
        flash(_("Beslutet kan inte fattas: ett ändrat antal bryter mot reglerna (hela "
                "förpackningar, givarens lager och säkerhetsnivå)."), "error")
        return redirect(url_for("meetings.meeting_page", meeting_id=item.meeting_id))
    except IntegrityError:  # a simultaneous request recorded it first
        db.session.rollback()
        decision = db.session.scalar(sa.select(Decision).where(
            Decision.round_id == item.round_id)) or abort(409)
    return redirect(url_for("meetings.decision_page", decision_id=decision.id))


@bp.route("/punkt/<int:item_id>/avgor", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def resolve_item(item_id: int) -> Response | tuple[str, int]:
    """Record what the meeting resolved on a pooled order or another matter: once."""
    item = _item_or_404(item_id)
    form, status = _resolution_form(item), 422
    if form.validate():
        try:
            decisions.resolve_item(item.id, form.status.data, form.remarks.data,
                                   by=current_user)
        except decisions.MeetingError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 409
        else:
            db.session.commit()
            flash(_("Mötets beslut om punkt %(position)s är antecknat.",
                    position=item.position), "success")
            return redirect(url_for("meetings.meeting_page", meeting_id=item.meeting_id))
    return render_template("redistribution/meeting.html", **_meeting_context(
        item.meeting, resolution_form=(item.id, form))), status


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


@bp.route("/mote/<int:meeting_id>/avsluta", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def close_meeting(meeting_id: int) -> Response:
    """Close the meeting's record; it can no longer be changed."""
    meeting = _meeting_or_404(meeting_id, manage=True)
    if meeting.state is MeetingState.OPEN:
        transition(meeting, MeetingState.CLOSED, by=current_user)
        db.session.commit()
        flash(_("Mötet är avslutat."), "success")
    return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))


def _decision_or_404(decision_id: int, *, manage: bool = False) -> Decision:
    decision = db.get_or_404(Decision, decision_id)
    check_county(decision.county_code, manage=manage)
    return decision


@bp.route("/beslut/<int:decision_id>")
@roles_required(REDISTRIBUTION_READERS)
def decision_page(decision_id: int) -> str:
    """A decision: its transfers and how far they are carried out."""
    decision = _decision_or_404(decision_id)
    catalogue = {m.id: m for m in materials()}
    data = rounds.inputs(decision.round)
    return render_template(
        "redistribution/decision.html", decision=decision, catalogue=catalogue, data=data,
        view=plan_view(data, decisions.decided_plan(decision), catalogue),
        differences=execution.open_differences(decision), resolve_form=ResolveForm(),
        can_manage=can_configure_county(current_user, decision.county_code),
        TransferState=TransferState)


@bp.route("/beslut/<int:decision_id>.pdf")
@roles_required(REDISTRIBUTION_READERS)
def decision_pdf(decision_id: int) -> Response:
    """The decision document exactly as issued (its SHA-256 in a header)."""
    decision = _decision_or_404(decision_id)
    if decision.document is None:
        abort(404)
    return send_document(decision.document)


@bp.route("/beslut/<int:decision_id>/overforing/<int:transfer_id>/los", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def resolve(decision_id: int, transfer_id: int) -> Response | tuple[str, int]:
    """Settle a difference between what was sent and what was received."""
    decision = _decision_or_404(decision_id, manage=True)
    transfer = db.get_or_404(DecidedTransfer, transfer_id)
    if transfer.decision_id != decision.id:
        abort(404)
    form = ResolveForm()
    if form.validate() and transfer.state is TransferState.DIFFERENCE:
        execution.resolve_difference(transfer, form.note.data,
                                     settled_quantity=form.settled_quantity.data, by=current_user)
        db.session.commit()
        flash(_("Skillnaden är utredd och bokföringen stämmer."), "success")
    else:
        flash(_("Skillnaden kunde inte lösas: ange slutligt antal och en förklaring."), "error")
    return redirect(url_for("meetings.decision_page", decision_id=decision.id))
