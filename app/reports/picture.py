"""The county picture: days of supply per municipality and material, from submitted reports.

All figures for a county come from a fixed number of aggregate queries, whatever the number of
municipalities (no query per municipality or per cell).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from app.core.models import Material, Organisation, OrgKind
from app.core.sql import days_between
from app.extensions import db
from app.reports import metrics
from app.reports.models import CountySettings, Report, ReportLine, ReportRevision
from app.reports.periods import Period, period_containing

TREND_PERIODS = 8


@dataclass(frozen=True)
class Totals:
    """Summed lines of one municipality, period and material."""

    stock: int = 0
    consumption: int = 0
    incoming: int = 0  # confirmed, expected within the horizon
    support: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.stock + other.stock, self.consumption + other.consumption,
                      self.incoming + other.incoming, self.support + other.support)


@dataclass(frozen=True)
class Figure:
    """What the pages show for one cell: the reported totals and the derived figures."""

    totals: Totals
    daily_use: float | None
    days: float | None
    need: int
    level: str
    forecast: float | None = None


@dataclass
class MunicipalityRow:
    organisation: Organisation
    report_id: int | None = None
    late: bool = False
    cells: dict[int, Figure] = field(default_factory=dict)

    @property
    def reported(self) -> bool:
        return self.report_id is not None


@dataclass(frozen=True)
class SupportRequest:
    organisation: Organisation
    material: Material
    quantity: int
    justification: str
    private: bool


@dataclass
class CountyPicture:
    county_code: str
    period: Period
    settings: CountySettings
    materials: list[Material]
    rows: list[MunicipalityRow]
    totals: dict[int, Figure]
    periods: list[Period]
    trend: dict[int, list[float | None]]  # material id → county days of supply per period
    municipality_trend: dict[tuple[int, int], list[float | None]]  # (org, material) → days
    support_requests: list[SupportRequest]

    @property
    def missing(self) -> list[Organisation]:
        return [row.organisation for row in self.rows if not row.reported]


Key = tuple[int, date, int]  # organisation id, period start, material id


def derive(totals: Totals, history: Sequence[metrics.PeriodUse], settings: CountySettings
           ) -> Figure:
    """Daily use (averaged over recent periods), days of supply, need and traffic light."""
    return derive_with_use(totals, metrics.daily_use(history), settings)


def derive_with_use(totals: Totals, use: float | None, settings: CountySettings,
                    forecast: float | None = None) -> Figure:
    """The figure for ``totals`` given the daily use."""
    days = metrics.days_of_supply(totals.stock, totals.incoming, use)
    return Figure(
        totals=totals, daily_use=use, days=days,
        need=metrics.need_for_horizon(settings.horizon_days, use, totals.stock, totals.incoming),
        level=metrics.traffic_light(days, settings.red_below_days, settings.yellow_below_days),
        forecast=forecast,
    )


def _submitted_lines_query(org_ids: sa.ColumnElement[bool] | None, since: date, until: date):
    """Lines of the submitted revision of every report in the window (a select to refine)."""
    query = (
        sa.select(Report.organisation_id, Report.period_start, Report.period_end,
                  ReportLine.material_id)
        .join(ReportLine, ReportLine.revision_id == Report.submitted_revision_id)
        .where(Report.period_start >= since, Report.period_start <= until)
    )
    return query if org_ids is None else query.where(org_ids)


class ReportedData:
    """Summed submitted lines per (organisation, period, material) with memoised daily use."""

    def __init__(self, totals: dict[Key, Totals], periods: dict[tuple[int, date], Period]):
        self.totals = totals
        self.periods = periods
        self.starts: dict[int, list[date]] = defaultdict(list)
        for org_id, start in sorted(periods):
            self.starts[org_id].append(start)
        self._use: dict[Key, float | None] = {}

    def get(self, org_id: int, start: date, material_id: int) -> Totals | None:
        return self.totals.get((org_id, start, material_id))

    def history(self, org_id: int, material_id: int, upto: date) -> list[metrics.PeriodUse]:
        """Consumption in the org's periods up to ``upto`` that report the material, oldest
        first (a period without a line for it is unknown, not zero)."""
        return [metrics.PeriodUse(self.totals[(org_id, start, material_id)].consumption,
                                  self.periods[(org_id, start)].days)
                for start in self.starts[org_id]
                if start <= upto and (org_id, start, material_id) in self.totals]

    def daily_use(self, org_id: int, material_id: int, upto: date) -> float | None:
        key = (org_id, upto, material_id)
        if key not in self._use:
            self._use[key] = metrics.daily_use(self.history(org_id, material_id, upto))
        return self._use[key]


def load_reported(org_filter: sa.ColumnElement[bool], since: date, until: date,
                  horizon_days: int) -> ReportedData:
    """Summed submitted lines per (organisation, period, material), in one query."""
    within_horizon = days_between(ReportLine.incoming_date, Report.period_end) <= horizon_days
    query = _submitted_lines_query(org_filter, since, until).with_only_columns(
        Report.organisation_id, Report.period_start, Report.period_end, ReportLine.material_id,
        sa.func.sum(ReportLine.stock), sa.func.sum(ReportLine.consumption),
        sa.func.sum(sa.case((within_horizon, ReportLine.incoming), else_=0)),
        sa.func.sum(ReportLine.support_quantity),
    ).group_by(Report.organisation_id, Report.period_start, Report.period_end,
               ReportLine.material_id)
    totals: dict[Key, Totals] = {}
    periods: dict[tuple[int, date], Period] = {}
    for org_id, start, end, material_id, stock, used, incoming, support in db.session.execute(
            query):
        totals[(org_id, start, material_id)] = Totals(int(stock), int(used), int(incoming),
                                                      int(support))
        periods[(org_id, start)] = Period(start, end)
    return ReportedData(totals, periods)


def figure_at(data: ReportedData, org_id: int, material_id: int, start: date,
              settings: CountySettings) -> Figure | None:
    """The derived figure of one municipality, material and period, if reported."""
    totals = data.get(org_id, start, material_id)
    if totals is None:
        return None
    return derive_with_use(totals, data.daily_use(org_id, material_id, start), settings)


def _deliveries(org_filter: sa.ColumnElement[bool], period: Period
                ) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Confirmed deliveries of the period's submitted reports: (org, material) → (day, qty)."""
    offset = days_between(ReportLine.incoming_date, Report.period_end)
    query = _submitted_lines_query(org_filter, period.start, period.start).with_only_columns(
        Report.organisation_id, ReportLine.material_id, offset, sa.func.sum(ReportLine.incoming),
    ).where(ReportLine.incoming > 0).group_by(Report.organisation_id, ReportLine.material_id,
                                               offset)
    found: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for org_id, material_id, day, quantity in db.session.execute(query):
        found[(org_id, material_id)].append((int(day), int(quantity)))
    return found


