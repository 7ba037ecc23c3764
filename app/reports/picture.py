"""The county picture as a pure calculation: figures, totals and trends from reported data.

No database here: :mod:`app.reports.supply` loads the submitted lines of a county into a
:class:`ReportedData` and calls :func:`compute_picture`. Every figure follows the
definitions in :mod:`app.reports.metrics`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Protocol

from app.reports import metrics
from app.reports.periods import Frequency, Period, period_containing

TREND_PERIODS = 8


class PictureSettings(Protocol):
    """What the calculation needs of a county's settings."""

    frequency: Frequency
    horizon_days: int
    red_below_days: int
    yellow_below_days: int
    scenario_multiplier: float


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
    """What the pages show for one cell: the reported totals and the derived figures.

    ``forecast_level`` is the traffic light of the forecast, by the same thresholds.
    """

    totals: Totals
    daily_use: float | None
    days: float | None
    need: int
    level: str
    forecast: float | None = None
    forecast_level: str = "none"
    ordered: int = 0  # expected from joint purchases (not in the report), in the forecast


@dataclass(frozen=True)
class CountyTotal:
    """The county as a whole for one material.

    ``figure`` sums every reported municipality's stock, incoming and use, so its need is
    what the county lacks even after a perfect redistribution (``shortage``), while
    ``need_sum`` adds up each municipality's own need (what the short ones lack today).
    """

    figure: Figure
    need_sum: int

    @property
    def shortage(self) -> int:
        return self.figure.need


@dataclass
class MunicipalityRow:
    organisation: object  # an Organisation, passed through untouched
    report_id: int | None = None
    late: bool = False
    cells: dict[int, Figure] = field(default_factory=dict)

    @property
    def reported(self) -> bool:
        return self.report_id is not None


@dataclass(frozen=True)
class SupportRequest:
    organisation: object
    material: object
    quantity: int
    justification: str
    private: bool


@dataclass
class CountyPicture:
    county_code: str
    period: Period
    settings: PictureSettings
    materials: list
    rows: list[MunicipalityRow]
    totals: dict[int, CountyTotal]
    periods: list[Period]
    trend: dict[int, list[float | None]]  # material id → county days of supply per period
    municipality_trend: dict[tuple[int, int], list[float | None]]  # (org, material) → days
    support_requests: list[SupportRequest]

    @property
    def missing(self) -> list:
        return [row.organisation for row in self.rows if not row.reported]


Key = tuple[int, date, int]  # organisation id, period start, material id
Delivery = tuple[int, int]  # (days after the period's end, quantity)


class ReportedData:
    """Summed submitted lines per (organisation, period, material) with memoised daily use.

    ``deliveries`` holds each key's confirmed deliveries, within the horizon or not (the
    forecast follows them all); ``totals`` count only those within the horizon.
    """

    def __init__(self, totals: dict[Key, Totals], periods: dict[tuple[int, date], Period],
                 deliveries: dict[Key, list[Delivery]] | None = None):
        self.totals = totals
        self.periods = periods
        self.deliveries = deliveries or {}
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


def derive(totals: Totals, history: Sequence[metrics.PeriodUse], settings: PictureSettings
           ) -> Figure:
    """Daily use (averaged over recent periods), days of supply, need and traffic light."""
    return derive_with_use(totals, metrics.daily_use(history), settings)


def derive_with_use(totals: Totals, use: float | None, settings: PictureSettings,
                    forecast: float | None = None) -> Figure:
    """The figure for ``totals`` given the daily use (and the forecast, if computed)."""
    days = metrics.days_of_supply(totals.stock, totals.incoming, use)
    return Figure(
        totals=totals, daily_use=use, days=days,
        need=metrics.need_for_horizon(settings.horizon_days, use, totals.stock, totals.incoming),
        level=_light(days, settings), forecast=forecast, forecast_level=_light(forecast, settings),
    )


def _light(days: float | None, settings: PictureSettings) -> str:
    return metrics.traffic_light(days, settings.red_below_days, settings.yellow_below_days)


