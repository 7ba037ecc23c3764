"""Field validators shared by every form; messages are Swedish through Flask-Babel.

Organisation numbers are checked by ``python-stdnum`` (:mod:`stdnum.se.orgnr` for Swedish
ones, :mod:`stdnum.eu.vat` for foreign VAT numbers), never by a check written here.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from stdnum.eu import vat
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr
from wtforms import Field, Form
from wtforms.validators import ValidationError

MSG_ORG_NUMBER_FORMAT = _l("Ange ett organisationsnummer med tio siffror, t.ex. 212000-2411.")
MSG_ORG_NUMBER_CHECK = _l("Kontrollsiffran stämmer inte. Kontrollera organisationsnumret "
                          "(t.ex. 212000-2411).")
MSG_ORG_NUMBER_PERSON = _l("Numret är ett personnummer, inte ett organisationsnummer för en "
                           "juridisk person (tredje siffran ska vara minst 2).")
MSG_VAT_FORMAT = _l("Ange ett utländskt momsregistreringsnummer med landskod, t.ex. "
                    "DE136695976.")
MSG_VAT_CHECK = _l("Momsregistreringsnumret är inte giltigt (fel kontrollsiffra eller "
                   "längd för landet).")
MSG_VAT_SWEDISH = _l("Svenska leverantörer anges med organisationsnummer, inte "
                     "momsregistreringsnummer.")


class NumberRefused(ValueError):
    """An organisation or VAT number that is not valid; ``message`` says why (Swedish)."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def normalise_org_number(raw: str) -> str:
    """A Swedish organisation number of a legal person as ``NNNNNN-NNNN``.

    Raises :class:`NumberRefused` for a wrong format, a wrong check digit (Luhn, checked by
    :mod:`stdnum.se.orgnr`) or a personal identity number (third digit below 2).
    """
    try:
        compact = orgnr.validate(raw)
    except InvalidChecksum as error:
        raise NumberRefused(MSG_ORG_NUMBER_CHECK) from error
    except StdnumError as error:
        raise NumberRefused(MSG_ORG_NUMBER_FORMAT) from error
    if int(compact[2]) < 2:
        raise NumberRefused(MSG_ORG_NUMBER_PERSON)
    return orgnr.format(compact)


def normalise_vat_number(raw: str) -> str:
    """A foreign (non-Swedish) EU VAT number, compact with its country code (``DE136695976``).

    Raises :class:`NumberRefused` for a number without a known country prefix, one that
    fails that country's rules, or a Swedish one (Swedish suppliers give their
    organisation number).
    """
    compact = "".join(raw.split()).upper()
    if compact[:2] == "SE":
        raise NumberRefused(MSG_VAT_SWEDISH)
    try:
        return vat.validate(compact)
    except InvalidChecksum as error:
        raise NumberRefused(MSG_VAT_CHECK) from error
    except StdnumError as error:
        code = compact[:2].lower()
        known = code in vat.MEMBER_STATES or code == "el"  # Greece writes EL
        raise NumberRefused(MSG_VAT_CHECK if known else MSG_VAT_FORMAT) from error


def _normalising(normalise):  # noqa: ANN001, ANN202 - builds a WTForms validator
    def validator(form: Form, field: Field) -> None:
        if not (field.data or "").strip():
            field.data = None
            return
        try:
            field.data = normalise(field.data)
        except NumberRefused as refused:
            raise ValidationError(refused.message) from None

    return validator


#: WTForms validator: empty, or a valid Swedish organisation number (normalised in place).
org_number = _normalising(normalise_org_number)
#: WTForms validator: empty, or a valid foreign EU VAT number (normalised in place).
vat_number = _normalising(normalise_vat_number)
