"""Redistribution pages (filled by the redistribution issue)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.models import Role
from app.core.access import roles_required

bp = Blueprint("redistribution", __name__, url_prefix="/omfordelning")


@bp.route("/")
@roles_required(Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER, Role.VIEWER)
def index() -> str:
    """Start page of redistribution."""
    return render_template("redistribution/index.html")
