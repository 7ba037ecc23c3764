"""Report workflows: start a period, save lines, submit, correct, settings (the view commits)."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core import audit, workflow
from app.core.models import CareUnit, County, Material, Organisation
from app.core.types import aware_utc
from app.extensions import db
from app.reports.models import (
    Breakdown,
    CountySettings,
    Report,
    ReportLine,
    ReportRevision,
    RevisionStatus,
)
from app.reports.periods import Period, period_containing, today

OWN, PRIVATE = "own", "private"
LINE_FIELDS = ("stock", "consumption", "incoming", "incoming_date", "support_quantity",
               "support_justification")
LATEST_DELIVERY_DAYS = 90


class ReportLocked(Exception):
    """The revision is submitted; changes need a correction (new revision)."""


@dataclass(frozen=True)
class Section:
    """Where a line's figures come from: a care unit, or the municipality's own/private total."""

    key: str
    label: str
    private: bool
    care_unit_id: int | None = None


SETTINGS_FIELDS = ("frequency", "horizon_days", "red_below_days", "yellow_below_days",
                   "scenario_multiplier")


def county_settings(county_code: str) -> CountySettings:
    """The county's settings, created with the defaults on first use."""
    settings = db.session.get(CountySettings, county_code)
    if settings is None:
        settings = CountySettings(county_code=county_code)
        db.session.add(settings)
        db.session.flush()
    return settings


def update_settings(settings: CountySettings, values: Mapping[str, Any]) -> None:
    """Change some of a county's settings (names from ``SETTINGS_FIELDS``); audited."""
    before = audit.snapshot(settings)
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(f"{name!r} is not a county setting")
        setattr(settings, name, float(value) if name == "scenario_multiplier" else value)
    db.session.flush()
    audit.record("county_settings.update", "county_settings", settings.county_code,
                 before=before, after=audit.snapshot(settings))


def current_period(org: Organisation) -> Period:
    return period_containing(today(), county_settings(org.county_code).frequency)


def delivery_window(period: Period) -> tuple[date, date]:
    """Expected delivery dates accepted on a line of ``period``."""
    return period.start, period.end + timedelta(days=LATEST_DELIVERY_DAYS)


def municipality_sections() -> list[Section]:
    """The two sections of a report given for the municipality as a whole."""
    return [Section(OWN, gettext("Egen verksamhet"), private=False),
            Section(PRIVATE, gettext("Privata utförare (samlat)"), private=True)]


def sections_for(report: Report) -> list[Section]:
    """The report's sections: two totals, or one per active care unit.

    A care unit made inactive after lines were entered for it keeps its section in that
    revision, so that its figures stay visible and can be changed.
    """
    if report.breakdown is Breakdown.MUNICIPALITY:
        return municipality_sections()
    with_lines = {line.care_unit_id for line in report.latest_revision.lines
                  if line.care_unit_id is not None}
    units = db.session.scalars(
        sa.select(CareUnit).where(CareUnit.organisation_id == report.organisation_id,
                                  sa.or_(CareUnit.active, CareUnit.id.in_(with_lines)))
        .order_by(CareUnit.ownership, CareUnit.name))
    return [Section(f"unit-{unit.id}", unit.name, unit.is_private, unit.id) for unit in units]


def counties() -> list[County]:
    return list(db.session.scalars(sa.select(County).order_by(County.code)))


def municipality_or_404(org_id: int) -> Organisation:
    """The municipality with this id; 404 for any other organisation."""
    org = db.get_or_404(Organisation, org_id)
    if not org.is_municipality:
        abort(404)
    return org


def material_by_code(code: str) -> Material | None:
    return db.session.scalar(sa.select(Material).where(Material.code == code))


def has_active_care_units(org: Organisation) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CareUnit).where(
        CareUnit.organisation_id == org.id, CareUnit.active)) > 0


def materials() -> list[Material]:
    return list(db.session.scalars(sa.select(Material).order_by(Material.sort_order)))


