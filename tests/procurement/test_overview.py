"""The county's procurement overview, the demo suppliers and offers, and the navigation."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.models import OrgKind
from app.extensions import db
from app.procurement.models import Offer, OfferStatus, Supplier
from app.reports.periods import today
from tests.helpers import count_queries
from tests.procurement.conftest import accept, login_as, make_offer, make_order, placed_order


def test_the_overview_shows_orders_offers_expected_weeks_and_need(client, people,
                                                                  open_order) -> None:
    placed_order(people, open_order, {"timra": 2_000, "kramfors": 1_000})
    login_as(client, people["kramfors"])
    response = client.get("/inkop/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Samordnade inköp, Västernorrlands län" in html
    assert "Munskydd vecka 50" in html and "Beställt" in html
    assert 'id="expected-per-week-title"' in html and "chart-bar" in html
    week = (today() + timedelta(days=5)).isocalendar()
    assert f"v. {week.week} {week.year}" in html and "3\xa0000" in html  # the table too
    assert "Behov som återstår" in html


def test_the_overview_query_count_does_not_grow_with_orders(client, people, open_order,
                                                           accepted_offer) -> None:
    placed_order(people, open_order, {"timra": 2_000})
    login_as(client, people["kramfors"])
    client.get("/inkop/lan/22/")
    few = count_queries(client, "/inkop/lan/22/")
    for _ in range(2):
        order = make_order(people["lead"], accept(make_offer(people["timra"],
                                                             accepted_offer.supplier),
                                                  people["lead"]))
        placed_order(people, order, {"timra": 2_000, "kramfors": 1_000, "region": 500,
                                     "harnosand": 300})
    assert count_queries(client, "/inkop/lan/22/") == few


def test_national_users_choose_a_county(client, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    html = client.get("/inkop/").get_data(as_text=True)
    assert "Välj län." in html and "/inkop/lan/22/" in html
    assert client.get("/inkop/lan/99/").status_code == 404


def test_the_demo_shows_the_comparison_flags_on_first_run(runner, client) -> None:
    assert runner.invoke(args=["demo-data", "--quiet"]).exit_code == 0
    offers = db.session.scalars(sa.select(Offer)).all()
    assert {o.status for o in offers} >= {OfferStatus.EXPIRED, OfferStatus.NEW,
                                           OfferStatus.UNDER_REVIEW}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Supplier))
    assert runner.invoke(args=["demo-data", "--quiet"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Supplier)) == before
    from app.auth.services import find_user

    login_as_demo = client.post("/logga-in", data={
        "username": "kramfors.inkop", "password": "samordna-demo",
        "csrf_token": _token(client)})
    assert login_as_demo.status_code == 302
    html = client.get("/inkop/lan/22/jamforelse/MUNSKYDD_IIR").get_data(as_text=True)
    assert "Mer än 3 gånger katalogens referenspris" in html
    assert "Leverantören är inte verifierad" in html
    expired = client.get("/inkop/lan/22/jamforelse/ANDNINGSSKYDD_FFP2?visa=alla")
    assert "Utgånget" in expired.get_data(as_text=True)
    assert find_user("region-vasternorrland.inkop").has_role(Role.MUNICIPAL_BUYER)


def _token(client) -> str:  # noqa: ANN001
    from tests.helpers import page_csrf

    return page_csrf(client, "/logga-in")
