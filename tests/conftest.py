"""Shared fixtures: one app and schema per run, one rolled-back transaction per test.

The database is ``TEST_DATABASE_URL`` when set (PostgreSQL in CI), else a SQLite file in
a temporary folder. Each test runs inside a transaction that is rolled back afterwards;
the application's own commits become savepoints (``join_transaction_mode``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import OrgKind
from app.core.reference import load_reference_data
from app.extensions import db
from tests.helpers import PASSWORD, login, organisation


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _sqlite_savepoint_support(engine: sa.Engine) -> None:
    """pysqlite needs SQLAlchemy's recipe for SAVEPOINT to work inside a transaction."""

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _explicit_begin(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application with a fresh schema and the reference data (counties, orgs, materials)."""
    application = create_app({
        "TESTING": True,
        "JOBS_BACKEND": "immediate",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": test_database_url(tmp_path_factory),
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
    })
    with application.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_savepoint_support(db.engine)
        db.drop_all()
        db.create_all()
        load_reference_data()
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Login attempts counted in one test do not count in the next."""
    yield
    if "app" in request.fixturenames:
        from app.extensions import limiter

        with request.getfixturevalue("app").app_context():
            limiter.reset()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each database test in a transaction that is rolled back afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    flask_app: Flask = request.getfixturevalue("app")
    with flask_app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        scoped = db.session
        engines[None] = connection
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        try:
            yield
        finally:
            db.session.remove()
            db.session = scoped
            engines[None] = engine
            outer.rollback()
            connection.close()


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context (fresh ``g`` and session), as in production.

    Without this, requests would reuse the test's app context and share cached state such as
    the logged-in user and the chosen locale. Afterwards the test's session is expired so that
    it reads what the request wrote.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Factory: ``make_user("Sundsvall", Role.MUNICIPAL_REPORTER, kind=...)``."""
    counter = iter(range(1, 10_000))

    def factory(org_name: str, *roles: Role, kind: OrgKind = OrgKind.MUNICIPALITY,
                username: str | None = None) -> User:
        org = organisation(org_name, kind)
        user = create_user(
            username=username or f"user{next(counter)}", full_name=f"Test {org_name}",
            password=PASSWORD, organisation=org, roles=roles,
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def logged_in(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Factory: create a user with roles and log the test client in as that user."""

    def factory(org_name: str, *roles: Role, kind: OrgKind = OrgKind.MUNICIPALITY) -> User:
        user = make_user(org_name, *roles, kind=kind)
        client.delete_cookie("session")  # whoever was logged in before is not any more
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return factory
