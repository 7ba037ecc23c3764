"""Helpers for tests: log in through the real form, read CSRF tokens, find organisations."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import event

from app.auth.models import User
from app.core.models import Organisation, OrgKind
from app.extensions import db

PASSWORD = "rätt-lösenord-123"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def organisation(name: str, kind: OrgKind = OrgKind.MUNICIPALITY) -> Organisation:
    """A reference organisation by name (e.g. 'Sundsvall', 'Länsstyrelsen Västernorrland')."""
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.name == name, Organisation.kind == kind)
    ).one()


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def login(client: FlaskClient, user: User, password: str = PASSWORD):  # noqa: ANN201
    """Log in through the real login form (with its CSRF token)."""
    page = client.get("/logga-in")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post("/logga-in", data={"username": user.username, "password": password,
                                          "csrf_token": token})


def page_csrf(client: FlaskClient, url: str) -> str:
    """GET ``url`` and return the CSRF token rendered in it."""
    return csrf_token_from(client.get(url).get_data(as_text=True))


def count_queries(client: FlaskClient, url: str) -> int:
    """How many SQL statements a GET of ``url`` runs (it must answer 200)."""
    statements = 0

    def counter(*_args: object) -> None:
        nonlocal statements
        statements += 1

    engine = db.engines[None].engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return statements
