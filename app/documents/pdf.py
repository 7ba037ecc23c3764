"""PDF documents: a Jinja template rendered by WeasyPrint, with nothing fetched from outside.

:func:`render_pdf` is the one entry point. Its templates extend ``documents/base.html``,
which loads ``static/css/document.css`` (A4, running header with title and number,
"Sida n av m", table headers on every page, the draft watermark) and through it the
vendored DejaVu Sans, so a PDF looks the same on a server without any fonts.

Every URL in a document goes through :class:`StaticOnlyFetcher`, which answers with the
app's own static files and refuses everything else: http(s) to any host (localhost too),
``file:`` and ``data:``. Inline SVG needs no URL, and every image and font we use is a
static file, so ``data:`` is not needed either. A refused or missing resource stops the
render with :class:`ResourceRefused` instead of a PDF that silently lacks it.

Static files are addressed on :data:`DOCUMENT_ORIGIN`, a host that never resolves
(``.invalid``, RFC 2606): ``static_url('css/document.css')`` in a template, or
``url_for('static', ...)`` inside a request (a path on the document's base URL).
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

DOCUMENT_ORIGIN = "https://samordna.invalid"


class ResourceRefused(ValueError):
    """A document referred to something other than an existing static file of the app."""


def static_url(filename: str) -> str:
    """The URL of a static file as a document refers to it (needs an app context)."""
    return f"{DOCUMENT_ORIGIN}{current_app.static_url_path}/{filename}"


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files of ``static_folder`` and nothing else.

    Never opens a connection: a URL is either a file under ``static_folder`` (served from
    disk) or refused with :class:`ResourceRefused`, which WeasyPrint turns into a
    ``FatalURLFetchingError`` that ends the render.
    """

    def __init__(self, static_folder: str | Path, static_url_path: str) -> None:
        super().__init__(fail_on_errors=True)
        self.root = Path(static_folder).resolve()
        self.prefix = f"{static_url_path.rstrip('/')}/"

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The static file at ``url``, with its content type; raises ResourceRefused."""
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": content_type})

    def resolve(self, url: str) -> Path:
        """The file under the static folder that ``url`` names; raises ResourceRefused."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin != DOCUMENT_ORIGIN or not parts.path.startswith(self.prefix):
            raise ResourceRefused(f"a document may only use the app's static files, "
                                  f"not {url[:200]!r}")
        relative = unquote(parts.path[len(self.prefix):])
        joined = safe_join(str(self.root), relative)
        path = Path(joined).resolve() if joined else None
        if path is None or not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"no static file {relative[:200]!r} for a document")
        return path


def render_pdf(template_name: str, *, title: str, number: str | None = None,
               draft: bool = False, **context: Any) -> bytes:
    """Render ``template_name`` (extending ``documents/base.html``) to PDF bytes.

    ``title`` and ``number`` (e.g. a decision's registration number) head the first page
    and run in the header of every page; ``draft`` marks every page "UTKAST". Set
    ``landscape`` (in ``context`` or with ``{% set landscape = true %}`` in the template)
    for A4 landscape. The template also gets ``static_url`` and the rest of ``context``.

    Needs an application context (a request context if the template calls ``url_for``).
    Raises :class:`ResourceRefused` when the document refers to anything but an existing
    static file.
    """
    html = render_template(template_name, title=title, number=number, draft=draft,
                           static_url=static_url, **context)
    fetcher = StaticOnlyFetcher(current_app.static_folder, current_app.static_url_path)
    document = HTML(string=html, base_url=f"{DOCUMENT_ORIGIN}/", url_fetcher=fetcher)
    try:
        return document.write_pdf()
    except FatalURLFetchingError as error:
        raise ResourceRefused(str(error.__cause__ or error)) from error
