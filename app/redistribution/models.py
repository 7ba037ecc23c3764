"""Redistribution between a county's municipalities: principles, rounds and their proposal
versions, the logistics meeting and its decision, execution, compensation, and the
request for national allocation.

Rows that record what was decided or done are never changed afterwards: principles get a
new version per change, a proposal a new numbered version per edit, a decision is written
once; state changes go through :func:`app.core.workflow.transition`.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import County, Material, Organisation
from app.core.types import enum_column, utcnow
from app.core.workflow import Stateful
from app.documents.models import StoredDocument
from app.extensions import db
from app.reports.periods import Period


class Principle(enum.Enum):
    """How the county shares what it can spare (the allocation engine's principles)."""

    EQUAL_DAYS = "equal_days"
    PROPORTIONAL_TO_NEED = "proportional_to_need"
    PER_CAPITA = "per_capita"


class PriceRule(enum.Enum):
    """The unit price at which a transfer is compensated."""

    CATALOGUE = "catalogue"  # the catalogue's reference price
    CUSTOM = "custom"  # a price set per material by the county


class PrinciplesVersion(db.Model):
    """The county's allocation principles from one weekly meeting on; never changed.

    A change is a new version; a round keeps the version in force when it was created.
    """

    __tablename__ = "principles_versions"
    __table_args__ = (
        sa.UniqueConstraint("county_code", "number"),
        sa.CheckConstraint("horizon_days BETWEEN 1 AND 180", name="horizon"),
        sa.CheckConstraint("safety_days >= 0 AND safety_days < horizon_days", name="safety"),
        sa.CheckConstraint("min_transfer_packs BETWEEN 1 AND 1000", name="min_transfer"),
        sa.CheckConstraint("solver_budget_s BETWEEN 1 AND 600", name="budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), index=True)
    number: Mapped[int]
    horizon_days: Mapped[int] = mapped_column(default=14)
    safety_days: Mapped[int] = mapped_column(default=3)
    min_transfer_packs: Mapped[int] = mapped_column(default=1)
    principle: Mapped[Principle] = mapped_column(enum_column(Principle),
                                                 default=Principle.EQUAL_DAYS)
    price_rule: Mapped[PriceRule] = mapped_column(enum_column(PriceRule),
                                                  default=PriceRule.CATALOGUE)
    include_private: Mapped[bool] = mapped_column(default=True)
    solver_budget_s: Mapped[int] = mapped_column(default=20)
    decided_at_meeting_on: Mapped[date | None]  # the weekly meeting of municipal chiefs
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    county: Mapped[County] = relationship()
    created_by: Mapped[User | None] = relationship()
    prices: Mapped[list[PrinciplesPrice]] = relationship(
        back_populates="principles", cascade="all, delete-orphan", lazy="selectin")

    def price_of(self, material: Material) -> Decimal:
        """The compensation price per unit of ``material`` under these principles (SEK)."""
        if self.price_rule is PriceRule.CUSTOM:
            for price in self.prices:
                if price.material_id == material.id:
                    return price.unit_price
        return material.unit_price_sek or Decimal(0)


class PrinciplesPrice(db.Model):
    """A compensation price set by the county for one material (price rule "custom")."""

    __tablename__ = "principles_prices"
    __table_args__ = (sa.CheckConstraint("unit_price >= 0", name="not_negative"),)

    principles_id: Mapped[int] = mapped_column(sa.ForeignKey("principles_versions.id"),
                                               primary_key=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"), primary_key=True)
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))

    principles: Mapped[PrinciplesVersion] = relationship(back_populates="prices")


class RoundState(enum.Enum):
    COMPUTING = "computing"  # the engine's job is queued or running (or failed: retry)
    PROPOSAL = "proposal"  # a proposal to review, edit and take to the meeting
    DECIDED = "decided"  # the logistics meeting decided it
    CANCELLED = "cancelled"


class Round(Stateful, db.Model):
    """A redistribution round of a county for one reporting period."""

    __tablename__ = "redistribution_rounds"
    __table_args__ = (sa.UniqueConstraint("county_code", "number"),)
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "redistribution_round"
    TRANSITIONS = {
        RoundState.COMPUTING: frozenset({RoundState.PROPOSAL, RoundState.CANCELLED}),
        RoundState.PROPOSAL: frozenset({RoundState.COMPUTING, RoundState.DECIDED,
                                        RoundState.CANCELLED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), index=True)
    number: Mapped[int]
    period_start: Mapped[date]
    period_end: Mapped[date]
    principles_id: Mapped[int] = mapped_column(sa.ForeignKey("principles_versions.id"))
    state: Mapped[RoundState] = mapped_column(enum_column(RoundState),
                                              default=RoundState.COMPUTING)
    missing: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # names, not reported
    late: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # names, reported late
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    county: Mapped[County] = relationship()
    principles: Mapped[PrinciplesVersion] = relationship()
    created_by: Mapped[User | None] = relationship()
    sites: Mapped[list[RoundSite]] = relationship(back_populates="round",
                                                  cascade="all, delete-orphan")
    versions: Mapped[list[ProposalVersion]] = relationship(
        back_populates="round", order_by="ProposalVersion.number",
        cascade="all, delete-orphan")

    @property
    def latest(self) -> ProposalVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def title(self) -> str:
        return f"{self.county_code}-{self.period_start.year}-{self.number}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class RoundSite(db.Model):
    """One municipality's figures for one material, frozen when the round was created."""

    __tablename__ = "round_sites"
    __table_args__ = (sa.CheckConstraint("stock >= 0 AND incoming >= 0 AND daily_use >= 0",
                                         name="not_negative"),)

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"),
                                          primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"),
                                                 primary_key=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"), primary_key=True)
    stock: Mapped[int]
    daily_use: Mapped[float]
    incoming: Mapped[int]  # confirmed or ordered, within the horizon
    ordered: Mapped[int] = mapped_column(default=0)  # of which ordered in joint purchases

    round: Mapped[Round] = relationship(back_populates="sites")
    organisation: Mapped[Organisation] = relationship()


class ProposalVersion(db.Model):
    """A numbered, complete version of a round's proposal; never changed once written."""

    __tablename__ = "proposal_versions"
    __table_args__ = (sa.UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"), index=True)
    number: Mapped[int]
    principle: Mapped[Principle] = mapped_column(enum_column(Principle))
    reason: Mapped[str] = mapped_column(sa.String(300))
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    round: Mapped[Round] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    transfers: Mapped[list[ProposedTransfer]] = relationship(
        back_populates="version", cascade="all, delete-orphan", lazy="selectin",
        order_by="ProposedTransfer.id")


class ProposedTransfer(db.Model):
    """``quantity`` units of a material from a giver to a receiver in one proposal version."""

    __tablename__ = "proposed_transfers"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "material_id", "giver_id", "receiver_id"),
        sa.CheckConstraint("quantity > 0", name="positive"),
        sa.CheckConstraint("giver_id <> receiver_id", name="two_parties"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal_versions.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    quantity: Mapped[int]

    version: Mapped[ProposalVersion] = relationship(back_populates="transfers")

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.material_id, self.giver_id, self.receiver_id)


class ProposalComment(db.Model):
    """A remark on one line (material, giver, receiver) of a round's proposal."""

    __tablename__ = "proposal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"), index=True)
    version_number: Mapped[int]
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship()

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.material_id, self.giver_id, self.receiver_id)