def find_report(org: Organisation, period: Period) -> Report | None:
    return db.session.scalar(sa.select(Report).where(
        Report.organisation_id == org.id, Report.period_start == period.start))


def previous_report(org: Organisation, before: date) -> Report | None:
    """The latest submitted report of ``org`` for a period starting before ``before``."""
    return db.session.scalar(
        sa.select(Report).where(Report.organisation_id == org.id, Report.period_start < before,
                                Report.submitted_revision_id.is_not(None))
        .order_by(Report.period_start.desc()).limit(1))


def _carried_forward(line: ReportLine, new_period: Period) -> ReportLine:
    """A draft line for the next period: stock minus consumption, plus deliveries due by then."""
    arrived = line.incoming if line.incoming_date and line.incoming_date < new_period.start else 0
    still_expected = line.incoming if line.incoming_date and not arrived else 0
    return ReportLine(
        material_id=line.material_id, section=line.section, care_unit_id=line.care_unit_id,
        private=line.private, stock=max(0, line.stock - line.consumption + arrived),
        consumption=line.consumption, incoming=still_expected,
        incoming_date=line.incoming_date if still_expected else None, prefilled=True,
    )


def start_report(org: Organisation, period: Period, user: User | None) -> Report:
    """Open the report of ``org`` for ``period``, pre-filled from the previous one."""
    previous = previous_report(org, period.start)
    report = Report(organisation=org, period_start=period.start, period_end=period.end,
                    deadline=period.deadline.astimezone(UTC),
                    breakdown=previous.breakdown if previous else Breakdown.MUNICIPALITY)
    revision = ReportRevision(number=1, created_by=user)
    if previous is not None:
        revision.lines = [_carried_forward(line, period)
                          for line in previous.submitted_revision.lines
                          if line.care_unit is None or line.care_unit.active]
    report.revisions.append(revision)
    db.session.add(report)
    db.session.flush()
    audit.record("report.start", "report", report.id, organisation_id=org.id, after={
        "period_start": period.start, "period_end": period.end,
        "prefilled_from": previous.id if previous else None, "lines": len(revision.lines)})
    return report


def find_or_start_report(org: Organisation, period: Period, user: User | None) -> Report:
    """The period's report, started now if there is none (also when two requests race)."""
    existing = find_report(org, period)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            return start_report(org, period, user)
    except IntegrityError:
        return find_report(org, period)


def draft_of(report: Report) -> ReportRevision | None:
    latest = report.latest_revision
    return latest if latest.is_draft else None


def lock_report(report_id: int) -> Report | None:
    """The report, locked for the rest of the transaction (see :func:`workflow.locked`).

    Every change to a report's draft (lines, breakdown, import, submission) starts here, so
    that a submission and a line saved at the same moment cannot overtake each other.
    """
    return workflow.locked(Report, report_id)


def _touch(revision: ReportRevision) -> None:
    """Mark the revision's content as changed: this moves its version (optimistic lock)."""
    revision.updated_at = datetime.now(UTC)


def save_line(report: Report, section: Section, material: Material,
              values: Mapping[str, Any]) -> ReportLine:
    """Create or update one line of the report's draft; raises :class:`ReportLocked`."""
    revision = draft_of(report)
    if revision is None:
        raise ReportLocked
    line = next((candidate for candidate in revision.lines if candidate.section == section.key
                 and candidate.material_id == material.id), None)
    before = None if line is None else audit.snapshot(line)
    if line is None:
        line = ReportLine(material_id=material.id, section=section.key,
                          care_unit_id=section.care_unit_id, private=section.private)
        revision.lines.append(line)
    for name in LINE_FIELDS:
        setattr(line, name, values.get(name))
    line.incoming = line.incoming or 0
    line.support_quantity = line.support_quantity or 0
    line.support_justification = (line.support_justification or "").strip() or None
    line.prefilled = False
    if not line.incoming:
        line.incoming_date = None
    _touch(revision)
    db.session.flush()
    audit.record("report_line.save", "report_line", line.id,
                 organisation_id=report.organisation_id, before=before,
                 after=audit.snapshot(line) | {"section": section.key, "material": material.code,
                                               "revision": revision.number})
    return line


