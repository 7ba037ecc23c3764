"""Carrying out decisions and the compensation that follows: the municipalities' own pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import can_act_for, can_view_org_detail, require, roles_required
from app.auth.roles import MUNICIPAL_STAFF, REDISTRIBUTION_READERS
from app.core.formatting import current_language
from app.core.models import Organisation
from app.documents.downloads import download_name, send_pdf, send_spreadsheet
from app.documents.pdf import render_pdf
from app.extensions import db
from app.redistribution import compensation, execution
from app.redistribution.forms import CancelForm, InvoiceForm, PaidForm, ReceivedForm, SentForm
from app.redistribution.models import CompensationInvoice, DecidedTransfer, TransferState
from app.redistribution.views.common import county_or_404
from app.reports.periods import today
from app.reports.services import municipality_or_404

bp = Blueprint("execution", __name__, url_prefix="/omfordelning")


@bp.route("/overforingar")
@roles_required(REDISTRIBUTION_READERS)
def transfers() -> str:
    """The user's municipality's decided transfers: what to send and what to receive."""
    org = current_user.organisation
    found = execution.transfers_of_organisation(org.id)
    return render_template(
        "redistribution/transfers.html", org=org,
        to_send=[t for t in found if t.giver_id == org.id],
        to_receive=[t for t in found if t.receiver_id == org.id],
        can_act=can_act_for(current_user, org), sent_form=SentForm(),
        received_form=ReceivedForm(), TransferState=TransferState,
        language=current_language())


def _transfer_for(transfer_id: int, side: str) -> DecidedTransfer:
    transfer = db.get_or_404(DecidedTransfer, transfer_id)
    require(can_act_for(current_user, transfer.giver if side == "giver" else transfer.receiver))
    return transfer


@bp.route("/overforing/<int:transfer_id>/skickad", methods=["POST"])
@roles_required(MUNICIPAL_STAFF)
def mark_sent(transfer_id: int) -> Response:
    """The giving municipality has sent the transfer."""
    transfer = _transfer_for(transfer_id, "giver")
    form = SentForm()
    if not form.validate():
        flash(_("Ange hur många som skickades, som ett heltal."), "error")
    elif transfer.state is not TransferState.AGREED:
        flash(_("Överföringen är redan markerad som skickad."), "info")
    else:
        execution.mark_sent(transfer, form.quantity.data, by=current_user)
        db.session.commit()
        flash(_("%(material)s till %(receiver)s är markerad som skickad.",
                material=transfer.material.name_for(current_language()),
                receiver=transfer.receiver.name), "success")
    return redirect(url_for("execution.transfers"))


@bp.route("/overforing/<int:transfer_id>/mottagen", methods=["POST"])
@roles_required(MUNICIPAL_STAFF)
def mark_received(transfer_id: int) -> Response:
    """The receiving municipality has received it (booked in the ledger)."""
    transfer = _transfer_for(transfer_id, "receiver")
    form = ReceivedForm()
    if not form.validate():
        flash(_("Ange hur många som togs emot, som ett heltal."), "error")
    elif transfer.state is not TransferState.SENT:
        flash(_("Överföringen kan inte tas emot nu (den är inte skickad, eller redan mottagen)."),
              "info")
    else:
        execution.mark_received(transfer, form.quantity.data, by=current_user)
        db.session.commit()
        flash(_("Mottagningen är bokförd."), "success")
    return redirect(url_for("execution.transfers"))


# --- Compensation ------------------------------------------------------------------------

@bp.route("/lan/<county_code>/ersattning")
@roles_required(REDISTRIBUTION_READERS)
def county_compensation(county_code: str) -> str:
    """What every receiver owes every giver in the county: owed, invoiced, paid."""
    county = county_or_404(county_code)
    return render_template("redistribution/compensation.html", county=county, org=None,
                           accounts=compensation.county_accounts(county.code), invoices=None)


@bp.route("/lan/<county_code>/ersattning.<fmt>")
@roles_required(REDISTRIBUTION_READERS)
def county_compensation_export(county_code: str, fmt: str) -> Response:
    """The county's compensation for the finance departments (.xlsx or .csv)."""
    county = county_or_404(county_code)
    accounts = compensation.county_accounts(county.code)
    ids = {a.debtor.id for a in accounts} | {a.creditor.id for a in accounts}
    return send_spreadsheet(compensation.finance_sheets(accounts, compensation.entries_of(ids)),
                            fmt, download_name("ersattning", county.name, today().isoformat()))


def _own_or_visible(org_id: int) -> Organisation:
    org = municipality_or_404(org_id)
    require(can_view_org_detail(current_user, org))
    return org


