"""Fixtures for the document tests: test templates next to the app's own."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def document_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app in a request context, also finding ``tests/documents/templates``."""
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    with app.test_request_context():
        yield app
