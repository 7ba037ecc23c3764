"""Carrying out a decision, compensation from the books, and the national request."""
from __future__ import annotations

import io
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.roles import Role
from app.core.models import OrgKind
from app.extensions import db
from app.ledger.models import LedgerEntry
from app.ledger.services import debts
from app.redistribution.compensation import county_accounts
from app.redistribution.models import (
    AllocationState,
    CompensationInvoice,
    DecidedTransfer,
    NationalAllocation,
    NationalRequest,
    RequestState,
    TransferState,
)
from tests.helpers import page_csrf
from tests.redistribution.conftest import BOARD
from tests.redistribution.test_meeting import decided


def _as(logged_in, org_id: int, role: Role = Role.MUNICIPAL_REPORTER):  # noqa: ANN001, ANN202
    from app.core.models import Organisation

    org = db.session.get(Organisation, org_id)
    return logged_in(org.name, role)


def _post(client, url: str, **data: object):  # noqa: ANN001, ANN202
    token = page_csrf(client, "/omfordelning/overforingar")
    return client.post(url, data={"csrf_token": token, **{k: str(v) for k, v in data.items()}})


def _carry_out(client, logged_in, transfer: DecidedTransfer, received: int | None = None):  # noqa: ANN001, ANN202
    _as(logged_in, transfer.giver_id)
    assert _post(client, f"/omfordelning/overforing/{transfer.id}/skickad",
                 quantity=transfer.quantity).status_code == 302
    _as(logged_in, transfer.receiver_id)
    assert _post(client, f"/omfordelning/overforing/{transfer.id}/mottagen",
                 quantity=transfer.quantity if received is None else received
                 ).status_code == 302
    db.session.refresh(transfer)


def test_each_side_marks_its_part_and_receipt_is_booked(client, reported, logged_in) -> None:
    decision = decided(client)
    transfer = decision.transfers[0]
    _as(logged_in, transfer.receiver_id)
    refused = _post(client, f"/omfordelning/overforing/{transfer.id}/skickad", quantity=1)
    assert refused.status_code == 403  # the receiver cannot mark the giver's part
    _carry_out(client, logged_in, transfer)
    assert transfer.state is TransferState.RECEIVED
    (entry,) = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.source_type == "decision", LedgerEntry.source_id == decision.id)).all()
    assert (entry.from_organisation_id, entry.to_organisation_id, entry.quantity) == (
        transfer.giver_id, transfer.receiver_id, transfer.quantity)
    assert entry.unit_price == transfer.unit_price and entry.source_reference == decision.number


def test_a_difference_stays_until_the_coordinator_resolves_it(client, reported,
                                                              logged_in) -> None:
    decision = decided(client)
    transfer = decision.transfers[0]
    short = transfer.quantity - 10
    _carry_out(client, logged_in, transfer, received=short)
    assert transfer.state is TransferState.DIFFERENCE
    logged_in(BOARD[0], Role.COUNTY_COORDINATOR, kind=BOARD[1])
    page = client.get(f"/omfordelning/beslut/{decision.id}").get_data(as_text=True)
    assert "Skillnad: skickat" in page
    url = f"/omfordelning/beslut/{decision.id}/overforing/{transfer.id}/los"
    response = client.post(url, data={"csrf_token": page_csrf(client, f"/omfordelning/beslut/"
                                                                        f"{decision.id}"),
                                      "settled_quantity": transfer.quantity,
                                      "note": "Resten låg kvar på lastkajen och kom dagen efter"})
    assert response.status_code == 302
    db.session.refresh(transfer)
    assert transfer.state is TransferState.RESOLVED
    entries = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.source_id == decision.id, LedgerEntry.source_type == "decision")).all()
    assert [e.quantity for e in entries] == [short, -short, transfer.quantity]  # reversed, rebooked


