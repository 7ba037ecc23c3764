"""The task queue behind jobs: huey with SQLite storage by default, Redis in production
(``FLASK_JOBS_BACKEND=redis`` and ``FLASK_JOBS_REDIS_URL``), immediate mode in tests.

There is one task, which runs a :class:`~app.jobs.models.Job` by id inside the app's
context; the work itself is the job's registered handler.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

QUEUE_NAME = "samordna"


@dataclass(frozen=True)
class JobQueue:
    huey: Huey
    task: TaskWrapper


def _build_huey(app: Flask) -> Huey:
    backend = app.config["JOBS_BACKEND"]
    if backend == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if backend == "redis":
        return RedisHuey(QUEUE_NAME, url=app.config["JOBS_REDIS_URL"], results=False)
    if backend == "sqlite":
        path = Path(app.config.get("JOBS_SQLITE_PATH") or Path(app.instance_path) / "jobs.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    raise ValueError(f"unknown JOBS_BACKEND {backend!r}: use sqlite, redis or immediate")


def init_jobs(app: Flask) -> None:
    """Give the app its queue and the task that runs a job in the app's context."""
    from app.jobs.services import execute

    huey = _build_huey(app)

    def run_job(job_id: int) -> None:
        with app.app_context():
            execute(job_id)

    app.extensions["jobs"] = JobQueue(huey, huey.task(name="samordna.run_job")(run_job))
