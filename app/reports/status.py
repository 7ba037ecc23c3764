"""One-line reporting status for the dashboard: the current period, at a glance."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from app.core.models import Organisation, OrgKind
from app.extensions import db
from app.reports.labels import period_label
from app.reports.models import Report
from app.reports.periods import period_containing, today
from app.reports.services import county_settings, current_period, find_report


def municipality_status(org: Organisation) -> str:
    """Whether ``org`` has started or submitted this period's report."""
    period = current_period(org)
    report = find_report(org, period)
    label = period_label(period)
    if report is None:
        return gettext("Rapporten för %(period)s är inte påbörjad.", period=label)
    if report.latest_revision.is_draft:
        return gettext("Rapporten för %(period)s är ett utkast som inte är inskickat.",
                       period=label)
    return gettext("Rapporten för %(period)s är inskickad.", period=label)


def county_status(county_code: str) -> str:
    """How many of the county's municipalities have submitted this period (two queries)."""
    period = period_containing(today(), county_settings(county_code).frequency)
    municipality = sa.and_(Organisation.county_code == county_code,
                           Organisation.kind == OrgKind.MUNICIPALITY)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)
                              .where(municipality))
    reported = db.session.scalar(
        sa.select(sa.func.count()).select_from(Report).join(Report.organisation)
        .where(municipality, Report.period_start == period.start,
               Report.submitted_revision_id.is_not(None)))
    return gettext("%(reported)s av %(total)s kommuner har rapporterat för %(period)s.",
                   reported=reported, total=total, period=period_label(period))


def status_for(org: Organisation) -> str | None:
    """The status line that fits the user's organisation, if any."""
    if org.kind is OrgKind.MUNICIPALITY:
        return municipality_status(org)
    if org.kind is OrgKind.COUNTY_BOARD and org.county_code:
        return county_status(org.county_code)
    return None