def test_compensation_is_the_books_and_follows_invoice_and_payment(client, reported,
                                                                   logged_in) -> None:
    decision = decided(client)
    transfer = decision.transfers[0]
    _carry_out(client, logged_in, transfer)
    (account,) = [a for a in county_accounts("22") if a.creditor.id == transfer.giver_id
                  and a.debtor.id == transfer.receiver_id]
    (debt,) = [d for d in debts([transfer.receiver_id], source_types=("decision",))
               if d.creditor_id == transfer.giver_id]
    assert account.owed == debt.received_value == (transfer.quantity * transfer.unit_price
                                                   ).quantize(Decimal("0.01"))
    _as(logged_in, transfer.giver_id)
    too_much = _post(client, f"/omfordelning/kommun/{transfer.giver_id}/faktura",
                     debtor_id=transfer.receiver_id, reference="F-1", amount="99999999",
                     invoiced_on="2026-12-01")
    assert too_much.status_code == 422
    invoiced = _post(client, f"/omfordelning/kommun/{transfer.giver_id}/faktura",
                     debtor_id=transfer.receiver_id, reference="F-2026-17",
                     amount=str(account.owed).replace(".", ","), invoiced_on="2026-12-01")
    assert invoiced.status_code == 302
    invoice = db.session.scalars(sa.select(CompensationInvoice)).one()
    _as(logged_in, transfer.receiver_id)
    assert _post(client, f"/omfordelning/faktura/{invoice.id}/betald",
                 paid_on="2026-12-02").status_code == 302
    (account,) = [a for a in county_accounts("22") if a.creditor.id == transfer.giver_id]
    assert (account.invoiced, account.paid, account.outstanding) == (account.owed, account.owed,
                                                                     0)
    assert account.status == "paid"
    sheet = client.get(f"/omfordelning/kommun/{transfer.receiver_id}/ersattning.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.data)).worksheets[0].iter_rows(values_only=True))
    assert Decimal(str(rows[1][2])).quantize(Decimal("0.01")) == account.owed
    csv_text = client.get(f"/omfordelning/kommun/{transfer.receiver_id}/ersattning.csv"
                          ).data.decode("utf-8-sig")
    assert "betalt" in csv_text
    statement = client.get(f"/omfordelning/kommun/{transfer.receiver_id}/ersattning.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(statement.data)).pages)
    owed = f"{account.owed:,.2f}".replace(",", " ").replace(".", ",")
    assert "Betalning" in text and "F-2026-17" in text and owed in text.replace("\u00a0", " ")


def test_a_remaining_shortage_becomes_a_national_request_and_an_allocation_is_booked(
        client, reported, logged_in) -> None:
    decision = decided(client)
    url = f"/omfordelning/omgang/{decision.round_id}/nationell"
    assert _post(client, url).status_code == 302
    request_ = db.session.scalars(sa.select(NationalRequest)).one()
    assert request_.lines and all(line.unmet_need > 0 for line in request_.lines)
    page_url = f"/omfordelning/begaran/{request_.id}"
    assert _post(client, f"{page_url}/skickad", sent_on="2026-12-01").status_code == 302
    db.session.refresh(request_)
    assert request_.state is RequestState.DRAFT  # not without a justification
    _post(client, f"{page_url}/motivering",
          justification="Länet saknar munskydd efter omfördelningen; leveranser är försenade.")
    _post(client, f"{page_url}/skickad", sent_on="2026-12-01")
    db.session.refresh(request_)
    assert request_.state is RequestState.SENT
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(f"{page_url}.pdf").data)).pages)
    assert "Socialstyrelsen" in text and "Kramfors" in text
    assert "Kramfors" in client.get(f"{page_url}.csv").data.decode("utf-8-sig")
    line = request_.lines[0]
    quantity = line.material.pack_size * 10
    response = _post(client, f"{page_url}/tilldelning", material_id=line.material_id,
                     quantity=quantity, received_on="2026-12-03")
    assert response.status_code == 302
    allocation = db.session.scalars(sa.select(NationalAllocation)).one()
    assert sum(share.quantity for share in allocation.shares) == quantity
    assert all(share.quantity % line.material.pack_size == 0 for share in allocation.shares)
    first = max(allocation.shares, key=lambda share: share.quantity)
    bad = client.post(f"/omfordelning/tilldelning/{allocation.id}/andel", data={
        "organisation_id": first.organisation_id, "quantity": first.quantity + 1},
        headers={"HX-Request": "true", "X-CSRFToken": page_csrf(client, page_url)})
    assert bad.status_code == 422 and "hela förpackningar" in bad.get_data(as_text=True)
    assert _post(client, f"/omfordelning/tilldelning/{allocation.id}/bekrafta").status_code == 302
    db.session.refresh(allocation)
    assert allocation.state is AllocationState.CONFIRMED
    booked = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.source_type == "national_allocation")).all()
    assert sum(e.quantity for e in booked) == quantity
    assert {e.external_party for e in booked} == {"Socialstyrelsen"}


def test_other_counties_see_nothing(client, reported, logged_in) -> None:
    decision = decided(client)
    logged_in("Länsstyrelsen i Örebro län", Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    for url in (f"/omfordelning/omgang/{decision.round_id}", f"/omfordelning/beslut/{decision.id}",
                f"/omfordelning/beslut/{decision.id}.pdf", "/omfordelning/lan/22/ersattning",
                "/omfordelning/lan/22/"):
        assert client.get(url).status_code == 403, url
