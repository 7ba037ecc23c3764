"""The definitions behind the report figures (pure unit tests)."""
from __future__ import annotations

import math
from datetime import date

import pytest

from app.reports.metrics import (
    PeriodUse,
    daily_use,
    days_of_supply,
    forecast_days,
    need_for_horizon,
    traffic_light,
    use_trend_per_day,
)
from app.reports.periods import Frequency, Period, parse_period_start, period_containing


def test_daily_use_is_consumption_over_days() -> None:
    assert daily_use([PeriodUse(700, 7)]) == 100


def test_daily_use_averages_the_last_three_periods_by_days() -> None:
    history = [PeriodUse(7000, 7), PeriodUse(700, 7), PeriodUse(1400, 7), PeriodUse(2100, 7)]
    assert daily_use(history) == pytest.approx((700 + 1400 + 2100) / 21)


def test_daily_use_without_history_is_unknown() -> None:
    assert daily_use([]) is None


def test_days_of_supply_counts_stock_and_incoming() -> None:
    assert days_of_supply(300, 200, 50.0) == 10.0


def test_zero_use_means_infinite_supply_and_no_need() -> None:
    assert days_of_supply(10, 0, 0.0) == math.inf
    assert need_for_horizon(14, 0.0, 0, 0) == 0


def test_unknown_use_gives_no_days() -> None:
    assert days_of_supply(10, 0, None) is None
    assert need_for_horizon(14, None, 0, 0) == 0


def test_need_is_what_is_missing_for_the_horizon_rounded_up() -> None:
    assert need_for_horizon(14, 10.5, 100, 20) == math.ceil(14 * 10.5 - 120)
    assert need_for_horizon(14, 10.0, 500, 0) == 0


@pytest.mark.parametrize(("days", "level"), [
    (None, "none"), (0.0, "red"), (6.99, "red"), (7.0, "yellow"), (13.9, "yellow"),
    (14.0, "green"), (math.inf, "green")])
def test_traffic_light_thresholds(days, level) -> None:
    assert traffic_light(days, 7, 14) == level


def test_trend_is_the_slope_of_daily_use_per_day() -> None:
    history = [PeriodUse(70, 7), PeriodUse(140, 7), PeriodUse(210, 7)]
    assert use_trend_per_day(history) == pytest.approx(10 / 7)
    assert use_trend_per_day(history[:1]) == 0.0


def test_forecast_without_trend_equals_days_of_stock() -> None:
    assert forecast_days(100, [], 10.0) == pytest.approx(10.0)


def test_forecast_counts_deliveries_on_their_day_and_the_scenario() -> None:
    assert forecast_days(100, [(5, 100)], 10.0) == pytest.approx(20.0)
    assert forecast_days(100, [], 10.0, multiplier=2.0) == pytest.approx(5.0)
    assert forecast_days(100, [], 0.0) == math.inf
    assert forecast_days(100, [], None) is None


def test_forecast_with_rising_use_runs_out_sooner() -> None:
    assert forecast_days(100, [], 10.0, trend_per_day=1.0) < 10.0


def test_iso_week_period_and_deadline() -> None:
    period = period_containing(date(2026, 11, 24), Frequency.WEEKLY)
    assert period == Period(date(2026, 11, 23), date(2026, 11, 29))
    assert period.is_week and period.days == 7
    assert period.deadline.isoformat() == "2026-11-30T12:00:00+01:00"
    assert period.previous() == Period(date(2026, 11, 16), date(2026, 11, 22))


def test_daily_period_and_parsing() -> None:
    assert period_containing(date(2026, 11, 24), Frequency.DAILY).days == 1
    assert parse_period_start("2026-11-23", Frequency.WEEKLY) is not None
    assert parse_period_start("2026-11-24", Frequency.WEEKLY) is None
    assert parse_period_start("not-a-date", Frequency.WEEKLY) is None
