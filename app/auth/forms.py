"""Login form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.core.forms import AppForm


class LoginForm(AppForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[DataRequired(_l("Fyll i ditt användarnamn.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[DataRequired(_l("Fyll i ditt lösenord.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
