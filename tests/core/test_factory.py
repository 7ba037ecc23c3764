"""The application factory and configuration."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from app.config import database_url, load_or_create_secret_key


def test_test_config_overrides_defaults(app) -> None:
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert set(app.blueprints) >= {"main", "auth", "admin", "reports", "redistribution",
                                   "procurement"}


def test_database_url_defaults_to_sqlite_under_instance(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(str(tmp_path)) == f"sqlite:///{tmp_path / 'samordna.db'}"


@pytest.mark.parametrize("given", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_database_url_uses_psycopg3_for_postgresql(monkeypatch, tmp_path, given) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url(str(tmp_path)) == "postgresql+psycopg://u@h/db"


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_or_create_secret_key(str(tmp_path))
    second = load_or_create_secret_key(str(tmp_path))
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_comes_from_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert create_app().config["SECRET_KEY"] == "from-env"


def test_secure_cookie_flag_is_configurable(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert create_app({"SECRET_KEY": "k"}).config["SESSION_COOKIE_SECURE"] is True
