"""The books: append-only entries, reversals that balance, sums from entries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.core.models import Material
from app.extensions import db
from app.ledger.models import LedgerEntry, LedgerImmutable
from app.ledger.services import (
    LedgerError,
    Source,
    balances,
    book,
    book_payment,
    debts,
    entries_for,
    reverse,
)
from tests.helpers import organisation

DECISION = Source("decision", 7, "22/2026/1")


@pytest.fixture
def visir() -> Material:
    return db.session.scalars(sa.select(Material).where(Material.code == "VISIR")).one()


def _transfer(visir: Material, quantity: int = 100) -> LedgerEntry:
    return book(material=visir, quantity=quantity, unit_price=Decimal("6.47"), source=DECISION,
                booked_on=date(2026, 12, 1), from_org=organisation("Sundsvall"),
                to_org=organisation("Kramfors"))


def test_a_booking_values_the_goods_and_is_audited(app, visir) -> None:
    entry = _transfer(visir, 333)
    assert entry.value == Decimal("2154.51")  # 333 × 6,47
    assert entries_for("decision", [7]) == [entry]


def test_the_model_refuses_to_change_or_delete_an_entry(app, visir) -> None:
    entry = _transfer(visir)
    db.session.commit()
    entry.quantity = 1
    with pytest.raises(LedgerImmutable):
        db.session.flush()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(LedgerImmutable):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_to_change_or_delete_an_entry(app, visir) -> None:
    entry = _transfer(visir)
    db.session.commit()
    for statement in (sa.update(LedgerEntry).where(LedgerEntry.id == entry.id).values(quantity=1),
                      sa.delete(LedgerEntry).where(LedgerEntry.id == entry.id)):
        with pytest.raises(sa.exc.DatabaseError, match="immutable"), db.session.begin_nested():
            db.session.execute(statement)
    assert db.session.get(LedgerEntry, entry.id).quantity == 100


def test_a_reversal_balances_and_can_be_made_once(app, visir) -> None:
    entry = _transfer(visir)
    reversal = reverse(entry, "Fel mängd i beslutet")
    assert (reversal.quantity, reversal.value) == (-100, Decimal("-647.00"))
    kramfors, sundsvall = organisation("Kramfors"), organisation("Sundsvall")
    assert balances([kramfors.id, sundsvall.id]) == {(kramfors.id, visir.id): 0,
                                                     (sundsvall.id, visir.id): 0}
    (debt,) = debts([kramfors.id])
    assert debt.outstanding == 0
    with pytest.raises(LedgerError, match="already reversed"):
        reverse(entry, "igen")
    with pytest.raises(LedgerError, match="itself a reversal"):
        reverse(reversal, "igen")


def test_balances_and_debts_are_sums_over_entries(app, visir) -> None:
    kramfors, sundsvall, timra = (organisation(n) for n in ("Kramfors", "Sundsvall", "Timrå"))
    _transfer(visir, 100)
    book(material=visir, quantity=50, unit_price=Decimal("6.47"), source=DECISION,
         booked_on=date(2026, 12, 1), from_org=timra, to_org=kramfors)
    book_payment(amount=Decimal("300.00"), payer=kramfors, payee=sundsvall, source=DECISION,
                 booked_on=date(2026, 12, 2))
    assert balances([kramfors.id])[(kramfors.id, visir.id)] == 150
    owed = {(d.debtor_id, d.creditor_id): d for d in debts([kramfors.id])}
    assert owed[(kramfors.id, sundsvall.id)].outstanding == Decimal("347.00")
    assert owed[(kramfors.id, timra.id)].outstanding == Decimal("323.50")


def test_external_suppliers_and_bad_bookings(app, visir) -> None:
    entry = book(material=visir, quantity=10, unit_price=Decimal("5"), source=DECISION,
                 booked_on=date(2026, 12, 1), external_party="Medisafe AB",
                 to_org=organisation("Sundsvall"))
    assert entry.giver_name == "Medisafe AB"
    assert debts([organisation("Sundsvall").id]) == []  # suppliers are paid outside the books
    with pytest.raises(LedgerError):
        _transfer(visir, 0)
    with pytest.raises(LedgerError):
        book(material=visir, quantity=1, unit_price=Decimal(1), source=DECISION,
             booked_on=date(2026, 12, 1), from_org=organisation("Sundsvall"),
             to_org=organisation("Sundsvall"))
