"""Error pages in Swedish; htmx requests get a small fragment instead of a page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.core.htmx import wants_fragment
from app.core.workflow import StaleObject, TransitionNotAllowed
from app.extensions import db

MESSAGES = {
    400: (_l("Felaktig begäran"), _l("Begäran kunde inte tolkas.")),
    403: (_l("Åtkomst nekad"),
          _l("Du saknar behörighet till den här sidan eller organisationens uppgifter.")),
    404: (_l("Sidan finns inte"), _l("Sidan du sökte finns inte eller har flyttats.")),
    405: (_l("Metoden är inte tillåten"), _l("Sidan kan inte användas på det sättet.")),
    409: (_l("Någon annan har ändrat det här"),
          _l("Uppgifterna ändrades av någon annan medan du arbetade, så din ändring sparades "
             "inte. Ladda om sidan för att se den aktuella versionen och gör ändringen igen.")),
    413: (_l("Filen är för stor"), _l("Filen eller formuläret är större än vad som tas emot.")),
    429: (_l("För många försök"), _l("Vänta en stund och försök igen.")),
    500: (_l("Något gick fel"), _l("Ett oväntat fel inträffade. Försök igen om en stund.")),
}


def render_error(status: int, title: str, message: str) -> tuple[str, int]:
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message,
                           current_url=_current_version_url()), status


def _current_version_url() -> str | None:
    """Where the current version of what the user was changing can be seen: this URL for a
    page, the page the form came from for a form post (same site only)."""
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return None


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    title, message = MESSAGES.get(status, (error.name, error.description or ""))
    return render_error(status, str(title), str(message))


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_error(
        400, _("Formuläret har gått ut"),
        _("Säkerhetstoken saknas eller är ogiltig. Ladda om sidan och försök igen."),
    )


def handle_concurrent_change(error: Exception) -> tuple[str, int]:
    """A stale form, a row changed by another transaction, or a move the record's state no
    longer allows: nothing is saved; the user is shown how to see the current version."""
    db.session.rollback()
    title, message = MESSAGES[409]
    return render_error(409, str(title), str(message))


def handle_server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    title, message = MESSAGES[500]
    return render_error(500, str(title), str(message))


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    for concurrent in (StaleDataError, StaleObject, TransitionNotAllowed):
        app.register_error_handler(concurrent, handle_concurrent_change)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