class WhatIf(db.Model):
    """The principles compared side by side for a round's frozen figures (one job's result)."""

    __tablename__ = "what_ifs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"), index=True)
    results: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship()


class MeetingState(enum.Enum):
    OPEN = "open"  # planned or in progress: the record can be kept
    CLOSED = "closed"


class Meeting(Stateful, db.Model):
    """A logistics meeting (logistikberedning) of a county and its record."""

    __tablename__ = "logistics_meetings"
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "logistics_meeting"
    TRANSITIONS = {MeetingState.OPEN: frozenset({MeetingState.CLOSED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), index=True)
    held_on: Mapped[date]
    state: Mapped[MeetingState] = mapped_column(enum_column(MeetingState),
                                                default=MeetingState.OPEN)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    county: Mapped[County] = relationship()
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position")


class MeetingParticipant(db.Model):
    """Someone at the meeting: a name and the organisation they speak for."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("logistics_meetings.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    organisation: Mapped[Organisation | None] = relationship()


class ItemStatus(enum.Enum):
    """Where the meeting stands on an agenda item that is not a redistribution round."""

    OPEN = "open"
    APPROVED = "approved"  # bifalls
    REJECTED = "rejected"  # avslås
    TABLED = "tabled"  # bordläggs: may come up again at a later meeting


class AgendaItem(Stateful, db.Model):
    """One item of the meeting: a redistribution round, a matter another domain brings (a
    pooled order: ``subject_type`` and ``subject_id``, see :mod:`app.redistribution.agenda`),
    or another matter.

    A round is decided by a :class:`Decision`; any other item by its ``status`` with the
    meeting's ``remarks``, once.
    """

    __tablename__ = "agenda_items"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "position"),
                      sa.UniqueConstraint("round_id"),
                      sa.UniqueConstraint("meeting_id", "subject_type", "subject_id"),
                      sa.CheckConstraint("(subject_type IS NULL) = (subject_id IS NULL)",
                                         name="subject"))
    AUDIT_ENTITY = "agenda_item"
    TRANSITIONS = {ItemStatus.OPEN: frozenset({ItemStatus.APPROVED, ItemStatus.REJECTED,
                                               ItemStatus.TABLED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("logistics_meetings.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("redistribution_rounds.id"))
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.OPEN,
                                               server_default=ItemStatus.OPEN.value)
    remarks: Mapped[str | None] = mapped_column(sa.Text)
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    round: Mapped[Round | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()
    outcomes: Mapped[list[TransferOutcome]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="selectin")


class Outcome(enum.Enum):
    AGREED = "agreed"
    AMENDED = "amended"  # agreed with another quantity
    REJECTED = "rejected"


class TransferOutcome(db.Model):
    """What the meeting said about one line of the proposal (absent: agreed as proposed)."""

    __tablename__ = "transfer_outcomes"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "material_id", "giver_id", "receiver_id"),
        sa.CheckConstraint("(outcome = 'amended' AND amended_quantity > 0) OR "
                           "(outcome <> 'amended' AND amended_quantity IS NULL)",
                           name="amended_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome), default=Outcome.AGREED)
    amended_quantity: Mapped[int | None]
    remark: Mapped[str | None] = mapped_column(sa.Text)

    item: Mapped[AgendaItem] = relationship(back_populates="outcomes")

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.material_id, self.giver_id, self.receiver_id)


class DecisionCounter(db.Model):
    """The last decision number used per county and year (locked while a number is taken)."""

    __tablename__ = "decision_counters"

    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Decision(db.Model):
    """The logistics meeting's decision on a round: written once, with its stored PDF."""

    __tablename__ = "decisions"
    __table_args__ = (sa.UniqueConstraint("round_id"),
                      sa.UniqueConstraint("county_code", "year", "sequence"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("logistics_meetings.id"))
    version_number: Mapped[int]  # the proposal version the meeting decided on
    county_code: Mapped[str] = mapped_column(sa.ForeignKey("counties.code"))
    year: Mapped[int]
    sequence: Mapped[int]
    decided_on: Mapped[date]
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship()
    meeting: Mapped[Meeting] = relationship()
    document: Mapped[StoredDocument | None] = relationship()
    transfers: Mapped[list[DecidedTransfer]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", lazy="selectin",
        order_by="DecidedTransfer.id")

    @property
    def number(self) -> str:
        """The registration number: county code / year / running number, e.g. "22/2026/3"."""
        return f"{self.county_code}/{self.year}/{self.sequence}"


class TransferState(enum.Enum):
    AGREED = "agreed"  # decided, not yet sent
    SENT = "sent"
    RECEIVED = "received"  # received as sent; booked
    DIFFERENCE = "difference"  # received another quantity than sent; booked as received
    RESOLVED = "resolved"  # the coordinator has settled a difference


class DecidedTransfer(Stateful, db.Model):
    """A transfer the meeting agreed on, carried out by the giver and the receiver."""

    __tablename__ = "decided_transfers"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="positive"),
        sa.CheckConstraint("sent_quantity IS NULL OR sent_quantity > 0", name="sent"),
        sa.CheckConstraint("received_quantity IS NULL OR received_quantity >= 0",
                           name="received"),
    )
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "decided_transfer"
    TRANSITIONS = {
        TransferState.AGREED: frozenset({TransferState.SENT}),
        TransferState.SENT: frozenset({TransferState.RECEIVED, TransferState.DIFFERENCE}),
        TransferState.DIFFERENCE: frozenset({TransferState.RESOLVED}),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    state: Mapped[TransferState] = mapped_column(enum_column(TransferState),
                                                 default=TransferState.AGREED)
    sent_quantity: Mapped[int | None]
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    received_quantity: Mapped[int | None]
    received_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(sa.Text)

    decision: Mapped[Decision] = relationship(back_populates="transfers")
    material: Mapped[Material] = relationship(lazy="joined")
    giver: Mapped[Organisation] = relationship(foreign_keys=[giver_id], lazy="joined")
    receiver: Mapped[Organisation] = relationship(foreign_keys=[receiver_id], lazy="joined")

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.material_id, self.giver_id, self.receiver_id)


