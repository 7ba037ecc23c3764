"""Forms of the redistribution pages. Messages are Swedish; quantities are whole units."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import AppForm, EnumSelectField, optional_id
from app.redistribution.models import ItemStatus, Outcome, PriceRule, Principle
from app.reports.forms import (
    MAX_QUANTITY,
    IsoDateField,
    QuantityField,
    SwedishDecimalField,
    quantity_validators,
)
from app.reports.periods import today

PRINCIPLE_LABELS = {
    Principle.EQUAL_DAYS: _l("Lika många dagars tillgång (de med minst får först)"),
    Principle.PROPORTIONAL_TO_NEED: _l("I proportion till behovet"),
    Principle.PER_CAPITA: _l("Per invånare"),
}
PRICE_RULE_LABELS = {
    PriceRule.CATALOGUE: _l("Katalogens referenspris"),
    PriceRule.CUSTOM: _l("Pris som länet bestämmer per material"),
}
OUTCOME_LABELS = {
    Outcome.AGREED: _l("Överens"),
    Outcome.AMENDED: _l("Överens med annat antal"),
    Outcome.REJECTED: _l("Avslås"),
}
#: What the meeting can resolve on an item that is not a round.
RESOLUTION_LABELS = {
    ItemStatus.APPROVED: _l("Bifalls"),
    ItemStatus.REJECTED: _l("Avslås"),
    ItemStatus.TABLED: _l("Bordläggs (tas upp vid ett senare möte)"),
}
MAX_PRICE = 100_000


def meeting_date_validators() -> list:
    return [InputRequired(_l("Ange datum som ÅÅÅÅ-MM-DD."))]


def _not_far_away(form: AppForm, field: IsoDateField) -> None:
    """Meeting dates within two years back and one year ahead (a typo is caught)."""
    if field.data and not (today() - timedelta(days=730) <= field.data
                           <= today() + timedelta(days=366)):
        raise ValidationError(_l("Datumet verkar fel: ange ett datum nära i tiden."))


class PrinciplesForm(AppForm):
    """The county's allocation principles; prices per material are added by the view."""

    horizon_days = IntegerField(_l("Planeringshorisont (dagar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=1, max=180, message=_l("Ange 1–180 dagar."))])
    safety_days = IntegerField(_l("Givarens säkerhetsnivå (dagar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=0, max=179, message=_l("Ange 0–179 dagar."))])
    min_transfer_packs = IntegerField(_l("Minsta överföring (förpackningar)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=1, max=1000, message=_l("Ange 1–1 000 förpackningar."))])
    principle = EnumSelectField(_l("Fördelningsprincip"), enum_class=Principle,
                                labels=PRINCIPLE_LABELS)
    price_rule = EnumSelectField(_l("Pris för ersättning"), enum_class=PriceRule,
                                 labels=PRICE_RULE_LABELS)
    include_private = BooleanField(_l("Räkna med privata utförares rader"))
    solver_budget_s = IntegerField(_l("Beräkningstid per omgång (sekunder)"), validators=[
        InputRequired(_l("Fyll i ett värde.")),
        NumberRange(min=1, max=600, message=_l("Ange 1–600 sekunder."))])
    decided_at_meeting_on = IsoDateField(
        _l("Beslutat vid veckomötet med kommuncheferna den"),
        validators=[*meeting_date_validators(), _not_far_away])
    note = TextAreaField(_l("Anteckning"), validators=[
        Length(max=2000, message=_l("Högst 2 000 tecken."))])

    def validate_safety_days(self, field: IntegerField) -> None:
        if self.horizon_days.data and field.data is not None and (
                field.data >= self.horizon_days.data):
            raise ValidationError(_l("Säkerhetsnivån måste vara kortare än horisonten."))


class PriceForm(AppForm):
    """One material's compensation price (SEK per unit, excluding VAT)."""

    class Meta:
        csrf = False

    price = SwedishDecimalField(_l("Pris per enhet (kr)"), places=4, validators=[
        Optional(), NumberRange(min=0, max=MAX_PRICE,
                                message=_l("Ange ett pris mellan 0 och 100 000 kr."))])


class NewRoundForm(AppForm):
    period = SelectField(_l("Period"))


class RerunForm(AppForm):
    principle = EnumSelectField(_l("Princip för den nya beräkningen"), enum_class=Principle,
                                labels=PRINCIPLE_LABELS)


class LineForm(AppForm):
    """Change, add or remove one line of a proposal (0 removes it)."""

    class Meta:
        csrf = False  # htmx sends the token in its header, checked globally

    material_id = IntegerField(validators=[InputRequired()])
    giver_id = IntegerField(_l("Givare"), validators=[InputRequired(_l("Välj givare."))])
    receiver_id = IntegerField(_l("Mottagare"), validators=[InputRequired(_l("Välj mottagare."))])
    quantity = QuantityField(_l("Antal"), validators=quantity_validators(required=True))
    base_version = IntegerField(validators=[InputRequired()])

    def validate_receiver_id(self, field: IntegerField) -> None:
        if field.data is not None and field.data == self.giver_id.data:
            raise ValidationError(_l("Givare och mottagare måste vara olika kommuner."))


def _chosen(message: object):  # noqa: ANN202 - a WTForms validator
    def check(form: AppForm, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(message)
    return check


class AddLineForm(LineForm):
    """A new line: the material and the two municipalities are chosen in selects."""

    material_id = SelectField(_l("Material"), coerce=int,
                              validators=[_chosen(_l("Välj material."))])
    giver_id = SelectField(_l("Givare"), coerce=int, validators=[_chosen(_l("Välj givare."))])
    receiver_id = SelectField(_l("Mottagare"), coerce=int,
                              validators=[_chosen(_l("Välj mottagare."))])


class CommentForm(AppForm):
    class Meta:
        csrf = False

    material_id = IntegerField(validators=[InputRequired()])
    giver_id = IntegerField(validators=[InputRequired()])
    receiver_id = IntegerField(validators=[InputRequired()])
    text = TextAreaField(_l("Kommentar"), validators=[
        InputRequired(_l("Skriv en kommentar.")),
        Length(max=2000, message=_l("Högst 2 000 tecken."))])


class ParticipantForm(AppForm):
    class Meta:
        csrf = False

    name = StringField(_l("Namn"), validators=[Length(max=120, message=_l("Högst 120 tecken."))])
    organisation_id = SelectField(_l("Organisation"), coerce=optional_id, default=0)


class MeetingForm(AppForm):
    held_on = IsoDateField(_l("Datum för logistikberedningen"),
                           validators=[*meeting_date_validators(), _not_far_away])
    notes = TextAreaField(_l("Anteckningar"), validators=[
        Length(max=5000, message=_l("Högst 5 000 tecken."))])
    participants = FieldList(FormField(ParticipantForm), min_entries=8, max_entries=30)


class AgendaForm(AppForm):
    round_id = SelectField(_l("Omgång att ta upp"), coerce=optional_id, default=0)
    subject = SelectField(_l("Samordnat inköp att ta upp"), default="")
    title = StringField(_l("Rubrik för annan punkt"), validators=[
        Length(max=200, message=_l("Högst 200 tecken."))])

    def validate_title(self, field: StringField) -> None:
        chosen = [bool(self.round_id.data), bool(self.subject.data)]
        if sum(chosen) > 1:
            raise ValidationError(_l("Välj en omgång eller ett inköp per punkt, inte båda."))
        if not any(chosen) and not (field.data or "").strip():
            raise ValidationError(_l("Välj en omgång eller ett inköp, eller skriv en rubrik."))


class ResolutionForm(AppForm):
    """The meeting's resolution on an item that is not a round (a pooled order, a matter)."""

    status = EnumSelectField(_l("Beslut"), enum_class=ItemStatus, labels=RESOLUTION_LABELS,
                             empty_label=_l("Välj"), validators=[
                                 InputRequired(message=_l("Välj vad mötet beslutade."))])
    remarks = TextAreaField(_l("Beslutets lydelse eller anmärkning"), validators=[
        Length(max=2000, message=_l("Högst 2 000 tecken."))])


class OutcomeForm(AppForm):
    class Meta:
        csrf = False

    material_id = IntegerField(validators=[InputRequired()])
    giver_id = IntegerField(validators=[InputRequired()])
    receiver_id = IntegerField(validators=[InputRequired()])
    outcome = EnumSelectField(_l("Utfall"), enum_class=Outcome, labels=OUTCOME_LABELS)
    amended_quantity = QuantityField(_l("Nytt antal"), validators=quantity_validators())
    remark = TextAreaField(_l("Anmärkning"), validators=[
        Length(max=1000, message=_l("Högst 1 000 tecken."))])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field rules, then: an amended outcome needs its new quantity."""
        valid = super().validate(extra_validators)
        if (self.outcome.data is Outcome.AMENDED and not self.amended_quantity.data
                and not self.amended_quantity.errors):
            self.amended_quantity.errors.append(_l("Ange det nya antalet."))
            valid = False
        return valid


class DecisionForm(AppForm):
    version = HiddenField()
    decided_on = IsoDateField(_l("Beslutsdatum"),
                              validators=[*meeting_date_validators(), _not_far_away])


class SentForm(AppForm):
    quantity = QuantityField(_l("Skickat antal"), validators=quantity_validators(required=True))


class ReceivedForm(AppForm):
    quantity = QuantityField(_l("Mottaget antal"), validators=quantity_validators(required=True))


class ResolveForm(AppForm):
    settled_quantity = QuantityField(_l("Slutligt mottaget antal"),
                                     validators=quantity_validators(required=True))
    note = TextAreaField(_l("Hur skillnaden retts ut"), validators=[
        InputRequired(_l("Beskriv hur skillnaden har retts ut.")),
        Length(max=1000, message=_l("Högst 1 000 tecken."))])


class InvoiceForm(AppForm):
    debtor_id = SelectField(_l("Kommun som ska betala"), coerce=int)
    reference = StringField(_l("Fakturanummer"), validators=[
        InputRequired(_l("Ange fakturanumret.")),
        Length(max=60, message=_l("Högst 60 tecken."))])
    amount = SwedishDecimalField(_l("Belopp (kr)"), places=2, validators=[
        InputRequired(_l("Ange beloppet.")),
        NumberRange(min=0.01, max=MAX_QUANTITY * 100,
                    message=_l("Ange ett belopp större än 0."))])
    invoiced_on = IsoDateField(_l("Fakturadatum"),
                               validators=[*meeting_date_validators(), _not_far_away])


class PaidForm(AppForm):
    paid_on = IsoDateField(_l("Betalningsdatum"),
                           validators=[*meeting_date_validators(), _not_far_away])


class CancelForm(AppForm):
    reason = StringField(_l("Skäl"), validators=[
        InputRequired(_l("Ange varför fakturan makuleras.")),
        Length(max=300, message=_l("Högst 300 tecken."))])


class JustificationForm(AppForm):
    justification = TextAreaField(_l("Motivering till Socialstyrelsen"), validators=[
        InputRequired(_l("Skriv en motivering.")),
        Length(max=5000, message=_l("Högst 5 000 tecken."))])


class AnswerForm(AppForm):
    answer = TextAreaField(_l("Socialstyrelsens svar"), validators=[
        InputRequired(_l("Skriv in svaret.")),
        Length(max=5000, message=_l("Högst 5 000 tecken."))])


class SentOnForm(AppForm):
    sent_on = IsoDateField(_l("Skickad den"),
                           validators=[*meeting_date_validators(), _not_far_away])


class AllocationForm(AppForm):
    material_id = SelectField(_l("Material"), coerce=int)
    quantity = QuantityField(_l("Antal som kom"), validators=quantity_validators(required=True))
    received_on = IsoDateField(_l("Mottaget den"),
                               validators=[*meeting_date_validators(), _not_far_away])


class ShareForm(AppForm):
    class Meta:
        csrf = False

    organisation_id = IntegerField(validators=[InputRequired()])
    quantity = QuantityField(_l("Andel"), validators=quantity_validators(required=True))
