"""Login and logout."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm
from app.auth.services import authenticate, find_user
from app.core import audit
from app.extensions import db, limiter

LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.dashboard")


def _login_failed(response: Response) -> bool:
    """Only failed attempts count against the limits (a successful login redirects)."""
    return request.method == "POST" and response.status_code != 302


def _attempted_username() -> str:
    return "login:" + (request.form.get("username") or "").strip().lower()


@bp.route("/logga-in", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT, key_func=_attempted_username, methods=["POST"],
               deduct_when=_login_failed)
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"], deduct_when=_login_failed)
def login() -> Response | tuple[str, int]:
    """Show the login form and log the user in; failed attempts are limited and audited."""
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
        _audit_failure("user.login_failed", form.username.data)
        form.password.errors.append(_("Fel användarnamn eller lösenord."))
    status = 200 if not form.errors else 422
    return render_template("auth/login.html", form=form), status


def _audit_failure(action: str, username: str) -> None:
    known = find_user(username)
    audit.record(action, "user", known.id if known else None,
                 organisation_id=known.organisation_id if known else None,
                 after={"username": username.strip().lower()[:80]})
    db.session.commit()


@bp.errorhandler(429)
def too_many_attempts(error: Exception) -> tuple[str, int]:
    """The login form again, with the reason it is refused for now."""
    form = LoginForm()
    _audit_failure("user.login_blocked", form.username.data or "")
    form.password.errors = [_("För många misslyckade inloggningsförsök. Vänta en stund "
                              "(högst 15 minuter) och försök igen.")]
    return render_template("auth/login.html", form=form), 429


def unauthorized() -> Response | tuple[str, int]:
    """No valid session: htmx requests get 401 (their page shows that nothing was saved);
    pages redirect to the login form and come back afterwards."""
    if request.headers.get("HX-Request"):
        return render_template("errors/_error.html", status=401,
                               title=_("Du är inte inloggad"),
                               message=_("Sessionen har gått ut. Logga in igen; det du just "
                                         "ändrade är inte sparat.")), 401
    flash(_("Logga in för att se sidan."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string
                            else request.path))


@bp.route("/logga-ut", methods=["POST"])
def logout() -> Response:
    """Log out and end every session of the user (POST with CSRF token, so that no link can
    log a user out)."""
    if current_user.is_authenticated:
        audit.record("user.logout", "user", current_user.id,
                     organisation_id=current_user.organisation_id)
        current_user.end_sessions()
        db.session.commit()
        logout_user()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))
