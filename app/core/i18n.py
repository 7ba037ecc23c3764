"""Language selection: Swedish by default, English when the user chooses it."""
from __future__ import annotations

from flask import current_app, has_request_context, session

SESSION_KEY = "lang"


def select_locale() -> str:
    """The user's chosen language from the session, else the default (Swedish)."""
    chosen = session.get(SESSION_KEY) if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def choose_language(code: str) -> bool:
    """Remember ``code`` for this session; False when it is not an offered language."""
    if code not in current_app.config["LANGUAGES"]:
        return False
    session[SESSION_KEY] = code
    return True

