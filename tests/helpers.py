"""Helpers for tests: log in through the real form, read CSRF tokens, find organisations."""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TypeVar

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import event

from app.auth.models import User
from app.core.models import Organisation, OrgKind
from app.extensions import db

T = TypeVar("T")
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


class _FormParser(HTMLParser):
    """Collects each <form>'s action, method and fields the way a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"action": attr.get("action", ""),
                               "method": attr.get("method", "get").lower(), "fields": []})
        elif not self.forms:
            return
        elif tag == "input":
            self._input(attr)
        elif tag == "select" and "name" in attr:
            self._select = {"name": attr["name"], "multiple": "multiple" in attr, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attr.get("value"), "selected": "selected" in attr,
                            "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and "name" in attr:
            self._textarea = {"name": attr["name"], "text": ""}

    def _input(self, attr: dict[str, str]) -> None:
        kind = attr.get("type", "text").lower()
        if "name" not in attr or kind in {"submit", "button", "image", "reset", "file"}:
            return
        if kind in {"checkbox", "radio"} and "checked" not in attr:
            return
        default = "on" if kind in {"checkbox", "radio"} else ""
        self.forms[-1]["fields"].append((attr["name"], attr.get("value", default)))

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self.forms[-1]["fields"].append((self._textarea["name"],
                                             text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.forms[-1]["fields"].extend(_selected(self._select))
            self._select = None


def _selected(select: dict) -> list[tuple[str, str]]:
    """What a browser submits for a <select>: the selected options, else the first one."""
    options = select["options"]
    chosen = [o for o in options if o["selected"]]
    if not chosen and options and not select["multiple"]:
        chosen = options[:1]
    return [(select["name"], o["value"] if o["value"] is not None else o["text"].strip())
            for o in chosen]


def browser_form(html: str, action: str) -> list[tuple[str, str]]:
    """The fields a browser would submit from the POST form of ``html`` that posts to
    ``action`` (a form without an action posts to the page itself)."""
    parser = _FormParser()
    parser.feed(html)
    forms = [form for form in parser.forms if form["method"] == "post"
             and form["action"] in ("", action)]
    assert len(forms) == 1, f"expected one form posting to {action}, found {len(forms)}"
    return forms[0]["fields"]


def run_at_once(*calls: Callable[[], T]) -> list[T]:
    """Run ``calls`` in parallel threads released at the same instant; their results."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results  # type: ignore[return-value]
