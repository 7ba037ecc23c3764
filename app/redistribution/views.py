"""Redistribution pages (filled by the redistribution issue)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.access import roles_required
from app.auth.roles import REDISTRIBUTION_READERS

bp = Blueprint("redistribution", __name__, url_prefix="/omfordelning")


@bp.route("/")
@roles_required(REDISTRIBUTION_READERS)
def index() -> str:
    """Start page of redistribution."""
    return render_template("redistribution/index.html")
