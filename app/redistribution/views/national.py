"""The request for national allocation to Socialstyrelsen, and splitting what arrives."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import can_configure_county, roles_required
from app.auth.roles import COUNTY_COORDINATORS, REDISTRIBUTION_READERS
from app.core.formatting import current_language
from app.core.models import Material
from app.documents.downloads import download_name, send_pdf, send_spreadsheet
from app.documents.pdf import render_pdf
from app.extensions import db
from app.redistribution import national
from app.redistribution.forms import (
    AllocationForm,
    AnswerForm,
    JustificationForm,
    SentOnForm,
    ShareForm,
)
from app.redistribution.models import NationalAllocation, NationalRequest, RoundState
from app.redistribution.views.common import check_county, round_or_404
from app.reports.periods import today

bp = Blueprint("national", __name__, url_prefix="/omfordelning")


def _request_or_404(request_id: int, *, manage: bool = False) -> NationalRequest:
    found = db.get_or_404(NationalRequest, request_id)
    check_county(found.round.county_code, manage=manage)
    return found


def _page(found: NationalRequest, status: int = 200, **forms: object) -> tuple[str, int]:
    materials = sorted({line.material for line in found.lines}, key=lambda m: m.sort_order)
    allocation_form = forms.pop("allocation_form", None) or AllocationForm(received_on=today())
    allocation_form.material_id.choices = [
        (m.id, _("%(name)s (förpackning om %(pack)s %(unit)s)", name=m.name_for(
            current_language()), pack=m.pack_size, unit=m.unit)) for m in materials]
    return render_template(
        "redistribution/national.html", request_=found, materials=materials,
        justification_form=forms.pop("justification_form", None) or JustificationForm(
            justification=found.justification),
        sent_form=SentOnForm(sent_on=today()), answer_form=AnswerForm(),
        allocation_form=allocation_form,
        can_manage=can_configure_county(current_user, found.round.county_code)), status


@bp.route("/omgang/<int:round_id>/nationell", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def create(round_id: int) -> Response:
    """Draw up the request from what the decided round leaves uncovered."""
    round_ = round_or_404(round_id, manage=True)
    if round_.state is not RoundState.DECIDED:
        abort(409)
    try:
        found = national.create_request(round_, justification="", by=current_user)
    except national.NationalError as error:
        flash(str(error), "info")
        return redirect(url_for("redistribution.round_page", round_id=round_.id))
    db.session.commit()
    return redirect(url_for("national.request_page", request_id=found.id))


@bp.route("/begaran/<int:request_id>")
@roles_required(REDISTRIBUTION_READERS)
def request_page(request_id: int) -> tuple[str, int]:
    """The request: unmet need per material and municipality, its status and allocations."""
    return _page(_request_or_404(request_id))


@bp.route("/begaran/<int:request_id>/motivering", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def justify(request_id: int) -> Response | tuple[str, int]:
    found = _request_or_404(request_id, manage=True)
    form = JustificationForm()
    if not form.validate():
        return _page(found, 422, justification_form=form)
    try:
        national.update_justification(found, form.justification.data)
    except national.NationalError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Motiveringen är sparad."), "success")
    return redirect(url_for("national.request_page", request_id=found.id))


@bp.route("/begaran/<int:request_id>/skickad", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def sent(request_id: int) -> Response:
    """Record that the request was sent to Socialstyrelsen."""
    found = _request_or_404(request_id, manage=True)
    form = SentOnForm()
    if form.validate() and found.state.value == "draft":
        try:
            national.mark_sent(found, form.sent_on.data, by=current_user)
        except national.NationalError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Begäran är markerad som skickad."), "success")
    return redirect(url_for("national.request_page", request_id=found.id))


@bp.route("/begaran/<int:request_id>/besvarad", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def answered(request_id: int) -> Response:
    """Record Socialstyrelsen's answer."""
    found = _request_or_404(request_id, manage=True)
    form = AnswerForm()
    if form.validate() and found.state.value == "sent":
        national.mark_answered(found, form.answer.data, by=current_user)
        db.session.commit()
        flash(_("Svaret är sparat."), "success")
    else:
        flash(_("Svaret kunde inte sparas: skriv in svaret (begäran måste vara skickad)."),
              "error")
    return redirect(url_for("national.request_page", request_id=found.id))


