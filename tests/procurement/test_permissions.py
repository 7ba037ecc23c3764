"""Who may do what in joint procurement, per role and organisation, page by page."""
from __future__ import annotations

import pytest

from app.auth import access
from app.auth.roles import ROLE_HOMES, Role, misplaced_roles
from app.core.models import OrgKind
from app.extensions import db
from app.procurement import deliveries
from app.reports.periods import today
from tests.helpers import organisation, page_csrf
from tests.procurement.conftest import REGION, commit_for, login_as, placed_order


def test_the_region_may_hold_the_buyer_role() -> None:
    assert OrgKind.REGION in ROLE_HOMES[Role.MUNICIPAL_BUYER]
    assert misplaced_roles([Role.MUNICIPAL_BUYER], OrgKind.COUNTY_BOARD) == [Role.MUNICIPAL_BUYER]


@pytest.mark.parametrize(("who", "county", "expected"), [
    ("lead", "22", True), ("region", "22", True), ("timra", "22", False),
    ("lead", "18", False), ("orebro", "18", True),
])
def test_is_procurement_lead_of(people, who: str, county: str, expected: bool) -> None:
    assert access.is_procurement_lead_of(people[who], county) is expected


def test_buyers_edit_what_their_organisation_registered(people, accepted_offer) -> None:
    assert access.can_edit_offer(people["timra"], accepted_offer)
    assert not access.can_edit_offer(people["kramfors"], accepted_offer)
    assert not access.can_edit_offer(people["lead"], accepted_offer)
    assert access.can_commit_for(people["kramfors"], organisation("Kramfors"), "22")
    assert not access.can_commit_for(people["kramfors"], organisation("Timrå"), "22")
    assert not access.can_commit_for(people["orebro"], organisation("Örebro"), "22")
    assert access.can_commit_for(people["region"], organisation(REGION, OrgKind.REGION), "22")


def test_the_county_board_reads_but_acts_nowhere(client, make_user, people, open_order) -> None:
    coordinator = make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                            kind=OrgKind.COUNTY_BOARD)
    login_as(client, coordinator)
    url = f"/inkop/bestallningar/{open_order.id}"
    assert client.get(url).status_code == 200
    token = page_csrf(client, url)
    for action in ("atagande", "stang", "avbryt"):
        assert client.post(f"{url}/{action}", data={"csrf_token": token}).status_code == 403
    assert client.get(f"{url}/bestall").status_code == 403
    assert client.get(f"/inkop/erbjudanden/{open_order.offer_id}").status_code == 200


def test_a_buyer_only_confirms_receipt_of_its_own_share(app, client, people,
                                                      open_order) -> None:
    placed_order(people, open_order, {"timra": 1_500})
    delivery = deliveries.register_delivery(open_order, received_on=today(), quantity=500,
                                            by=people["lead"])
    with app.test_request_context():  # the distribution note renders like a page
        deliveries.confirm_delivery(delivery, by=people["lead"], version=delivery.version)
    db.session.commit()
    login_as(client, people["kramfors"])
    url = f"/inkop/leveranser/{delivery.id}"
    assert "Kvittera mottagen andel" not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/mottagen", data={"csrf_token": page_csrf(client, url)}
                       ).status_code == 404


def test_another_countys_lead_cannot_touch_the_order(client, people, open_order) -> None:
    commit_for(open_order, people["timra"], 100)
    login_as(client, people["orebro"])
    url = f"/inkop/bestallningar/{open_order.id}"
    token = page_csrf(client, "/")
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/stang", data={"csrf_token": token}).status_code == 403
