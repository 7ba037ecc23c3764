"""A pooled order as spreadsheets for finance: commitments and debts, and the bookings."""
from __future__ import annotations

from flask_babel import gettext

from app.documents.spreadsheets import Sheet
from app.ledger.services import entries_for
from app.procurement.models import PooledOrder
from app.procurement.orders import LEDGER_SOURCE, OrderRow


def order_sheets(order: PooledOrder, rows: list[OrderRow]) -> list[Sheet]:
    """Per organisation (SEK excl. VAT) first, then every ledger entry of the deliveries."""
    offer = order.offer
    summary = Sheet(gettext("Åtaganden och skulder"), [
        gettext("Organisation"), gettext("Åtagande (antal)"), gettext("Mottaget (antal)"),
        gettext("Återstår (antal)"), gettext("Pris per enhet (kr exkl. moms)"),
        gettext("Kostnad för åtagandet (kr)"), gettext("Bokfört värde mottaget (kr)"),
        gettext("Skuld till %(lead)s, alla samordnade inköp (kr)",
                lead=order.lead_organisation.name)],
        [[row.organisation.name, row.committed, row.received, row.remaining, offer.unit_price,
          row.commitment_cost, row.received_value, row.outstanding] for row in rows
         if row.committed or row.received])
    entries = entries_for(LEDGER_SOURCE, [delivery.id for delivery in order.deliveries])
    bookings = Sheet(gettext("Bokföringsposter"), [
        gettext("Bokförd"), gettext("Verifikation"), gettext("Från"), gettext("Till"),
        gettext("Material"), gettext("Antal"), gettext("Pris per enhet (kr)"),
        gettext("Värde (kr)")],
        [[entry.booked_on, entry.source_reference, entry.giver_name, entry.to_organisation.name,
          offer.material.name_sv, entry.quantity, entry.unit_price, entry.value]
         for entry in entries])
    return [summary, bookings]
