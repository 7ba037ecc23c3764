"""The logistics meeting: record, outcomes, a decision written once with its PDF."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from app.core.audit import AuditEntry
from app.core.models import Material, OrgKind
from app.extensions import db
from app.redistribution.models import (
    AgendaItem,
    Decision,
    Meeting,
    Outcome,
    Round,
    RoundState,
)
from tests.helpers import csrf_token_from, organisation, page_csrf
from tests.redistribution.conftest import materials_by_code, open_round


def create_meeting(client) -> Meeting:  # noqa: ANN001
    url = "/omfordelning/lan/22/moten"
    response = client.post(url, data={
        "csrf_token": page_csrf(client, url), "held_on": "2026-12-01",
        "participants-0-name": "Kim Samordnare",
        "participants-0-organisation_id": organisation("Länsstyrelsen Västernorrland",
                                                       kind=OrgKind.COUNTY_BOARD).id,
        "participants-1-name": "Åsa Öberg", "participants-1-organisation_id":
            organisation("Sundsvall").id})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(Meeting).order_by(Meeting.id.desc())).first()


def put_on_agenda(client, meeting: Meeting, round_: Round) -> AgendaItem:  # noqa: ANN001
    url = f"/omfordelning/mote/{meeting.id}"
    response = client.post(f"{url}/punkt", data={"csrf_token": page_csrf(client, url),
                                                 "round_id": round_.id, "title": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(AgendaItem).where(AgendaItem.round_id == round_.id)).one()


def set_outcome(client, item: AgendaItem, key, outcome: str, quantity: str = "",  # noqa: ANN001
                remark: str = ""):  # noqa: ANN201
    url = f"/omfordelning/mote/{item.meeting_id}"
    return client.post(f"/omfordelning/punkt/{item.id}/utfall", data={
        "material_id": key[0], "giver_id": key[1], "receiver_id": key[2], "outcome": outcome,
        "amended_quantity": quantity, "remark": remark},
        headers={"HX-Request": "true", "X-CSRFToken": page_csrf(client, url)})


def decide(client, item: AgendaItem, version: int | None = None):  # noqa: ANN001, ANN201
    page = client.get(f"/omfordelning/mote/{item.meeting_id}").get_data(as_text=True)
    return client.post(f"/omfordelning/punkt/{item.id}/beslut", data={
        "csrf_token": csrf_token_from(page), "decided_on": "2026-12-01",
        "version": version if version is not None else item.round.latest.number})


def decided(client) -> Decision:  # noqa: ANN001
    """A round decided by a meeting: the first line amended, the second rejected."""
    round_ = open_round(client)
    item = put_on_agenda(client, create_meeting(client), round_)
    lines = sorted(round_.latest.transfers, key=lambda t: t.key)
    pack = db.session.get(Material, lines[0].material_id).pack_size
    if lines[0].quantity > pack:
        assert set_outcome(client, item, lines[0].key, "amended",
                           str(lines[0].quantity - pack)).status_code == 200
    assert set_outcome(client, item, lines[1].key, "rejected",
                       remark="Hämtas från regionen").status_code == 200
    assert decide(client, item).status_code == 302
    return db.session.scalars(sa.select(Decision).where(Decision.round_id == round_.id)).one()


def test_the_meeting_record_keeps_participants_and_agenda(client, reported) -> None:
    meeting = create_meeting(client)
    assert [p.name for p in meeting.participants] == ["Kim Samordnare", "Åsa Öberg"]
    round_ = open_round(client)
    put_on_agenda(client, meeting, round_)
    html = client.get(f"/omfordelning/mote/{meeting.id}").get_data(as_text=True)
    assert "Åsa Öberg (Sundsvall)" in html and "Omfördelning, omgång 22-" in html
    twice = client.post(f"/omfordelning/mote/{meeting.id}/punkt", data={
        "csrf_token": page_csrf(client, f"/omfordelning/mote/{meeting.id}"),
        "round_id": round_.id, "title": ""})
    assert twice.status_code == 422


def test_the_decision_applies_the_outcomes_and_gets_a_number(client, reported) -> None:
    decision = decided(client)
    round_ = decision.round
    lines = sorted(round_.latest.transfers, key=lambda t: t.key)
    decided_lines = {t.key: t.quantity for t in decision.transfers}
    assert lines[1].key not in decided_lines  # rejected
    assert all(decided_lines[t.key] == t.quantity for t in lines[2:])
    assert re.fullmatch(r"22/2026/\d+", decision.number)
    assert round_.state is RoundState.DECIDED
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type.in_(("decision", "redistribution_round")))).all()
    assert "decision.create" in actions and "redistribution_round.decided" in actions


def test_recording_the_decision_twice_creates_one(client, reported) -> None:
    decision = decided(client)
    item = db.session.scalars(sa.select(AgendaItem).where(
        AgendaItem.round_id == decision.round_id)).one()
    again = decide(client, item)
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/beslut/{decision.id}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1


def test_a_decision_on_an_outdated_version_is_refused(client, reported) -> None:
    round_ = open_round(client)
    item = put_on_agenda(client, create_meeting(client), round_)
    response = decide(client, item, version=0)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_outcome_amended_needs_a_quantity(client, reported) -> None:
    round_ = open_round(client)
    item = put_on_agenda(client, create_meeting(client), round_)
    line = round_.latest.transfers[0]
    response = set_outcome(client, item, line.key, "amended", "")
    assert response.status_code == 422 and "Ange det nya antalet." in response.get_data(
        as_text=True)
    assert set_outcome(client, item, line.key, "agreed").status_code == 200
    db.session.refresh(item)
    assert item.outcomes[0].outcome is Outcome.AGREED


def test_the_decision_pdf_is_stored_and_fetched_unchanged(client, reported) -> None:
    decision = decided(client)
    response = client.get(f"/omfordelning/beslut/{decision.id}.pdf")
    assert response.status_code == 200 and response.data == decision.document.content
    assert response.headers["X-Content-SHA256"] == decision.document.sha256
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert decision.number in text and "Länsstyrelsen Västernorrland" in text
    assert "Åsa Öberg" in text and "Sundsvall" in text and "Underskrift" in text
    visir = materials_by_code()["VISIR"]
    assert visir.name_sv in text
    assert "Före beslutet" in text and "Efter beslutet" in text  # the coverage chart's legend
    page = client.get(f"/omfordelning/beslut/{decision.id}").get_data(as_text=True)
    assert decision.document.sha256 in page


def test_the_draft_pdf_says_utkast_on_every_page(client, reported) -> None:
    round_ = open_round(client)
    response = client.get(f"/omfordelning/omgang/{round_.id}/utkast.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert all("UTKAST" in page.extract_text() for page in reader.pages)
