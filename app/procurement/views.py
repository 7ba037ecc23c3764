"""Joint procurement pages: suppliers, offers and their comparison, pooled orders, deliveries."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import (
    can_commit_for,
    can_edit_offer,
    can_view_county,
    is_buyer_of,
    is_procurement_lead_of,
    require,
    roles_required,
)
from app.auth.roles import BUYERS, PROCUREMENT_LEADS, PROCUREMENT_READERS
from app.core.formatting import current_language
from app.core.htmx import render_page_or_fragment, wants_fragment
from app.core.models import County, Material
from app.core.workflow import check_version
from app.documents.archive import send_document
from app.documents.downloads import download_name, send_spreadsheet
from app.documents.models import StoredDocument, Upload
from app.documents.uploads import UploadRefused, save_upload, send_upload
from app.extensions import db
from app.procurement import comparison, deliveries, meeting, orders, services
from app.procurement.exports import order_sheets
from app.procurement.forms import (
    AttachmentForm,
    CancelForm,
    CommitmentForm,
    DeliveryForm,
    OfferForm,
    OrderForm,
    PlaceForm,
    ReviewForm,
    ShareForm,
    SupplierForm,
    SupplierStatusForm,
    VersionForm,
)
from app.procurement.labels import template_labels
from app.procurement.models import (
    Delivery,
    DeliveryShare,
    DeliveryStatus,
    Offer,
    OfferStatus,
    OrderStatus,
    PooledOrder,
    Supplier,
)
from app.procurement.overview import county_overview
from app.procurement.services import ProcurementError
from app.reports.periods import today

T = TypeVar("T")
bp = Blueprint("procurement", __name__, url_prefix="/inkop")
UPLOAD_SOURCE = "procurement_offer"
REVIEW_ACTIONS = {"granska": OfferStatus.UNDER_REVIEW, "godta": OfferStatus.ACCEPTED,
                  "avvisa": OfferStatus.REJECTED}


@bp.context_processor
def _template_helpers() -> dict[str, object]:
    """Labels, flags in words, and whether the user buys for an organisation."""
    factor = _price_factor()
    return template_labels() | {
        "flag_text": lambda flag: comparison.flag_text(flag, factor),
        "is_buyer": bool(current_user) and current_user.is_authenticated
        and is_buyer_of(current_user, current_user.organisation_id),
    }


def _refused(form: object, error: ProcurementError) -> None:
    """Show a refusal next to its field, or in the form's error summary."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _committed(form: object, action: Callable[[], T]) -> T | None:
    """Run ``action`` and commit; on a refusal roll back, show it on ``form`` and give None."""
    try:
        result = action()
    except ProcurementError as error:
        db.session.rollback()
        _refused(form, error)
        return None
    db.session.commit()
    return result


def _expire_offers() -> None:
    """Offers past their validity date expire as soon as anyone looks at offers."""
    if services.expire_offers(today()):
        db.session.commit()


def _county(county_code: str) -> County:
    county = db.session.get(County, county_code) or abort(404)
    require(can_view_county(current_user, county.code))
    return county


def _in_county(model: type, ident: int):  # noqa: ANN202 - the row
    """A procurement row the user may see (its county's), else 404 or 403."""
    row = db.get_or_404(model, ident)
    require(can_view_county(current_user, _county_code_of(row)))
    return row


def _county_code_of(row: object) -> str:
    if isinstance(row, Delivery):
        return row.order.county_code
    return row.county_code


def _require_lead(county_code: str) -> None:
    require(is_procurement_lead_of(current_user, county_code))


# --- Start and overview ------------------------------------------------------------------------

@bp.route("/")
@roles_required(PROCUREMENT_READERS)
def index() -> Response | str:
    """The user's county overview; national users choose a county."""
    county_code = current_user.organisation.county_code
    if county_code:
        return redirect(url_for("procurement.county", county_code=county_code))
    return render_template("procurement/counties.html", counties=services.counties())


