"""Number and date formatting in the user's language (Swedish by default)."""
from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal as babel_format_decimal
from flask_babel import format_date, format_datetime, get_locale


def number(value: float | int | None, decimals: int = 0) -> str:
    """Format ``value`` with the locale's separators: ``12 345,5`` in Swedish. ``None`` is "–"."""
    if value is None:
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    return _formatted(value, decimals, str(get_locale() or "sv"))


@lru_cache(maxsize=8192)
def _formatted(value: float | int | Decimal, decimals: int, locale: str) -> str:
    """Babel's formatting is slow and the same figures recur on a page: remember them."""
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_format_decimal(value, format=fmt, locale=locale)


def days(value: float | None) -> str:
    """Days of supply with one decimal; infinite for zero use."""
    return number(value, 1)


def short_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return format_date(value, "yyyy-MM-dd")


def current_language() -> str:
    """The active UI language code ("sv" or "en")."""
    return str(get_locale() or "sv")[:2]


def register_filters(app) -> None:  # noqa: ANN001 - Flask app
    """Make the formatters available in templates as filters."""
    app.jinja_env.filters.update(num=number, days=days, date=short_date)
    from app.core.forms import form_errors

    app.jinja_env.globals.update(current_language=current_language, form_errors=form_errors)
