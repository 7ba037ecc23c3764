"""Reporting periods: ISO weeks (Monday–Sunday) or single days, and their deadlines."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEADLINE_TIME = time(12, 0)


class Frequency(enum.Enum):
    """How often a county's municipalities report."""

    WEEKLY = "weekly"
    DAILY = "daily"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_week(self) -> bool:
        return self.days == 7 and self.start.isoweekday() == 1

    @property
    def deadline(self) -> datetime:
        """Reports are due at 12:00 Swedish time on the day after the period ends."""
        return datetime.combine(self.end + timedelta(days=1), DEADLINE_TIME, tzinfo=STOCKHOLM)

    def previous(self) -> Period:
        length = timedelta(days=self.days)
        return Period(self.start - length, self.end - length)


def period_containing(day: date, frequency: Frequency) -> Period:
    """The ISO week (or the day, for daily reporting) that contains ``day``."""
    if frequency is Frequency.DAILY:
        return Period(day, day)
    start = day - timedelta(days=day.isoweekday() - 1)
    return Period(start, start + timedelta(days=6))


def recent_periods(today: date, frequency: Frequency, count: int) -> list[Period]:
    """The ``count`` periods up to and including the current one, oldest first."""
    periods = [period_containing(today, frequency)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def parse_period_start(raw: str, frequency: Frequency) -> Period | None:
    """The period starting on ISO date ``raw``; None when malformed or not a period start."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    period = period_containing(day, frequency)
    return period if period.start == day else None


def today() -> date:
    """Today in Sweden."""
    return datetime.now(STOCKHOLM).date()