class InvoiceState(enum.Enum):
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


class CompensationInvoice(Stateful, db.Model):
    """The giver's invoice to a receiver for goods handed over in redistribution."""

    __tablename__ = "compensation_invoices"
    __table_args__ = (sa.CheckConstraint("amount > 0", name="positive"),
                      sa.CheckConstraint("creditor_id <> debtor_id", name="two_parties"))
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "compensation_invoice"
    TRANSITIONS = {InvoiceState.INVOICED: frozenset({InvoiceState.PAID,
                                                     InvoiceState.CANCELLED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(60))  # the creditor's invoice number
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    invoiced_on: Mapped[date]
    state: Mapped[InvoiceState] = mapped_column(enum_column(InvoiceState),
                                                default=InvoiceState.INVOICED)
    paid_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    creditor: Mapped[Organisation] = relationship(foreign_keys=[creditor_id])
    debtor: Mapped[Organisation] = relationship(foreign_keys=[debtor_id])


class RequestState(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    ANSWERED = "answered"


class NationalRequest(Stateful, db.Model):
    """The county board's request to Socialstyrelsen for what the county cannot cover."""

    __tablename__ = "national_requests"
    __table_args__ = (sa.UniqueConstraint("round_id"),)
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "national_request"
    TRANSITIONS = {RequestState.DRAFT: frozenset({RequestState.SENT}),
                   RequestState.SENT: frozenset({RequestState.ANSWERED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("redistribution_rounds.id"))
    state: Mapped[RequestState] = mapped_column(enum_column(RequestState),
                                                default=RequestState.DRAFT)
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    answer: Mapped[str | None] = mapped_column(sa.Text)
    sent_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship()
    lines: Mapped[list[RequestLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", lazy="selectin")
    allocations: Mapped[list[NationalAllocation]] = relationship(
        back_populates="request", order_by="NationalAllocation.id")


class RequestLine(db.Model):
    """A municipality's unmet need of one material for the horizon, as requested."""

    __tablename__ = "national_request_lines"
    __table_args__ = (sa.CheckConstraint("unmet_need > 0", name="positive"),)

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("national_requests.id"),
                                            primary_key=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"),
                                                 primary_key=True)
    unmet_need: Mapped[int]
    days_before: Mapped[float | None]  # days of supply before the round
    days_after: Mapped[float | None]  # after the agreed redistribution

    request: Mapped[NationalRequest] = relationship(back_populates="lines")
    material: Mapped[Material] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class AllocationState(enum.Enum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"  # split confirmed and booked


class NationalAllocation(Stateful, db.Model):
    """A national allocation of one material that arrived, and how it is split."""

    __tablename__ = "national_allocations"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="positive"),)
    STATE_ATTRIBUTE = "state"
    AUDIT_ENTITY = "national_allocation"
    TRANSITIONS = {AllocationState.PROPOSED: frozenset({AllocationState.CONFIRMED})}

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("national_requests.id"), index=True)
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("materials.id"))
    quantity: Mapped[int]
    received_on: Mapped[date]
    state: Mapped[AllocationState] = mapped_column(enum_column(AllocationState),
                                                   default=AllocationState.PROPOSED)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    request: Mapped[NationalRequest] = relationship(back_populates="allocations")
    material: Mapped[Material] = relationship(lazy="joined")
    shares: Mapped[list[AllocationShare]] = relationship(
        back_populates="allocation", cascade="all, delete-orphan", lazy="selectin",
        order_by="AllocationShare.organisation_id")


class AllocationShare(db.Model):
    """One municipality's share of a national allocation."""

    __tablename__ = "allocation_shares"
    __table_args__ = (sa.CheckConstraint("quantity >= 0", name="not_negative"),)

    allocation_id: Mapped[int] = mapped_column(sa.ForeignKey("national_allocations.id"),
                                               primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"),
                                                 primary_key=True)
    quantity: Mapped[int]

    allocation: Mapped[NationalAllocation] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
