"""Pooled orders: commitments before the deadline and within the offer, the running total
in place (htmx), closing and placing, what the meeting can decide, and the expected
deliveries that the county picture counts as ordered."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.core.models import OrgKind
from app.extensions import db
from app.procurement import orders
from app.procurement.models import Commitment, OrderStatus
from app.procurement.services import ProcurementError
from app.reports import services as report_services
from app.reports.periods import Frequency, period_containing, today
from app.reports.supply import county_municipalities, county_supply, load_picture
from tests.helpers import count_queries, organisation, page_csrf
from tests.procurement.conftest import commit_for, login_as, placed_order
from tests.reports.test_county_picture import submitted_report


def _commit(client, order_id: int, quantity: str, htmx: bool = True):  # noqa: ANN001, ANN202
    url = f"/inkop/bestallningar/{order_id}"
    token = page_csrf(client, url)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{url}/atagande", data={"csrf_token": token, "quantity": quantity},
                       headers=headers)


def test_a_buyer_commits_in_place_and_sees_the_running_total(client, people, open_order) -> None:
    login_as(client, people["timra"])
    response = _commit(client, open_order.id, "4 000")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Åtagandet är sparat." in html
    assert 'id="order-totals"' in html and 'hx-swap-oob="true"' in html
    assert "Åtagit hittills: 4\xa0000 av 10\xa0000 st" in html
    assert "kvar av erbjudandet: 6\xa0000" in html
    assert db.session.scalar(sa.select(Commitment.quantity)) == 4_000
    assert _commit(client, open_order.id, "2500").status_code == 200  # changed, not added
    assert db.session.scalar(sa.select(sa.func.sum(Commitment.quantity))) == 2_500
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "commitment.save").order_by(AuditEntry.id)).all()
    assert [e.after["quantity"] for e in entries] == [4_000, 2_500]
    assert entries[1].before["quantity"] == 4_000


def test_bad_and_excessive_commitments_are_refused_next_to_the_field(client, people,
                                                                      open_order) -> None:
    commit_for(open_order, people["kramfors"], 7_000)
    login_as(client, people["timra"])
    for quantity, message in [("-1", "Ange ett tal mellan 0 och 10 000 000."),
                              ("tre", "Ange ett heltal"), ("", "Fyll i ett värde."),
                              ("3001", "Det finns bara 3\xa0000 st kvar av erbjudandet.")]:
        response = _commit(client, open_order.id, quantity)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, quantity
        assert message in html and "Inte sparat" in html, quantity
        assert 'id="quantity-errors"' in html
    assert _commit(client, open_order.id, "3000").status_code == 200
    assert orders.remaining_on_offer(open_order) == 0


def test_commitments_after_the_deadline_are_refused(client, people, open_order) -> None:
    open_order.deadline = today() - timedelta(days=1)
    db.session.commit()
    login_as(client, people["timra"])
    response = _commit(client, open_order.id, "100")
    assert response.status_code == 422
    assert "Sista dag för åtaganden var" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0
    assert "Sista dagen för åtaganden har passerat." in client.get(
        f"/inkop/bestallningar/{open_order.id}").get_data(as_text=True)


def test_a_full_page_post_without_htmx_redirects(client, people, open_order) -> None:
    login_as(client, people["timra"])
    assert _commit(client, open_order.id, "10", htmx=False).status_code == 302
    bad = _commit(client, open_order.id, "x", htmx=False)
    assert bad.status_code == 422 and "<html" in bad.get_data(as_text=True)


def test_only_own_county_buyers_commit_and_only_leads_close(client, people, open_order) -> None:
    login_as(client, people["orebro"])
    assert _commit(client, open_order.id, "10").status_code == 403
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login_as(client, people["timra"])
    token = page_csrf(client, "/")
    assert client.post(f"/inkop/bestallningar/{open_order.id}/stang",
                       data={"csrf_token": token, "version": open_order.version}
                       ).status_code == 403


def test_the_region_commits_like_a_municipality(client, people, open_order) -> None:
    login_as(client, people["region"])
    assert _commit(client, open_order.id, "1000").status_code == 200
    assert db.session.scalar(sa.select(Commitment.organisation_id)) == people[
        "region"].organisation_id


def test_closing_placing_and_the_rules_of_each(client, people, open_order) -> None:
    login_as(client, people["lead"])
    url = f"/inkop/bestallningar/{open_order.id}"
    token = page_csrf(client, url)
    empty = client.post(f"{url}/stang", data={"csrf_token": token,
                                              "version": open_order.version},
                        follow_redirects=True)
    assert "Ingen har gjort något åtagande" in empty.get_data(as_text=True)
    commit_for(open_order, people["timra"], 600)  # below the minimum order of 1 000
    assert client.post(f"{url}/stang", data={"csrf_token": token,
                                             "version": open_order.version}).status_code == 302
    db.session.refresh(open_order)
    assert open_order.status is OrderStatus.CLOSED
    assert _commit(client, open_order.id, "5").status_code in (403, 409)  # lead is a buyer too
    place = f"{url}/bestall"
    form = {"csrf_token": page_csrf(client, place), "version": open_order.version,
            "order_number": "PO-17", "ordered_on": today().isoformat(),
            "expected_on_1": (today() + timedelta(days=3)).isoformat(), "quantity_1": "600"}
    below = client.post(place, data=form)
    assert below.status_code == 422 and "minsta order" in below.get_data(as_text=True)
    commit_round_again = open_order
    commit_round_again.offer.minimum_order = 500
    db.session.commit()
    wrong_sum = client.post(place, data=form | {"quantity_1": "500"})
    assert wrong_sum.status_code == 422
    assert "ska tillsammans bli 600" in wrong_sum.get_data(as_text=True)
    half = client.post(place, data=form | {"quantity_1": "300", "quantity_2": "300"})
    assert "Ange både datum och antal." in half.get_data(as_text=True)
    future = client.post(place, data=form | {"quantity_1": "600", "ordered_on": (
        today() + timedelta(days=1)).isoformat()})
    assert "kan inte ligga i framtiden" in future.get_data(as_text=True)
    far = client.post(place, data=form | {"quantity_1": "600", "expected_on_1": "2999-01-01"})
    assert "Ange ett datum inom två år." in far.get_data(as_text=True)
    done = client.post(place, data=form | {
        "quantity_1": "400", "expected_on_2": (today() + timedelta(days=10)).isoformat(),
        "quantity_2": "200"})
    assert done.status_code == 302, done.get_data(as_text=True)
    db.session.refresh(open_order)
    assert (open_order.status, open_order.order_number, open_order.reference) == (
        OrderStatus.PLACED, "PO-17", "PO-17")
    assert [(s.quantity) for s in open_order.schedule] == [400, 200]


def test_orders_open_for_decision(people, open_order) -> None:
    assert orders.orders_open_for_decision("22") == []
    commit_for(open_order, people["timra"], 2_000)
    (found,) = orders.orders_open_for_decision("22")
    assert (found.id, found.title, found.status) == (open_order.id, "Munskydd vecka 50",
                                                    OrderStatus.OPEN)
    assert orders.orders_open_for_decision("18") == []
    placed_order(people, open_order, {})
    assert orders.orders_open_for_decision("22") == []


def test_a_placed_order_counts_as_ordered_in_the_county_forecast(people, open_order) -> None:
    submitted_report("Timrå", stock=100, consumption=700)  # 100 a day
    placed_order(people, open_order, {"timra": 3_000, "kramfors": 1_000})
    settings = report_services.county_settings("22")
    period = period_containing(today(), Frequency.WEEKLY)
    materials = report_services.materials()
    picture = load_picture("22", period, settings, materials, county_municipalities("22"))
    (row,) = [r for r in picture.rows if r.organisation.name == "Timrå"]
    figure = row.cells[open_order.offer.material_id]
    assert figure.ordered == 3_000 and figure.totals.incoming == 0
    assert figure.forecast > (100 / 100)  # the ordered goods lengthen the forecast
    supply = county_supply("22", period, settings, materials)
    timra = supply.figures[(organisation("Timrå").id, open_order.offer.material_id)]
    assert (timra.ordered, timra.incoming) == (3_000, 3_000)
    assert timra.need == max(0, 14 * 100 - 100 - 3_000)
    expected = orders.expected_deliveries([organisation("Kramfors").id])
    assert [(e.quantity, e.expected_on) for e in expected] == [
        (1_000, today() + timedelta(days=5))]


def test_the_order_page_shows_costs_and_its_query_count_is_fixed(client, people,
                                                                  open_order) -> None:
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, people["kramfors"])
    url = f"/inkop/bestallningar/{open_order.id}"
    html = client.get(url).get_data(as_text=True)
    assert "1\xa0000,00 kr" in html  # 2 000 × 0,50
    assert "inget åtagande" in html  # the others
    few = count_queries(client, url)
    for who in ("kramfors", "harnosand", "region", "lead"):
        commit_for(open_order, people[who], 100)
    assert count_queries(client, url) == few


def test_cancelling_needs_a_reason(client, people, open_order) -> None:
    login_as(client, people["lead"])
    url = f"/inkop/bestallningar/{open_order.id}"
    token = page_csrf(client, url)
    refused = client.post(f"{url}/avbryt", data={"csrf_token": token, "reason": "",
                                                 "version": open_order.version})
    assert refused.status_code == 422 and "Skriv varför inköpet avbryts." in refused.get_data(
        as_text=True)
    assert client.post(f"{url}/avbryt", data={"csrf_token": token, "reason": "Dyrt",
                                              "version": open_order.version}).status_code == 302
    db.session.refresh(open_order)
    assert open_order.status is OrderStatus.CANCELLED
    from app.procurement.services import expire_offers

    assert expire_offers(open_order.offer.valid_until + timedelta(days=1)) == 1


def test_only_an_accepted_offer_is_pooled_once(people, accepted_offer, open_order) -> None:
    try:
        orders.create_order(accepted_offer, title="Igen", deadline=today(), by=people["lead"],
                            today=today())
    except ProcurementError as error:
        assert "redan" in str(error.message)
    else:
        raise AssertionError("pooled twice")


def test_the_county_picture_page_marks_the_ordered_part(client, people, make_user,
                                                        open_order) -> None:
    submitted_report("Timrå", stock=100, consumption=700)
    placed_order(people, open_order, {"timra": 3_000})
    coordinator = make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                            kind=OrgKind.COUNTY_BOARD)
    login_as(client, coordinator)
    html = client.get("/lagesbild/lan/22/?material=MUNSKYDD_IIR").get_data(as_text=True)
    assert "varav beställt: 3\xa0000" in html


def test_a_placed_order_counts_as_incoming_in_the_next_redistribution_round(people,
                                                                             open_order) -> None:
    from app.redistribution.rounds import open_round

    submitted_report("Timrå", stock=100, consumption=700)
    placed_order(people, open_order, {"timra": 3_000})
    round_ = open_round("22", period_containing(today(), Frequency.WEEKLY), by=people["lead"])
    (site,) = [s for s in round_.sites if s.organisation_id == organisation("Timrå").id
               and s.material_id == open_order.offer.material_id]
    assert (site.stock, site.incoming) == (100, 3_000)
