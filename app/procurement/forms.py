"""Forms of joint procurement. Messages are Swedish; quantities are whole units, prices SEK."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.core.forms import AppForm, EnumSelectField, MultiCheckboxField
from app.core.validators import org_number, vat_number
from app.documents.forms import UploadField
from app.procurement.models import Standard, SupplierStatus
from app.reports.forms import (
    MAX_QUANTITY,
    IsoDateField,
    QuantityField,
    SwedishDecimalField,
    quantity_validators,
)

MAX_UNIT_PRICE = Decimal("100000")
#: Numbers are typed as text, so that "1 000" and "1,25" can be written as Swedes write them.
WHOLE_NUMBER = {"type": "text", "inputmode": "numeric", "autocomplete": "off"}
DECIMAL_NUMBER = {"type": "text", "inputmode": "decimal", "autocomplete": "off"}
MAX_LEAD_TIME_DAYS = 365
STANDARD_LABELS = {
    Standard.EN149_FFP2: _l("EN 149 FFP2 (andningsskydd)"),
    Standard.EN149_FFP3: _l("EN 149 FFP3 (andningsskydd)"),
    Standard.EN14683_IIR: _l("EN 14683 typ IIR (munskydd)"),
    Standard.EN455: _l("EN 455 (medicinska handskar)"),
    Standard.EN14126: _l("EN 14126 (skyddskläder mot smitta)"),
    Standard.EN166: _l("EN 166 (ögonskydd)"),
}
SUPPLIER_STATUS_LABELS = {
    SupplierStatus.VERIFIED: _l("Verifierad"),
    SupplierStatus.BLOCKED: _l("Spärrad"),
}


class PriceField(SwedishDecimalField):
    """A price in kronor with a decimal comma; one Swedish message for text that is not one."""

    def pre_validate(self, form: AppForm) -> None:
        if self.process_errors:
            raise StopValidation

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Ange priset i kronor, t.ex. 1,25.")) from error


def version_field() -> IntegerField:
    """The version of the record the form showed (for :func:`app.core.workflow.check_version`)."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


def positive_quantity(label: object, *, required: bool = True) -> QuantityField:
    first = InputRequired(_l("Fyll i ett värde.")) if required else Optional()
    return QuantityField(label, render_kw=WHOLE_NUMBER, validators=[first, NumberRange(
        min=1, max=MAX_QUANTITY, message=_l("Ange ett tal mellan 1 och 10 000 000."))])


