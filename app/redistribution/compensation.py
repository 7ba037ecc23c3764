"""Financial compensation (ekonomisk ersättning) for goods handed over in redistribution.

What a receiver owes a giver is the value of the transfers booked on receipt; what it has
paid are payment entries; both come from the ledger. Invoices are the giver's claims, with
their state (invoiced, paid, cancelled) changed through ``transition``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.core.models import Organisation, OrgKind
from app.core.workflow import transition
from app.documents.spreadsheets import Sheet
from app.extensions import db
from app.ledger.models import LedgerEntry
from app.ledger.services import Source, book_payment, debts
from app.redistribution.execution import SOURCE_TYPE
from app.redistribution.models import CompensationInvoice, InvoiceState

INVOICE_SOURCE = "compensation_invoice"


class CompensationError(ValueError):
    """An invoice or payment the books cannot take; the message is for the user."""


@dataclass(frozen=True)
class Account:
    """Between two municipalities: what the debtor received from the creditor, what the
    creditor has invoiced, and what the debtor has paid (SEK)."""

    debtor: Organisation
    creditor: Organisation
    owed: Decimal
    invoiced: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid

    @property
    def to_invoice(self) -> Decimal:
        return max(Decimal(0), self.owed - self.invoiced)

    @property
    def status(self) -> str:
        if self.owed and self.paid >= self.owed:
            return "paid"
        if self.invoiced >= self.owed:
            return "invoiced"
        return "partly_invoiced" if self.invoiced else "not_invoiced"


def accounts(organisation_ids: Iterable[int]) -> list[Account]:
    """Every pair with redistribution bookings involving these organisations."""
    ids = list(organisation_ids)
    found = debts(ids, source_types=(SOURCE_TYPE, INVOICE_SOURCE))
    invoiced = _invoiced(ids)
    orgs = {org.id: org for org in db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_({d.debtor_id for d in found} | {d.creditor_id for d in found})))}
    return sorted((Account(orgs[d.debtor_id], orgs[d.creditor_id], d.received_value,
                           invoiced.get((d.debtor_id, d.creditor_id), Decimal(0)), d.paid)
                   for d in found),
                  key=lambda a: (a.debtor.name, a.creditor.name))


def _invoiced(ids: list[int]) -> dict[tuple[int, int], Decimal]:
    query = (sa.select(CompensationInvoice.debtor_id, CompensationInvoice.creditor_id,
                       sa.func.sum(CompensationInvoice.amount))
             .where(CompensationInvoice.state != InvoiceState.CANCELLED,
                    sa.or_(CompensationInvoice.debtor_id.in_(ids),
                           CompensationInvoice.creditor_id.in_(ids)))
             .group_by(CompensationInvoice.debtor_id, CompensationInvoice.creditor_id))
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for debtor, creditor, amount in db.session.execute(query):
        totals[(debtor, creditor)] = Decimal(amount)
    return totals


def county_accounts(county_code: str) -> list[Account]:
    ids = db.session.scalars(sa.select(Organisation.id).where(
        Organisation.county_code == county_code, Organisation.kind == OrgKind.MUNICIPALITY))
    return [a for a in accounts(list(ids)) if a.debtor.county_code == county_code]


def account_between(debtor: Organisation, creditor: Organisation) -> Account | None:
    return next((a for a in accounts([debtor.id]) if a.creditor.id == creditor.id), None)


def register_invoice(*, creditor: Organisation, debtor: Organisation, reference: str,
                     amount: Decimal, invoiced_on: date, by: Any) -> CompensationInvoice:
    """The giver invoices the receiver, at most what is not yet invoiced."""
    account = account_between(debtor, creditor)
    if account is None or amount > account.to_invoice:
        raise CompensationError(gettext(
            "Beloppet är större än det som återstår att fakturera (%(left)s kr).",
            left=account.to_invoice if account else 0))
    invoice = CompensationInvoice(creditor=creditor, debtor=debtor, reference=reference.strip(),
                                  amount=amount, invoiced_on=invoiced_on,
                                  created_by_id=getattr(by, "id", None))
    db.session.add(invoice)
    db.session.flush()
    audit.record("compensation_invoice.create", "compensation_invoice", invoice.id,
                 after=audit.snapshot(invoice), organisation_id=creditor.id)
    return invoice


def mark_paid(invoice: CompensationInvoice, paid_on: date, *, by: Any) -> LedgerEntry:
    """The debtor has paid the invoice: its state, and a payment entry in the books."""
    transition(invoice, InvoiceState.PAID, by=by, organisation_id=invoice.debtor_id,
               changes={"paid_on": paid_on})
    return book_payment(amount=invoice.amount, payer=invoice.debtor, payee=invoice.creditor,
                        source=Source(INVOICE_SOURCE, invoice.id, invoice.reference),
                        booked_on=paid_on, by=by)


def cancel_invoice(invoice: CompensationInvoice, reason: str, *, by: Any) -> None:
    if not reason.strip():
        raise CompensationError(gettext("Ange varför fakturan makuleras."))
    transition(invoice, InvoiceState.CANCELLED, by=by, reason=reason.strip(),
               organisation_id=invoice.creditor_id)


def invoices_between(ids: Iterable[int]) -> list[CompensationInvoice]:
    ids = list(ids)
    return list(db.session.scalars(
        sa.select(CompensationInvoice).where(sa.or_(CompensationInvoice.debtor_id.in_(ids),
                                                    CompensationInvoice.creditor_id.in_(ids)))
        .order_by(CompensationInvoice.invoiced_on.desc(), CompensationInvoice.id.desc())))


def entries_of(ids: Iterable[int]) -> list[LedgerEntry]:
    """The redistribution bookings (transfers and payments) involving these organisations."""
    ids = list(ids)
    return list(db.session.scalars(
        sa.select(LedgerEntry).where(
            LedgerEntry.source_type.in_((SOURCE_TYPE, INVOICE_SOURCE)),
            sa.or_(LedgerEntry.to_organisation_id.in_(ids),
                   LedgerEntry.from_organisation_id.in_(ids)))
        .order_by(LedgerEntry.booked_on, LedgerEntry.id)))


STATUS_LABELS_SV = {"paid": "betalt", "invoiced": "fakturerat", "partly_invoiced":
                    "delvis fakturerat", "not_invoiced": "ej fakturerat"}


def finance_sheets(accounts_: list[Account], entries: list[LedgerEntry]) -> list[Sheet]:
    """For the finance departments: one row per pair, then every booking behind them.

    Written in Swedish (like the report files), whatever the UI language.
    """
    pairs = Sheet("Ersättning", ["Betalar (mottagare)", "Får betalt (givare)", "Att ersätta, kr",
                                 "Fakturerat, kr", "Betalt, kr", "Kvar att betala, kr",
                                 "Status"],
                  [[a.debtor.name, a.creditor.name, a.owed, a.invoiced, a.paid, a.outstanding,
                    STATUS_LABELS_SV[a.status]] for a in accounts_])
    bookings = Sheet("Bokföring", ["Datum", "Underlag", "Från", "Till", "Material", "Antal",
                                   "Pris per enhet, kr", "Värde, kr", "Rättelse av"],
                     [[e.booked_on, e.source_reference, e.giver_name, e.to_organisation.name,
                       e.material.name_sv if e.material else "Betalning", e.quantity or None,
                       e.unit_price if e.material else None, e.value, e.reverses_id]
                      for e in entries])
    return [pairs, bookings]
