"""Finding a PostgreSQL server for tests; CI sets REQUIRE_POSTGRES=1 so nothing is skipped."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

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