@bp.route("/lan/<county_code>/")
@roles_required(PROCUREMENT_READERS)
def county(county_code: str) -> str:
    """Open offers and orders, expected deliveries per week and the need they leave."""
    county = _county(county_code)
    _expire_offers()
    return render_template("procurement/overview.html", county=county,
                           overview=county_overview(county.code),
                           is_lead=is_procurement_lead_of(current_user, county.code))


# --- Suppliers ---------------------------------------------------------------------------------

@bp.route("/lan/<county_code>/leverantorer")
@roles_required(PROCUREMENT_READERS)
def suppliers(county_code: str) -> str:
    """The county's supplier register."""
    county = _county(county_code)
    return render_template("procurement/suppliers.html", county=county,
                           suppliers=services.suppliers_of(county.code))


def _supplier_form(supplier: Supplier | None = None) -> SupplierForm:
    form = SupplierForm(obj=supplier)
    materials = services.materials()
    form.materials.choices = [(m.id, m.name_sv) for m in materials]
    if supplier is not None and request.method == "GET":
        form.materials.data = [m.id for m in supplier.materials]
    return form


def _save_supplier(form: SupplierForm, supplier: Supplier | None, county: County
                   ) -> Response | None:
    """Save a valid supplier form and go to the supplier; None when it must be shown again."""
    if not form.validate_on_submit():
        return None
    chosen = [m for m in services.materials() if m.id in set(form.materials.data)]
    saved = _committed(form, lambda: services.save_supplier(
        supplier, form.data, county_code=county.code, by=current_user, chosen_materials=chosen))
    if saved is None:
        return None
    flash(_("Leverantören är sparad."), "success")
    return redirect(url_for("procurement.supplier", supplier_id=saved.id))


@bp.route("/lan/<county_code>/leverantorer/ny", methods=["GET", "POST"])
@roles_required(BUYERS)
def new_supplier(county_code: str) -> Response | tuple[str, int]:
    """Register a supplier in the county's register."""
    county = _county(county_code)
    require(is_buyer_of(current_user, current_user.organisation_id))
    form = _supplier_form()
    saved = _save_supplier(form, None, county)
    return saved or (render_template("procurement/supplier_form.html", county=county,
                                     form=form, supplier=None), 422 if form.errors else 200)


@bp.route("/leverantorer/<int:supplier_id>")
@roles_required(PROCUREMENT_READERS)
def supplier(supplier_id: int) -> str:
    """A supplier: identity, contact, materials, status, offers."""
    supplier = _in_county(Supplier, supplier_id)
    return _supplier_page(supplier, SupplierStatusForm(obj=supplier))


def _supplier_page(supplier: Supplier, status_form: SupplierStatusForm) -> str:
    offers = db.session.scalars(sa.select(Offer).where(Offer.supplier_id == supplier.id)
                                .order_by(Offer.created_at.desc())).all()
    return render_template(
        "procurement/supplier.html", supplier=supplier, offers=offers, status_form=status_form,
        can_edit=can_edit_offer(current_user, supplier),
        is_lead=is_procurement_lead_of(current_user, supplier.county_code))


@bp.route("/leverantorer/<int:supplier_id>/andra", methods=["GET", "POST"])
@roles_required(BUYERS)
def edit_supplier(supplier_id: int) -> Response | tuple[str, int]:
    """Change a supplier the user's organisation registered."""
    supplier = _in_county(Supplier, supplier_id)
    require(can_edit_offer(current_user, supplier))
    form = _supplier_form(supplier)
    if form.is_submitted():
        check_version(supplier, form.version.data)
    saved = _save_supplier(form, supplier, supplier.county)
    return saved or (render_template("procurement/supplier_form.html", county=supplier.county,
                                     form=form, supplier=supplier),
                     422 if form.errors else 200)


