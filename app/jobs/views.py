"""The progress of a background job, polled by htmx until the job is done."""
from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth.access import can_see_job, require
from app.core.htmx import wants_fragment
from app.extensions import db
from app.jobs.models import Job
from app.jobs.services import fail_stale_jobs, result_url

bp = Blueprint("jobs", __name__, url_prefix="/jobb")


@bp.route("/<int:job_id>")
@login_required
def status(job_id: int) -> Response | str:
    """The job's progress; once done, the page of its result (htmx follows the redirect)."""
    job = db.get_or_404(Job, job_id)
    require(can_see_job(current_user, job))
    if fail_stale_jobs():
        db.session.commit()
        db.session.refresh(job)
    target = result_url(job)
    if target and wants_fragment():
        response = make_response("")
        response.headers["HX-Redirect"] = target
        return response
    if target:
        return redirect(target)
    template = "jobs/_progress.html" if wants_fragment() else "jobs/job.html"
    return render_template(template, job=job)
