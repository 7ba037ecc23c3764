"""Situation report pages."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.models import Role
from app.core.access import roles_required

bp = Blueprint("reports", __name__, url_prefix="/lagesbild")


@bp.route("/")
@roles_required(Role.MUNICIPAL_REPORTER, Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER, Role.VIEWER)
def index() -> str:
    """Start page of situation reports."""
    return render_template("reports/index.html")