class SupplierForm(AppForm):
    name = StringField(_l("Företagets namn"), validators=[
        DataRequired(_l("Ange leverantörens namn.")),
        Length(max=200, message=_l("Namnet får vara högst 200 tecken."))])
    org_number = StringField(_l("Organisationsnummer (svensk leverantör)"),
                             validators=[org_number])
    vat_number = StringField(_l("Momsregistreringsnummer (utländsk leverantör)"),
                             validators=[vat_number])
    contact_name = StringField(_l("Kontaktperson"), validators=[Length(max=120)])
    contact_email = EmailField(_l("E-post"), validators=[
        Optional(), Email(_l("Ange en giltig e-postadress.")), Length(max=254)])
    contact_phone = StringField(_l("Telefon"), validators=[
        Optional(), Regexp(r"^\+?[\d\s()-]{6,30}$",
                           message=_l("Ange ett telefonnummer med siffror, t.ex. 060-19 10 00."))])
    materials = MultiCheckboxField(_l("Material som leverantören kan leverera"), coerce=int,
                                   validators=[DataRequired(_l("Välj minst ett material."))])
    notes = TextAreaField(_l("Anteckningar"), validators=[
        Length(max=2000, message=_l("Anteckningarna får vara högst 2 000 tecken."))])
    version = version_field()

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field rules, then: exactly one of organisation and VAT number."""
        valid = super().validate(extra_validators)
        if self.org_number.errors or self.vat_number.errors:
            return False
        if not (self.org_number.data or self.vat_number.data):
            self.org_number.errors.append(_l(
                "Ange organisationsnumret (svensk leverantör) eller momsregistreringsnumret "
                "(utländsk leverantör)."))
            return False
        if self.org_number.data and self.vat_number.data:
            self.org_number.errors.append(_l(
                "Ange bara det ena: organisationsnummer för en svensk leverantör eller "
                "momsregistreringsnummer för en utländsk."))
            return False
        return valid


class SupplierStatusForm(AppForm):
    status = EnumSelectField(_l("Ny status"), enum_class=SupplierStatus,
                             labels=SUPPLIER_STATUS_LABELS)
    reason = TextAreaField(_l("Skäl"), validators=[
        DataRequired(_l("Skriv skälet, t.ex. hur leverantören kontrollerades.")),
        Length(max=1000)])
    version = version_field()


class OfferForm(AppForm):
    supplier_id = IntegerField(_l("Leverantör"), validators=[
        InputRequired(_l("Välj leverantör."))])
    material_id = IntegerField(_l("Material"), validators=[InputRequired(_l("Välj material."))])
    quantity = positive_quantity(_l("Antal som finns att köpa"))
    unit_price = PriceField(_l("Pris per enhet, kr exkl. moms"), places=2,
                            render_kw=DECIMAL_NUMBER, validators=[
        InputRequired(_l("Ange priset.")),
        NumberRange(min=Decimal("0.01"), max=MAX_UNIT_PRICE,
                    message=_l("Ange ett pris mellan 0,01 och 100 000 kr."))])
    minimum_order = QuantityField(_l("Minsta order (antal)"), render_kw=WHOLE_NUMBER,
                                  validators=quantity_validators())
    lead_time_days = QuantityField(_l("Leveranstid i dagar"), render_kw=WHOLE_NUMBER, validators=[
        Optional(), NumberRange(min=0, max=MAX_LEAD_TIME_DAYS,
                                message=_l("Ange 0–365 dagar."))])
    delivery_date = IsoDateField(_l("eller leveransdatum"), validators=[Optional()])
    valid_until = IsoDateField(_l("Erbjudandet gäller till och med"), validators=[
        InputRequired(_l("Ange hur länge erbjudandet gäller."))])
    ce_marked = BooleanField(_l("CE-märkt"))
    standard = EnumSelectField(_l("Standard"), enum_class=Standard,
                               labels=STANDARD_LABELS, empty_label=_l("– ingen –"),
                               validators=[Optional()])
    notified_body = StringField(_l("Anmält organ (nummer)"), validators=[
        Optional(), Regexp(r"^\d{4}$", message=_l("Det anmälda organets nummer är fyra "
                                                   "siffror, t.ex. 0598."))])
    market_surveillance = BooleanField(_l("Godkänt av marknadskontrollmyndighet i stället "
                                          "för CE-märkning"))
    notes = TextAreaField(_l("Anteckningar"), validators=[Length(max=2000)])
    version = version_field()

    def __init__(self, *args, supplier_ids: set[int], material_ids: set[int],  # noqa: ANN002
                 **kwargs) -> None:  # noqa: ANN003
        super().__init__(*args, **kwargs)
        self.supplier_ids, self.material_ids = supplier_ids, material_ids

    def validate_supplier_id(self, field: IntegerField) -> None:
        if field.data not in self.supplier_ids:
            raise ValidationError(_l("Välj en leverantör i länets register."))

    def validate_unit_price(self, field: PriceField) -> None:
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_l("Ange priset med högst två decimaler (hela ören)."))

    def validate_material_id(self, field: IntegerField) -> None:
        if field.data not in self.material_ids:
            raise ValidationError(_l("Välj ett material i katalogen."))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field rules, then the rules that tie fields together."""
        valid = super().validate(extra_validators)
        for field, message in self._combined_errors():
            if not field.errors:
                field.errors.append(message)
                valid = False
        return valid

    def _combined_errors(self):  # noqa: ANN202 - yields (field, message)
        if (self.minimum_order.data and self.quantity.data
                and self.minimum_order.data > self.quantity.data):
            yield self.minimum_order, _l("Minsta order kan inte vara större än antalet.")
        if self.lead_time_days.data is None and not self.delivery_date.data:
            yield self.lead_time_days, _l("Ange leveranstid i dagar eller ett leveransdatum.")
        if self.ce_marked.data and not self.standard.data:
            yield self.standard, _l("Ange vilken standard CE-märkningen gäller.")
        standard = self.standard.data
        if (self.ce_marked.data and standard and standard.needs_notified_body
                and not self.notified_body.data):
            yield self.notified_body, _l("Skyddsutrustning enligt den standarden ska ha "
                                         "intyg från ett anmält organ: ange dess nummer.")


