"""Situation reports: one report per municipality and period, kept as numbered revisions.

A report's lines belong to a revision. Revision 1 is the first draft; submitting locks it.
A correction after submission opens a new draft revision copied from the last one, so every
submitted revision stays as it was, with who and when.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import CareUnit, Material, Organisation
from app.core.types import enum_column, utcnow
from app.core.workflow import Stateful
from app.extensions import db
from app.reports.periods import Frequency, Period


class Breakdown(enum.Enum):
    """Whether a report is given for the municipality as a whole or per care unit."""

    MUNICIPALITY = "municipality"
    CARE_UNIT = "care_unit"


class RevisionStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class CountySettings(db.Model):
    """Reporting settings a county coordinator controls for the whole county."""

    __tablename__ = "county_settings"
    __table_args__ = (
        sa.CheckConstraint("red_below_days > 0 AND red_below_days < yellow_below_days",
                           name="thresholds_ordered"),
        sa.CheckConstraint("horizon_days BETWEEN 1 AND 180", name="horizon_range"),
    )

    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency), default=Frequency.WEEKLY)
    horizon_days: Mapped[int] = mapped_column(default=14)
    red_below_days: Mapped[int] = mapped_column(default=7)
    yellow_below_days: Mapped[int] = mapped_column(default=14)
    scenario_multiplier: Mapped[float] = mapped_column(default=1.0)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class Report(db.Model):
    """A municipality's situation report for one period (a week, or a day in an acute phase)."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "period_start"),
                      sa.CheckConstraint("period_end >= period_start", name="period_order"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date] = mapped_column(index=True)
    breakdown: Mapped[Breakdown] = mapped_column(enum_column(Breakdown),
                                                 default=Breakdown.MUNICIPALITY)
    deadline: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    submitted_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_revisions.id", use_alter=True), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    revisions: Mapped[list[ReportRevision]] = relationship(
        back_populates="report", order_by="ReportRevision.number",
        foreign_keys="ReportRevision.report_id")
    submitted_revision: Mapped[ReportRevision | None] = relationship(
        foreign_keys=[submitted_revision_id], post_update=True)

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def period_days(self) -> int:
        return self.period.days

    @property
    def latest_revision(self) -> ReportRevision:
        return self.revisions[-1]


class ReportRevision(Stateful, db.Model):
    """One version of a report; read-only once submitted.

    Every change to its lines also stamps ``updated_at``, so the row's ``version`` moves with
    its content: a submission confirms the version the user reviewed, and a line saved by a
    request that read the revision before a concurrent submission is refused.
    """

    __tablename__ = "report_revisions"
    __table_args__ = (sa.UniqueConstraint("report_id", "number"),)
    TRANSITIONS = {RevisionStatus.DRAFT: frozenset({RevisionStatus.SUBMITTED})}
    AUDIT_ENTITY = "report_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id"), index=True)
    number: Mapped[int]
    status: Mapped[RevisionStatus] = mapped_column(enum_column(RevisionStatus),
                                                   default=RevisionStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    late: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="revisions", foreign_keys=[report_id])
    lines: Mapped[list[ReportLine]] = relationship(back_populates="revision",
                                                   cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    @property
    def is_draft(self) -> bool:
        return self.status is RevisionStatus.DRAFT


class ReportLine(db.Model):
    """Stock, consumption, incoming and requested support of one material in one section.

    A section is a care unit, or (without a care unit) the municipality's own operations or
    its private providers taken together.
    """

    __tablename__ = "report_lines"
    __table_args__ = (
        sa.UniqueConstraint("revision_id", "material_id", "section"),
        sa.CheckConstraint(
            "stock >= 0 AND consumption >= 0 AND incoming >= 0 AND support_quantity >= 0",
            name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("report_revisions.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    section: Mapped[str] = mapped_column(sa.String(20))
    care_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("care_units.id"))
    private: Mapped[bool] = mapped_column(default=False)
    stock: Mapped[int] = mapped_column(default=0)
    consumption: Mapped[int] = mapped_column(default=0)
    incoming: Mapped[int] = mapped_column(default=0)
    incoming_date: Mapped[date | None]
    support_quantity: Mapped[int] = mapped_column(default=0)
    support_justification: Mapped[str | None] = mapped_column(sa.Text)
    #: Carried forward from the previous period and not saved by anyone since.
    prefilled: Mapped[bool] = mapped_column(default=False)

    revision: Mapped[ReportRevision] = relationship(back_populates="lines")
    material: Mapped[Material] = relationship()
    care_unit: Mapped[CareUnit | None] = relationship()


class ReportImport(db.Model):
    """An uploaded report file, validated and waiting for the user to confirm it."""

    __tablename__ = "report_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("report_revisions.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    rows: Mapped[list[dict[str, object]]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    revision: Mapped[ReportRevision] = relationship()
