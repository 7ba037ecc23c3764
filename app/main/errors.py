"""Error pages in Swedish; htmx requests get a small fragment instead of a page."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.htmx import wants_fragment
from app.extensions import db

MESSAGES = {
    400: (_l("Felaktig begäran"), _l("Begäran kunde inte tolkas.")),
    403: (_l("Åtkomst nekad"),
          _l("Du saknar behörighet till den här sidan eller organisationens uppgifter.")),
    404: (_l("Sidan finns inte"), _l("Sidan du sökte finns inte eller har flyttats.")),
    405: (_l("Metoden är inte tillåten"), _l("Sidan kan inte användas på det sättet.")),
    413: (_l("Filen är för stor"), _l("Filen eller formuläret är större än vad som tas emot.")),
    500: (_l("Något gick fel"), _l("Ett oväntat fel inträffade. Försök igen om en stund.")),
}


def render_error(status: int, title: str, message: str) -> tuple[str, int]:
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message), status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    title, message = MESSAGES.get(status, (error.name, error.description or ""))
    return render_error(status, str(title), str(message))


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_error(
        400, _("Formuläret har gått ut"),
        _("Säkerhetstoken saknas eller är ogiltig. Ladda om sidan och försök igen."),
    )


def handle_server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    title, message = MESSAGES[500]
    return render_error(500, str(title), str(message))


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