class ReviewForm(AppForm):
    reason = TextAreaField(_l("Motivering"), validators=[Length(max=1000)])
    version = version_field()


class AttachmentForm(AppForm):
    file = UploadField(_l("Certifikat eller datablad (PDF, PNG eller JPEG)"))


class OrderForm(AppForm):
    title = StringField(_l("Rubrik"), validators=[
        DataRequired(_l("Ange en rubrik.")), Length(max=200)])
    deadline = IsoDateField(_l("Sista dag för åtaganden"), validators=[
        InputRequired(_l("Ange sista dag för åtaganden."))])


class CommitmentForm(AppForm):
    quantity = QuantityField(_l("Vårt åtagande (antal)"), render_kw=WHOLE_NUMBER,
                             validators=quantity_validators(required=True))


class VersionForm(AppForm):
    """Confirms an action on the version the page showed (close, complete, confirm)."""

    version = version_field()


class CancelForm(VersionForm):
    reason = TextAreaField(_l("Skäl att avbryta inköpet"), validators=[
        DataRequired(_l("Skriv varför inköpet avbryts.")), Length(max=1000)])


SCHEDULE_ROWS = 3


class PlaceForm(VersionForm):
    order_number = StringField(_l("Ordernummer"), validators=[
        DataRequired(_l("Ange leverantörens eller ert ordernummer.")), Length(max=60)])
    ordered_on = IsoDateField(_l("Beställningsdag"), validators=[
        InputRequired(_l("Ange beställningsdagen."))])
    expected_on_1 = IsoDateField(_l("Väntad leverans 1, datum"),
                                 validators=[InputRequired(_l("Ange när leveransen väntas."))])
    quantity_1 = positive_quantity(_l("Väntad leverans 1, antal"))
    expected_on_2 = IsoDateField(_l("Väntad leverans 2, datum"), validators=[Optional()])
    quantity_2 = positive_quantity(_l("Väntad leverans 2, antal"), required=False)
    expected_on_3 = IsoDateField(_l("Väntad leverans 3, datum"), validators=[Optional()])
    quantity_3 = positive_quantity(_l("Väntad leverans 3, antal"), required=False)

    def schedule_fields(self) -> list[tuple[IsoDateField, QuantityField]]:
        return [(self[f"expected_on_{i}"], self[f"quantity_{i}"])
                for i in range(1, SCHEDULE_ROWS + 1)]

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field rules, then: a date and a quantity together, or neither."""
        valid = super().validate(extra_validators)
        for when, quantity in self.schedule_fields():
            if bool(when.data) != bool(quantity.data) and not (when.errors or quantity.errors):
                (quantity if when.data else when).errors.append(
                    _l("Ange både datum och antal."))
                valid = False
        return valid


class DeliveryForm(AppForm):
    received_on = IsoDateField(_l("Mottagen"), validators=[
        InputRequired(_l("Ange mottagningsdagen."))])
    quantity = positive_quantity(_l("Mottaget antal"))


class ShareForm(AppForm):
    class Meta:
        csrf = False  # the htmx request carries the token in its header, checked globally

    quantity = QuantityField(_l("Andel"), render_kw=WHOLE_NUMBER,
                             validators=quantity_validators(required=True))
