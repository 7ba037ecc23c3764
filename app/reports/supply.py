"""The county's reported situation: the one seam through which other domains read it.

Everything that reads submitted report lines for a county goes through here: the county
picture (:func:`load_picture`), the report form's figures (through :func:`counts_within`)
and, for redistribution and procurement, :func:`county_supply`, which gives per
municipality and material the stock, daily use, confirmed incoming within the horizon and
need, and turns them into the allocation engine's :class:`~app.allocation.Site` values.

The rule that confirmed incoming counts only when it is expected within the planning
horizon is :func:`counts_within`, applied in Python to every delivery that is read; no
query repeats it. Deliveries that other domains expect (goods ordered in a joint purchase)
come in through :func:`expected_source`: they count in the forecast and in a
redistribution round, marked apart from what municipalities report themselves. Reading a
county costs a fixed number of queries, whatever the number of municipalities.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.allocation import Site
from app.core.models import Material, Organisation, OrgKind
from app.extensions import db
from app.reports import metrics
from app.reports.models import Report, ReportLine, ReportRevision
from app.reports.periods import Period
from app.reports.picture import (
    CountyPicture,
    Delivery,
    Key,
    PictureSettings,
    ReportedData,
    SupportRequest,
    Totals,
    compute_picture,
    figure_at,
    trend_periods,
)


@dataclass(frozen=True)
class ExpectedDelivery:
    """Goods another domain expects to arrive for a municipality and not yet delivered."""

    organisation_id: int
    material_id: int
    expected_on: date
    quantity: int


ExpectedSource = Callable[[list[int]], list[ExpectedDelivery]]
_EXPECTED_SOURCES: list[ExpectedSource] = []


def expected_source(source: ExpectedSource) -> ExpectedSource:
    """Register a function giving the deliveries expected for some organisations (by id)."""
    _EXPECTED_SOURCES.append(source)
    return source


def expected_deliveries(org_ids: list[int]) -> list[ExpectedDelivery]:
    """Every registered domain's expected deliveries for these organisations."""
    return [delivery for source in _EXPECTED_SOURCES for delivery in source(org_ids)]


def _ordered_by_key(org_ids: list[int], period_end: date
                    ) -> dict[tuple[int, int], list[Delivery]]:
    """Expected deliveries as (days after the period's end, quantity) per (org, material)."""
    found: dict[tuple[int, int], list[Delivery]] = defaultdict(list)
    for delivery in expected_deliveries(org_ids):
        found[(delivery.organisation_id, delivery.material_id)].append(
            ((delivery.expected_on - period_end).days, delivery.quantity))
    return dict(found)


def counts_within(incoming_date: date | None, period_end: date, horizon_days: int) -> bool:
    """Whether a confirmed delivery counts as incoming: expected no later than
    ``horizon_days`` after the period ends (earlier dates count too)."""
    return incoming_date is not None and (incoming_date - period_end).days <= horizon_days


def county_municipalities(county_code: str) -> list[Organisation]:
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.county_code == county_code,
                                      Organisation.kind == OrgKind.MUNICIPALITY)
        .order_by(Organisation.name)))


def _submitted_lines(org_ids: list[int], since: date, until: date, *, include_private: bool):
    """A select over the submitted lines of the orgs' reports starting in [since, until]."""
    query = (
        sa.select(Report.organisation_id, Report.period_start, Report.period_end,
                  ReportLine.material_id)
        .join(ReportLine, ReportLine.revision_id == Report.submitted_revision_id)
        .where(Report.organisation_id.in_(org_ids), Report.period_start >= since,
               Report.period_start <= until)
    )
    return query if include_private else query.where(ReportLine.private.is_(False))


def load_reported(org_ids: list[int], since: date, until: date, horizon_days: int, *,
                  include_private: bool = True) -> ReportedData:
    """Summed submitted lines per (organisation, period, material), in two queries."""
    base = _submitted_lines(org_ids, since, until, include_private=include_private)
    sums = base.add_columns(
        sa.func.sum(ReportLine.stock), sa.func.sum(ReportLine.consumption),
        sa.func.sum(ReportLine.support_quantity),
    ).group_by(Report.organisation_id, Report.period_start, Report.period_end,
               ReportLine.material_id)
    deliveries = base.add_columns(ReportLine.incoming_date, sa.func.sum(ReportLine.incoming)
                                  ).where(ReportLine.incoming > 0).group_by(
        Report.organisation_id, Report.period_start, Report.period_end, ReportLine.material_id,
        ReportLine.incoming_date)
    expected: dict[Key, list[Delivery]] = defaultdict(list)
    within: dict[Key, int] = defaultdict(int)
    for org_id, start, end, material_id, on, quantity in db.session.execute(deliveries):
        key = (org_id, start, material_id)
        expected[key].append(((on - end).days, int(quantity)))
        if counts_within(on, end, horizon_days):
            within[key] += int(quantity)
    totals: dict[Key, Totals] = {}
    periods: dict[tuple[int, date], Period] = {}
    for org_id, start, end, material_id, stock, used, support in db.session.execute(sums):
        key = (org_id, start, material_id)
        totals[key] = Totals(int(stock), int(used), within[key], int(support))
        periods[(org_id, start)] = Period(start, end)
    return ReportedData(totals, periods, dict(expected))


