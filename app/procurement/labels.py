"""What the states of joint procurement are called in the user interface."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.procurement.forms import STANDARD_LABELS
from app.procurement.models import (
    DeliveryStatus,
    OfferStatus,
    OrderStatus,
    ShareStatus,
    SupplierStatus,
)

SUPPLIER_STATUS = {
    SupplierStatus.NEW: _l("Ny, inte verifierad"),
    SupplierStatus.VERIFIED: _l("Verifierad"),
    SupplierStatus.BLOCKED: _l("Spärrad"),
}
OFFER_STATUS = {
    OfferStatus.NEW: _l("Nytt"),
    OfferStatus.UNDER_REVIEW: _l("Granskas"),
    OfferStatus.ACCEPTED: _l("Godtaget"),
    OfferStatus.REJECTED: _l("Avvisat"),
    OfferStatus.EXPIRED: _l("Utgånget"),
}
ORDER_STATUS = {
    OrderStatus.OPEN: _l("Öppet för åtaganden"),
    OrderStatus.CLOSED: _l("Rundan stängd, inte beställt"),
    OrderStatus.PLACED: _l("Beställt"),
    OrderStatus.COMPLETED: _l("Avslutat"),
    OrderStatus.CANCELLED: _l("Avbrutet"),
}
DELIVERY_STATUS = {
    DeliveryStatus.PROPOSED: _l("Förslag till fördelning"),
    DeliveryStatus.CONFIRMED: _l("Fördelad och bokförd"),
}
SHARE_STATUS = {
    ShareStatus.ALLOCATED: _l("Inte kvitterad"),
    ShareStatus.RECEIVED: _l("Mottagen"),
}


def template_labels() -> dict[str, object]:
    """The label tables, for the procurement templates."""
    return {"supplier_status": SUPPLIER_STATUS, "offer_status": OFFER_STATUS,
            "order_status": ORDER_STATUS, "delivery_status": DELIVERY_STATUS,
            "share_status": SHARE_STATUS, "standards": STANDARD_LABELS}
