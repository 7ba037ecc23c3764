"""Column helpers shared by every domain's models."""
from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC (a callable, so defaults are evaluated per row)."""
    return datetime.now(UTC)


def aware_utc(moment: datetime) -> datetime:
    """``moment`` as timezone-aware UTC (SQLite returns naive datetimes; they are stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def enum_column(enum_class: type[enum.Enum], length: int = 32) -> sa.Enum:
    """A portable enum column that stores the member's value as text (no native DB enum)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
