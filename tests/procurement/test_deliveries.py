"""Deliveries: the split by need, adjusted in place, confirmed into the ledger and the
distribution note; receipts, debts and the finance export."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from app.documents.models import StoredDocument
from app.extensions import db
from app.ledger.models import LedgerEntry
from app.ledger.services import debts
from app.procurement import deliveries, orders
from app.procurement.models import Delivery, DeliveryStatus, OrderStatus, ShareStatus
from app.procurement.services import ProcurementError
from app.reports.periods import today
from tests.helpers import count_queries, organisation, page_csrf
from tests.procurement.conftest import login_as, placed_order
from tests.reports.test_county_picture import submitted_report

COMMITMENTS = {"timra": 3_000, "kramfors": 2_000, "lead": 1_000}


@pytest.fixture
def placed(people, open_order):  # noqa: ANN001, ANN201
    """Timrå has one day of masks, Kramfors ten, Sundsvall (the lead) twenty."""
    submitted_report("Timrå", stock=100, consumption=700)
    submitted_report("Kramfors", stock=1_000, consumption=700)
    submitted_report("Sundsvall", stock=4_000, consumption=1_400)
    return placed_order(people, open_order, COMMITMENTS)


def _register(client, order_id: int, quantity: int | str):  # noqa: ANN001, ANN202
    url = f"/inkop/bestallningar/{order_id}/leveranser/ny"
    return client.post(url, data={"csrf_token": page_csrf(client, url), "quantity": quantity,
                                  "received_on": today().isoformat()})


def _delivery() -> Delivery:
    return db.session.scalars(sa.select(Delivery).order_by(Delivery.id.desc())).first()


def _shares(delivery: Delivery) -> dict[str, int]:
    return {share.organisation.name: share.quantity for share in delivery.shares}


def test_a_partial_delivery_goes_to_the_worst_off_first(client, people, placed) -> None:
    login_as(client, people["lead"])
    response = _register(client, placed.id, "2 000")
    assert response.status_code == 302, response.get_data(as_text=True)
    delivery = _delivery()
    assert delivery.status is DeliveryStatus.PROPOSED
    shares = _shares(delivery)
    assert sum(shares.values()) == 2_000 and all(q % 50 == 0 for q in shares.values())
    assert shares["Timrå"] > shares["Kramfors"] >= shares["Sundsvall"]
    html = client.get(f"/inkop/leveranser/{delivery.id}").get_data(as_text=True)
    assert "Dagar av tillgång före" in html and "Dagar av tillgång efter" in html
    assert "1,0" in html  # Timrå before: 100 in stock, 100 a day


def test_bad_deliveries_are_refused(client, people, placed) -> None:
    login_as(client, people["lead"])
    for quantity, message in [("0", "Ange ett tal mellan 1 och 10 000 000."),
                              ("50000", "större än hela erbjudandet")]:
        response = _register(client, placed.id, quantity)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    url = f"/inkop/bestallningar/{placed.id}/leveranser/ny"
    future = client.post(url, data={"csrf_token": page_csrf(client, url), "quantity": "10",
                                    "received_on": (today() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and "i dag" in future.get_data(as_text=True)
    assert _delivery() is None


def _adjust(client, delivery: Delivery, org_name: str, quantity: str):  # noqa: ANN001, ANN202
    org_id = organisation(org_name).id
    token = page_csrf(client, f"/inkop/leveranser/{delivery.id}")
    return client.post(f"/inkop/leveranser/{delivery.id}/andel/{org_id}",
                       data={f"share-{org_id}-quantity": quantity},
                       headers={"HX-Request": "true", "X-CSRFToken": token})


def test_adjusting_a_share_is_checked_at_once(client, people, placed) -> None:
    login_as(client, people["lead"])
    _register(client, placed.id, 2_000)
    delivery = _delivery()
    before = _shares(delivery)
    too_much = _adjust(client, delivery, "Kramfors", "2100")
    html = too_much.get_data(as_text=True)
    assert too_much.status_code == 422 and "<html" not in html
    assert "Högst 2000: det som återstår av åtagandet." in html
    assert "Inte sparad" in html and 'hx-swap-oob="true"' in html
    over = _adjust(client, delivery, "Kramfors", str(before["Kramfors"] + 50))
    assert over.status_code == 422 and "mer än så finns inte kvar av leveransen" in over.get_data(
        as_text=True)
    ok = _adjust(client, delivery, "Timrå", str(before["Timrå"] - 50))
    text = ok.get_data(as_text=True)
    assert ok.status_code == 200 and "Sparad" in text and "kvar att fördela 50" in text
    db.session.refresh(delivery)
    assert _shares(delivery)["Timrå"] == before["Timrå"] - 50
    token = page_csrf(client, f"/inkop/leveranser/{delivery.id}")
    refused = client.post(f"/inkop/leveranser/{delivery.id}/bekrafta",
                          data={"csrf_token": token, "version": delivery.version},
                          follow_redirects=True)
    assert "50 är inte fördelade" in refused.get_data(as_text=True)
    db.session.refresh(delivery)
    assert delivery.status is DeliveryStatus.PROPOSED


def _confirm(client, delivery: Delivery):  # noqa: ANN001, ANN202
    token = page_csrf(client, f"/inkop/leveranser/{delivery.id}")
    return client.post(f"/inkop/leveranser/{delivery.id}/bekrafta",
                       data={"csrf_token": token, "version": delivery.version})


def test_confirming_books_the_ledger_and_issues_the_note(client, people, placed) -> None:
    login_as(client, people["lead"])
    _register(client, placed.id, 2_000)
    delivery = _delivery()
    shares = _shares(delivery)
    assert _confirm(client, delivery).status_code == 302
    db.session.refresh(delivery)
    assert delivery.status is DeliveryStatus.CONFIRMED and delivery.document_id
    entries = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.source_type == "delivery", LedgerEntry.source_id == delivery.id)
        .order_by(LedgerEntry.id)).all()
    first = entries[0]
    assert (first.external_party, first.to_organisation.name, first.quantity, first.value) == (
        "Norrlandsmedicin AB", "Sundsvall", 2_000, Decimal("1000.00"))
    assert first.source_reference == "PO-2026-17"
    onward = {e.to_organisation.name: (e.quantity, e.value) for e in entries[1:]}
    assert "Sundsvall" not in onward  # the lead's own share stays with it
    for name, quantity in shares.items():
        if name != "Sundsvall" and quantity:
            assert onward[name] == (quantity, Decimal(quantity) * Decimal("0.50"))
    owed = {d.debtor_id: d.outstanding for d in debts(source_types=("delivery",))}
    assert owed[organisation("Timrå").id] == Decimal(shares["Timrå"]) / 2
    assert _adjust(client, delivery, "Timrå", "0").status_code == 409  # booked: never changes
    assert _confirm(client, delivery).status_code in (302, 409)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == len(entries)


def test_the_distribution_note_shows_shares_packs_and_costs(client, people, placed) -> None:
    login_as(client, people["lead"])
    _register(client, placed.id, 2_000)
    delivery = _delivery()
    _confirm(client, delivery)
    response = client.get(f"/inkop/leveranser/{delivery.id}/fordelningsbesked.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = db.session.get(StoredDocument, _delivery().document_id)
    assert response.headers["X-Content-SHA256"] == document.sha256
    page = client.get(f"/inkop/leveranser/{delivery.id}").get_data(as_text=True)
    assert document.sha256 in page
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Fördelningsbesked" in text and "PO-2026-17-L1" in text
    for share in _delivery().shares:
        if not share.quantity:
            continue
        packs, cost = share.quantity // 50, Decimal(share.quantity) / 2
        line = re.search(rf"{share.organisation.name} ([\d\s]+) ([\d\s]+) ([\d\s]+,\d\d)", text)
        assert line, (share.organisation.name, text)
        as_int = [int(re.sub(r"\s", "", group)) for group in line.groups()[:2]]
        assert as_int == [share.quantity, packs]
        assert line.group(3).replace("\xa0", " ") == f"{cost:,.2f}".replace(",", " ").replace(
            ".", ",")
    assert "2 000" in text.replace("\xa0", " ") and "1 000,00" in text.replace("\xa0", " ")
    response.close()


def test_municipalities_confirm_receipt_and_see_what_they_owe(client, people, placed) -> None:
    login_as(client, people["lead"])
    _register(client, placed.id, 6_000)
    delivery = _delivery()
    assert sum(_shares(delivery).values()) == 6_000
    _confirm(client, delivery)
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login_as(client, people["kramfors"])
    url = f"/inkop/leveranser/{delivery.id}"
    assert "Kvittera mottagen andel" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/mottagen", data={"csrf_token": page_csrf(client, url)}
                       ).status_code == 302
    share = next(s for s in _delivery().shares if s.organisation.name == "Kramfors")
    assert share.status is ShareStatus.RECEIVED and share.received_by_id == people["kramfors"].id
    order_page = client.get(f"/inkop/bestallningar/{placed.id}").get_data(as_text=True)
    assert "1\xa0000,00 kr" in order_page  # Kramfors: 2 000 × 0,50 owed to Sundsvall
    export = client.get(f"/inkop/bestallningar/{placed.id}/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Kramfors"][1:4] == (2_000, 2_000, 0) and rows["Kramfors"][7] == 1_000
    csv = client.get(f"/inkop/bestallningar/{placed.id}/export.csv").data.decode("utf-8-sig")
    assert "Kramfors;2000;2000;0;0,50;1000,00;1000,00;1000,00" in csv
    export.close()


def test_a_second_delivery_counts_what_was_received_and_leaves_the_rest(client, people,
                                                                        placed) -> None:
    login_as(client, people["lead"])
    _register(client, placed.id, 5_000)
    _confirm(client, _delivery())
    _register(client, placed.id, 1_500)  # 1 000 still committed, 500 too many
    second = _delivery()
    assert second.number == 2 and sum(_shares(second).values()) == 1_000
    assert second.undistributed == 500
    assert deliveries.split_problem(second) is None  # every commitment is met
    _confirm(client, second)
    assert orders.expected_for_order(placed) == {o: 0 for o in orders.expected_for_order(placed)}
    token = page_csrf(client, f"/inkop/bestallningar/{placed.id}")
    assert client.post(f"/inkop/bestallningar/{placed.id}/avsluta",
                       data={"csrf_token": token, "version": placed.version}).status_code == 302
    db.session.refresh(placed)
    assert placed.status is OrderStatus.COMPLETED
    assert orders.expected_deliveries([organisation("Timrå").id]) == []


def test_only_leads_split_and_a_buyer_cannot_confirm(client, people, placed) -> None:
    login_as(client, people["timra"])
    assert _register(client, placed.id, 100).status_code == 403
    with pytest.raises(ProcurementError):
        deliveries.register_delivery(placed, received_on=today(), quantity=100,
                                     by=people["lead"]) and deliveries.register_delivery(
            placed, received_on=today(), quantity=100, by=people["lead"])


def test_the_delivery_page_query_count_does_not_grow_with_municipalities(
        client, people, placed, accepted_offer) -> None:
    from tests.procurement.conftest import accept, make_offer, make_order

    login_as(client, people["lead"])
    _register(client, placed.id, 600)
    url = f"/inkop/leveranser/{_delivery().id}"
    client.get(url)
    few = count_queries(client, url)
    bigger = make_order(people["lead"], accept(make_offer(people["timra"],
                                                          accepted_offer.supplier),
                                               people["lead"]))
    placed_order(people, bigger, COMMITMENTS | {"harnosand": 500, "region": 500})
    _register(client, bigger.id, 600)
    assert len(_delivery().shares) == 5
    assert count_queries(client, f"/inkop/leveranser/{_delivery().id}") == few
