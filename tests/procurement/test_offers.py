"""Suppliers and offers: registering through the forms, refusals with Swedish messages,
who may change what, the review workflow and the automatic expiry."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.procurement import services
from app.procurement.models import Offer, OfferStatus, Supplier, SupplierStatus
from app.reports.periods import today
from tests.helpers import page_csrf
from tests.procurement.conftest import accept, login_as, make_offer, make_supplier, material

NEW_SUPPLIER = "/inkop/lan/22/leverantorer/ny"
NEW_OFFER = "/inkop/lan/22/erbjudanden/nytt"


def _supplier_form(client, **changes: object) -> dict[str, object]:  # noqa: ANN001
    return {"csrf_token": page_csrf(client, NEW_SUPPLIER), "name": "Norrlandsmedicin AB",
            "org_number": "5566778899", "vat_number": "", "contact_name": "Eva Lund",
            "contact_email": "eva@example.se", "contact_phone": "060-19 10 00",
            "materials": [str(material().id)], "notes": ""} | changes


def test_a_buyer_registers_a_supplier_and_a_duplicate_is_refused(client, people) -> None:
    login_as(client, people["timra"])
    response = client.post(NEW_SUPPLIER, data=_supplier_form(client))
    assert response.status_code == 302
    supplier = db.session.scalars(sa.select(Supplier)).one()
    assert (supplier.org_number, supplier.status, supplier.county_code) == (
        "556677-8899", SupplierStatus.NEW, "22")
    assert [m.code for m in supplier.materials] == ["MUNSKYDD_IIR"]

    again = client.post(NEW_SUPPLIER, data=_supplier_form(client, name="Samma AB",
                                                          org_number="556677-8899"))
    assert again.status_code == 422
    assert "Norrlandsmedicin AB är redan registrerad med det numret." in again.get_data(
        as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Supplier)) == 1


def test_supplier_identity_is_checked_next_to_the_field(client, people) -> None:
    login_as(client, people["timra"])
    cases = [
        ({"org_number": "5566778898"}, "Kontrollsiffran stämmer inte"),
        ({"org_number": "55667788"}, "tio siffror"),
        ({"org_number": "", "vat_number": "DE136695977"}, "inte giltigt"),
        ({"org_number": "", "vat_number": ""}, "eller momsregistreringsnumret"),
        ({"vat_number": "DE136695976"}, "Ange bara det ena"),
        ({"materials": []}, "Välj minst ett material."),
        ({"contact_phone": "ring mig"}, "telefonnummer"),
    ]
    for changes, message in cases:
        response = client.post(NEW_SUPPLIER, data=_supplier_form(client, **changes))
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html, changes
        assert "Formuläret har fel. Inget har sparats." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Supplier)) == 0
    foreign = client.post(NEW_SUPPLIER, data=_supplier_form(
        client, org_number="", vat_number="de 136 695 976", name="Medisafe GmbH"))
    assert foreign.status_code == 302
    assert db.session.scalar(sa.select(Supplier.vat_number)) == "DE136695976"


def _offer_form(client, supplier: Supplier, **changes: object) -> dict[str, object]:  # noqa: ANN001
    return {"csrf_token": page_csrf(client, NEW_OFFER), "supplier_id": supplier.id,
            "material_id": material().id, "quantity": "20 000", "unit_price": "0,45",
            "minimum_order": "1000", "lead_time_days": "7", "delivery_date": "",
            "valid_until": (today() + timedelta(days=10)).isoformat(), "ce_marked": "y",
            "standard": "en14683_iir", "notified_body": "", "notes": ""} | changes


def test_a_buyer_registers_an_offer(client, people) -> None:
    supplier = make_supplier(people["timra"])
    login_as(client, people["kramfors"])
    response = client.post(NEW_OFFER, data=_offer_form(client, supplier))
    assert response.status_code == 302, response.get_data(as_text=True)
    offer = db.session.scalars(sa.select(Offer)).one()
    assert (offer.quantity, str(offer.unit_price), offer.status, offer.organisation.name) == (
        20_000, "0.45", OfferStatus.NEW, "Kramfors")
    assert offer.certified
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type == "offer")) == "offer.create"


def test_bad_offers_are_refused_with_a_message_next_to_the_field(client, people) -> None:
    supplier = make_supplier(people["timra"])
    login_as(client, people["timra"])
    cases = [
        ({"quantity": "-5"}, "Ange ett tal mellan 1 och 10 000 000."),
        ({"quantity": "1,5"}, "Ange ett heltal"),
        ({"quantity": "99999999999"}, "Ange ett tal mellan 1 och 10 000 000."),
        ({"unit_price": "-1"}, "Ange ett pris mellan 0,01 och 100 000 kr."),
        ({"unit_price": "gratis"}, "Ange priset i kronor, t.ex. 1,25."),
        ({"unit_price": "1,005"}, "högst två decimaler"),
        ({"minimum_order": "50000"}, "Minsta order kan inte vara större än antalet."),
        ({"lead_time_days": ""}, "Ange leveranstid i dagar eller ett leveransdatum."),
        ({"valid_until": "2026-02-31"}, "Ange datum som ÅÅÅÅ-MM-DD."),
        ({"valid_until": (today() - timedelta(days=1)).isoformat()}, "redan passerat"),
        ({"valid_until": "9999-12-31"}, "Ange ett datum inom två år."),
        ({"lead_time_days": "", "delivery_date": "2020-01-01"},
         "Leveransdatumet har redan passerat."),
        ({"standard": ""}, "Ange vilken standard CE-märkningen gäller."),
        ({"standard": "en149_ffp2"}, "anmält organ"),
        ({"notified_body": "12"}, "fyra siffror"),
        ({"supplier_id": "999999"}, "Välj en leverantör i länets register."),
    ]
    for changes, message in cases:
        response = client.post(NEW_OFFER, data=_offer_form(client, supplier, **changes))
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Offer)) == 0


def test_buyers_see_every_offer_of_the_county_and_edit_only_their_own(client, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    login_as(client, people["kramfors"])
    assert client.get(f"/inkop/erbjudanden/{offer.id}").status_code == 200
    assert client.get(f"/inkop/erbjudanden/{offer.id}/andra").status_code == 403
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login_as(client, people["orebro"])
    assert client.get(f"/inkop/erbjudanden/{offer.id}").status_code == 403
    assert client.get("/inkop/lan/22/jamforelse/MUNSKYDD_IIR").status_code == 403


def test_the_review_workflow(client, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    login_as(client, people["lead"])
    url = f"/inkop/erbjudanden/{offer.id}"
    token = page_csrf(client, url)
    rejected = client.post(f"{url}/avvisa", data={"csrf_token": token, "reason": "",
                                                  "version": offer.version})
    assert rejected.status_code == 422
    assert "Skriv varför erbjudandet avvisas." in rejected.get_data(as_text=True)
    assert client.post(f"{url}/godta", data={"csrf_token": token, "version": offer.version}
                       ).status_code == 409  # new → accepted is not a declared move
    assert client.post(f"{url}/granska", data={"csrf_token": token, "version": offer.version}
                       ).status_code == 302
    db.session.refresh(offer)
    stale = client.post(f"{url}/godta", data={"csrf_token": token, "version": offer.version - 1})
    assert stale.status_code == 409
    assert client.post(f"{url}/godta", data={"csrf_token": token, "version": offer.version}
                       ).status_code == 302
    db.session.refresh(offer)
    assert offer.status is OfferStatus.ACCEPTED
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_type == "offer").order_by(AuditEntry.id)).all()
    assert actions == ["offer.create", "offer.under_review", "offer.accepted"]
    # An offer under review or decided never changes, not even by its own buyers.
    with_changes = services.ProcurementError
    try:
        services.save_offer(offer, {}, county_code="22", by=people["timra"], today=today())
    except with_changes as error:
        assert "kan inte ändras" in str(error.message)
    else:
        raise AssertionError("an accepted offer was changed")


def test_buyers_cannot_review_and_a_blocked_supplier_cannot_be_accepted(client, people) -> None:
    supplier = make_supplier(people["timra"])
    offer = make_offer(people["timra"], supplier)
    login_as(client, people["timra"])
    token = page_csrf(client, "/")
    assert client.post(f"/inkop/erbjudanden/{offer.id}/granska",
                       data={"csrf_token": token, "version": offer.version}).status_code == 403
    services.review_offer(offer, OfferStatus.UNDER_REVIEW, by=people["lead"])
    services.set_supplier_status(supplier, SupplierStatus.BLOCKED, "Falska intyg.",
                                 by=people["lead"])
    db.session.commit()
    try:
        services.review_offer(offer, OfferStatus.ACCEPTED, by=people["lead"])
    except services.ProcurementError as error:
        assert "spärrad" in str(error.message)
    assert offer.status is OfferStatus.UNDER_REVIEW
    assert (supplier.status_reason, supplier.status_set_by_id) == ("Falska intyg.",
                                                                   people["lead"].id)


def test_a_lead_verifies_a_supplier_with_a_reason(client, people) -> None:
    supplier = make_supplier(people["timra"])
    login_as(client, people["lead"])
    url = f"/inkop/leverantorer/{supplier.id}"
    token = page_csrf(client, url)
    missing = client.post(f"{url}/status", data={"csrf_token": token, "status": "verified",
                                                 "reason": "", "version": supplier.version})
    assert missing.status_code == 422 and "Skriv skälet" in missing.get_data(as_text=True)
    done = client.post(f"{url}/status", data={"csrf_token": token, "status": "verified",
                                              "reason": "Kontrollerad hos Bolagsverket.",
                                              "version": supplier.version})
    assert done.status_code == 302
    db.session.refresh(supplier)
    assert supplier.status is SupplierStatus.VERIFIED
    assert "Kontrollerad hos Bolagsverket." in client.get(url).get_data(as_text=True)


def test_offers_expire_after_their_validity_date_deterministically(client, people) -> None:
    supplier = make_supplier(people["timra"])
    lasting = make_offer(people["timra"], supplier, valid_until=today() + timedelta(days=3))
    ending = make_offer(people["timra"], supplier, valid_until=today())
    pooled = accept(make_offer(people["timra"], supplier, valid_until=today()), people["lead"])
    from tests.procurement.conftest import make_order

    make_order(people["lead"], pooled)
    assert services.expire_offers(today()) == 0  # valid through today
    tomorrow = today() + timedelta(days=1)
    assert services.expire_offers(tomorrow) == 1
    assert services.expire_offers(tomorrow) == 0  # the same day again changes nothing
    assert ending.status is OfferStatus.EXPIRED and lasting.status is OfferStatus.NEW
    assert pooled.status is OfferStatus.ACCEPTED  # an offer in a pooled order stays


def test_opening_an_offer_page_expires_what_is_due(client, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    offer.valid_until = today() - timedelta(days=1)  # as if days had passed
    db.session.commit()
    login_as(client, people["kramfors"])
    html = client.get(f"/inkop/erbjudanden/{offer.id}").get_data(as_text=True)
    db.session.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED and "Utgånget" in html
    assert db.session.scalar(sa.select(AuditEntry.after).where(
        AuditEntry.action == "offer.expired"))["reason"].startswith("valid until")


def test_the_expire_offers_command(runner, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    offer.valid_until = today() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["expire-offers"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED
