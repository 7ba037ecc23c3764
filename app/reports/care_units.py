"""A municipality's care units (verksamheter): its own small blueprint."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import can_edit_org, require, roles_required
from app.auth.roles import REPORTERS
from app.core.models import CareUnit, Organisation
from app.core.services import care_unit_name_taken, care_units_of, save_care_unit
from app.extensions import db
from app.reports.forms import UNIT_TYPE_LABELS, CareUnitForm
from app.reports.services import municipality_or_404

bp = Blueprint("care_units", __name__, url_prefix="/lagesbild/kommun/<int:org_id>/verksamheter")


def _own_municipality(org_id: int) -> Organisation:
    org = municipality_or_404(org_id)
    require(can_edit_org(current_user, org))
    return org


def _care_unit_page(org: Organisation, unit: CareUnit | None) -> Response | tuple[str, int]:
    form = CareUnitForm(obj=unit)
    if form.validate_on_submit():
        if care_unit_name_taken(org, form.name.data, unit):
            form.name.errors.append(_("Det finns redan en verksamhet med det namnet."))
        else:
            save_care_unit(org, unit, form.data)
            db.session.commit()
            flash(_("Verksamheten är sparad."), "success")
            return redirect(url_for("care_units.index", org_id=org.id))
    status = 422 if form.errors else 200
    return render_template("reports/care_units.html", org=org, form=form, unit=unit,
                           units=care_units_of(org), type_labels=UNIT_TYPE_LABELS), status


@bp.route("", methods=["GET", "POST"])
@roles_required(REPORTERS)
def index(org_id: int) -> Response | tuple[str, int]:
    """The municipality's care units: list them and add one."""
    return _care_unit_page(_own_municipality(org_id), None)


@bp.route("/<int:unit_id>", methods=["GET", "POST"])
@roles_required(REPORTERS)
def edit(org_id: int, unit_id: int) -> Response | tuple[str, int]:
    """Change a care unit, or take it out of the reports (inactive)."""
    org = _own_municipality(org_id)
    unit = db.get_or_404(CareUnit, unit_id)
    if unit.organisation_id != org.id:
        abort(404)
    return _care_unit_page(org, unit)
