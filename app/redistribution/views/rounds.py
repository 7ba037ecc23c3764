"""Redistribution: the county's overview, allocation principles, rounds and their proposals."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import can_comment_in_county, can_configure_county, require, roles_required
from app.auth.roles import COUNTY_COORDINATORS, LOGISTICS_MEMBERS, REDISTRIBUTION_READERS
from app.core.formatting import current_language
from app.core.workflow import StaleObject
from app.documents.downloads import download_name, send_pdf
from app.extensions import db
from app.jobs.models import Job
from app.jobs.services import JobError, run_in_background
from app.redistribution import decisions, plan, principles, rounds
from app.redistribution.forms import (
    AddLineForm,
    CommentForm,
    LineForm,
    NewRoundForm,
    PriceForm,
    PrinciplesForm,
    RerunForm,
)
from app.redistribution.models import Decision, Principle, Round, RoundState, WhatIf
from app.redistribution.presentation import plan_view, shipments_map
from app.redistribution.views.common import check_county, county_or_404, round_or_404
from app.reports.labels import period_label
from app.reports.metrics import traffic_light
from app.reports.periods import parse_period_start, recent_periods, today
from app.reports.services import counties, county_settings, materials
from app.reports.supply import county_municipalities, report_status

bp = Blueprint("redistribution", __name__, url_prefix="/omfordelning")


@bp.route("/")
@roles_required(REDISTRIBUTION_READERS)
def index() -> Response | str:
    """Each user's starting point: their county's redistribution, or a list of counties."""
    county_code = current_user.organisation.county_code
    if county_code:
        return redirect(url_for("redistribution.county", county_code=county_code))
    return render_template("redistribution/counties.html", counties=counties())


@bp.route("/lan/<county_code>/")
@roles_required(REDISTRIBUTION_READERS)
def county(county_code: str) -> str:
    """The county's rounds, meetings and decisions, and where to go next."""
    county = county_or_404(county_code)
    found = db.session.scalars(sa.select(Round).where(Round.county_code == county.code)
                               .order_by(Round.id.desc()).limit(30)).all()
    return render_template(
        "redistribution/county.html", county=county, rounds=found,
        decisions=decisions.decisions_of(county.code)[:30],
        meetings=decisions.meetings_of(county.code)[:10],
        principles=principles.current_principles(county.code),
        can_manage=can_configure_county(current_user, county.code))


# --- Allocation principles ---------------------------------------------------------------

def _price_forms(version, catalogue, formdata=None) -> dict[int, PriceForm]:  # noqa: ANN001
    current = {price.material_id: price.unit_price for price in version.prices}
    return {m.id: PriceForm(formdata=formdata, prefix=f"price-{m.id}",
                            data={"price": current.get(m.id)}) for m in catalogue}


@bp.route("/lan/<county_code>/principer", methods=["GET", "POST"])
@roles_required(REDISTRIBUTION_READERS)
def principles_page(county_code: str) -> Response | tuple[str, int]:
    """The principles in force, their history, and (for coordinators) a new version."""
    county = county_or_404(county_code)
    current = principles.current_principles(county.code)
    catalogue = materials()
    form = PrinciplesForm(obj=current, formdata=None if request.method == "GET" else request.form)
    prices = _price_forms(current, catalogue, None if request.method == "GET" else request.form)
    if request.method == "POST":
        require(can_configure_county(current_user, county.code))
        if form.validate() & all(price_form.validate() for price_form in prices.values()):
            return _save_principles(county.code, form, prices)
    return render_template(
        "redistribution/principles.html", county=county, form=form, prices=prices,
        catalogue=catalogue, current=current, history=principles.history(county.code),
        can_manage=can_configure_county(current_user, county.code)), 422 if (
        form.errors or any(p.errors for p in prices.values())) else 200


def _save_principles(county_code: str, form: PrinciplesForm,
                     prices: dict[int, PriceForm]) -> Response:
    version = principles.change_principles(
        county_code, {name: getattr(form, name).data for name in principles.FIELDS},
        {m_id: Decimal(p.price.data) for m_id, p in prices.items() if p.price.data is not None},
        decided_on=form.decided_at_meeting_on.data, note=form.note.data, by=current_user)
    db.session.commit()
    if version is None:
        flash(_("Inget ändrades: principerna är desamma som förut."), "info")
    else:
        flash(_("Principerna är sparade som version %(number)s.", number=version.number),
              "success")
    return redirect(url_for("redistribution.principles_page", county_code=county_code))


# --- Rounds --------------------------------------------------------------------------------

def _periods(county_code: str) -> list:
    return recent_periods(today(), county_settings(county_code).frequency, 4)[::-1]


