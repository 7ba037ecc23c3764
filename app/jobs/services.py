"""Starting, running and watching background jobs (the view commits, the worker runs).

A domain registers what a kind of job does with :func:`job_handler` and where its result
is shown with :func:`result_page`, then starts one with :func:`enqueue` followed, after the
request's commit, by :func:`run_in_background`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext

from app.core.types import aware_utc
from app.core.workflow import transition
from app.extensions import db
from app.jobs.models import Job, JobState

log = logging.getLogger(__name__)


class JobError(Exception):
    """A job that cannot be done, with a message for the user (Swedish, already translated)."""


@dataclass(frozen=True)
class JobResult:
    """What a finished job produced: a row of ``result_type`` with ``result_id``."""

    result_type: str
    result_id: int


class Progress:
    """Passed to a handler: ``progress(done, total, label)`` records how far it got.

    Each call commits the job row (and only it: a handler computes first and writes its
    results at the end, so nothing else is pending), which is also the worker's heartbeat.
    """

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int, total: int, label: str | None = None) -> None:
        job = self.job
        job.progress_done, job.progress_total = min(done, total), max(total, 1)
        if label is not None:
            job.progress_label = label[:200]
        job.heartbeat_at = datetime.now(UTC)
        db.session.commit()


Handler = Callable[[Job, Progress], JobResult]
HANDLERS: dict[str, Handler] = {}
RESULT_PAGES: dict[str, Callable[[int], str]] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


def result_page(result_type: str, endpoint: str, id_argument: str) -> None:
    """Say where a result of ``result_type`` is shown: ``url_for(endpoint, id_argument=id)``."""
    RESULT_PAGES[result_type] = lambda result_id: url_for(endpoint, **{id_argument: result_id})


def result_url(job: Job) -> str | None:
    if job.state is not JobState.DONE or job.result_type not in RESULT_PAGES:
        return None
    return RESULT_PAGES[job.result_type](job.result_id)


def enqueue(kind: str, *, title: str, params: dict[str, Any], by: Any,
            organisation_id: int, steps: int = 1) -> Job:
    """Record a job to be run; call :func:`run_in_background` once it is committed.

    Raises KeyError for a kind without a handler.
    """
    if kind not in HANDLERS:
        raise KeyError(f"no handler for jobs of kind {kind!r}")
    job = Job(kind=kind, title=title[:200], params=params, organisation_id=organisation_id,
              created_by_id=getattr(by, "id", None), progress_total=max(steps, 1))
    db.session.add(job)
    db.session.flush()
    return job


def run_in_background(job_id: int) -> None:
    """Hand a committed job to the task queue (in tests: run it at once).

    Takes the id, read before the commit: nothing of the request's session is touched
    between its commit and the hand-over.
    """
    current_app.extensions["jobs"].task(job_id)


def execute(job_id: int) -> None:
    """Run one queued job to its end: done with a result, or failed with an error."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobState.QUEUED:
        return
    now = datetime.now(UTC)
    transition(job, JobState.RUNNING, by=None, organisation_id=job.organisation_id,
               changes={"started_at": now, "heartbeat_at": now})
    db.session.commit()
    try:
        result = HANDLERS[job.kind](job, Progress(job))
    except Exception as error:  # noqa: BLE001 - every failure must end the job visibly
        _fail(job_id, error)
        return
    transition(job, JobState.DONE, by=None, organisation_id=job.organisation_id, changes={
        "result_type": result.result_type, "result_id": result.result_id,
        "progress_done": job.progress_total, "finished_at": datetime.now(UTC)})
    db.session.commit()


def _fail(job_id: int, error: Exception) -> None:
    db.session.rollback()
    if not isinstance(error, JobError):
        log.exception("job %s failed", job_id)
    job = db.session.get(Job, job_id)
    if job is None or job.finished:
        return
    message = str(error) if isinstance(error, JobError) else gettext(
        "Ett oväntat fel inträffade (%(kind)s). Försök igen; kontakta förvaltningen om det "
        "upprepas.", kind=type(error).__name__)
    transition(job, JobState.FAILED, by=None, organisation_id=job.organisation_id,
               changes={"error": message, "finished_at": datetime.now(UTC)})
    db.session.commit()


def fail_stale_jobs(now: datetime | None = None) -> int:
    """Fail jobs whose worker died (no heartbeat) or that no worker picked up; how many.

    Limits are the ``JOBS_HEARTBEAT_TIMEOUT_S`` and ``JOBS_QUEUE_TIMEOUT_S`` settings.
    """
    now = now or datetime.now(UTC)
    config = current_app.config
    silent = now - timedelta(seconds=config["JOBS_HEARTBEAT_TIMEOUT_S"])
    waiting = now - timedelta(seconds=config["JOBS_QUEUE_TIMEOUT_S"])
    stale = db.session.scalars(sa.select(Job).where(sa.or_(
        sa.and_(Job.state == JobState.RUNNING, Job.heartbeat_at < silent),
        sa.and_(Job.state == JobState.QUEUED, Job.created_at < waiting)))).all()
    for job in stale:
        reason = (gettext("Bakgrundsprocessen slutade svara mitt i arbetet.")
                  if job.state is JobState.RUNNING else
                  gettext("Ingen bakgrundsprocess tog emot arbetet."))
        transition(job, JobState.FAILED, by=None, organisation_id=job.organisation_id,
                   changes={"error": reason, "finished_at": now})
    return len(stale)


def waited_seconds(job: Job, now: datetime | None = None) -> int:
    """How long the job has waited or run, in whole seconds."""
    return int(((now or datetime.now(UTC)) - aware_utc(job.created_at)).total_seconds())
