"""Loading what a redistribution page is about, with its access check (403 or 404)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.auth.access import can_configure_county, can_view_county, require
from app.core.models import County
from app.extensions import db
from app.redistribution.models import Round
from app.redistribution.rounds import lock_round


def county_or_404(county_code: str, *, manage: bool = False) -> County:
    """The county; 403 unless the user may see it (or, with ``manage``, configure it)."""
    county = db.session.get(County, county_code) or abort(404)
    check_county(county.code, manage=manage)
    return county


def check_county(county_code: str, *, manage: bool = False) -> None:
    allowed = (can_configure_county if manage else can_view_county)(current_user, county_code)
    require(allowed)


def round_or_404(round_id: int, *, manage: bool = False) -> Round:
    """The round (locked for the request's changes when ``manage``) with its access check."""
    round_ = (lock_round(round_id) if manage else db.session.get(Round, round_id)) or abort(404)
    check_county(round_.county_code, manage=manage)
    return round_
