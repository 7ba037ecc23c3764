"""Background jobs: engine runs and other work that takes longer than a web request should.

A :class:`~app.jobs.models.Job` row records who started what, its progress (step *k* of
*n*), its result and its error; a task queue (huey: SQLite by default, Redis in production,
immediate in tests) runs it in a worker process (``flask --app wsgi worker``). Domains
register a handler per kind of job with :func:`~app.jobs.services.job_handler` and start
jobs with :func:`~app.jobs.services.enqueue`; the page shows ``jobs/_progress.html``, which
htmx polls until the job is done.
"""
