"""The offer comparison: sorted and filtered through htmx or as a full page, flags in words,
the county's need beside the offers, and a fixed number of queries."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from app.extensions import db
from app.procurement import services
from app.procurement.comparison import Choice, Flag, compare
from app.procurement.models import OfferStatus, SupplierStatus
from app.reports.periods import today
from tests.helpers import count_queries
from tests.procurement.conftest import login_as, make_offer, make_supplier, material

URL = "/inkop/lan/22/jamforelse/MUNSKYDD_IIR"


def _offers(people):  # noqa: ANN001, ANN202
    """A cheap verified offer, a dear one from an unverified supplier, an expired one."""
    buyer, lead = people["timra"], people["lead"]
    verified = make_supplier(buyer)
    services.set_supplier_status(verified, SupplierStatus.VERIFIED, "Kontrollerad.", by=lead)
    unverified = make_supplier(buyer, name="Medisafe GmbH", org_number=None,
                               vat_number="DE136695976")
    cheap = make_offer(buyer, verified, unit_price=Decimal("0.40"), quantity=50_000,
                       lead_time_days=10)
    dear = make_offer(buyer, unverified, unit_price=Decimal("1.50"), quantity=200_000,
                      lead_time_days=2)
    old = make_offer(buyer, verified, unit_price=Decimal("0.20"), quantity=10_000,
                     valid_until=today())
    services.expire_offers(today() + timedelta(days=1))
    db.session.commit()
    return cheap, dear, old


def _supplier_order(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/inkop/erbjudanden/\d+">([^<]+)</a>', html)


def test_flags_for_price_far_above_reference_and_unverified_supplier(app, people) -> None:
    cheap, dear, old = _offers(people)
    with app.test_request_context():
        rows = compare([cheap, dear, old], Choice(show="alla"), need=100_000,
                       factor=Decimal(3), today=today())
    flags = {row.offer.id: row.flags for row in rows}
    # 1,50 kr is more than 3 × the reference price of 0,30 kr.
    assert Flag.PRICE_HIGH in flags[dear.id] and Flag.UNVERIFIED in flags[dear.id]
    assert flags[cheap.id] == () and Flag.EXPIRED in flags[old.id]
    assert [row.offer.id for row in rows] == [cheap.id, dear.id, old.id]  # expired last
    assert [row.covers for row in rows] == [0.5, 1.0, 0.1]
    with app.test_request_context():
        higher = compare([dear], Choice(), need=0, factor=Decimal(5), today=today())
    assert Flag.PRICE_HIGH not in higher[0].flags and higher[0].covers is None


def test_sorting_and_filtering_as_a_page_and_as_an_htmx_fragment(client, people) -> None:
    _offers(people)
    login_as(client, people["kramfors"])
    page = client.get(URL).get_data(as_text=True)
    assert "<html" in page and _supplier_order(page) == ["Norrlandsmedicin AB", "Medisafe GmbH"]
    assert "Utgånget" not in page  # current offers only by default
    assert "Mer än 3 gånger katalogens referenspris" in page
    assert "Leverantören är inte verifierad" in page
    assert "Katalogens referenspris: 0,30 kr" in page

    fragment = client.get(f"{URL}?sortera=leveranstid&visa=alla", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="offer-comparison">')
    assert _supplier_order(html) == ["Medisafe GmbH", "Norrlandsmedicin AB",
                                     "Norrlandsmedicin AB"]
    assert 'class="row--out"' in html and "Kan inte väljas" in html and "Utgånget" in html
    assert "HX-Request" in fragment.headers["Vary"]
    reloaded = client.get(f"{URL}?sortera=leveranstid&visa=alla").get_data(as_text=True)
    assert "<html" in reloaded and _supplier_order(reloaded) == _supplier_order(html)
    assert 'aria-sort="ascending"' in reloaded

    verified = client.get(f"{URL}?verifierade=1").get_data(as_text=True)
    assert _supplier_order(verified) == ["Norrlandsmedicin AB"]
    assert _supplier_order(client.get(f"{URL}?sortera=antal").get_data(as_text=True)) == [
        "Medisafe GmbH", "Norrlandsmedicin AB"]
    assert client.get(f"{URL}?sortera=hackad&visa=x").status_code == 200  # defaults


def test_the_county_need_is_shown_beside_the_offers(client, people, monkeypatch) -> None:
    from app.procurement import views

    _offers(people)
    monkeypatch.setattr(views.services, "county_need", lambda supply, material: 80_000)
    login_as(client, people["kramfors"])
    html = client.get(URL).get_data(as_text=True)
    assert ("Länets behov av Munskydd, kirurgiskt typ IIR de närmaste 14 dagarna: "
            "80\xa0000 st") in html
    assert "63 %" in html or "62 %" in html  # 50 000 of 80 000


def test_unknown_material_is_404(client, people) -> None:
    login_as(client, people["kramfors"])
    assert client.get("/inkop/lan/22/jamforelse/INGET").status_code == 404


def test_comparison_query_count_does_not_grow_with_offers(client, people) -> None:
    buyer = people["timra"]
    supplier = make_supplier(buyer)
    make_offer(buyer, supplier)
    login_as(client, people["kramfors"])
    client.get(URL)  # first view creates the county settings
    few = count_queries(client, URL)
    for index in range(8):
        other = make_supplier(buyer, name=f"Leverantör {index}", org_number=None,
                              vat_number=["DE136695976", "FR40303265045", "ATU13585627",
                                          "BE0411905847", "DK13585628", "FI20774740",
                                          "NL004495445B01", "IE6388047V"][index])
        make_offer(buyer, other, material_id=material().id)
    assert count_queries(client, URL) == few


def test_a_rejected_offer_is_out_of_the_running(app, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    services.review_offer(offer, OfferStatus.REJECTED, by=people["lead"], reason="Falska intyg")
    with app.test_request_context():
        (row,) = compare([offer], Choice(show="alla"), need=1, factor=Decimal(3), today=today())
    assert row.out_of_running and Flag.REJECTED in row.flags
