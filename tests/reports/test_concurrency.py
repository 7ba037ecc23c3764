"""A submitted report never changes, whatever order a save and a submission arrive in.

Two browsers of the same reporter fire at the same moment: one saves a line, the other
submits the version it reviewed. Exactly one of them wins: either the save (and the
submission is refused because the report changed after the review) or the submission (and
the save is refused because the report is locked). Run on PostgreSQL with real commits.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import Material
from app.extensions import db
from app.reports import services
from app.reports.models import Report, RevisionStatus
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import PASSWORD, csrf_token_from, login, organisation, run_at_once
from tests.postgres import committed_database_app, only_in_postgres_run
from tests.reports.conftest import line_data

REPETITIONS = 200
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture(scope="module")
def shared_app() -> Iterator[Flask]:
    only_in_postgres_run()
    with committed_database_app() as app:
        with app.app_context():
            create_user(username="racer", full_name="Racer", password=PASSWORD,
                        organisation=organisation("Kramfors"),
                        roles=[Role.MUNICIPAL_REPORTER])
            db.session.commit()
        yield app


def _client(app: Flask):  # noqa: ANN202
    client = app.test_client()
    user = type("U", (), {"username": "racer"})()
    assert login(client, user).status_code == 302
    return client


def _draft(app: Flask, weeks_back: int) -> tuple[int, str]:
    """A draft report some weeks back with one line of stock 100; (id, material code)."""
    with app.app_context():
        org = organisation("Kramfors")
        period = period_containing(today() - timedelta(weeks=weeks_back), Frequency.WEEKLY)
        report = services.start_report(org, period, None)
        material = db.session.scalars(sa.select(Material).order_by(Material.id)).first()
        services.save_line(report, services.sections_for(report)[0], material,
                           {"stock": 100, "consumption": 70})
        db.session.commit()
        return report.id, material.code


def _race(saver, saver_token: str, submitter, token: str, version: str,  # noqa: ANN001
          report_id: int, code: str) -> dict[str, int]:
    """One browser saves a line while the other submits the version it reviewed."""
    save, submit = run_at_once(
        lambda: saver.post(f"/lagesbild/rapport/{report_id}/rad/own/{code}",
                           data=line_data("own", code, stock=150, consumption=70),
                           headers={"HX-Request": "true", "X-CSRFToken": saver_token}),
        lambda: submitter.post(f"/lagesbild/rapport/{report_id}/skicka",
                               data={"csrf_token": token, "version": version}))
    return {"save": save.status_code, "submit": submit.status_code}


@pytest.mark.postgres
def test_save_and_submit_at_once_never_change_a_submitted_line(shared_app: Flask) -> None:
    saver, submitter = _client(shared_app), _client(shared_app)
    saver_token = csrf_token_from(saver.get("/").get_data(as_text=True))
    outcomes = {"saved": 0, "submitted": 0}
    for repetition in range(REPETITIONS):
        report_id, code = _draft(shared_app, weeks_back=repetition + 1)
        review = submitter.get(f"/lagesbild/rapport/{report_id}/skicka").get_data(as_text=True)
        version, token = VERSION.search(review).group(1), csrf_token_from(review)
        statuses = _race(saver, saver_token, submitter, token, version, report_id, code)
        with shared_app.app_context():
            report = db.session.get(Report, report_id)
            revision = report.latest_revision
            stock = revision.lines[0].stock
            if revision.status is RevisionStatus.SUBMITTED:
                assert statuses == {"save": 409, "submit": 302}, statuses
                assert stock == 100  # what the reporter reviewed and confirmed
                outcomes["submitted"] += 1
            else:
                assert statuses == {"save": 200, "submit": 409}, statuses
                assert stock == 150 and report.submitted_revision_id is None
                outcomes["saved"] += 1
    assert sum(outcomes.values()) == REPETITIONS
    assert outcomes["saved"] and outcomes["submitted"], "the two requests never raced"
