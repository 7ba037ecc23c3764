"""The one place that decides between an htmx fragment and a full page."""
from __future__ import annotations

from typing import Any

from flask import render_template
from htmx_flask import request


def wants_fragment() -> bool:
    """True for htmx requests that swap a part of the page (not boosted navigation)."""
    return bool(request.htmx) and not request.htmx.boosted and not (
        request.htmx.history_restore_request
    )


def render_page_or_fragment(page: str, fragment: str, **context: Any) -> str:
    """Render ``fragment`` for htmx swaps and ``page`` (which includes it) otherwise."""
    return render_template(fragment if wants_fragment() else page, **context)
