"""The definitions behind every figure on the report pages (pure functions, no database).

- **Daily use** (förbrukning per dag) = consumption in the period / days in the period. Where
  earlier periods are reported, the average over the last periods is used: their total
  consumption over their total days (CDC's burn-rate approach).
- **Days of supply** (dagar av tillgång) = (stock + confirmed incoming within the horizon) /
  daily use; infinite where daily use is 0.
- **Need for horizon H** (behov) = max(0, H × daily use − stock − confirmed incoming).
- **Forecast** (prognos): days until the stock runs out when daily use follows its recent trend,
  scaled by the scenario multiplier (omfall), and confirmed deliveries arrive on their dates.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

HISTORY_WINDOW = 3
FORECAST_LIMIT_DAYS = 180


@dataclass(frozen=True)
class PeriodUse:
    """Consumption reported for one period of ``days`` days."""

    consumption: int
    days: int


def daily_use(history: Sequence[PeriodUse], window: int = HISTORY_WINDOW) -> float | None:
    """Average daily use over the last ``window`` periods (newest last); None without history."""
    recent = [period for period in history if period.days > 0][-window:]
    if not recent:
        return None
    return sum(p.consumption for p in recent) / sum(p.days for p in recent)


def days_of_supply(stock: int, incoming: int, use_per_day: float | None) -> float | None:
    """(stock + incoming) / daily use in days; ``inf`` for zero use, None when use is unknown."""
    if use_per_day is None:
        return None
    if use_per_day <= 0:
        return math.inf
    return (stock + incoming) / use_per_day


def need_for_horizon(horizon_days: float, use_per_day: float | None, stock: int,
                     incoming: int) -> int:
    """Units missing to last ``horizon_days``: max(0, H × use − stock − incoming), rounded up."""
    if not use_per_day:
        return 0
    return max(0, math.ceil(horizon_days * use_per_day - stock - incoming - 1e-9))


def traffic_light(days: float | None, red_below: float, yellow_below: float) -> str:
    """"red", "yellow" or "green" by the county's thresholds; "none" without a figure."""
    if days is None:
        return "none"
    if days < red_below:
        return "red"
    if days < yellow_below:
        return "yellow"
    return "green"


def use_trend_per_day(history: Sequence[PeriodUse]) -> float:
    """Least-squares change of daily use per day over the reported periods (0 with < 2)."""
    points = [(index, p.consumption / p.days) for index, p in enumerate(history) if p.days > 0]
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope_per_period = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    days_per_period = sum(p.days for p in history) / len(history)
    return slope_per_period / days_per_period


def forecast_days(
    stock: int,
    deliveries: Sequence[tuple[int, int]],
    use_per_day: float | None,
    *,
    trend_per_day: float = 0.0,
    multiplier: float = 1.0,
    limit_days: int = FORECAST_LIMIT_DAYS,
) -> float | None:
    """Days until stock runs out under a scenario; ``inf`` if it lasts beyond ``limit_days``.

    ``deliveries`` are (day offset from now, quantity) of confirmed incoming deliveries.
    Daily use on day d is (use + trend × d) × multiplier, never below zero.
    """
    if use_per_day is None:
        return None
    arrivals: dict[int, int] = {}
    for offset, quantity in deliveries:
        arrivals[max(0, offset)] = arrivals.get(max(0, offset), 0) + quantity
    remaining = float(stock)
    for day in range(limit_days):
        remaining += arrivals.get(day, 0)
        use_today = max(0.0, (use_per_day + trend_per_day * day) * multiplier)
        if use_today > remaining:
            return day + (remaining / use_today if use_today else 0.0)
        remaining -= use_today
    return math.inf
