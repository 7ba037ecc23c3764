"""Organisation and VAT numbers, checked by python-stdnum, with a Swedish message each."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from wtforms import Form, StringField

from app.core.validators import (
    NumberRefused,
    normalise_org_number,
    normalise_vat_number,
    org_number,
    vat_number,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("212000-2411", "212000-2411"),  # Länsstyrelsen i Stockholms län
    ("2120002411", "212000-2411"),
    (" 556677-8899 ", "556677-8899"),
])
def test_valid_swedish_numbers_are_normalised(app, raw: str, expected: str) -> None:
    assert normalise_org_number(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("212000-2412", "Kontrollsiffran stämmer inte"),
    ("21200024", "tio siffror"),
    ("212000-2411x", "tio siffror"),
    ("2120AB2411", "tio siffror"),
    ("19121212-1212", "tio siffror"),
    ("121212-1212", "personnummer"),  # a person, not a legal person
])
def test_invalid_swedish_numbers_say_why(app, raw: str, message: str) -> None:
    with app.test_request_context(), force_locale("sv"):
        with pytest.raises(NumberRefused) as refused:
            normalise_org_number(raw)
        assert message in str(refused.value.message)


def test_foreign_vat_numbers(app) -> None:
    assert normalise_vat_number("DE 136 695 976") == "DE136695976"
    assert normalise_vat_number("fr40303265045") == "FR40303265045"
    with app.test_request_context(), force_locale("sv"):
        for raw, message in [("DE136695977", "inte giltigt"), ("XX123456", "landskod"),
                             ("SE212000241101", "organisationsnummer")]:
            with pytest.raises(NumberRefused) as refused:
                normalise_vat_number(raw)
            assert message in str(refused.value.message), raw


class NumbersForm(Form):
    org = StringField(validators=[org_number])
    vat = StringField(validators=[vat_number])


def test_the_form_validators_normalise_and_allow_empty(app) -> None:
    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        form = NumbersForm(MultiDict({"org": "5566778899", "vat": ""}))
        assert form.validate() and (form.org.data, form.vat.data) == ("556677-8899", None)
        bad = NumbersForm(MultiDict({"org": "556677-8898", "vat": "DE1"}))
        assert not bad.validate()
        assert "Kontrollsiffran" in str(bad.org.errors[0]) and bad.vat.errors
