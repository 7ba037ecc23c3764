"""Administration of users and organisations, and the create-user command."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core.models import Organisation, OrgKind
from app.extensions import db
from tests.helpers import organisation, page_csrf


def _admin(logged_in):  # noqa: ANN001, ANN202
    return logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)


def test_admin_creates_organisation_with_valid_org_number(client, logged_in) -> None:
    _admin(logged_in)
    token = page_csrf(client, "/admin/organisationer/ny")
    response = client.post("/admin/organisationer/ny", data={
        "csrf_token": token, "kind": "region", "name": "Testregionen", "county_code": "22",
        "org_number": "2321000214", "scb_code": "", "population": ""})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Testregionen"))
    assert org.org_number == "232100-0214" and org.kind is OrgKind.REGION


def test_malformed_org_number_and_population_are_refused(client, logged_in) -> None:
    _admin(logged_in)
    token = page_csrf(client, "/admin/organisationer/ny")
    response = client.post("/admin/organisationer/ny", data={
        "csrf_token": token, "kind": "region", "name": "Felregionen", "county_code": "22",
        "org_number": "2321000215", "population": "-5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kontrollsiffran stämmer inte" in html
    assert "Ange en folkmängd mellan 0 och 20 000 000." in html
    assert db.session.scalar(sa.select(Organisation).where(
        Organisation.name == "Felregionen")) is None


def test_admin_changes_roles_of_a_user(client, logged_in, make_user) -> None:
    _admin(logged_in)
    user = make_user("Timrå", Role.MUNICIPAL_REPORTER)
    url = f"/admin/anvandare/{user.id}"
    token = page_csrf(client, url)
    response = client.post(url, data={
        "csrf_token": token, "username": user.username, "full_name": "Ny Namn",
        "organisation_id": organisation("Timrå").id,
        "roles": ["municipal_reporter", "municipal_buyer"], "active": "y", "password": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.roles == {Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER}


def test_user_form_requires_a_role_and_a_long_password(client, logged_in) -> None:
    _admin(logged_in)
    token = page_csrf(client, "/admin/anvandare/ny")
    html = client.post("/admin/anvandare/ny", data={
        "csrf_token": token, "username": "x y", "full_name": "X",
        "organisation_id": organisation("Timrå").id, "password": "kort"}).get_data(as_text=True)
    assert "Välj minst en roll." in html and "Lösenordet ska vara minst 10 tecken." in html
    assert "Använd bara bokstäver a–z" in html


def test_create_user_command(runner) -> None:
    result = runner.invoke(args=[
        "create-user", "--username", "kim.svensson", "--name", "Kim Svensson",
        "--organisation", "2281", "--role", "municipal_reporter", "--password",
        "ett-langt-losenord"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "kim.svensson"))
    assert user.organisation.name == "Sundsvall" and user.has_role(Role.MUNICIPAL_REPORTER)
    short = runner.invoke(args=["create-user", "--username", "a.b", "--name", "A",
                                "--organisation", "2281", "--role", "viewer", "--password", "x"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_admin_creates_a_user_with_an_email_address(client, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    token = page_csrf(client, "/admin/anvandare/ny")
    response = client.post("/admin/anvandare/ny", data={
        "csrf_token": token, "username": "kim.e", "full_name": "Kim E",
        "email": "kim.e@sundsvall.se", "organisation_id": organisation("Sundsvall").id,
        "roles": ["municipal_reporter"], "password": "ett-langt-losenord"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User.email).where(User.username == "kim.e")) == (
        "kim.e@sundsvall.se")
    bad = client.post("/admin/anvandare/ny", data={
        "csrf_token": token, "username": "kim.f", "full_name": "Kim F", "email": "inte-en-adress",
        "organisation_id": organisation("Sundsvall").id, "roles": ["municipal_reporter"],
        "password": "ett-langt-losenord"})
    assert bad.status_code == 422 and "Ange en giltig e-postadress." in bad.get_data(as_text=True)
