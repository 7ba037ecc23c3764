"""Every edit form, opened and saved unchanged, changes nothing.

The form is submitted as a browser would submit it (selected options, checked boxes, the
first option of a select where nothing is selected), so a form that fails to show a stored
value is caught. Every route that both shows and accepts a form must be listed below,
either as an edit form with a factory or as a form that creates or confirms something, so
a new edit form cannot be forgotten.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.auth.roles import Role
from app.core import audit
from app.core.models import CareUnit, CareUnitType, Organisation, OrgKind, Ownership
from app.extensions import db
from app.redistribution.principles import history
from app.reports import services
from app.reports.periods import Frequency
from tests.helpers import browser_form, organisation

BOARD = "Länsstyrelsen Västernorrland"


def _care_unit(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    logged_in("Timrå", Role.MUNICIPAL_REPORTER)
    org = organisation("Timrå")
    unit = CareUnit(organisation=org, name="Solgården", unit_type=CareUnitType.HOME_CARE,
                    ownership=Ownership.PRIVATE, provider_name="Attendo AB", active=False)
    db.session.add(unit)
    db.session.commit()
    return f"/lagesbild/kommun/{org.id}/verksamheter/{unit.id}", unit


def _organisation(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    org = organisation("Region Västernorrland", OrgKind.REGION)
    org.org_number, org.population = "232100-0180", 245_000
    db.session.commit()
    return f"/admin/organisationer/{org.id}", org


def _user(logged_in, make_user) -> tuple[str, Any]:  # noqa: ANN001
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    user = make_user("Kramfors", Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER)
    user.email, user.active = "kim@kramfors.se", False
    db.session.commit()
    return f"/admin/anvandare/{user.id}", user


def _county_settings(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    logged_in(BOARD, Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    settings = services.county_settings("22")
    services.update_settings(settings, {
        "frequency": Frequency.DAILY, "horizon_days": 21, "red_below_days": 5,
        "yellow_below_days": 9, "scenario_multiplier": 1.25})
    db.session.commit()
    return "/lagesbild/lan/22/installningar", settings


def _principles(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    from datetime import date

    from app.redistribution.models import PriceRule, Principle, PrinciplesVersion

    logged_in(BOARD, Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    version = PrinciplesVersion(county_code="22", number=2, horizon_days=21, safety_days=5,
                                min_transfer_packs=2, principle=Principle.PER_CAPITA,
                                price_rule=PriceRule.CUSTOM, include_private=False,
                                solver_budget_s=30, decided_at_meeting_on=date(2026, 11, 30))
    db.session.add(version)
    db.session.commit()
    return "/omfordelning/lan/22/principer", version


def _meeting(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    from datetime import date

    from app.redistribution.decisions import create_meeting

    user = logged_in(BOARD, Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    meeting = create_meeting("22", date(2026, 12, 1), [("Åsa Öberg", organisation("Timrå").id),
                                                       ("Kim", None)], by=user)
    meeting.notes = "Anteckning"
    db.session.commit()
    return f"/omfordelning/mote/{meeting.id}/protokoll", meeting


def _new_supplier(buyer: User):  # noqa: ANN202
    from app.procurement import services as procurement

    supplier = procurement.save_supplier(
        None, {"name": "Norrlandsmedicin AB", "org_number": "556677-8899",
               "contact_email": "order@example.se", "notes": "Ring före tolv."},
        county_code="22", by=buyer, chosen_materials=procurement.materials()[:2])
    db.session.commit()
    return supplier


def _supplier(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    supplier = _new_supplier(logged_in("Timrå", Role.MUNICIPAL_BUYER))
    return f"/inkop/leverantorer/{supplier.id}/andra", supplier


def _offer(logged_in) -> tuple[str, Any]:  # noqa: ANN001
    from datetime import timedelta
    from decimal import Decimal

    from app.procurement import services as procurement
    from app.procurement.models import Standard
    from app.reports.periods import today

    user = logged_in("Timrå", Role.MUNICIPAL_BUYER)
    supplier = _new_supplier(user)
    offer = procurement.save_offer(None, {
        "supplier_id": supplier.id, "material_id": procurement.materials()[1].id,
        "quantity": 5_000, "unit_price": Decimal("3.35"), "minimum_order": 100,
        "lead_time_days": None, "delivery_date": today() + timedelta(days=9),
        "valid_until": today() + timedelta(days=20), "ce_marked": True,
        "standard": Standard.EN149_FFP2, "notified_body": "0598",
        "market_surveillance": False, "notes": "Leverans till centrallagret."},
        county_code="22", by=user, today=today())
    db.session.commit()
    return f"/inkop/erbjudanden/{offer.id}/andra", offer


#: endpoint → factory(logged_in, make_user) returning (url, the row the form edits)
EDIT_FORMS: dict[str, Callable[..., tuple[str, Any]]] = {
    "care_units.edit": lambda logged_in, make_user: _care_unit(logged_in),
    "admin.edit_organisation": lambda logged_in, make_user: _organisation(logged_in),
    "admin.edit_user": _user,
    "reports.county_settings": lambda logged_in, make_user: _county_settings(logged_in),
    "redistribution.principles_page": lambda logged_in, make_user: _principles(logged_in),
    "meetings.edit_meeting": lambda logged_in, make_user: _meeting(logged_in),
    "procurement.edit_supplier": lambda logged_in, make_user: _supplier(logged_in),
    "procurement.edit_offer": lambda logged_in, make_user: _offer(logged_in),
}
#: Routes that show and accept a form but do not edit an existing row.
OTHER_FORMS = {
    "auth.login", "admin.new_user", "admin.new_organisation", "care_units.index",
    "reports.upload", "reports.preview_import", "reports.submit", "reports.breakdown",
    "redistribution.new_round", "meetings.meetings",
    "procurement.new_supplier", "procurement.new_offer", "procurement.new_order",
    "procurement.place", "procurement.new_delivery",
}


def test_every_form_route_is_classified(app: Flask) -> None:
    with_forms = {rule.endpoint for rule in app.url_map.iter_rules()
                  if {"GET", "POST"} <= (rule.methods or set())}
    assert with_forms == set(EDIT_FORMS) | OTHER_FORMS


def _columns(row: Any) -> dict[str, Any]:
    db.session.refresh(row)
    columns = audit.snapshot(row)
    if hasattr(row, "role_rows"):
        columns["roles"] = sorted(role.value for role in row.roles)
    if hasattr(row, "participants"):
        columns["participants"] = [(p.id, p.name, p.organisation_id) for p in row.participants]
    if hasattr(row, "county_code") and hasattr(row, "prices"):  # principles: no new version
        columns["latest"] = max(v.number for v in history(row.county_code))
    return columns


@pytest.mark.parametrize("endpoint", sorted(EDIT_FORMS))
def test_saving_an_edit_form_unchanged_changes_nothing(client, logged_in, make_user,
                                                       endpoint: str) -> None:
    url, row = EDIT_FORMS[endpoint](logged_in, make_user)
    before = _columns(row)
    page = client.get(url)
    assert page.status_code == 200
    fields = browser_form(page.get_data(as_text=True), url)
    response = client.post(url, data=_multi(fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _columns(row) == before


def _multi(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_a_changed_threshold_keeps_daily_reporting(client, logged_in) -> None:
    """The reported example: changing only a threshold switched the county back to weekly."""
    url, settings = _county_settings(logged_in)
    fields = dict(browser_form(client.get(url).get_data(as_text=True), url))
    fields["red_below_days"] = "4"
    assert client.post(url, data=fields).status_code == 302
    db.session.refresh(settings)
    assert (settings.frequency, settings.red_below_days) == (Frequency.DAILY, 4)


def test_organisation_kind_is_shown_selected(client, logged_in) -> None:
    url, org = _organisation(logged_in)
    html = client.get(url).get_data(as_text=True)
    assert '<option selected value="region">' in html
    assert isinstance(org, Organisation)