@bp.route("/leverantorer/<int:supplier_id>/status", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def supplier_status(supplier_id: int) -> Response | tuple[str, int]:
    """Verify or block a supplier, with the reason."""
    supplier = _in_county(Supplier, supplier_id)
    _require_lead(supplier.county_code)
    form = SupplierStatusForm()
    if not form.validate_on_submit():
        return _supplier_page(supplier, form), 422
    check_version(supplier, form.version.data)
    services.set_supplier_status(supplier, form.status.data, form.reason.data, by=current_user)
    db.session.commit()
    flash(_("Leverantörens status är ändrad."), "success")
    return redirect(url_for("procurement.supplier", supplier_id=supplier.id))


# --- Offers --------------------------------------------------------------------------------------

def _offer_form(county_code: str, offer: Offer | None = None) -> OfferForm:
    suppliers = services.suppliers_of(county_code)
    materials = services.materials()
    form = OfferForm(obj=offer, supplier_ids={s.id for s in suppliers if not s.blocked},
                     material_ids={m.id for m in materials})
    if offer is None and request.method == "GET":
        chosen = next((s for s in suppliers if s.id == request.args.get("leverantor", type=int)),
                      None)
        form.supplier_id.data = chosen.id if chosen else None
        only = chosen.materials[0].id if chosen and len(chosen.materials) == 1 else None
        form.material_id.data = request.args.get("material", type=int) or only
    language = current_language()
    form.supplier_choices = [(s.id, s.name) for s in suppliers if not s.blocked]
    form.material_choices = [(m.id, f"{m.name_for(language)} ({m.unit})") for m in materials]
    return form


def _save_offer(form: OfferForm, offer: Offer | None, county_code: str) -> Response | None:
    if not form.validate_on_submit():
        return None
    saved = _committed(form, lambda: services.save_offer(
        offer, form.data, county_code=county_code, by=current_user, today=today()))
    if saved is None:
        return None
    flash(_("Erbjudandet är sparat. Bifoga gärna certifikat eller datablad."), "success")
    return redirect(url_for("procurement.offer", offer_id=saved.id))


@bp.route("/lan/<county_code>/erbjudanden/nytt", methods=["GET", "POST"])
@roles_required(BUYERS)
def new_offer(county_code: str) -> Response | tuple[str, int]:
    """Register a supplier's offer for the county's buyers to share."""
    county = _county(county_code)
    require(is_buyer_of(current_user, current_user.organisation_id))
    form = _offer_form(county.code)
    saved = _save_offer(form, None, county.code)
    return saved or (render_template("procurement/offer_form.html", county=county, form=form,
                                     offer=None), 422 if form.errors else 200)


@bp.route("/erbjudanden/<int:offer_id>/andra", methods=["GET", "POST"])
@roles_required(BUYERS)
def edit_offer(offer_id: int) -> Response | tuple[str, int]:
    """Change a new offer the user's organisation registered."""
    offer = _in_county(Offer, offer_id)
    require(can_edit_offer(current_user, offer))
    form = _offer_form(offer.county_code, offer)
    if form.is_submitted():
        check_version(offer, form.version.data)
    saved = _save_offer(form, offer, offer.county_code)
    return saved or (render_template("procurement/offer_form.html", county=offer.county,
                                     form=form, offer=offer), 422 if form.errors else 200)


def _attachments(offer: Offer) -> list[Upload]:
    return list(db.session.scalars(sa.select(Upload).where(
        Upload.source_type == UPLOAD_SOURCE, Upload.source_id == str(offer.id))
        .order_by(Upload.id)))


def _offer_page(offer: Offer, *, review_form: ReviewForm | None = None,
                attachment_form: AttachmentForm | None = None) -> str:
    return render_template(
        "procurement/offer.html", offer=offer, attachments=_attachments(offer),
        order=services.order_of_offer(offer), review_form=review_form or ReviewForm(obj=offer),
        attachment_form=attachment_form or AttachmentForm(),
        can_edit=can_edit_offer(current_user, offer),
        is_lead=is_procurement_lead_of(current_user, offer.county_code),
        flags=comparison.flags_of(offer, _price_factor()))


def _price_factor() -> Decimal:
    return Decimal(str(current_app.config["PROCUREMENT_PRICE_FLAG_FACTOR"]))


@bp.route("/erbjudanden/<int:offer_id>")
@roles_required(PROCUREMENT_READERS)
def offer(offer_id: int) -> str:
    """An offer: terms, certification, attachments, review and pooling."""
    _expire_offers()
    return _offer_page(_in_county(Offer, offer_id))


@bp.route("/erbjudanden/<int:offer_id>/bilagor", methods=["POST"])
@roles_required(BUYERS)
def attach(offer_id: int) -> Response | tuple[str, int]:
    """Attach a certificate or datasheet (PDF, PNG or JPEG, checked by content)."""
    offer = _in_county(Offer, offer_id)
    require(can_edit_offer(current_user, offer))
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _offer_page(offer, attachment_form=form), 422
    try:
        save_upload(form.file.data, organisation=current_user.organisation,
                    source_type=UPLOAD_SOURCE, source_id=offer.id, by=current_user)
    except UploadRefused as refused:
        form.file.errors.append(refused.message)
        return _offer_page(offer, attachment_form=form), 422
    db.session.commit()
    flash(_("Filen är bifogad."), "success")
    return redirect(url_for("procurement.offer", offer_id=offer.id))


@bp.route("/erbjudanden/<int:offer_id>/bilagor/<int:upload_id>")
@roles_required(PROCUREMENT_READERS)
def attachment(offer_id: int, upload_id: int) -> Response:
    """An attached file, to everyone who may see the offer."""
    offer = _in_county(Offer, offer_id)
    upload = db.get_or_404(Upload, upload_id)
    if (upload.source_type, upload.source_id) != (UPLOAD_SOURCE, str(offer.id)):
        abort(404)
    return send_upload(upload)


@bp.route("/erbjudanden/<int:offer_id>/<any(granska, godta, avvisa):action>", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def review(offer_id: int, action: str) -> Response | tuple[str, int]:
    """Take an offer up for review, accept it or reject it (with a reason)."""
    offer = _in_county(Offer, offer_id)
    _require_lead(offer.county_code)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _offer_page(offer, review_form=form), 422
    check_version(offer, form.version.data)
    try:
        services.review_offer(offer, REVIEW_ACTIONS[action], by=current_user,
                              reason=form.reason.data or "")
    except ProcurementError as error:
        db.session.rollback()
        _refused(form, error)
        return _offer_page(db.session.get(Offer, offer_id), review_form=form), 422
    db.session.commit()
    flash(_("Erbjudandet har status: %(status)s.",
            status=template_labels()["offer_status"][offer.status]), "success")
    return redirect(url_for("procurement.offer", offer_id=offer.id))


@bp.route("/lan/<county_code>/jamforelse/<material_code>")
@roles_required(PROCUREMENT_READERS)
def compare(county_code: str, material_code: str) -> str:
    """The offers of one material side by side, sorted and filtered (htmx or full page)."""
    county = _county(county_code)
    material = db.session.scalar(sa.select(Material).where(Material.code == material_code))
    if material is None:
        abort(404)
    _expire_offers()
    choice = comparison.Choice.from_args(request.args.get("sortera"), request.args.get("visa"),
                                         request.args.get("verifierade") == "1")
    supply = services.latest_supply(county.code, [material])
    need = services.county_need(supply, material)
    offers = services.offers_of(county.code, material=material)
    rows = comparison.compare(offers, choice, need=need, factor=_price_factor(), today=today(),
                              pooled=services.pooled_offer_ids([o.id for o in offers]))
    return render_page_or_fragment(
        "procurement/comparison.html", "procurement/_comparison.html", county=county,
        material=material, materials=services.materials(), choice=choice, rows=rows,
        need=need, supply=supply, sorts=comparison.SORT_LABELS,
        shows=comparison.SHOW_LABELS)


# --- Pooled orders -------------------------------------------------------------------------------

@bp.route("/erbjudanden/<int:offer_id>/samordna", methods=["GET", "POST"])
@roles_required(PROCUREMENT_LEADS)
def new_order(offer_id: int) -> Response | tuple[str, int]:
    """Pool an accepted offer: invite the county to commit before a deadline."""
    offer = _in_county(Offer, offer_id)
    _require_lead(offer.county_code)
    form = OrderForm()
    if request.method == "GET":
        form.title.data = f"{offer.material.name_sv}, {offer.supplier.name}"
    if form.validate_on_submit() and (order := _committed(form, lambda: orders.create_order(
            offer, title=form.title.data, deadline=form.deadline.data, by=current_user,
            today=today()))) is not None:
        flash(_("Det samordnade inköpet är öppnat för åtaganden."), "success")
        return redirect(url_for("procurement.order", order_id=order.id))
    return render_template("procurement/order_form.html", offer=offer, form=form), (
        422 if form.errors else 200)


def _order_context(order: PooledOrder, **forms: object) -> dict[str, object]:
    """Everything the order page shows."""
    invited = orders.participants_of(order.county_code)
    own = current_user.organisation
    mine = next((c for c in order.commitments if c.organisation_id == own.id), None)
    return {
        "order": order, "rows": orders.order_rows(order, invited),
        "remaining_on_offer": orders.remaining_on_offer(order),
        "can_commit": can_commit_for(current_user, own, order.county_code)
        and order.status is OrderStatus.OPEN and today() <= order.deadline,
        "commitment_form": forms.get("commitment_form") or CommitmentForm(
            quantity=mine.quantity if mine else None),
        "cancel_form": forms.get("cancel_form") or CancelForm(version=order.version),
        "version_form": VersionForm(version=order.version),
        "is_lead": is_procurement_lead_of(current_user, order.county_code),
        "meeting_items": meeting.meeting_items(order),
        "today": today(),
    }


@bp.route("/bestallningar/<int:order_id>")
@roles_required(PROCUREMENT_READERS)
def order(order_id: int) -> str:
    """A pooled order: commitments, deliveries and what each organisation owes the lead."""
    return render_template("procurement/order.html", **_order_context(
        _in_county(PooledOrder, order_id)))


@bp.route("/bestallningar/<int:order_id>/atagande", methods=["POST"])
@roles_required(BUYERS)
def commit(order_id: int) -> Response | tuple[str, int]:
    """Save the user's organisation's commitment (htmx: answered in place)."""
    order = orders.locked_order(order_id) or abort(404)
    require(can_view_county(current_user, order.county_code))
    own = current_user.organisation
    require(can_commit_for(current_user, own, order.county_code))
    form = CommitmentForm()
    saved, status = False, 422
    if form.validate_on_submit():
        try:
            orders.commit(order, own, form.quantity.data, by=current_user, today=today())
        except ProcurementError as error:
            db.session.rollback()
            order = db.session.get(PooledOrder, order_id)
            form.quantity.errors = [error.message]
            status = 409 if error.field is None else 422
        else:
            db.session.commit()
            saved, status = True, 200
    if not wants_fragment():
        if saved:
            flash(_("Åtagandet är sparat."), "success")
            return redirect(url_for("procurement.order", order_id=order_id))
        return render_template("procurement/order.html", **_order_context(
            order, commitment_form=form)), status
    return render_template("procurement/_commitment_saved.html", saved=saved, form=form,
                           **_order_context(order, commitment_form=form)), status


def _order_action(order_id: int, action, message: str) -> Response | tuple[str, int]:  # noqa: ANN001
    """Run a lead's action on a locked order with the version the page showed."""
    order = orders.locked_order(order_id) or abort(404)
    require(can_view_county(current_user, order.county_code))
    _require_lead(order.county_code)
    form = VersionForm()
    try:
        action(order, form)
    except ProcurementError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("procurement.order", order_id=order_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("procurement.order", order_id=order_id))


@bp.route("/bestallningar/<int:order_id>/stang", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def close(order_id: int) -> Response | tuple[str, int]:
    """Close the round: no more commitments."""
    return _order_action(order_id, lambda order, form: orders.close_round(
        order, by=current_user, version=form.version.data),
        _("Rundan är stängd. Lägg beställningen hos leverantören."))


@bp.route("/bestallningar/<int:order_id>/avsluta", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def complete(order_id: int) -> Response | tuple[str, int]:
    """Nothing more is expected of the order."""
    return _order_action(order_id, lambda order, form: orders.complete_order(
        order, by=current_user, version=form.version.data), _("Beställningen är avslutad."))


@bp.route("/bestallningar/<int:order_id>/avbryt", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def cancel(order_id: int) -> Response | tuple[str, int]:
    """Cancel an order that was not placed, with the reason."""
    order = orders.locked_order(order_id) or abort(404)
    require(can_view_county(current_user, order.county_code))
    _require_lead(order.county_code)
    form = CancelForm()
    if not form.validate_on_submit():
        return render_template("procurement/order.html",
                               **_order_context(order, cancel_form=form)), 422
    orders.cancel_order(order, form.reason.data, by=current_user, version=form.version.data)
    db.session.commit()
    flash(_("Inköpet är avbrutet."), "success")
    return redirect(url_for("procurement.order", order_id=order.id))


@bp.route("/bestallningar/<int:order_id>/bestall", methods=["GET", "POST"])
@roles_required(PROCUREMENT_LEADS)
def place(order_id: int) -> Response | tuple[str, int]:
    """Record the order placed with the supplier, with the expected deliveries."""
    order = orders.locked_order(order_id) or abort(404)
    require(can_view_county(current_user, order.county_code))
    _require_lead(order.county_code)
    form = PlaceForm(version=order.version)
    if request.method == "GET":
        form.ordered_on.data, form.quantity_1.data = today(), order.committed
    if form.validate_on_submit():
        schedule = [orders.PlannedDelivery(when.data, quantity.data)
                    for when, quantity in form.schedule_fields() if when.data]
        try:
            orders.place_order(order, order_number=form.order_number.data,
                               ordered_on=form.ordered_on.data, schedule=schedule,
                               by=current_user, version=form.version.data)
        except ProcurementError as error:
            db.session.rollback()
            order = db.session.get(PooledOrder, order_id)
            _refused(form, error if error.field != "schedule" else ProcurementError(
                error.message, "quantity_1"))
        else:
            db.session.commit()
            flash(_("Beställningen är lagd. Leveranserna räknas nu som beställda i "
                    "länets lägesbild."), "success")
            return redirect(url_for("procurement.order", order_id=order.id))
    return render_template("procurement/place_form.html", order=order, form=form), (
        422 if form.errors else 200)


@bp.route("/bestallningar/<int:order_id>/export.<fmt>")
@roles_required(PROCUREMENT_READERS)
def export_order(order_id: int, fmt: str) -> Response:
    """Commitments, deliveries and debts of an order for finance (.xlsx or .csv)."""
    order = _in_county(PooledOrder, order_id)
    sheets = order_sheets(order, orders.order_rows(order, orders.participants_of(
        order.county_code)))
    return send_spreadsheet(sheets, fmt, download_name("samordnat-inkop", order.reference,
                                                       order.title))


# --- Deliveries ----------------------------------------------------------------------------------

@bp.route("/bestallningar/<int:order_id>/leveranser/ny", methods=["GET", "POST"])
@roles_required(PROCUREMENT_LEADS)
def new_delivery(order_id: int) -> Response | tuple[str, int]:
    """Register goods received; the split by need is proposed at once."""
    order = orders.locked_order(order_id) or abort(404)
    require(can_view_county(current_user, order.county_code))
    _require_lead(order.county_code)
    form = DeliveryForm()
    if request.method == "GET":
        form.received_on.data = today()
    if form.validate_on_submit():
        delivery = _committed(form, lambda: deliveries.register_delivery(
            order, received_on=form.received_on.data, quantity=form.quantity.data,
            by=current_user))
        if delivery is not None:
            return redirect(url_for("procurement.delivery", delivery_id=delivery.id))
        order = db.session.get(PooledOrder, order_id)
    return render_template("procurement/delivery_form.html", order=order, form=form), (
        422 if form.errors else 200)


def _delivery_context(delivery: Delivery) -> dict[str, object]:
    proposed = delivery.status is DeliveryStatus.PROPOSED
    own = current_user.organisation_id
    return {
        "delivery": delivery, "order": delivery.order,
        "rows": deliveries.split_rows(delivery) if proposed else [],
        "lines": deliveries.note_lines(delivery),
        "problem": deliveries.split_problem(delivery) if proposed else None,
        "forms": {share.organisation_id: ShareForm(prefix=f"share-{share.organisation_id}",
                                                    quantity=share.quantity)
                  for share in delivery.shares},
        "version_form": VersionForm(version=delivery.version),
        "is_lead": is_procurement_lead_of(current_user, delivery.order.county_code),
        "own_share": next((s for s in delivery.shares if s.organisation_id == own
                           and is_buyer_of(current_user, own)), None),
        "document": db.session.get(StoredDocument, delivery.document_id)
        if delivery.document_id else None,
    }


@bp.route("/leveranser/<int:delivery_id>")
@roles_required(PROCUREMENT_READERS)
def delivery(delivery_id: int) -> str:
    """A delivery: the proposed split with coverage before and after, or the booked one."""
    return render_template("procurement/delivery.html",
                           **_delivery_context(_in_county(Delivery, delivery_id)))


@bp.route("/leveranser/<int:delivery_id>/andel/<int:org_id>", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def adjust(delivery_id: int, org_id: int) -> tuple[str, int]:
    """Change one share of the proposed split (htmx); re-checked and answered in place."""
    delivery = deliveries.locked_delivery(delivery_id) or abort(404)
    require(can_view_county(current_user, delivery.order.county_code))
    _require_lead(delivery.order.county_code)
    if not any(share.organisation_id == org_id for share in delivery.shares):
        abort(404)
    form = ShareForm(prefix=f"share-{org_id}")
    saved, status = False, 422
    if form.validate():
        try:
            deliveries.adjust_share(delivery, org_id, form.quantity.data, by=current_user)
        except ProcurementError as error:
            db.session.rollback()
            delivery = db.session.get(Delivery, delivery_id)
            form.quantity.errors = [error.message]
            status = 409 if error.field is None else 422
        else:
            db.session.commit()
            saved, status = True, 200
    context = _delivery_context(delivery)
    context["forms"][org_id] = form
    row = next(r for r in context["rows"] if r.share.organisation_id == org_id) if (
        context["rows"]) else None
    return render_template("procurement/_share_saved.html", row=row, form=form, saved=saved,
                           org_id=org_id, **context), status


@bp.route("/leveranser/<int:delivery_id>/bekrafta", methods=["POST"])
@roles_required(PROCUREMENT_LEADS)
def confirm(delivery_id: int) -> Response:
    """Confirm the split: book it and issue the distribution note."""
    delivery = deliveries.locked_delivery(delivery_id) or abort(404)
    require(can_view_county(current_user, delivery.order.county_code))
    _require_lead(delivery.order.county_code)
    form = VersionForm()
    try:
        deliveries.confirm_delivery(delivery, by=current_user, version=form.version.data)
    except ProcurementError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Fördelningen är bekräftad och bokförd. Fördelningsbeskedet är utfärdat."),
              "success")
    return redirect(url_for("procurement.delivery", delivery_id=delivery_id))


@bp.route("/leveranser/<int:delivery_id>/fordelningsbesked.pdf")
@roles_required(PROCUREMENT_READERS)
def note(delivery_id: int) -> Response:
    """The distribution note as issued (the stored PDF, byte for byte)."""
    delivery = _in_county(Delivery, delivery_id)
    if delivery.document_id is None:
        abort(404)
    return send_document(db.session.get(StoredDocument, delivery.document_id))


@bp.route("/leveranser/<int:delivery_id>/mottagen", methods=["POST"])
@roles_required(BUYERS)
def receive(delivery_id: int) -> Response:
    """The user's organisation confirms that it received its share."""
    delivery = _in_county(Delivery, delivery_id)
    share = db.session.scalar(sa.select(DeliveryShare).where(
        DeliveryShare.delivery_id == delivery.id,
        DeliveryShare.organisation_id == current_user.organisation_id)) or abort(404)
    require(is_buyer_of(current_user, share.organisation_id))
    try:
        deliveries.confirm_receipt(share, by=current_user)
    except ProcurementError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Ni har kvitterat att andelen är mottagen."), "success")
    return redirect(url_for("procurement.delivery", delivery_id=delivery_id))