def _invoice_form(org: Organisation, accounts: list) -> InvoiceForm:  # noqa: ANN001
    form = InvoiceForm(invoiced_on=today())
    form.debtor_id.choices = [(a.debtor.id, a.debtor.name) for a in accounts
                              if a.creditor.id == org.id and a.to_invoice > 0]
    return form


@bp.route("/kommun/<int:org_id>/ersattning")
@roles_required(REDISTRIBUTION_READERS)
def municipality_compensation(org_id: int) -> str:
    """A municipality's accounts with the others, its invoices, and what to do next."""
    org = _own_or_visible(org_id)
    accounts = compensation.accounts([org.id])
    return render_template(
        "redistribution/compensation.html", county=org.county, org=org, accounts=accounts,
        invoices=compensation.invoices_between([org.id]), can_act=can_act_for(current_user, org),
        invoice_form=_invoice_form(org, accounts), paid_form=PaidForm(paid_on=today()),
        cancel_form=CancelForm())


@bp.route("/kommun/<int:org_id>/ersattning.<fmt>")
@roles_required(REDISTRIBUTION_READERS)
def municipality_export(org_id: int, fmt: str) -> Response:
    """The municipality's statement: as .xlsx, .csv, or a PDF to sign and file."""
    org = _own_or_visible(org_id)
    accounts = compensation.accounts([org.id])
    entries = compensation.entries_of([org.id])
    name = download_name("ersattning", org.name, today().isoformat())
    if fmt != "pdf":
        return send_spreadsheet(compensation.finance_sheets(accounts, entries), fmt, name)
    pdf = render_pdf("redistribution/pdf/statement.html",
                     title=_("Ersättning för omfördelad utrustning"), number=org.name,
                     org=org, accounts=accounts, entries=entries, on=today())
    return send_pdf(pdf, name)


@bp.route("/kommun/<int:org_id>/faktura", methods=["POST"])
@roles_required(MUNICIPAL_STAFF)
def register_invoice(org_id: int) -> Response | tuple[str, int]:
    """The giving municipality invoices a receiver for goods handed over."""
    org = municipality_or_404(org_id)
    require(can_act_for(current_user, org))
    accounts = compensation.accounts([org.id])
    form = _invoice_form(org, accounts)
    if form.validate_on_submit():
        try:
            compensation.register_invoice(
                creditor=org, debtor=db.session.get(Organisation, form.debtor_id.data),
                reference=form.reference.data, amount=form.amount.data,
                invoiced_on=form.invoiced_on.data, by=current_user)
        except compensation.CompensationError as error:
            form.amount.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Fakturan är registrerad."), "success")
            return redirect(url_for("execution.municipality_compensation", org_id=org.id))
    return render_template(
        "redistribution/compensation.html", county=org.county, org=org, accounts=accounts,
        invoices=compensation.invoices_between([org.id]), can_act=True, invoice_form=form,
        paid_form=PaidForm(paid_on=today()), cancel_form=CancelForm()), 422


def _invoice_for(invoice_id: int, side: str) -> CompensationInvoice:
    invoice = db.get_or_404(CompensationInvoice, invoice_id)
    require(can_act_for(current_user, invoice.debtor if side == "debtor" else invoice.creditor))
    return invoice


@bp.route("/faktura/<int:invoice_id>/betald", methods=["POST"])
@roles_required(MUNICIPAL_STAFF)
def mark_paid(invoice_id: int) -> Response:
    """The receiving municipality has paid the invoice (booked as a payment)."""
    invoice = _invoice_for(invoice_id, "debtor")
    form = PaidForm()
    if form.validate() and invoice.state.value == "invoiced":
        compensation.mark_paid(invoice, form.paid_on.data, by=current_user)
        db.session.commit()
        flash(_("Betalningen är bokförd."), "success")
    else:
        flash(_("Betalningen kunde inte registreras: ange ett datum, och fakturan får inte "
                "redan vara betald eller makulerad."), "error")
    return redirect(url_for("execution.municipality_compensation", org_id=invoice.debtor_id))


@bp.route("/faktura/<int:invoice_id>/makulera", methods=["POST"])
@roles_required(MUNICIPAL_STAFF)
def cancel_invoice(invoice_id: int) -> Response:
    """The giving municipality withdraws an unpaid invoice, with a reason."""
    invoice = _invoice_for(invoice_id, "creditor")
    form = CancelForm()
    if form.validate() and invoice.state.value == "invoiced":
        compensation.cancel_invoice(invoice, form.reason.data, by=current_user)
        db.session.commit()
        flash(_("Fakturan är makulerad."), "success")
    else:
        flash(_("Fakturan kunde inte makuleras: ange ett skäl."), "error")
    return redirect(url_for("execution.municipality_compensation",
                            org_id=invoice.creditor_id))
