"""Finding a PostgreSQL server for tests; CI sets REQUIRE_POSTGRES=1 so nothing is skipped."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url_or_skip() -> sa.URL:
    """A URL to a reachable PostgreSQL server (TEST_DATABASE_URL's, or the local default)."""
    raw = os.environ.get("TEST_DATABASE_URL", "")
    url = sa.make_url(raw if raw.startswith("postgresql") else DEFAULT_URL)
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {url.host}:{url.port}: {error.orig}")
    return url


def only_in_postgres_run() -> None:
    """Skip unless this is the PostgreSQL run of the suite (it needs real, committed data)."""
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL pass of make test")


@contextmanager
def committed_database_app() -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database whose requests really commit (no test
    transaction around them), for tests that run requests in parallel threads."""
    from app import create_app
    from app.core.reference import load_reference_data
    from app.extensions import db

    admin_url = admin_url_or_skip()
    name = f"samordna_concurrency_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k", "TESTING": True,
                      "JOBS_BACKEND": "immediate",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10}})
    try:
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()
