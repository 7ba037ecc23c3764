"""Ledger entries: append-only, enforced by the ORM and by database triggers."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Material, Organisation
from app.core.types import enum_column, utcnow
from app.extensions import db


class EntryKind(enum.Enum):
    MOVEMENT = "movement"  # goods handed over: the receiver owes the giver their value
    PAYMENT = "payment"  # money paid for goods received earlier


class LedgerImmutable(Exception):
    """Ledger entries are never changed or removed; book a reversing entry instead."""


class LedgerEntry(db.Model):
    """One booking: goods (or money) from one party to another, with its source document.

    A party is an organisation, or (``external_party``) a supplier outside the county.
    A reversing entry repeats the parties with the opposite quantity and value and points
    at the entry it reverses.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'movement' AND material_id IS NOT NULL AND quantity <> 0) OR "
            "(kind = 'payment' AND material_id IS NULL AND quantity = 0)",
            name="kind_fields"),
        sa.CheckConstraint(
            "(reverses_id IS NULL AND quantity >= 0 AND value >= 0) OR "
            "(reverses_id IS NOT NULL AND quantity <= 0 AND value <= 0)", name="sign"),
        sa.CheckConstraint(
            "from_organisation_id IS NULL OR to_organisation_id IS NULL OR "
            "from_organisation_id <> to_organisation_id", name="two_parties"),
        sa.CheckConstraint(
            "(from_organisation_id IS NOT NULL OR external_party IS NOT NULL) AND "
            "to_organisation_id IS NOT NULL", name="parties_known"),
        sa.CheckConstraint("unit_price >= 0", name="price_not_negative"),
        sa.Index("ix_ledger_entries_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    booked_on: Mapped[date]
    booked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    material_id: Mapped[int | None] = mapped_column(sa.ForeignKey("materials.id"))
    quantity: Mapped[int] = mapped_column(default=0)
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4), default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    from_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True)
    to_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"),
                                                    index=True)
    external_party: Mapped[str | None] = mapped_column(sa.String(200))
    source_type: Mapped[str] = mapped_column(sa.String(40))
    source_id: Mapped[int]
    source_reference: Mapped[str] = mapped_column(sa.String(120))
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ledger_entries.id"),
                                                    unique=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    material: Mapped[Material | None] = relationship()
    from_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[from_organisation_id])
    to_organisation: Mapped[Organisation] = relationship(foreign_keys=[to_organisation_id])

    @property
    def giver_name(self) -> str:
        return self.from_organisation.name if self.from_organisation else self.external_party


@event.listens_for(LedgerEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:  # noqa: ANN001
    raise LedgerImmutable(f"ledger entry {target.id} cannot be changed; reverse it instead")


@event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ANN001
    raise LedgerImmutable(f"ledger entry {target.id} cannot be deleted; reverse it instead")


#: The same refusal in the database, for any writer (SQL console, bulk UPDATE, migrations).
POSTGRES_TRIGGER = """
CREATE FUNCTION ledger_entries_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable: book a reversing entry instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
"""
SQLITE_TRIGGERS = (
    "CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN "
    "SELECT RAISE(ABORT, 'ledger entries are immutable: book a reversing entry instead'); END",
    "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN "
    "SELECT RAISE(ABORT, 'ledger entries are immutable: book a reversing entry instead'); END",
)
DROP_POSTGRES_FUNCTION = "DROP FUNCTION IF EXISTS ledger_entries_immutable()"


def create_triggers(connection: sa.Connection) -> None:
    """Install the refusal of UPDATE and DELETE (called after the table is created)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(POSTGRES_TRIGGER)
    elif connection.dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            connection.exec_driver_sql(statement)


@event.listens_for(LedgerEntry.__table__, "after_create")
def _after_create(table, connection, **kw) -> None:  # noqa: ANN001, ANN003
    create_triggers(connection)


@event.listens_for(LedgerEntry.__table__, "after_drop")
def _after_drop(table, connection, **kw) -> None:  # noqa: ANN001, ANN003
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(DROP_POSTGRES_FUNCTION)
