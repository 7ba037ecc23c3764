"""A background job and its progress."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import enum_column, utcnow
from app.core.workflow import Stateful
from app.extensions import db


class JobState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Stateful, db.Model):
    """One run of background work: who started it, how far it got, and how it ended."""

    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),)
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "job"
    TRANSITIONS = {
        JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED}),
        JobState.RUNNING: frozenset({JobState.DONE, JobState.FAILED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    title: Mapped[str] = mapped_column(sa.String(200))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=1)
    progress_label: Mapped[str | None] = mapped_column(sa.String(200))
    result_type: Mapped[str | None] = mapped_column(sa.String(60))
    result_id: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.progress_done / max(self.progress_total, 1))
