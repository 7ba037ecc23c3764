"""The offer comparison of one material: sorting, filtering and the flags a buyer should see.

Pure apart from the offers it is given: :func:`compare` takes the county's offers, the
county's need and the settings, and returns rows in the chosen order. The flags say in
words what is wrong, so that colour is never the only signal.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.core.formatting import number
from app.procurement.models import Offer, OfferStatus, SupplierStatus


class Flag(enum.Enum):
    """Something about an offer that a buyer must notice."""

    PRICE_HIGH = "price_high"
    UNVERIFIED = "unverified"
    BLOCKED = "blocked"
    UNCERTIFIED = "uncertified"
    EXPIRED = "expired"
    REJECTED = "rejected"


FLAG_LABELS = {
    Flag.UNVERIFIED: _l("Leverantören är inte verifierad"),
    Flag.BLOCKED: _l("Leverantören är spärrad"),
    Flag.UNCERTIFIED: _l("Certifiering saknas eller är ofullständig"),
    Flag.EXPIRED: _l("Utgånget"),
    Flag.REJECTED: _l("Avvisat"),
}


def flag_text(flag: Flag, factor: Decimal) -> str:
    """The flag in words; the price flag names the configured factor."""
    if flag is Flag.PRICE_HIGH:
        return gettext("Mer än %(factor)s gånger katalogens referenspris",
                       factor=number(float(factor), 1 if factor % 1 else 0))
    return str(FLAG_LABELS[flag])


#: Flags that take an offer out of the running: its row is greyed out and marked.
OUT_OF_RUNNING = frozenset({Flag.BLOCKED, Flag.EXPIRED, Flag.REJECTED})

SORTS = ("pris", "totalt", "leveranstid", "giltighet", "antal")
SORT_LABELS = {
    "pris": _l("Pris per enhet"),
    "totalt": _l("Totalpris"),
    "leveranstid": _l("Leveranstid"),
    "giltighet": _l("Giltig till"),
    "antal": _l("Antal (störst först)"),
}
SHOWS = ("aktuella", "alla")
SHOW_LABELS = {"aktuella": _l("Aktuella erbjudanden"),
               "alla": _l("Alla, även utgångna, avvisade och spärrade")}


@dataclass(frozen=True)
class Choice:
    """What the user chose on the page; unknown values fall back to the defaults."""

    sort: str = "pris"
    show: str = "aktuella"
    verified_only: bool = False

    @classmethod
    def from_args(cls, sort: str | None, show: str | None, verified_only: bool) -> Choice:
        return cls(sort if sort in SORTS else "pris", show if show in SHOWS else "aktuella",
                   verified_only)

    def args(self, **changes: object) -> dict[str, object]:
        """URL arguments of this choice (with ``changes``), for links that keep it."""
        values = {"sortera": self.sort, "visa": self.show,
                  "verifierade": "1" if self.verified_only else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


#: Flags that the offer's status tag already says.
SHOWN_AS_STATUS = frozenset({Flag.EXPIRED, Flag.REJECTED})


@dataclass(frozen=True)
class Row:
    offer: Offer
    flags: tuple[Flag, ...]
    lead_days: int | None  # days until the goods can arrive
    covers: float | None  # share of the county's need the offer can cover (0–1)
    pooled: bool = False  # a pooled order was made of it

    @property
    def out_of_running(self) -> bool:
        return any(flag in OUT_OF_RUNNING for flag in self.flags)

    @property
    def warnings(self) -> tuple[Flag, ...]:
        """The flags to show beside the status (without repeating it)."""
        return tuple(flag for flag in self.flags if flag not in SHOWN_AS_STATUS)


def lead_days(offer: Offer, today: date) -> int | None:
    """Days until delivery: the lead time, or the days until the promised date."""
    if offer.lead_time_days is not None:
        return offer.lead_time_days
    if offer.delivery_date is not None:
        return max(0, (offer.delivery_date - today).days)
    return None


def flags_of(offer: Offer, factor: Decimal) -> tuple[Flag, ...]:
    """The offer's flags; a price far above the catalogue's reference price among them."""
    found = []
    reference = offer.material.unit_price_sek
    if reference and offer.unit_price > reference * factor:
        found.append(Flag.PRICE_HIGH)
    if offer.supplier.status is SupplierStatus.NEW:
        found.append(Flag.UNVERIFIED)
    if offer.supplier.status is SupplierStatus.BLOCKED:
        found.append(Flag.BLOCKED)
    if not offer.certified:
        found.append(Flag.UNCERTIFIED)
    if offer.status is OfferStatus.EXPIRED:
        found.append(Flag.EXPIRED)
    if offer.status is OfferStatus.REJECTED:
        found.append(Flag.REJECTED)
    return tuple(found)


def _sort_key(row: Row, sort: str):  # noqa: ANN202 - a tuple key
    offer = row.offer
    keys = {
        "pris": (offer.unit_price,),
        "totalt": (offer.total_price,),
        "leveranstid": (row.lead_days is None, row.lead_days or 0),
        "giltighet": (offer.valid_until,),
        "antal": (-offer.quantity,),
    }
    # Offers out of the running always come last, whatever the order.
    return (row.out_of_running, *keys[sort], offer.unit_price, offer.id)


def compare(offers: Sequence[Offer], choice: Choice, *, need: int, factor: Decimal,
            today: date, pooled: frozenset[int] = frozenset()) -> list[Row]:
    """The rows of the comparison in ``choice``'s order and filter.

    ``need`` is the county's need of the material over the horizon (units); each row says
    how much of it the offer's quantity covers. ``pooled`` holds the ids of offers that
    pooled orders were made of.
    """
    rows = []
    for offer in offers:
        flags = flags_of(offer, factor)
        row = Row(offer, flags, lead_days(offer, today),
                  min(1.0, offer.quantity / need) if need > 0 else None, offer.id in pooled)
        if choice.show == "aktuella" and row.out_of_running:
            continue
        if choice.verified_only and offer.supplier.status is not SupplierStatus.VERIFIED:
            continue
        rows.append(row)
    return sorted(rows, key=lambda row: _sort_key(row, choice.sort))
