"""The role decorator and organisation scope: 403 for every role that lacks access."""
from __future__ import annotations

import pytest

from app.auth.access import can_edit_org, can_view_county, can_view_org_detail
from app.auth.roles import Role
from app.core.models import OrgKind
from tests.helpers import organisation

ROLE_HOME = {
    Role.COUNTY_COORDINATOR: ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD),
    Role.LOGISTICS_MEMBER: ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD),
    Role.MUNICIPAL_REPORTER: ("Sundsvall", OrgKind.MUNICIPALITY),
    Role.MUNICIPAL_BUYER: ("Sundsvall", OrgKind.MUNICIPALITY),
    Role.PROCUREMENT_LEAD: ("Region Västernorrland", OrgKind.REGION),
    Role.VIEWER: ("Socialstyrelsen", OrgKind.NATIONAL_BOARD),
    Role.ADMIN: ("Socialstyrelsen", OrgKind.NATIONAL_BOARD),
}

PAGE_ROLES = {
    "/lagesbild/": {Role.MUNICIPAL_REPORTER, Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER,
                    Role.VIEWER},
    "/omfordelning/": {Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER, Role.VIEWER,
                       Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER},
    "/omfordelning/lan/22/ny-omgang": {Role.COUNTY_COORDINATOR},
    "/omfordelning/overforingar": {Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER, Role.VIEWER,
                                   Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER},
    "/inkop/": {Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD, Role.COUNTY_COORDINATOR},
    "/inkop/lan/22/": {Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD, Role.COUNTY_COORDINATOR},
    "/inkop/lan/22/leverantorer": {Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD,
                                   Role.COUNTY_COORDINATOR},
    "/inkop/lan/22/jamforelse/VISIR": {Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD,
                                       Role.COUNTY_COORDINATOR},
    "/inkop/lan/22/leverantorer/ny": {Role.MUNICIPAL_BUYER},
    "/inkop/lan/22/erbjudanden/nytt": {Role.MUNICIPAL_BUYER},
    "/admin/anvandare": set(),
    "/admin/organisationer": set(),
    "/admin/anvandare/ny": set(),
}


@pytest.mark.parametrize("path", sorted(PAGE_ROLES))
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_permission_matrix(client, logged_in, role: Role, path: str) -> None:
    org_name, kind = ROLE_HOME[role]
    logged_in(org_name, role, kind=kind)
    allowed = role is Role.ADMIN or role in PAGE_ROLES[path]
    response = client.get(path, follow_redirects=True)
    assert response.status_code == (200 if allowed else 403), (role, path)
    if not allowed:
        html = response.get_data(as_text=True)
        assert "Åtkomst nekad" in html and '<html lang="sv">' in html


def test_403_for_htmx_request_is_a_fragment(client, logged_in) -> None:
    logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    response = client.get("/admin/anvandare", headers={"HX-Request": "true"})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Åtkomst nekad" in html


def test_municipality_sees_and_edits_only_its_own_detail(make_user) -> None:
    user = make_user("Timrå", Role.MUNICIPAL_REPORTER)
    timra, sundsvall = organisation("Timrå"), organisation("Sundsvall")
    assert can_view_org_detail(user, timra) and can_edit_org(user, timra)
    assert not can_view_org_detail(user, sundsvall) and not can_edit_org(user, sundsvall)
    assert can_view_county(user, "22") and not can_view_county(user, "18")


def test_county_board_sees_its_county_but_edits_no_municipality(make_user) -> None:
    user = make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                     kind=OrgKind.COUNTY_BOARD)
    assert can_view_org_detail(user, organisation("Sundsvall"))
    assert not can_view_org_detail(user, organisation("Örebro"))
    assert not can_edit_org(user, organisation("Sundsvall"))
    assert can_view_county(user, "22") and not can_view_county(user, "18")


def test_national_board_and_admin_see_everything(make_user) -> None:
    viewer = make_user("Socialstyrelsen", Role.VIEWER, kind=OrgKind.NATIONAL_BOARD)
    admin = make_user("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    for user in (viewer, admin):
        assert can_view_county(user, "18") and can_view_org_detail(user, organisation("Örebro"))
    assert can_edit_org(admin, organisation("Örebro")) and not can_edit_org(
        viewer, organisation("Örebro"))


#: (who, predicate, argument, expected): the named predicates of app.auth.access in one table.
BOARD_22 = ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD)
WHO = {
    "reporter Timrå": ("Timrå", OrgKind.MUNICIPALITY, Role.MUNICIPAL_REPORTER),
    "buyer Timrå": ("Timrå", OrgKind.MUNICIPALITY, Role.MUNICIPAL_BUYER),
    "coordinator 22": (*BOARD_22, Role.COUNTY_COORDINATOR),
    "logistics 22": (*BOARD_22, Role.LOGISTICS_MEMBER),
    "coordinator 18": ("Länsstyrelsen i Örebro län", OrgKind.COUNTY_BOARD,
                       Role.COUNTY_COORDINATOR),
    "admin": ("Socialstyrelsen", OrgKind.NATIONAL_BOARD, Role.ADMIN),
}
PREDICATES = [
    ("reporter Timrå", "can_report_for", "Timrå", True),
    ("reporter Timrå", "can_report_for", "Sundsvall", False),
    ("buyer Timrå", "can_report_for", "Timrå", False),
    ("coordinator 22", "can_report_for", "Timrå", False),
    ("admin", "can_report_for", "Timrå", True),
    ("coordinator 22", "can_configure_county", "22", True),
    ("logistics 22", "can_configure_county", "22", False),
    ("coordinator 18", "can_configure_county", "22", False),
    ("reporter Timrå", "can_configure_county", "22", False),
    ("admin", "can_configure_county", "22", True),
    ("coordinator 22", "is_county_coordinator_of", "22", True),
    ("coordinator 18", "is_county_coordinator_of", "22", False),
    ("admin", "is_county_coordinator_of", "22", False),
    ("reporter Timrå", ("can_see_revision", True), "Timrå", True),
    ("reporter Timrå", ("can_see_revision", False), "Timrå", True),
    ("coordinator 22", ("can_see_revision", True), "Timrå", False),
    ("coordinator 22", ("can_see_revision", False), "Timrå", True),
    ("coordinator 18", ("can_see_revision", False), "Timrå", False),
    ("reporter Timrå", ("can_see_revision", False), "Sundsvall", False),
]


@pytest.mark.parametrize(("who", "predicate", "argument", "expected"), PREDICATES,
                         ids=lambda value: str(value))
def test_access_predicates(make_user, who: str, predicate, argument: str,  # noqa: ANN001
                           expected: bool) -> None:
    from app.auth import access

    org_name, kind, role = WHO[who]
    user = make_user(org_name, role, kind=kind)
    if isinstance(predicate, tuple):
        name, is_draft = predicate
        assert access.can_see_revision(user, organisation(argument), is_draft) is expected
        return
    value = argument if argument.isdigit() else organisation(argument)
    assert getattr(access, predicate)(user, value) is expected
