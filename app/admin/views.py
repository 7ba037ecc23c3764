"""Administration: users with their roles, and organisations."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.admin.forms import ORG_KIND_LABELS, OrganisationForm, UserForm
from app.auth.access import roles_required
from app.auth.models import User
from app.auth.roles import ADMINS, ROLE_LABELS, Role, misplaced_roles
from app.auth.services import create_user, find_user, update_user
from app.core.models import Organisation
from app.core.services import county_choices, organisation_choices, save_organisation
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/anvandare")
@roles_required(ADMINS)
def users() -> str:
    """All users with organisation and roles."""
    rows = db.session.scalars(
        sa.select(User).join(User.organisation).order_by(Organisation.name, User.username)
    ).all()
    return render_template("admin/users.html", users=rows)


def _roles_fit(form: UserForm) -> bool:
    """Attach an error when a chosen role does not belong in the chosen organisation."""
    org = db.get_or_404(Organisation, form.organisation_id.data)
    wrong = misplaced_roles([Role(value) for value in form.roles.data], org.kind)
    if wrong:
        form.roles.errors.append(_("Rollen %(roles)s passar inte för %(org)s.", roles=", ".join(
            str(ROLE_LABELS[role]) for role in wrong), org=org.name))
    return not wrong


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.organisation_id.choices = organisation_choices()
    if user is not None and not form.is_submitted():
        form.roles.data = [role.value for role in user.roles]
    return form


@bp.route("/anvandare/ny", methods=["GET", "POST"])
@roles_required(ADMINS)
def new_user() -> Response | tuple[str, int]:
    """Create a user."""
    form = _user_form()
    if form.validate_on_submit() and _roles_fit(form):
        if not form.password.data:
            form.password.errors.append(_("Ange ett lösenord för den nya användaren."))
        elif find_user(form.username.data) is not None:
            form.username.errors.append(_("Användarnamnet är upptaget."))
        else:
            user = create_user(
                username=form.username.data, full_name=form.full_name.data,
                password=form.password.data, email=form.email.data,
                organisation=db.get_or_404(Organisation, form.organisation_id.data),
                roles=[Role(value) for value in form.roles.data],
            )
            db.session.commit()
            flash(_("Användaren %(name)s har skapats.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMINS)
def edit_user(user_id: int) -> Response | tuple[str, int]:
    """Change a user's details, roles, status or password."""
    user = db.get_or_404(User, user_id)
    form = _user_form(user)
    form.username.render_kw = {"readonly": True}
    if form.validate_on_submit() and _roles_fit(form):
        update_user(
            user, full_name=form.full_name.data, email=form.email.data,
            organisation=db.get_or_404(Organisation, form.organisation_id.data),
            roles=[Role(value) for value in form.roles.data], active=form.active.data,
            password=form.password.data or None,
        )
        db.session.commit()
        flash(_("Ändringarna är sparade."), "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/organisationer")
@roles_required(ADMINS)
def organisations() -> str:
    """All organisations, by county."""
    rows = db.session.scalars(
        sa.select(Organisation).order_by(Organisation.county_code.nulls_first(),
                                         Organisation.kind, Organisation.name)
    ).all()
    return render_template("admin/organisations.html", organisations=rows,
                           kind_labels=ORG_KIND_LABELS)


def _organisation_page(org: Organisation | None) -> Response | tuple[str, int]:
    form = OrganisationForm(obj=org)
    form.county_code.choices = county_choices()
    if form.validate_on_submit():
        if _organisation_conflicts(org, form):
            return render_template("admin/organisation_form.html", form=form, org=org), 422
        save_organisation(org, form.data)
        db.session.commit()
        flash(_("Organisationen är sparad."), "success")
        return redirect(url_for("admin.organisations"))
    status = 422 if form.errors else 200
    return render_template("admin/organisation_form.html", form=form, org=org), status


def _organisation_conflicts(org: Organisation | None, form: OrganisationForm) -> bool:
    """Attach an error to each unique field already used by another organisation."""
    checks = (
        (form.scb_code, Organisation.scb_code, _("Kommunkoden används redan.")),
        (form.org_number, Organisation.org_number, _("Organisationsnumret används redan.")),
    )
    found = False
    for field, column, message in checks:
        if not field.data:
            continue
        query = sa.select(Organisation.id).where(column == field.data)
        if org is not None:
            query = query.where(Organisation.id != org.id)
        if db.session.scalar(query) is not None:
            field.errors.append(message)
            found = True
    return found


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@roles_required(ADMINS)
def new_organisation() -> Response | tuple[str, int]:
    """Create an organisation."""
    return _organisation_page(None)


@bp.route("/organisationer/<int:org_id>", methods=["GET", "POST"])
@roles_required(ADMINS)
def edit_organisation(org_id: int) -> Response | tuple[str, int]:
    """Change an organisation."""
    return _organisation_page(db.get_or_404(Organisation, org_id))
