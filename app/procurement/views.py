"""Joint procurement pages (filled by the procurement issue)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.access import roles_required
from app.auth.roles import PROCUREMENT_READERS

bp = Blueprint("procurement", __name__, url_prefix="/inkop")


@bp.route("/")
@roles_required(PROCUREMENT_READERS)
def index() -> str:
    """Start page of joint procurement."""
    return render_template("procurement/index.html")
