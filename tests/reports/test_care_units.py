"""A municipality manages its own care units; others cannot."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.core.models import CareUnit, Ownership
from app.extensions import db
from tests.helpers import login, organisation, page_csrf


def test_reporter_adds_a_private_care_unit(client, reporter) -> None:
    org = organisation("Sundsvall")
    url = f"/lagesbild/kommun/{org.id}/verksamheter"
    token = page_csrf(client, url)
    response = client.post(url, data={"csrf_token": token, "name": "Solgården",
                                       "unit_type": "home_care", "ownership": "private",
                                       "provider_name": "Attendo", "active": "y"})
    assert response.status_code == 302
    unit = db.session.scalar(sa.select(CareUnit).where(CareUnit.name == "Solgården"))
    assert unit.ownership is Ownership.PRIVATE and unit.provider_name == "Attendo"
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "care_unit.create", AuditEntry.entity_id == str(unit.id)))
    assert "Solgården" in client.get(url).get_data(as_text=True)


def test_private_unit_needs_a_provider_and_names_are_unique(client, reporter) -> None:
    org = organisation("Sundsvall")
    url = f"/lagesbild/kommun/{org.id}/verksamheter"
    token = page_csrf(client, url)
    response = client.post(url, data={"csrf_token": token, "name": "X", "unit_type": "home_care",
                                       "ownership": "private", "provider_name": ""})
    assert response.status_code == 422
    assert "Ange vilket företag som driver verksamheten." in response.get_data(as_text=True)
    data = {"csrf_token": token, "name": "Y", "unit_type": "other", "ownership": "municipal"}
    assert client.post(url, data=data).status_code == 302
    again = client.post(url, data=data)
    assert again.status_code == 422
    assert "Det finns redan en verksamhet med det namnet." in again.get_data(as_text=True)


def test_other_municipality_cannot_manage_care_units(client, make_user) -> None:
    login(client, make_user("Timrå", Role.MUNICIPAL_REPORTER))
    org = organisation("Sundsvall")
    assert client.get(f"/lagesbild/kommun/{org.id}/verksamheter").status_code == 403
    token = page_csrf(client, "/")
    response = client.post(f"/lagesbild/kommun/{org.id}/verksamheter", data={
        "csrf_token": token, "name": "Z", "unit_type": "other", "ownership": "municipal"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(CareUnit).where(CareUnit.name == "Z")) is None