@bp.route("/lan/<county_code>/ny-omgang", methods=["GET", "POST"])
@roles_required(COUNTY_COORDINATORS)
def new_round(county_code: str) -> Response | tuple[str, int]:
    """Choose the period, see who has not reported, and start the engine (or wait)."""
    county = county_or_404(county_code, manage=True)
    periods = _periods(county.code)
    form = NewRoundForm()
    form.period.choices = [(p.start.isoformat(), period_label(p)) for p in periods]
    period = parse_period_start(request.values.get("period") or periods[0].start.isoformat(),
                                county_settings(county.code).frequency) or abort(404)
    if form.validate_on_submit():
        try:
            round_ = rounds.open_round(county.code, period, by=current_user)
        except JobError as error:
            form.period.errors.append(str(error))
        else:
            round_id, job_id = round_.id, round_.job_id
            db.session.commit()
            run_in_background(job_id)
            return redirect(url_for("redistribution.round_page", round_id=round_id))
    municipalities = county_municipalities(county.code)
    status = report_status([org.id for org in municipalities], period)
    return render_template("redistribution/new_round.html", county=county, form=form,
                           period=period, municipalities=municipalities, status=status,
                           principles=principles.current_principles(county.code)), (
        422 if form.errors else 200)


def _chosen_version(round_: Round):  # noqa: ANN202
    number = request.args.get("version", type=int)
    if number is None:
        return round_.latest
    return next((v for v in round_.versions if v.number == number), None) or abort(404)


def _round_context(round_: Round, **extra: object) -> dict[str, object]:
    """Everything the round page shows: the chosen version as shipments, coverage and map."""
    catalogue = {m.id: m for m in materials()}
    data = rounds.inputs(round_)
    version = extra.pop("version", None) or _chosen_version(round_)
    view = plan_view(data, rounds.transfers_of(version), catalogue)
    decision = db.session.scalar(sa.select(Decision).where(Decision.round_id == round_.id))
    editable = (round_.state is RoundState.PROPOSAL and version is round_.latest
                and can_configure_county(current_user, round_.county_code))
    return {
        "round": round_, "version": version, "view": view, "data": data,
        "catalogue": catalogue, "editable": editable, "decision": decision,
        "job": db.session.get(Job, round_.job_id) if round_.job_id else None,
        "light": _light(round_.county_code),
        "map_svg": shipments_map(round_.county_code, view) if view.shipments else None,
        "comments": rounds.comments_by_line(round_),
        "can_comment": can_comment_in_county(current_user, round_.county_code)
        and round_.state is RoundState.PROPOSAL,
        "can_manage": can_configure_county(current_user, round_.county_code),
        "add_form": _add_form(round_, data, catalogue) if editable else None,
        "rerun_form": RerunForm(principle=round_.principles.principle),
        "materials_in_round": sorted({catalogue[s.material_id] for s in data.sites},
                                     key=lambda m: m.sort_order),
        **extra,
    }


def _add_form(round_: Round, data: rounds.RoundInputs, catalogue: dict, formdata=None
              ) -> AddLineForm:  # noqa: ANN001
    form = AddLineForm(formdata=formdata, base_version=round_.latest.number)
    choose = (0, _("Välj…"))
    form.material_id.choices = [choose] + [
        (m_id, catalogue[m_id].name_for(current_language()))
        for m_id in sorted(data.materials, key=lambda i: catalogue[i].sort_order)]
    orgs = sorted(data.organisations.values(), key=lambda org: org.name)
    form.giver_id.choices = form.receiver_id.choices = [choose] + [(org.id, org.name)
                                                                   for org in orgs]
    return form


def _light(county_code: str):  # noqa: ANN202 - a template helper
    """Traffic light of a number of days by the county's thresholds."""
    settings = county_settings(county_code)
    return lambda days: traffic_light(days, settings.red_below_days, settings.yellow_below_days)


@bp.route("/omgang/<int:round_id>")
@roles_required(REDISTRIBUTION_READERS)
def round_page(round_id: int) -> str:
    """A round: the engine's progress, then the proposal (a version of it) to review."""
    round_ = round_or_404(round_id)
    return render_template("redistribution/round.html", **_round_context(round_))


