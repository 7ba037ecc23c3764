"""A pooled order decided in the logistics meeting: on the agenda, resolved once, and shown on
the order's own page."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.core.models import OrgKind
from app.extensions import db
from app.procurement.models import PooledOrder
from app.redistribution.decisions import create_meeting
from app.redistribution.models import AgendaItem, ItemStatus, Meeting
from tests.helpers import page_csrf
from tests.procurement.conftest import commit_for
from tests.procurement.conftest import login_as as _login_as

BOARD = "Länsstyrelsen Västernorrland"


@pytest.fixture
def coordinator(make_user) -> User:  # noqa: ANN001
    return make_user(BOARD, Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)


@pytest.fixture
def meeting(coordinator: User) -> Meeting:
    meeting = create_meeting("22", date(2026, 12, 1), [("Åsa Öberg", None)], by=coordinator)
    db.session.commit()
    return meeting


def login_as(client, user: User) -> None:  # noqa: ANN001
    """Log in as ``user``, whoever was logged in before."""
    client.delete_cookie("session")
    _login_as(client, user)


def _add(client, meeting: Meeting, **data: str):  # noqa: ANN001, ANN202
    url = f"/omfordelning/mote/{meeting.id}"
    return client.post(f"{url}/punkt", data={"csrf_token": page_csrf(client, url),
                                             "round_id": "0", "subject": "", "title": "",
                                             **data})


def _resolve(client, item: AgendaItem, status: str, remarks: str = ""):  # noqa: ANN001, ANN202
    url = f"/omfordelning/mote/{item.meeting_id}"
    prefix = f"item{item.id}-"
    return client.post(f"/omfordelning/punkt/{item.id}/avgor",
                       data={"csrf_token": page_csrf(client, url), f"{prefix}status": status,
                             f"{prefix}remarks": remarks})


def test_an_order_with_commitments_is_offered_put_on_the_agenda_and_resolved(
        client, people, open_order: PooledOrder, coordinator, meeting) -> None:  # noqa: ANN001
    login_as(client, coordinator)
    html = client.get(f"/omfordelning/mote/{meeting.id}").get_data(as_text=True)
    assert "Munskydd vecka 50" not in html  # nobody has committed: nothing to decide yet
    commit_for(open_order, people["timra"], 2_000)
    commit_for(open_order, people["kramfors"], 1_000)
    html = client.get(f"/omfordelning/mote/{meeting.id}").get_data(as_text=True)
    assert f'value="pooled_order:{open_order.id}"' in html

    assert _add(client, meeting, subject=f"pooled_order:{open_order.id}").status_code == 302
    item = db.session.scalars(sa.select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id)).one()
    assert (item.subject_type, item.subject_id, item.title) == (
        "pooled_order", open_order.id, "Samordnat inköp: Munskydd vecka 50")
    html = client.get(f"/omfordelning/mote/{meeting.id}").get_data(as_text=True)
    assert "3\xa0000 av 10\xa0000 st åtagna" in html  # the order as it stands, from procurement
    assert f'value="pooled_order:{open_order.id}"' not in html  # not offered twice

    response = _resolve(client, item, "approved", "Bifalls; Sundsvall beställer.")
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.status, item.remarks, item.resolved_by_id) == (
        ItemStatus.APPROVED, "Bifalls; Sundsvall beställer.", coordinator.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "agenda_item.approved", AuditEntry.entity_id == str(item.id))) == 1

    login_as(client, people["kramfors"])
    html = client.get(f"/inkop/bestallningar/{open_order.id}").get_data(as_text=True)
    assert "I logistikberedningen" in html
    assert "Logistikberedningen 2026-12-01, punkt 1" in html and "Bifalls" in html


def test_a_resolution_is_written_once(client, people, open_order, coordinator,  # noqa: ANN001
                                      meeting) -> None:  # noqa: ANN001
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, coordinator)
    _add(client, meeting, subject=f"pooled_order:{open_order.id}")
    item = meeting.items[0]
    assert _resolve(client, item, "rejected", "För dyrt.").status_code == 302
    assert _resolve(client, item, "rejected", "För dyrt.").status_code == 302  # a second click
    response = _resolve(client, item, "approved")
    assert response.status_code == 409
    assert "Punkten är redan avgjord." in response.get_data(as_text=True)
    db.session.refresh(item)
    assert (item.status, item.remarks) == (ItemStatus.REJECTED, "För dyrt.")


def test_a_resolution_needs_a_choice_and_keeps_what_was_typed(client, people, open_order,  # noqa: ANN001
                                                              coordinator, meeting) -> None:  # noqa: ANN001
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, coordinator)
    _add(client, meeting, subject=f"pooled_order:{open_order.id}")
    item = meeting.items[0]
    response = _resolve(client, item, "", "Mötet vill veta mer om leverantören.")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Välj vad mötet beslutade." in html
    assert "Mötet vill veta mer om leverantören." in html
    db.session.refresh(item)
    assert item.status is ItemStatus.OPEN


def test_a_tabled_order_can_come_up_at_a_later_meeting(client, people, open_order,  # noqa: ANN001
                                                       coordinator, meeting) -> None:  # noqa: ANN001
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, coordinator)
    token = f"pooled_order:{open_order.id}"
    _add(client, meeting, subject=token)
    later = create_meeting("22", date(2026, 12, 8), [], by=coordinator)
    db.session.commit()
    assert token not in client.get(f"/omfordelning/mote/{later.id}").get_data(as_text=True)
    assert _add(client, later, subject=token).status_code == 422  # still on the first agenda
    _resolve(client, meeting.items[0], "tabled", "Tas upp nästa vecka.")
    assert token in client.get(f"/omfordelning/mote/{later.id}").get_data(as_text=True)
    assert _add(client, later, subject=token).status_code == 302


def test_an_item_is_a_round_or_an_order_not_both(client, people, open_order, coordinator,  # noqa: ANN001
                                                 meeting) -> None:  # noqa: ANN001
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, coordinator)
    response = _add(client, meeting, title="")
    assert response.status_code == 422
    assert "Välj en omgång eller ett inköp, eller skriv en rubrik." in response.get_data(
        as_text=True)
    assert _add(client, meeting, subject="pooled_order:999999").status_code == 422
    assert not meeting.items


def test_other_matters_are_resolved_the_same_way(client, coordinator, meeting) -> None:  # noqa: ANN001
    login_as(client, coordinator)
    assert _add(client, meeting, title="Lagerhållning hos regionen").status_code == 302
    item = meeting.items[0]
    assert _resolve(client, item, "approved", "Regionen lagerhåller.").status_code == 302
    db.session.refresh(item)
    assert item.status is ItemStatus.APPROVED


def test_only_the_county_coordinator_records_the_resolution(client, people, open_order,  # noqa: ANN001
                                                            coordinator, meeting,  # noqa: ANN001
                                                            make_user) -> None:  # noqa: ANN001
    commit_for(open_order, people["timra"], 2_000)
    login_as(client, coordinator)
    _add(client, meeting, subject=f"pooled_order:{open_order.id}")
    item = meeting.items[0]
    other_county = make_user("Länsstyrelsen i Örebro län", Role.COUNTY_COORDINATOR,
                             kind=OrgKind.COUNTY_BOARD)
    for user in (people["lead"], people["timra"], other_county):
        login_as(client, user)
        token = page_csrf(client, "/")
        response = client.post(f"/omfordelning/punkt/{item.id}/avgor",
                               data={"csrf_token": token, f"item{item.id}-status": "approved"})
        assert response.status_code == 403
    db.session.refresh(item)
    assert item.status is ItemStatus.OPEN