def _forecast(totals: Totals, history: Sequence[metrics.PeriodUse],
              deliveries: Iterable[tuple[int, int]], settings: CountySettings) -> float | None:
    return metrics.forecast_days(
        totals.stock, list(deliveries), metrics.daily_use(history),
        trend_per_day=metrics.use_trend_per_day(history),
        multiplier=float(settings.scenario_multiplier))


def _support_requests(org_filter: sa.ColumnElement[bool], period: Period,
                      orgs: dict[int, Organisation], materials: dict[int, Material]
                      ) -> list[SupportRequest]:
    """Requests for support in the period, one per municipality and material."""
    query = _submitted_lines_query(org_filter, period.start, period.start).with_only_columns(
        Report.organisation_id, ReportLine.material_id, ReportLine.support_quantity,
        ReportLine.support_justification, ReportLine.private,
    ).where(ReportLine.support_quantity > 0)
    grouped: dict[tuple[int, int], list[tuple[int, str, bool]]] = defaultdict(list)
    for org_id, material_id, quantity, text, private in db.session.execute(query):
        grouped[(org_id, material_id)].append((quantity, (text or "").strip(), private))
    requests = [
        SupportRequest(orgs[org_id], materials[material_id], sum(q for q, _, _ in parts),
                       " ".join(dict.fromkeys(text for _, text, _ in parts if text)),
                       any(private for _, _, private in parts))
        for (org_id, material_id), parts in grouped.items()
    ]
    return sorted(requests, key=lambda r: (r.organisation.name, r.material.sort_order))


