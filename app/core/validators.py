"""Field validators shared by every form; messages are Swedish through Flask-Babel."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

ORG_NUMBER_PATTERN = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check, as used for Swedish organisation numbers."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_number(raw: str) -> str | None:
    """``NNNNNN-NNNN`` for a valid Swedish organisation number, else None.

    Valid means ten digits, a third digit of at least 2 (legal persons) and a correct
    Luhn check digit.
    """
    match = ORG_NUMBER_PATTERN.match(raw.strip())
    if not match:
        return None
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2 or not luhn_ok(digits):
        return None
    return f"{match.group(1)}-{match.group(2)}"


def org_number(form: Form, field: Field) -> None:
    """WTForms validator: empty, or a valid organisation number (normalised in place)."""
    if not field.data:
        field.data = None
        return
    normalised = normalise_org_number(field.data)
    if normalised is None:
        raise ValidationError(
            _l("Ange ett giltigt organisationsnummer, t.ex. 212000-2411 (tio siffror med "
               "korrekt kontrollsiffra).")
        )
    field.data = normalised
