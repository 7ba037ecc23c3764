"""Who may read and write which reports, tried by URL."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.core.models import OrgKind
from app.extensions import db
from tests.helpers import login, organisation, page_csrf
from tests.reports.conftest import line_data, material_code, start_report
from tests.reports.test_county_picture import submitted_report


@pytest.fixture
def sundsvall_report(client, make_user):  # noqa: ANN001, ANN201
    owner = make_user("Sundsvall", Role.MUNICIPAL_REPORTER)
    login(client, owner)
    report = start_report(client, "Sundsvall")
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    return report


def _write_attempts(client, report) -> list[int]:  # noqa: ANN001
    token = page_csrf(client, "/")
    code = material_code()
    return [
        client.post(f"/lagesbild/rapport/{report.id}/rad/own/{code}",
                    data=line_data("own", code), headers={"X-CSRFToken": token,
                                                          "HX-Request": "true"}).status_code,
        client.post(f"/lagesbild/rapport/{report.id}/skicka",
                    data={"csrf_token": token}).status_code,
        client.post(f"/lagesbild/rapport/{report.id}/rattelse",
                    data={"csrf_token": token}).status_code,
        client.post(f"/lagesbild/rapport/{report.id}/indelning",
                    data={"csrf_token": token, "breakdown": "care_unit"}).status_code,
        client.post(f"/lagesbild/kommun/{report.organisation_id}/starta",
                    data={"csrf_token": token}).status_code,
    ]


def test_timra_reporter_cannot_read_or_write_sundsvalls_report(client, make_user,
                                                               sundsvall_report) -> None:
    login(client, make_user("Timrå", Role.MUNICIPAL_REPORTER))
    assert client.get(f"/lagesbild/rapport/{sundsvall_report.id}").status_code == 403
    assert client.get(f"/lagesbild/rapport/{sundsvall_report.id}/export.csv").status_code == 403
    assert client.get(f"/lagesbild/kommun/{sundsvall_report.organisation_id}/").status_code == 403
    assert _write_attempts(client, sundsvall_report) == [403] * 5
    db.session.refresh(sundsvall_report)
    assert sundsvall_report.latest_revision.lines == []


@pytest.mark.parametrize(("org", "kind", "role"), [
    ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD, Role.COUNTY_COORDINATOR),
    ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD, Role.LOGISTICS_MEMBER),
    ("Socialstyrelsen", OrgKind.NATIONAL_BOARD, Role.VIEWER),
    ("Sundsvall", OrgKind.MUNICIPALITY, Role.MUNICIPAL_BUYER),
])
def test_readers_may_read_but_not_write(client, make_user, sundsvall_report, org, kind,
                                        role) -> None:
    login(client, make_user(org, role, kind=kind))
    # A draft is the municipality's own until submitted: others find nothing to read.
    expected_read = 403 if role is Role.MUNICIPAL_BUYER else 404
    assert client.get(f"/lagesbild/rapport/{sundsvall_report.id}").status_code == expected_read
    assert _write_attempts(client, sundsvall_report) == [403] * 5


def test_county_reads_submitted_revisions_but_not_a_draft_correction(client, make_user) -> None:
    report = submitted_report("Kramfors", stock=350, consumption=700)
    owner = make_user("Kramfors", Role.MUNICIPAL_REPORTER)
    login(client, owner)
    client.post(f"/lagesbild/rapport/{report.id}/rattelse",
                data={"csrf_token": page_csrf(client, "/")})
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login(client, make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                            kind=OrgKind.COUNTY_BOARD))
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "Revision 1" in html and "Revision 2" not in html
    assert client.get(f"/lagesbild/rapport/{report.id}?revision=2").status_code == 404
    assert client.get(f"/lagesbild/rapport/{report.id}/export.csv?revision=2").status_code == 404


def test_other_county_is_closed_to_a_county_board(client, make_user) -> None:
    login(client, make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                            kind=OrgKind.COUNTY_BOARD))
    assert client.get("/lagesbild/lan/18/").status_code == 403
    assert client.get("/lagesbild/lan/18/export.xlsx").status_code == 403
    token = page_csrf(client, "/lagesbild/lan/22/")
    assert client.post("/lagesbild/lan/18/installningar", data={"csrf_token": token}
                       ).status_code == 403


def test_municipality_sees_the_county_aggregate_but_not_others_care_units(client,
                                                                         make_user) -> None:
    report = submitted_report("Kramfors", stock=350, consumption=700, private_stock=10)
    login(client, make_user("Timrå", Role.MUNICIPAL_REPORTER))
    assert client.get("/lagesbild/lan/22/").status_code == 200
    kramfors = organisation("Kramfors")
    detail = client.get(f"/lagesbild/lan/22/kommun/{kramfors.id}").get_data(as_text=True)
    assert "Uppgifter per verksamhet visas bara" in detail
    assert client.get(f"/lagesbild/lan/22/kommun/{kramfors.id}/avsnitt/private?period="
                      f"{report.period_start.isoformat()}").status_code == 403
    assert client.get("/lagesbild/lan/18/").status_code == 403
    token = page_csrf(client, "/lagesbild/lan/22/")
    assert client.post("/lagesbild/lan/22/installningar", data={"csrf_token": token}
                       ).status_code == 403