def has_figures(revision: ReportRevision) -> bool:
    """Whether any line of the revision holds a figure (pre-filled or typed)."""
    return any(line.stock or line.consumption or line.incoming or line.support_quantity
               for line in revision.lines)


class BreakdownChange(enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    HAS_FIGURES = "has_figures"
    NO_CARE_UNITS = "no_care_units"


def change_breakdown(report: Report, breakdown: Breakdown, *,
                     clear_lines: bool = False) -> BreakdownChange:
    """Switch between municipality totals and care units.

    The lines of the other breakdown do not fit, so they are removed. While they hold
    figures the switch is refused unless ``clear_lines`` says the user confirmed it; the
    cleared lines are written to the audit log. For care units the municipality needs an
    active care unit. Raises :class:`ReportLocked` after submission.
    """
    revision = draft_of(report)
    if revision is None:
        raise ReportLocked
    if breakdown is report.breakdown:
        return BreakdownChange.UNCHANGED
    if has_figures(revision) and not clear_lines:
        return BreakdownChange.HAS_FIGURES
    if breakdown is Breakdown.CARE_UNIT and not has_active_care_units(report.organisation):
        return BreakdownChange.NO_CARE_UNITS
    before = {"breakdown": report.breakdown,
              "lines": [audit.snapshot(line) for line in revision.lines]}
    revision.lines.clear()
    report.breakdown = breakdown
    _touch(revision)
    db.session.flush()
    audit.record("report.breakdown", "report", report.id, organisation_id=report.organisation_id,
                 before=before, after={"breakdown": breakdown, "lines": []})
    return BreakdownChange.CHANGED


def submit(report: Report, user: User, *, reviewed_version: int | None,
           now: datetime | None = None) -> ReportRevision:
    """Lock the draft revision the user reviewed; marks it late after the deadline.

    Raises :class:`ReportLocked` when there is no draft, and
    :class:`~app.core.workflow.StaleObject` when the draft changed after the user's review
    (``reviewed_version`` is the version the review page showed).
    """
    revision = draft_of(report)
    if revision is None:
        raise ReportLocked
    workflow.check_version(revision, reviewed_version)
    now = now or datetime.now(UTC)
    workflow.transition(revision, RevisionStatus.SUBMITTED, by=user,
                        organisation_id=report.organisation_id, changes={
                            "submitted_at": now, "submitted_by": user,
                            "late": now > aware_utc(report.deadline)})
    report.submitted_revision = revision
    db.session.flush()
    return revision


def open_correction(report: Report, user: User, note: str | None = None) -> ReportRevision:
    """Start a new draft revision copied from the last submitted one."""
    if draft_of(report) is not None:
        return report.latest_revision
    source = report.latest_revision
    revision = ReportRevision(number=source.number + 1, created_by=user, note=note)
    revision.lines = [ReportLine(**{name: getattr(line, name) for name in LINE_FIELDS},
                                 material_id=line.material_id, section=line.section,
                                 care_unit_id=line.care_unit_id, private=line.private)
                      for line in source.lines]
    report.revisions.append(revision)
    db.session.flush()
    audit.record("report.correct", "report", report.id, organisation_id=report.organisation_id,
                 after={"revision": revision.number, "copied_from": source.number})
    return revision


def reports_of(org: Organisation, limit: int = 20) -> list[Report]:
    """The org's latest reports with their revisions (one query each, not one per report)."""
    return list(db.session.scalars(
        sa.select(Report).where(Report.organisation_id == org.id)
        .options(selectinload(Report.revisions), selectinload(Report.submitted_revision))
        .order_by(Report.period_start.desc()).limit(limit)))


def lines_by_key(lines: Iterable[ReportLine]) -> dict[tuple[str, int], ReportLine]:
    return {(line.section, line.material_id): line for line in lines}