def figure_at(data: ReportedData, org_id: int, material_id: int, start: date,
              settings: PictureSettings) -> Figure | None:
    """The derived figure of one municipality, material and period, if reported."""
    totals = data.get(org_id, start, material_id)
    if totals is None:
        return None
    return derive_with_use(totals, data.daily_use(org_id, material_id, start), settings)


def _with_forecast(data: ReportedData, org_id: int, material_id: int, start: date,
                   settings: PictureSettings, ordered: list[Delivery]) -> Figure | None:
    """The figure of the period with its forecast: trend, scenario, the municipality's
    confirmed deliveries and what is ordered for it in joint purchases."""
    figure = figure_at(data, org_id, material_id, start, settings)
    if figure is None:
        return None
    history = data.history(org_id, material_id, start)
    forecast = metrics.forecast_days(
        figure.totals.stock, [*data.deliveries.get((org_id, start, material_id), []), *ordered],
        figure.daily_use, trend_per_day=metrics.use_trend_per_day(history),
        multiplier=float(settings.scenario_multiplier))
    return replace(derive_with_use(figure.totals, figure.daily_use, settings, forecast),
                   ordered=sum(quantity for _, quantity in ordered))


def county_total(data: ReportedData, org_ids: Iterable[int], material_id: int, start: date,
                 settings: PictureSettings) -> CountyTotal:
    """The county's figure (summed totals and daily use) and the sum of the municipalities'
    own needs, over the municipalities that reported."""
    total, uses, need_sum = Totals(), [], 0
    for org_id in org_ids:
        figure = figure_at(data, org_id, material_id, start, settings)
        if figure is not None:
            total = total + figure.totals
            need_sum += figure.need
            if figure.daily_use is not None:
                uses.append(figure.daily_use)
    use = sum(uses) if uses else None
    return CountyTotal(derive_with_use(total, use, settings), need_sum)


def trend_periods(period: Period, frequency: Frequency) -> list[Period]:
    """The last :data:`TREND_PERIODS` periods up to ``period``, oldest first."""
    periods = [period]
    while len(periods) < TREND_PERIODS:
        periods.append(period_containing(periods[-1].start - timedelta(days=1), frequency))
    return periods[::-1]


def _days(figure: Figure | None) -> float | None:
    return None if figure is None else figure.days


def compute_picture(county_code: str, period: Period, settings: PictureSettings,
                    materials: list, municipalities: list, data: ReportedData,
                    status: dict[int, tuple[int, bool]],
                    support_requests: list[SupportRequest],
                    ordered: dict[tuple[int, int], list[Delivery]] | None = None
                    ) -> CountyPicture:
    """Everything the county picture shows for ``period``, from data already loaded.

    ``status`` maps organisation ids to (report id, late) for the period's submitted reports;
    ``ordered`` (organisation id, material id) to deliveries expected from joint purchases.
    """
    ordered = ordered or {}
    periods = trend_periods(period, settings.frequency)
    rows = []
    for org in municipalities:
        report_id, late = status.get(org.id, (None, False))
        row = MunicipalityRow(org, report_id, late)
        for material in materials:
            figure = _with_forecast(data, org.id, material.id, period.start, settings,
                                    ordered.get((org.id, material.id), []))
            if figure is not None:
                row.cells[material.id] = figure
        rows.append(row)
    org_ids = [org.id for org in municipalities]
    return CountyPicture(
        county_code=county_code, period=period, settings=settings, materials=materials,
        rows=rows,
        totals={m.id: county_total(data, org_ids, m.id, period.start, settings)
                for m in materials},
        periods=periods,
        trend={m.id: [county_total(data, org_ids, m.id, p.start, settings).figure.days
                      for p in periods] for m in materials},
        municipality_trend={
            (org_id, m.id): [_days(figure_at(data, org_id, m.id, p.start, settings))
                             for p in periods]
            for org_id in org_ids for m in materials},
        support_requests=support_requests,
    )
