"""``flask worker``: the process that runs background jobs."""
from __future__ import annotations

import click
from flask import current_app

from app.extensions import db
from app.jobs.services import fail_stale_jobs


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time.")
def worker_command(threads: int) -> None:
    """Run background jobs until stopped (Ctrl+C)."""
    failed = fail_stale_jobs()
    db.session.commit()
    if failed:
        click.echo(f"Marked {failed} abandoned job(s) as failed.")
    queue = current_app.extensions["jobs"]
    backend = current_app.config["JOBS_BACKEND"]
    click.echo(f"Samordna worker: {threads} thread(s), backend {backend}.")
    queue.huey.create_consumer(workers=threads, worker_type="thread", periodic=False).run()
