"""Login and logout."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm
from app.auth.services import authenticate
from app.core import audit
from app.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.dashboard")


@bp.route("/logga-in", methods=["GET", "POST"])
def login() -> Response | str:
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            audit.record("user.login", "user", user.id, organisation_id=user.organisation_id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Fel användarnamn eller lösenord."))
    status = 200 if not form.errors else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logga-ut", methods=["POST"])
def logout() -> Response:
    """Log out (POST with CSRF token, so that no link can log a user out)."""
    if current_user.is_authenticated:
        audit.record("user.logout", "user", current_user.id,
                     organisation_id=current_user.organisation_id)
        db.session.commit()
        logout_user()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))