@bp.route("/begaran/<int:request_id>.<fmt>")
@roles_required(REDISTRIBUTION_READERS)
def document(request_id: int, fmt: str) -> Response:
    """The request as PDF (to send) or as .csv/.xlsx."""
    found = _request_or_404(request_id)
    name = download_name("begaran-nationell-tilldelning", found.round.county.name,
                         found.round.title)
    if fmt != "pdf":
        return send_spreadsheet([national.request_sheet(found)], fmt, name)
    pdf = render_pdf("redistribution/pdf/national.html",
                     title=_("Begäran om nationell tilldelning"),
                     number=_("Omgång %(title)s", title=found.round.title), request_=found,
                     draft=found.state.value == "draft")
    return send_pdf(pdf, name)


@bp.route("/begaran/<int:request_id>/tilldelning", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def record_allocation(request_id: int) -> Response | tuple[str, int]:
    """A national allocation arrived: propose its split by need."""
    found = _request_or_404(request_id, manage=True)
    form = AllocationForm()
    form.material_id.choices = [(line.material_id, "") for line in found.lines]
    if not form.validate():
        return _page(found, 422, allocation_form=form)
    try:
        allocation = national.record_allocation(
            found, db.session.get(Material, form.material_id.data), form.quantity.data,
            form.received_on.data, by=current_user)
    except national.NationalError as error:
        form.quantity.errors.append(str(error))
        return _page(found, 422, allocation_form=form)
    db.session.commit()
    return redirect(url_for("national.allocation_page", allocation_id=allocation.id))


def _allocation_or_404(allocation_id: int, *, manage: bool = False) -> NationalAllocation:
    allocation = db.get_or_404(NationalAllocation, allocation_id)
    check_county(allocation.request.round.county_code, manage=manage)
    return allocation


@bp.route("/tilldelning/<int:allocation_id>")
@roles_required(REDISTRIBUTION_READERS)
def allocation_page(allocation_id: int) -> str:
    """The split of an allocation: proposed by need, adjusted, then confirmed and booked."""
    allocation = _allocation_or_404(allocation_id)
    return render_template("redistribution/allocation.html", allocation=allocation,
                           difference=national.split_difference(allocation),
                           can_manage=can_configure_county(
                               current_user, allocation.request.round.county_code))


@bp.route("/tilldelning/<int:allocation_id>/andel", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def adjust_share(allocation_id: int) -> tuple[str, int]:
    """Change one municipality's share (htmx: the split comes back, re-checked)."""
    allocation = _allocation_or_404(allocation_id, manage=True)
    form = ShareForm()
    error, status = None, 200
    if not form.validate():
        error, status = _("Ange andelen som ett heltal i hela förpackningar."), 422
    else:
        try:
            national.adjust_share(allocation, form.organisation_id.data, form.quantity.data,
                                  by=current_user)
        except national.NationalError as refused:
            error, status = str(refused), 422
        else:
            db.session.commit()
    return render_template("redistribution/_shares.html", allocation=allocation,
                           difference=national.split_difference(allocation), error=error,
                           can_manage=True), status


@bp.route("/tilldelning/<int:allocation_id>/bekrafta", methods=["POST"])
@roles_required(COUNTY_COORDINATORS)
def confirm(allocation_id: int) -> Response:
    """Confirm the split and book each share."""
    allocation = _allocation_or_404(allocation_id, manage=True)
    if allocation.state.value != "proposed":
        flash(_("Fördelningen är redan bekräftad."), "info")
    else:
        try:
            national.confirm_allocation(allocation,
                                        unit_price=allocation.request.round.principles.price_of(
                                            allocation.material), by=current_user)
        except national.NationalError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Fördelningen är bekräftad och bokförd."), "success")
    return redirect(url_for("national.allocation_page", allocation_id=allocation.id))
