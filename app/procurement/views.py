"""Joint procurement pages (filled by the procurement issue)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.models import Role
from app.core.access import roles_required

bp = Blueprint("procurement", __name__, url_prefix="/inkop")


@bp.route("/")
@roles_required(Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD, Role.COUNTY_COORDINATOR)
def index() -> str:
    """Start page of joint procurement."""
    return render_template("procurement/index.html")