def _support_requests(org_ids: list[int], period: Period, orgs: dict[int, Organisation],
                      materials: dict[int, Material]) -> list[SupportRequest]:
    """Requests for support in the period, one per municipality and material."""
    query = _submitted_lines(org_ids, period.start, period.start, include_private=True
                             ).add_columns(ReportLine.support_quantity,
                                           ReportLine.support_justification, ReportLine.private
                                           ).where(ReportLine.support_quantity > 0)
    grouped: dict[tuple[int, int], list[tuple[int, str, bool]]] = defaultdict(list)
    for org_id, _start, _end, material_id, quantity, text, private in db.session.execute(query):
        grouped[(org_id, material_id)].append((quantity, (text or "").strip(), private))
    requests = [
        SupportRequest(orgs[org_id], materials[material_id], sum(q for q, _, _ in parts),
                       " ".join(dict.fromkeys(text for _, text, _ in parts if text)),
                       any(private for _, _, private in parts))
        for (org_id, material_id), parts in grouped.items()
    ]
    return sorted(requests, key=lambda r: (r.organisation.name, r.material.sort_order))


def report_status(org_ids: list[int], period: Period) -> dict[int, tuple[int, bool]]:
    """Organisation id → (report id, late) for reports of the period that have been
    submitted; late is judged by the first submission (a correction is not late)."""
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
        .where(Report.organisation_id.in_(org_ids), Report.period_start == period.start)
    )
    return {org_id: (report_id, late) for org_id, report_id, late in db.session.execute(query)}


def load_picture(county_code: str, period: Period, settings: PictureSettings,
                 materials: list[Material], municipalities: list[Organisation]
                 ) -> CountyPicture:
    """The county picture of ``period`` for ``municipalities`` (four queries)."""
    org_ids = [org.id for org in municipalities]
    periods = trend_periods(period, settings.frequency)
    data = load_reported(org_ids, periods[0].start, period.start, settings.horizon_days)
    return compute_picture(
        county_code, period, settings, materials, municipalities, data,
        report_status(org_ids, period),
        _support_requests(org_ids, period, {o.id: o for o in municipalities},
                          {m.id: m for m in materials}),
        _ordered_by_key(org_ids, period.end))


@dataclass(frozen=True)
class SupplyFigure:
    """One municipality's situation in one material, as a round of redistribution sees it."""

    organisation: Organisation
    material: Material
    stock: int
    daily_use: float
    incoming: int  # confirmed by the municipality or ordered jointly, within the horizon
    need: int  # for the horizon
    ordered: int = 0  # the part of ``incoming`` ordered in joint purchases

    def site(self) -> Site:
        """The engine's view of it (the municipality's SCB code as the site code)."""
        return Site(code=self.organisation.scb_code, stock=self.stock,
                    daily_use=self.daily_use, incoming=self.incoming)


@dataclass(frozen=True)
class CountySupply:
    """The county's reported situation in one period: who reported, and their figures."""

    period: Period
    horizon_days: int
    include_private: bool
    municipalities: list[Organisation]
    reported: dict[int, tuple[int, bool]]  # organisation id → (report id, late)
    figures: dict[tuple[int, int], SupplyFigure]  # (organisation id, material id) → figure

    @property
    def missing(self) -> list[Organisation]:
        return [org for org in self.municipalities if org.id not in self.reported]

    @property
    def late(self) -> list[Organisation]:
        return [org for org in self.municipalities if self.reported.get(org.id, (0, False))[1]]

    def sites(self, material: Material) -> list[Site]:
        """The engine's sites of one material: every municipality that reported it."""
        return [figure.site() for (_, material_id), figure in self.figures.items()
                if material_id == material.id]


def _ordered_within(org_ids: list[int], period_end: date, horizon_days: int
                    ) -> dict[tuple[int, int], int]:
    """Jointly ordered units expected within the horizon, per (organisation, material)."""
    found: dict[tuple[int, int], int] = defaultdict(int)
    for delivery in expected_deliveries(org_ids):
        if counts_within(delivery.expected_on, period_end, horizon_days):
            found[(delivery.organisation_id, delivery.material_id)] += delivery.quantity
    return dict(found)


def county_supply(county_code: str, period: Period, settings: PictureSettings,
                  materials: list[Material], *, include_private: bool = True,
                  horizon_days: int | None = None) -> CountySupply:
    """Each reporting municipality's stock, daily use, incoming and need per material.

    Figures come from the submitted revision of the period's reports (municipalities
    without one are listed as missing and left out); daily use is averaged over the last
    reported periods as in the county picture. ``include_private`` counts the private
    providers' lines; ``horizon_days`` defaults to the county's planning horizon.
    """
    horizon = horizon_days or settings.horizon_days
    municipalities = county_municipalities(county_code)
    org_ids = [org.id for org in municipalities]
    since = trend_periods(period, settings.frequency)[-metrics.HISTORY_WINDOW].start
    data = load_reported(org_ids, since, period.start, horizon, include_private=include_private)
    ordered = _ordered_within(org_ids, period.end, horizon)
    figures = {}
    for org in municipalities:
        for material in materials:
            figure = figure_at(data, org.id, material.id, period.start, settings)
            if figure is None or figure.daily_use is None:
                continue
            jointly = ordered.get((org.id, material.id), 0)
            incoming = figure.totals.incoming + jointly
            figures[(org.id, material.id)] = SupplyFigure(
                org, material, figure.totals.stock, figure.daily_use, incoming,
                metrics.need_for_horizon(horizon, figure.daily_use, figure.totals.stock,
                                         incoming), jointly)
    return CountySupply(period, horizon, include_private, municipalities,
                        report_status(org_ids, period), figures)
