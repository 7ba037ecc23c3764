"""Forms of the report pages. Messages are Swedish; quantities are whole numbers."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from app.core.forms import AppForm, EnumSelectField
from app.core.models import CareUnitType, Ownership
from app.reports.periods import Frequency

MAX_QUANTITY = 10_000_000
WHITESPACE = re.compile(r"[\s\u00a0\u202f]")


class QuantityField(IntegerField):
    """A whole, non-negative number below :data:`MAX_QUANTITY`; '1 234' is accepted."""

    def pre_validate(self, form: AppForm) -> None:
        if self.process_errors:
            raise StopValidation  # one message for text that is not a number, not two

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        raw = WHITESPACE.sub("", valuelist[0] or "")
        self.raw_data = valuelist
        if raw == "":
            self.data = None
            return
        if not re.fullmatch(r"-?\d+", raw):
            self.data = None
            raise ValueError(_l("Ange ett heltal (inga decimaler eller bokstäver)."))
        self.data = int(raw)


class SwedishDecimalField(DecimalField):
    """A decimal number written with a decimal comma or point ('1,5' or '1.5')."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            valuelist = [WHITESPACE.sub("", valuelist[0] or "").replace(",", ".")]
        super().process_formdata(valuelist)


class IsoDateField(DateField):
    """A date written as YYYY-MM-DD (what a date input sends), with a Swedish message."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Ange datum som ÅÅÅÅ-MM-DD.")) from error


def quantity_validators(required: bool = False) -> list:
    first = InputRequired(_l("Fyll i ett värde.")) if required else Optional()
    return [first, NumberRange(min=0, max=MAX_QUANTITY,
                               message=_l("Ange ett tal mellan 0 och 10 000 000."))]


class LineForm(AppForm):
    """One line of a report: a material in one section."""

    class Meta:
        csrf = False  # the htmx request carries the token in its header, checked globally

    stock = QuantityField(_l("Lager"), validators=quantity_validators(required=True))
    consumption = QuantityField(_l("Förbrukning"), validators=quantity_validators(required=True))
    incoming = QuantityField(_l("Inkommande"), validators=quantity_validators())
    incoming_date = IsoDateField(_l("Leveransdatum"), validators=[Optional()])
    support_quantity = QuantityField(_l("Begärt stöd"), validators=quantity_validators())
    support_justification = TextAreaField(
        _l("Motivering"), validators=[Length(max=1000, message=_l(
            "Motiveringen får vara högst 1 000 tecken."))])

    def __init__(self, *args, earliest: date, latest: date, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def validate_incoming_date(self, field: DateField) -> None:
        if field.data and not self.earliest <= field.data <= self.latest:
            raise ValidationError(_l("Datumet måste ligga mellan %(start)s och %(end)s.",
                                     start=self.earliest.isoformat(), end=self.latest.isoformat()))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field rules, then the rules that tie fields together."""
        valid = super().validate(extra_validators)
        if self.incoming.data and not self.incoming_date.data and not self.incoming_date.errors:
            self.incoming_date.errors.append(_l("Ange när leveransen väntas."))
            valid = False
        if self.incoming_date.data and not self.incoming.data and not self.incoming.errors:
            self.incoming.errors.append(_l("Ange hur mycket som väntas, eller töm datumet."))
            valid = False
        if self.support_quantity.data and not (self.support_justification.data or "").strip():
            self.support_justification.errors.append(
                _l("En begäran om stöd behöver en motivering."))
            valid = False
        return valid


class SettingsForm(AppForm):
    """County settings: reporting frequency, horizon, thresholds and scenario."""

    frequency = EnumSelectField(_l("Rapporteringsfrekvens"), enum_class=Frequency, labels={
        Frequency.WEEKLY: _l("Varje vecka"), Frequency.DAILY: _l("Varje dag (akut läge)")})
    horizon_days = IntegerField(_l("Planeringshorisont (dagar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=1, max=180, message=_l("Ange 1–180 dagar."))])
    red_below_days = IntegerField(_l("Röd under (dagar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=1, max=179, message=_l("Ange 1–179 dagar."))])
    yellow_below_days = IntegerField(_l("Gul under (dagar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=2, max=180, message=_l("Ange 2–180 dagar."))])
    scenario_multiplier = SwedishDecimalField(
        _l("Omfall: förbrukning gånger"), places=2, validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=0.1, max=10, message=_l("Ange en faktor mellan 0,1 och 10."))])

    def validate_yellow_below_days(self, field: IntegerField) -> None:
        if self.red_below_days.data and field.data is not None and (
                field.data <= self.red_below_days.data):
            raise ValidationError(_l("Gul gräns måste vara större än röd gräns."))


class ImportForm(AppForm):
    file = FileField(_l("Fil (.xlsx eller .csv)"), validators=[
        FileRequired(_l("Välj en fil.")),
        FileAllowed(["xlsx", "csv"], _l("Filen måste vara .xlsx eller .csv.")),
    ])


UNIT_TYPE_LABELS = {
    CareUnitType.RESIDENTIAL_CARE: _l("Särskilt boende"),
    CareUnitType.HOME_CARE: _l("Hemtjänst"),
    CareUnitType.HOME_HEALTH_CARE: _l("Hemsjukvård"),
    CareUnitType.DISABILITY_SUPPORT: _l("LSS"),
    CareUnitType.OTHER: _l("Annan"),
}
OWNERSHIP_LABELS = {Ownership.MUNICIPAL: _l("Kommunal"), Ownership.PRIVATE: _l("Privat")}


class CareUnitForm(AppForm):
    """A care unit (verksamhet) of the municipality, municipal or private."""

    name = StringField(_l("Namn"), validators=[
        InputRequired(_l("Ange namn.")), Length(max=120, message=_l("Högst 120 tecken."))])
    unit_type = EnumSelectField(_l("Typ av verksamhet"), enum_class=CareUnitType,
                                labels=UNIT_TYPE_LABELS)
    ownership = EnumSelectField(_l("Utförare"), enum_class=Ownership, labels=OWNERSHIP_LABELS)
    provider_name = StringField(_l("Privat utförare (företagets namn)"), validators=[
        Length(max=120, message=_l("Högst 120 tecken."))])
    active = BooleanField(_l("Aktiv (ingår i rapporten)"), default=True)

    def validate_provider_name(self, field: StringField) -> None:
        if self.ownership.data is Ownership.PRIVATE and not (field.data or "").strip():
            raise ValidationError(_l("Ange vilket företag som driver verksamheten."))
