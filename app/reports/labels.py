"""How periods are named on pages, in files and in messages ("v. 48 2026", or a date)."""
from __future__ import annotations

from flask_babel import gettext

from app.reports.periods import Period


def period_label(period: Period) -> str:
    """"v. 48 2026" for an ISO week, the date for a day, else the two dates."""
    if period.is_week:
        year, week, _ = period.start.isocalendar()
        return gettext("v. %(week)s %(year)s", week=week, year=year)
    if period.days == 1:
        return period.start.isoformat()
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def period_file_label(period: Period) -> str:
    """The period in a file name, the same in every UI language: "v48-2026" or "2026-11-24"."""
    if period.is_week:
        year, week, _ = period.start.isocalendar()
        return f"v{week:02d}-{year}"
    if period.days == 1:
        return period.start.isoformat()
    return f"{period.start.isoformat()}--{period.end.isoformat()}"
