"""Forms for administering users and organisations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from app.auth.roles import ROLE_LABELS, Role
from app.auth.services import MIN_PASSWORD_LENGTH
from app.core.forms import AppForm, EnumSelectField, MultiCheckboxField
from app.core.models import OrgKind
from app.core.validators import org_number

ORG_KIND_LABELS = {
    OrgKind.MUNICIPALITY: _l("Kommun"),
    OrgKind.REGION: _l("Region"),
    OrgKind.COUNTY_BOARD: _l("Länsstyrelse"),
    OrgKind.NATIONAL_BOARD: _l("Nationell myndighet (Socialstyrelsen)"),
}


class UserForm(AppForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[
            DataRequired(_l("Ange ett användarnamn.")),
            Length(min=3, max=80, message=_l("Användarnamnet ska vara 3–80 tecken.")),
            Regexp(r"^[a-zA-Z0-9._-]+$",
                   message=_l("Använd bara bokstäver a–z, siffror, punkt, bindestreck och "
                              "understreck.")),
        ],
    )
    full_name = StringField(_l("Namn"),
                            validators=[DataRequired(_l("Ange namn.")), Length(max=120)])
    email = EmailField(
        _l("E-post"),
        validators=[Optional(), Email(_l("Ange en giltig e-postadress.")), Length(max=254)],
    )
    organisation_id = SelectField(
        _l("Organisation"), coerce=int,
        validators=[DataRequired(_l("Välj organisation."))],
    )
    roles = MultiCheckboxField(
        _l("Roller"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in Role],
        validators=[DataRequired(_l("Välj minst en roll."))],
    )
    active = BooleanField(_l("Aktiv"), default=True)
    password = PasswordField(
        _l("Lösenord"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=_l("Lösenordet ska vara minst 10 tecken."))],
        render_kw={"autocomplete": "new-password"},
    )


class OrganisationForm(AppForm):
    kind = EnumSelectField(_l("Typ"), enum_class=OrgKind, labels=ORG_KIND_LABELS)
    name = StringField(_l("Namn"), validators=[DataRequired(_l("Ange namn.")), Length(max=120)])
    county_code = SelectField(_l("Län"), validators=[Optional()])
    scb_code = StringField(
        _l("Kommunkod (SCB)"),
        validators=[Optional(), Regexp(r"^\d{4}$", message=_l("Kommunkoden är fyra siffror."))],
    )
    org_number = StringField(_l("Organisationsnummer"), validators=[Optional(), org_number])
    population = IntegerField(
        _l("Folkmängd"),
        validators=[Optional(), NumberRange(min=0, max=20_000_000,
                                            message=_l(
                                                "Ange en folkmängd mellan 0 och 20 000 000."))],
    )