def _report_status(org_filter: sa.ColumnElement[bool], period: Period
                   ) -> dict[int, tuple[int, bool]]:
    """Organisation id → (report id, late) for reports of the period that have been submitted."""
    first_submission = (
        sa.select(ReportRevision.report_id, sa.func.min(ReportRevision.number).label("first"))
        .where(ReportRevision.submitted_at.is_not(None))
        .group_by(ReportRevision.report_id).subquery()
    )
    query = (
        sa.select(Report.organisation_id, Report.id, ReportRevision.late)
        .join(first_submission, first_submission.c.report_id == Report.id)
        .join(ReportRevision, sa.and_(ReportRevision.report_id == Report.id,
                                      ReportRevision.number == first_submission.c.first))
        .where(org_filter, Report.period_start == period.start)
    )
    return {org_id: (report_id, late) for org_id, report_id, late in db.session.execute(query)}


def county_municipalities(county_code: str) -> list[Organisation]:
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.county_code == county_code,
                                      Organisation.kind == OrgKind.MUNICIPALITY)
        .order_by(Organisation.name)))


def build_picture(county_code: str, period: Period, settings: CountySettings,
                  materials: list[Material], municipalities: list[Organisation]
                  ) -> CountyPicture:
    """Everything the county picture shows for ``period``."""
    org_filter = Report.organisation_id.in_([org.id for org in municipalities])
    periods = trend_periods(period, settings)
    data = load_reported(org_filter, periods[0].start, period.start, settings.horizon_days)
    deliveries = _deliveries(org_filter, period)
    status = _report_status(org_filter, period)
    rows = []
    for org in municipalities:
        report_id, late = status.get(org.id, (None, False))
        row = MunicipalityRow(org, report_id, late)
        for material in materials:
            figure = figure_at(data, org.id, material.id, period.start, settings)
            if figure is not None:
                history = data.history(org.id, material.id, period.start)
                row.cells[material.id] = derive_with_use(
                    figure.totals, figure.daily_use, settings,
                    _forecast(figure.totals, history, deliveries[(org.id, material.id)],
                              settings))
        rows.append(row)
    return CountyPicture(
        county_code=county_code, period=period, settings=settings, materials=materials,
        rows=rows,
        totals={m.id: county_figure(data, [r.organisation.id for r in rows], m.id,
                                    period.start, settings) for m in materials},
        periods=periods,
        trend={m.id: [county_figure(data, data.starts.keys(), m.id, p.start, settings).days
                      for p in periods] for m in materials},
        municipality_trend={
            (row.organisation.id, m.id): [
                _days(figure_at(data, row.organisation.id, m.id, p.start, settings))
                for p in periods]
            for row in rows for m in materials},
        support_requests=_support_requests(org_filter, period,
                                           {o.id: o for o in municipalities},
                                           {m.id: m for m in materials}),
    )


def _days(figure: Figure | None) -> float | None:
    return None if figure is None else figure.days


def trend_periods(period: Period, settings: CountySettings) -> list[Period]:
    """The last :data:`TREND_PERIODS` periods up to ``period``, oldest first."""
    periods = [period]
    while len(periods) < TREND_PERIODS:
        periods.append(period_containing(periods[-1].start - timedelta(days=1),
                                         settings.frequency))
    return periods[::-1]


def county_figure(data: ReportedData, org_ids: Iterable[int], material_id: int, start: date,
                  settings: CountySettings) -> Figure:
    """County-level figure of the reported municipalities: summed totals and daily use."""
    total, uses = Totals(), []
    for org_id in org_ids:
        totals = data.get(org_id, start, material_id)
        if totals is not None:
            total = total + totals
            use = data.daily_use(org_id, material_id, start)
            if use is not None:
                uses.append(use)
    use = sum(uses) if uses else None
    return derive_with_use(total, use, settings)
