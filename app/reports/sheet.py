"""What the report form shows: one row per material in a section, and a summary per material.

Derived figures use the same definitions as the county picture (:mod:`app.reports.metrics`),
with daily use averaged over this period and the previous submitted ones.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.core.models import Material
from app.extensions import db
from app.reports import metrics
from app.reports.models import CountySettings, Report, ReportLine, ReportRevision
from app.reports.picture import Figure, Totals, derive
from app.reports.services import Section
from app.reports.supply import counts_within


@dataclass(frozen=True)
class PastLine:
    """Consumption of one section and material in one previous submitted period."""

    section: str
    material_id: int
    start: date
    use: metrics.PeriodUse


@dataclass(frozen=True)
class SheetRow:
    material: Material
    line: ReportLine | None
    figure: Figure | None


def line_totals(line: ReportLine, period_end: date, horizon_days: int) -> Totals:
    """A line as totals; incoming counts only when expected within the horizon."""
    within = counts_within(line.incoming_date, period_end, horizon_days)
    return Totals(line.stock, line.consumption, line.incoming if within else 0,
                  line.support_quantity)


def previous_use(report: Report) -> list[PastLine]:
    """Consumption per section and material in the org's previous submitted periods."""
    window = metrics.HISTORY_WINDOW - 1
    previous = (
        sa.select(Report.id).where(Report.organisation_id == report.organisation_id,
                                   Report.period_start < report.period_start,
                                   Report.submitted_revision_id.is_not(None))
        .order_by(Report.period_start.desc()).limit(window).subquery()
    )
    query = (
        sa.select(ReportLine.section, ReportLine.material_id, ReportLine.consumption,
                  Report.period_start, Report.period_end)
        .join(Report, ReportLine.revision_id == Report.submitted_revision_id)
        .where(Report.id.in_(sa.select(previous.c.id)))
        .order_by(Report.period_start)
    )
    return [PastLine(section, material_id, start,
                     metrics.PeriodUse(consumption, (end - start).days + 1))
            for section, material_id, consumption, start, end in db.session.execute(query)]


def section_rows(report: Report, revision: ReportRevision, section: Section,
                 materials: list[Material], settings: CountySettings,
                 history: list[PastLine]) -> list[SheetRow]:
    """One row per material of ``section``, with the line (if any) and its figures."""
    lines = {line.material_id: line for line in revision.lines if line.section == section.key}
    rows = []
    for material in materials:
        line = lines.get(material.id)
        figure = None
        if line is not None:
            current = metrics.PeriodUse(line.consumption, report.period_days)
            figure = derive(line_totals(line, report.period_end, settings.horizon_days),
                            [*_section_history(history, section.key, material.id), current],
                            settings)
        rows.append(SheetRow(material, line, figure))
    return rows


def summary_rows(report: Report, revision: ReportRevision, materials: list[Material],
                 settings: CountySettings,
                 history: list[PastLine]) -> list[SheetRow]:
    """Per material, all sections together: what the county picture will show."""
    totals: dict[int, Totals] = defaultdict(Totals)
    for line in revision.lines:
        totals[line.material_id] = totals[line.material_id] + line_totals(
            line, report.period_end, settings.horizon_days)
    rows = []
    for material in materials:
        if material.id not in totals:
            rows.append(SheetRow(material, None, None))
            continue
        past = _summed_history(history, material.id)
        current = metrics.PeriodUse(totals[material.id].consumption, report.period_days)
        rows.append(SheetRow(material, None, derive(totals[material.id], [*past, current],
                                                    settings)))
    return rows


def _section_history(history: list[PastLine], section: str, material_id: int
                     ) -> list[metrics.PeriodUse]:
    return [past.use for past in history
            if past.section == section and past.material_id == material_id]


def _summed_history(history: list[PastLine], material_id: int) -> list[metrics.PeriodUse]:
    """Previous periods of one material, summed over all sections, oldest first."""
    by_period: dict[date, list[metrics.PeriodUse]] = defaultdict(list)
    for past in history:
        if past.material_id == material_id:
            by_period[past.start].append(past.use)
    return [metrics.PeriodUse(sum(use.consumption for use in uses), uses[0].days)
            for _, uses in sorted(by_period.items())]
