"""The migration history builds the same schema as the models, on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.postgres import admin_url_or_skip


def _upgrade_and_compare(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k", "TESTING": True,
                      "JOBS_BACKEND": "immediate"})
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        assert "alembic_version" in tables
        assert _ledger_triggers() != set()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.session.remove()
        db.engine.dispose()


def _ledger_triggers() -> set[str]:
    """Names of the triggers that keep the ledger append-only, as the migrations made them."""
    query = ("SELECT name FROM sqlite_master WHERE type = 'trigger'"
             if db.engine.dialect.name == "sqlite" else
             "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    with db.engine.connect() as connection:
        return {name for (name,) in connection.exec_driver_sql(query)
                if name.startswith("ledger_entries_")}


def test_migrations_apply_to_empty_sqlite(tmp_path) -> None:
    _upgrade_and_compare(f"sqlite:///{tmp_path / 'empty.db'}")


@pytest.fixture
def empty_postgres_database() -> Iterator[str]:
    admin_url = admin_url_or_skip()
    name = f"samordna_migration_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.mark.postgres
def test_migrations_apply_to_empty_postgresql(empty_postgres_database: str) -> None:
    _upgrade_and_compare(empty_postgres_database)


def test_models_and_migrations_agree(tmp_path) -> None:
    """Autogenerate finds nothing to do after upgrading: no model change lacks a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cmp.db'}",
                      "SECRET_KEY": "k", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()
