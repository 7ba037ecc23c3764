"""Two coordinators at once, on PostgreSQL with real commits: one edit wins, one decision."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
import sqlalchemy as sa
from flask import Flask

from app.auth.models import User
from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import OrgKind
from app.extensions import db
from app.jobs.services import run_in_background
from app.redistribution import decisions, rounds
from app.redistribution.models import AgendaItem, Decision, ProposalVersion, Round
from app.redistribution.principles import current_principles
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import PASSWORD, csrf_token_from, login, organisation, run_at_once
from tests.postgres import committed_database_app, only_in_postgres_run
from tests.redistribution.conftest import submit_situation

REPETITIONS = 20


@pytest.fixture(scope="module")
def shared_app() -> Iterator[Flask]:
    only_in_postgres_run()
    with committed_database_app() as app:
        with app.app_context():
            board = organisation("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD)
            for name in ("samordnare1", "samordnare2"):
                create_user(username=name, full_name=name, password=PASSWORD,
                            organisation=board, roles=[Role.COUNTY_COORDINATOR])
            current_principles("22").solver_budget_s = 2
            db.session.commit()
            submit_situation()
        yield app


def _client(app: Flask, username: str):  # noqa: ANN202
    client = app.test_client()
    assert login(client, type("U", (), {"username": username})()).status_code == 302
    return client, csrf_token_from(client.get("/").get_data(as_text=True))


def _round(app: Flask) -> tuple[int, tuple[int, int, int], int, int]:
    """A fresh round: (id, the key of one line, its quantity, the material's pack size)."""
    with app.app_context():
        user = db.session.scalars(sa.select(User)).first()
        round_ = rounds.open_round("22", period_containing(today(), Frequency.WEEKLY), by=user)
        round_id, job_id = round_.id, round_.job_id
        db.session.commit()
        run_in_background(job_id)
        round_ = db.session.get(Round, round_id)
        line = round_.latest.transfers[0]
        pack = rounds.inputs(round_).materials[line.material_id].pack_size
        return round_id, line.key, line.quantity, pack


@pytest.mark.postgres
def test_two_coordinators_saving_the_same_version_one_is_refused(shared_app: Flask) -> None:
    (first, first_token), (second, second_token) = (_client(shared_app, "samordnare1"),
                                                    _client(shared_app, "samordnare2"))
    for _ in range(REPETITIONS):
        round_id, key, quantity, pack = _round(shared_app)
        data = {"base_version": 1, "material_id": key[0], "giver_id": key[1],
                "receiver_id": key[2]}
        url = f"/omfordelning/omgang/{round_id}/rad"
        results = run_at_once(
            partial(first.post, url, data={**data, "quantity": quantity - pack},
                    headers={"HX-Request": "true", "X-CSRFToken": first_token}),
            partial(second.post, url, data={**data, "quantity": 0},
                    headers={"HX-Request": "true", "X-CSRFToken": second_token}))
        assert sorted(r.status_code for r in results) == [200, 409]
        with shared_app.app_context():
            versions = db.session.scalar(sa.select(sa.func.count()).select_from(
                ProposalVersion).where(ProposalVersion.round_id == round_id))
        assert versions == 2


@pytest.mark.postgres
def test_a_decision_recorded_twice_at_once_is_one_decision(shared_app: Flask) -> None:
    client, token = _client(shared_app, "samordnare1")
    for _ in range(REPETITIONS // 4):
        round_id, *_ = _round(shared_app)
        with shared_app.app_context():
            user = db.session.scalars(sa.select(User)).first()
            meeting = decisions.create_meeting("22", today(), [], by=user)
            item = decisions.add_item(meeting, title="Omgång", round_=db.session.get(
                Round, round_id))
            item_id = item.id
            db.session.commit()
        data = {"csrf_token": token, "decided_on": today().isoformat(), "version": 1}
        results = run_at_once(
            *[partial(client.post, f"/omfordelning/punkt/{item_id}/beslut", data=data)] * 2)
        assert [r.status_code for r in results] == [302, 302]
        assert results[0].headers["Location"] == results[1].headers["Location"]
        with shared_app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision).where(
                Decision.round_id == round_id)) == 1


@pytest.mark.postgres
def test_two_resolutions_of_an_item_at_once_one_is_refused(shared_app: Flask) -> None:
    (first, first_token), (second, second_token) = (_client(shared_app, "samordnare1"),
                                                    _client(shared_app, "samordnare2"))
    for _ in range(REPETITIONS):
        with shared_app.app_context():
            user = db.session.scalars(sa.select(User)).first()
            meeting = decisions.create_meeting("22", today(), [], by=user)
            item_id = decisions.add_item(meeting, title="Lagerhållning").id
            db.session.commit()
        url, field = f"/omfordelning/punkt/{item_id}/avgor", f"item{item_id}-status"
        results = run_at_once(
            partial(first.post, url, data={"csrf_token": first_token, field: "approved"}),
            partial(second.post, url, data={"csrf_token": second_token, field: "rejected"}))
        assert sorted(r.status_code for r in results) == [302, 409]
        with shared_app.app_context():
            item = db.session.get(AgendaItem, item_id)
            winner = next(r for r in results if r.status_code == 302)
            expected = "approved" if winner is results[0] else "rejected"
            assert item.status.value == expected and item.version == 2
