"""Background jobs: progress, results, errors, abandoned jobs, access, and a real worker."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app import create_app
from app.auth.roles import Role
from app.core.models import Organisation, OrgKind
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.services import (
    JobError,
    JobResult,
    enqueue,
    fail_stale_jobs,
    job_handler,
    result_page,
    run_in_background,
)
from tests.helpers import organisation

SEEN_PROGRESS: list[tuple[int, int, str | None]] = []


@job_handler("test.count")
def _count(job: Job, progress) -> JobResult:  # noqa: ANN001
    for step in range(1, job.params["steps"] + 1):
        progress(step, job.params["steps"], f"Steg {step} av {job.params['steps']}")
        SEEN_PROGRESS.append((job.progress_done, job.progress_total, job.progress_label))
    return JobResult("test", job.params["steps"])


@job_handler("test.refuse")
def _refuse(job: Job, progress) -> JobResult:  # noqa: ANN001
    raise JobError("Rapporterna saknas för perioden.")


@job_handler("test.crash")
def _crash(job: Job, progress) -> JobResult:  # noqa: ANN001
    progress(1, 3)
    raise ZeroDivisionError("division by zero")


result_page("test", "jobs.status", "job_id")


def _start(kind: str, org_name: str = "Sundsvall", **params: object) -> Job:
    job = enqueue(kind, title="Test", params=params, by=None,
                  organisation_id=organisation(org_name).id, steps=3)
    job_id = job.id
    db.session.commit()
    run_in_background(job_id)
    return db.session.get(Job, job_id)


def test_a_job_runs_to_completion_reporting_its_progress(app: Flask) -> None:
    SEEN_PROGRESS.clear()
    job = _start("test.count", steps=3)
    assert job.state is JobState.DONE and (job.result_type, job.result_id) == ("test", 3)
    assert SEEN_PROGRESS == [(1, 3, "Steg 1 av 3"), (2, 3, "Steg 2 av 3"), (3, 3, "Steg 3 av 3")]
    assert job.started_at and job.finished_at and job.heartbeat_at


def test_a_refused_job_shows_its_reason(app: Flask) -> None:
    job = _start("test.refuse")
    assert job.state is JobState.FAILED and job.error == "Rapporterna saknas för perioden."


def test_a_crashing_job_fails_with_a_message_and_keeps_its_progress(app: Flask) -> None:
    job = _start("test.crash")
    assert job.state is JobState.FAILED
    assert "ZeroDivisionError" in job.error and job.progress_done == 1


def test_a_job_whose_worker_died_is_failed_after_the_timeout(app: Flask) -> None:
    job = enqueue("test.count", title="Test", params={"steps": 1}, by=None,
                  organisation_id=organisation("Sundsvall").id)
    waiting = enqueue("test.count", title="Test", params={"steps": 1}, by=None,
                      organisation_id=organisation("Sundsvall").id)
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    job.state, job.heartbeat_at, waiting.created_at = JobState.RUNNING, long_ago, long_ago
    db.session.commit()
    assert fail_stale_jobs() == 2
    assert "slutade svara" in job.error and "Ingen bakgrundsprocess" in waiting.error
    assert fail_stale_jobs() == 0


def test_the_progress_fragment_polls_until_done_then_redirects(client, logged_in) -> None:
    user = logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    job = enqueue("test.count", title="Räknar", params={"steps": 2}, by=user,
                  organisation_id=user.organisation_id, steps=2)
    job.state, job.progress_done, job.progress_label = JobState.RUNNING, 1, "Steg 1 av 2"
    job.heartbeat_at = datetime.now(UTC)
    db.session.commit()
    polling = client.get(f"/jobb/{job.id}", headers={"HX-Request": "true"})
    html = polling.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in html and '<progress max="2" value="1"' in html
    assert "Steg 1 av 2 (50 %)" in html
    job.state, job.result_type, job.result_id = JobState.DONE, "test", job.id
    db.session.commit()
    done = client.get(f"/jobb/{job.id}", headers={"HX-Request": "true"})
    assert done.headers["HX-Redirect"] == f"/jobb/{job.id}"


def test_another_organisation_cannot_see_a_job(client, logged_in) -> None:
    job = enqueue("test.count", title="Test", params={"steps": 1}, by=None,
                  organisation_id=organisation("Sundsvall").id)
    db.session.commit()
    logged_in("Timrå", Role.MUNICIPAL_REPORTER)
    assert client.get(f"/jobb/{job.id}").status_code == 403


@pytest.fixture
def worker_app(tmp_path) -> Flask:  # noqa: ANN001
    """An app with its own SQLite database and queue file, outside the test transaction."""
    application = create_app({"TESTING": True, "SECRET_KEY": "k", "JOBS_BACKEND": "sqlite",
                              "JOBS_SQLITE_PATH": str(tmp_path / "queue.db"),
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    with application.app_context():
        db.create_all()
        db.session.add(Organisation(kind=OrgKind.MUNICIPALITY, name="Sundsvall"))
        db.session.commit()
    yield application
    with application.app_context():
        db.engine.dispose()


def test_a_real_worker_runs_a_queued_job(worker_app: Flask) -> None:
    queue = worker_app.extensions["jobs"]
    consumer = queue.huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        with worker_app.app_context(), worker_app.test_request_context():
            job = enqueue("test.count", title="Test", params={"steps": 2}, by=None,
                          organisation_id=1, steps=2)
            job_id = job.id
            db.session.commit()
            run_in_background(job_id)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with worker_app.app_context():
                state = db.session.get(Job, job_id).state
            if state is JobState.DONE:
                break
            time.sleep(0.2)
        assert state is JobState.DONE
    finally:
        consumer.stop(graceful=True)