@bp.route("/omgang/<int:round_id>/rad", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def edit_line(round_id: int) -> tuple[str, int]:
    """Change, add or remove a line (htmx): checked at once, kept as a new version."""
    round_ = round_or_404(round_id, manage=True)
    form_class = AddLineForm if request.form.get("add") else LineForm
    form = form_class(formdata=request.form)
    if form_class is AddLineForm:
        catalogue = {m.id: m for m in materials()}
        form = _add_form(round_, rounds.inputs(round_), catalogue, formdata=request.form)
    if not form.validate():
        return _proposal(round_, form=form), 422
    key = (form.material_id.data, form.giver_id.data, form.receiver_id.data)
    try:
        version = rounds.edit(round_, base_version=form.base_version.data, key=key,
                              quantity=form.quantity.data, by=current_user)
    except StaleObject:
        db.session.rollback()
        return _proposal(db.session.get(Round, round_id), stale=True), 409
    except rounds.PlanRejected as rejected:
        db.session.rollback()
        return _proposal(db.session.get(Round, round_id), form=form,
                         problems=rejected.problems), 422
    db.session.commit()
    return _proposal(round_, saved=version, unchanged=version is None), 200


def _proposal(round_: Round, **extra: object) -> str:
    return render_template("redistribution/_proposal.html",
                           **_round_context(round_, version=round_.latest, **extra))


@bp.route("/omgang/<int:round_id>/jamfor")
@roles_required(REDISTRIBUTION_READERS)
def compare(round_id: int) -> str:
    """Two versions of the proposal side by side: the lines that differ."""
    round_ = round_or_404(round_id)
    by_number = {v.number: v for v in round_.versions}
    first = by_number.get(request.args.get("fran", type=int)) or abort(404)
    second = by_number.get(request.args.get("till", type=int)) or abort(404)
    data = rounds.inputs(round_)
    catalogue = {m.id: m for m in materials()}
    return render_template(
        "redistribution/compare.html", round=round_, first=first, second=second,
        data=data, catalogue=catalogue,
        changes=plan.changes(rounds.transfers_of(first), rounds.transfers_of(second)),
        views=[plan_view(data, rounds.transfers_of(v), catalogue) for v in (first, second)])


@bp.route("/omgang/<int:round_id>/berakna", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def rerun(round_id: int) -> Response:
    """Run the engine again (with another principle if chosen): a new version."""
    round_ = round_or_404(round_id, manage=True)
    form = RerunForm()
    if round_.state is not RoundState.PROPOSAL or not form.validate():
        flash(_("Omgången kan inte beräknas om nu."), "error")
        return redirect(url_for("redistribution.round_page", round_id=round_.id))
    job_id = rounds.rerun(round_, form.principle.data, by=current_user).id
    db.session.commit()
    run_in_background(job_id)
    return redirect(url_for("redistribution.round_page", round_id=round_id))


@bp.route("/omgang/<int:round_id>/forsok-igen", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def retry(round_id: int) -> Response:
    """Start the engine again after its job failed."""
    round_ = round_or_404(round_id, manage=True)
    job = db.session.get(Job, round_.job_id) if round_.job_id else None
    if round_.state is RoundState.COMPUTING and (job is None or job.state.value == "failed"):
        job_id = rounds.queue_proposal(round_, round_.principles.principle, _("Ny beräkning"),
                                       current_user).id
        db.session.commit()
        run_in_background(job_id)
    return redirect(url_for("redistribution.round_page", round_id=round_id))


@bp.route("/omgang/<int:round_id>/jamfor-principer", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def start_what_if(round_id: int) -> Response:
    """Compare the principles on the round's figures (one background job)."""
    round_ = round_or_404(round_id, manage=True)
    job_id = rounds.start_what_if(round_, by=current_user).id
    db.session.commit()
    run_in_background(job_id)
    return redirect(url_for("jobs.status", job_id=job_id))


@bp.route("/jamforelse/<int:what_if_id>")
@roles_required(REDISTRIBUTION_READERS)
def what_if_page(what_if_id: int) -> str:
    """Each principle's outcome side by side, for the weekly meeting to choose with figures."""
    what_if = db.get_or_404(WhatIf, what_if_id)
    check_county(what_if.round.county_code)
    data = rounds.inputs(what_if.round)
    catalogue = {m.id: m for m in materials()}
    material_id = request.args.get("material", type=int) or min(
        data.materials, key=lambda m_id: catalogue[m_id].sort_order)
    return render_template("redistribution/what_if.html", what_if=what_if,
                           round=what_if.round, data=data, catalogue=catalogue,
                           results=[(p, what_if.results[p.value]) for p in Principle],
                           material=catalogue.get(material_id) or abort(404))


@bp.route("/omgang/<int:round_id>/kommentar", methods=["POST"])
@roles_required(LOGISTICS_MEMBERS)
def comment(round_id: int) -> tuple[str, int]:
    """A logistics member's remark on one line (htmx: the line's comments come back)."""
    round_ = round_or_404(round_id)
    require(can_comment_in_county(current_user, round_.county_code))
    form = CommentForm()
    key = (form.material_id.data, form.giver_id.data, form.receiver_id.data)
    if round_.state is not RoundState.PROPOSAL or not form.validate():
        status = 409 if round_.state is not RoundState.PROPOSAL else 422
        return _comments(round_, key, form), status
    rounds.add_comment(round_, key, form.text.data, by=current_user)
    db.session.commit()
    return _comments(round_, key, CommentForm(formdata=None)), 200


def _comments(round_: Round, key: plan.Key, form: CommentForm) -> str:
    return render_template("redistribution/_comments.html", round=round_, key=key, form=form,
                           line_comments=rounds.comments_by_line(round_).get(key, []),
                           can_comment=True)


@bp.route("/omgang/<int:round_id>/utkast.pdf")
@roles_required(REDISTRIBUTION_READERS)
def draft_pdf(round_id: int) -> Response:
    """The latest proposal as a draft document (UTKAST on every page), made on request."""
    round_ = round_or_404(round_id)
    if round_.latest is None:
        abort(404)
    return send_pdf(decisions.draft_pdf(round_),
                    download_name("utkast-omfordelning", round_.title,
                                  f"v{round_.latest.number}"))
