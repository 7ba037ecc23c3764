"""Booking and reading the ledger. :func:`book` and :func:`reverse` are the only writers."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from app.core import audit
from app.core.models import Material, Organisation
from app.extensions import db
from app.ledger.models import EntryKind, LedgerEntry

CENT = Decimal("0.01")


class LedgerError(ValueError):
    """A booking that the books cannot take (e.g. reversing an entry twice)."""


@dataclass(frozen=True)
class Source:
    """The document behind a booking: a decision, a delivery or a national allocation."""

    source_type: str
    source_id: int
    reference: str  # what a person reads, e.g. the decision number "22/2026/3"


def value_of(quantity: int, unit_price: Decimal) -> Decimal:
    """Quantity × unit price in SEK, rounded to öre (half up)."""
    return (Decimal(quantity) * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def book(*, material: Material, quantity: int, unit_price: Decimal, source: Source,
         booked_on: date, to_org: Organisation, from_org: Organisation | None = None,
         external_party: str | None = None, by: object = None) -> LedgerEntry:
    """Book goods handed from ``from_org`` (or an external supplier) to ``to_org``.

    ``quantity`` in units (> 0), ``unit_price`` in SEK per unit (>= 0). Raises
    :class:`LedgerError` for a quantity that is not positive, a negative price, a booking
    to oneself, or no giver.
    """
    if quantity <= 0:
        raise LedgerError(f"quantity must be positive, got {quantity}")
    if unit_price < 0:
        raise LedgerError(f"unit price must not be negative, got {unit_price}")
    if (from_org is None) == (external_party is None):
        raise LedgerError("give exactly one of from_org and external_party")
    if from_org is not None and from_org.id == to_org.id:
        raise LedgerError("an organisation cannot book goods to itself")
    entry = LedgerEntry(kind=EntryKind.MOVEMENT, booked_on=booked_on, material=material,
                        quantity=quantity, unit_price=unit_price,
                        value=value_of(quantity, unit_price), from_organisation=from_org,
                        to_organisation=to_org, external_party=external_party)
    return _add(entry, source, by, "ledger.book")


def book_payment(*, amount: Decimal, payer: Organisation, payee: Organisation,
                 source: Source, booked_on: date, by: object = None) -> LedgerEntry:
    """Book that ``payer`` paid ``payee`` ``amount`` SEK (> 0) for goods received."""
    if amount <= 0:
        raise LedgerError(f"a payment must be positive, got {amount}")
    if payer.id == payee.id:
        raise LedgerError("an organisation cannot pay itself")
    entry = LedgerEntry(kind=EntryKind.PAYMENT, booked_on=booked_on, quantity=0,
                        unit_price=Decimal(0), value=amount.quantize(CENT),
                        from_organisation=payer, to_organisation=payee)
    return _add(entry, source, by, "ledger.pay")


def reverse(entry: LedgerEntry, reason: str, *, by: object = None,
            booked_on: date | None = None) -> LedgerEntry:
    """Cancel ``entry`` with an entry of the opposite quantity and value.

    Raises :class:`LedgerError` without a reason, for a reversal, or for an entry that is
    already reversed.
    """
    if not reason.strip():
        raise LedgerError("a reversal needs a reason")
    if entry.reverses_id is not None:
        raise LedgerError(f"entry {entry.id} is itself a reversal")
    if db.session.scalar(sa.select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry.id)):
        raise LedgerError(f"entry {entry.id} is already reversed")
    reversal = LedgerEntry(
        kind=entry.kind, booked_on=booked_on or entry.booked_on, material_id=entry.material_id,
        quantity=-entry.quantity, unit_price=entry.unit_price, value=-entry.value,
        from_organisation_id=entry.from_organisation_id,
        to_organisation_id=entry.to_organisation_id, external_party=entry.external_party,
        reverses_id=entry.id, reason=reason.strip())
    return _add(reversal, Source(entry.source_type, entry.source_id, entry.source_reference),
                by, "ledger.reverse")


def _add(entry: LedgerEntry, source: Source, by: object, action: str) -> LedgerEntry:
    entry.source_type, entry.source_id = source.source_type, source.source_id
    entry.source_reference = source.reference[:120]
    entry.created_by_id = getattr(by, "id", None)
    db.session.add(entry)
    db.session.flush()
    audit.record(action, "ledger_entry", entry.id, after=audit.snapshot(entry),
                 organisation_id=entry.to_organisation_id, user_id=getattr(by, "id", None))
    return entry


def entries_for(source_type: str, source_ids: Iterable[int]) -> list[LedgerEntry]:
    """Every entry (reversals included) booked for these source documents, oldest first."""
    return list(db.session.scalars(
        sa.select(LedgerEntry).where(LedgerEntry.source_type == source_type,
                                     LedgerEntry.source_id.in_(list(source_ids)))
        .order_by(LedgerEntry.id)))


def balances(organisation_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Units received minus units given, per (organisation, material), from the entries."""
    ids = list(organisation_ids)
    movements = sa.and_(LedgerEntry.kind == EntryKind.MOVEMENT)
    received = (sa.select(LedgerEntry.to_organisation_id, LedgerEntry.material_id,
                          sa.func.sum(LedgerEntry.quantity))
                .where(movements, LedgerEntry.to_organisation_id.in_(ids))
                .group_by(LedgerEntry.to_organisation_id, LedgerEntry.material_id))
    given = (sa.select(LedgerEntry.from_organisation_id, LedgerEntry.material_id,
                       sa.func.sum(LedgerEntry.quantity))
             .where(movements, LedgerEntry.from_organisation_id.in_(ids))
             .group_by(LedgerEntry.from_organisation_id, LedgerEntry.material_id))
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for org_id, material_id, quantity in db.session.execute(received):
        totals[(org_id, material_id)] += int(quantity)
    for org_id, material_id, quantity in db.session.execute(given):
        totals[(org_id, material_id)] -= int(quantity)
    return dict(totals)


@dataclass(frozen=True)
class Debt:
    """What ``debtor`` owes ``creditor``: goods received, minus payments made (SEK)."""

    debtor_id: int
    creditor_id: int
    received_value: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.received_value - self.paid


def debts(organisation_ids: Iterable[int] | None = None,
          source_types: Iterable[str] | None = None) -> list[Debt]:
    """Per pair of organisations, the value of goods the receiver got from the giver and
    what it has paid, summed over entries (optionally of some kinds of source document);
    pairs involving one of ``organisation_ids`` when given."""
    query = (sa.select(LedgerEntry.kind, LedgerEntry.to_organisation_id,
                       LedgerEntry.from_organisation_id, sa.func.sum(LedgerEntry.value))
             .where(LedgerEntry.from_organisation_id.is_not(None))
             .group_by(LedgerEntry.kind, LedgerEntry.to_organisation_id,
                       LedgerEntry.from_organisation_id))
    if source_types is not None:
        query = query.where(LedgerEntry.source_type.in_(list(source_types)))
    if organisation_ids is not None:
        ids = list(organisation_ids)
        query = query.where(sa.or_(LedgerEntry.to_organisation_id.in_(ids),
                                   LedgerEntry.from_organisation_id.in_(ids)))
    received: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    paid: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for kind, to_id, from_id, value in db.session.execute(query):
        if kind is EntryKind.MOVEMENT:
            received[(to_id, from_id)] += Decimal(value)
        else:  # a payment goes from the debtor to the creditor
            paid[(from_id, to_id)] += Decimal(value)
    return [Debt(debtor, creditor, received[(debtor, creditor)], paid[(debtor, creditor)])
            for debtor, creditor in sorted(set(received) | set(paid))]
