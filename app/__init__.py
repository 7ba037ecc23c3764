"""Samordna: coordination of scarce protective equipment between municipalities.

:func:`create_app` builds the Flask application; nothing happens at import time.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.config import default_config, load_or_create_secret_key

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in our URLs: a row id, so no larger than the database's integers.

    A larger number in a URL answers 404 like any unknown id, instead of an overflow in
    the database driver (HTTP 500).
    """

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, 2**31 - 1 if max is None else max, signed)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then ``FLASK_*`` environment, then ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = RowIdConverter
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_prefixed_env()
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from app.core.i18n import select_locale
    from app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"

    from app.auth.services import load_user
    from app.auth.views import unauthorized

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)

    from app.jobs.queue import init_jobs

    init_jobs(app)
    _import_models()


def _import_models() -> None:
    """Import every domain's models so that migrations and metadata see all tables."""
    import app.auth.models  # noqa: F401
    import app.core.audit  # noqa: F401
    import app.core.models  # noqa: F401
    import app.documents.models  # noqa: F401
    import app.jobs.models  # noqa: F401
    import app.ledger.models  # noqa: F401
    import app.procurement.models  # noqa: F401
    import app.redistribution.models  # noqa: F401
    import app.reports.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.jobs.views import bp as jobs_bp
    from app.main.views import bp as main_bp
    from app.procurement.views import bp as procurement_bp
    from app.redistribution.views import blueprints as redistribution_blueprints
    from app.reports.care_units import bp as care_units_bp
    from app.reports.views import bp as reports_bp

    for blueprint in (main_bp, auth_bp, admin_bp, jobs_bp, reports_bp, care_units_bp,
                      *redistribution_blueprints, procurement_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.auth.commands import create_user_command
    from app.demo.commands import demo_data_command, demo_logins_command
    from app.jobs.commands import worker_command
    from app.procurement.commands import expire_offers_command

    app.cli.add_command(demo_data_command)
    app.cli.add_command(demo_logins_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(expire_offers_command)


def register_template_helpers(app: Flask) -> None:
    from app.core.formatting import register_filters
    from app.core.security import register_security_headers
    from app.main.navigation import register_navigation

    register_filters(app)
    register_navigation(app)
    register_security_headers(app)
