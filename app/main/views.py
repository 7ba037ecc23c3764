"""Dashboard and language choice."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.allocation import FAIRNESS_PRINCIPLE_EN, FAIRNESS_PRINCIPLE_SV
from app.auth.access import roles_required
from app.auth.roles import ALL_ROLES, SITUATION_READERS
from app.core.formatting import current_language
from app.core.i18n import choose_language
from app.main.dashboard import dashboard_cards
from app.reports.status import status_for

bp = Blueprint("main", __name__)


@bp.route("/")
@roles_required(ALL_ROLES)
def dashboard() -> str:
    """The start page: what the logged-in user's roles let them do."""
    status = None
    if current_user.has_role(*SITUATION_READERS):
        status = status_for(current_user.organisation)
    return render_template("main/dashboard.html", cards=dashboard_cards(current_user),
                           status=status)


@bp.route("/sprak", methods=["POST"])
def language() -> Response:
    """Switch the UI language (sv/en) for this session and go back."""
    if not choose_language(request.form.get("lang", "")):
        abort(400)
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.dashboard") if current_user.is_authenticated else url_for(
            "auth.login")
    return redirect(target)


@bp.route("/hjalp")
@login_required
def help_page() -> str:
    """Definitions, the fairness principle and the process, in plain words."""
    principle = FAIRNESS_PRINCIPLE_EN if current_language() == "en" else FAIRNESS_PRINCIPLE_SV
    return render_template("main/help.html", fairness_principle=principle)
