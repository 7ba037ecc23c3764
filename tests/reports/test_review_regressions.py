"""Regression tests for defects found in review of the report workflow."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.models import CareUnit, CareUnitType, OrgKind, Ownership
from app.documents.spreadsheets import Sheet, to_csv
from app.extensions import db
from app.reports import services
from app.reports.exchange import COLUMNS
from app.reports.models import Breakdown
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import count_queries, login, organisation, page_csrf
from tests.reports.conftest import material_code, save_line, set_breakdown, start_report
from tests.reports.test_county_picture import submitted_report


def _unit(name: str, org_name: str = "Sundsvall", active: bool = True) -> CareUnit:
    unit = CareUnit(organisation=organisation(org_name), name=name, active=active,
                    unit_type=CareUnitType.RESIDENTIAL_CARE, ownership=Ownership.MUNICIPAL)
    db.session.add(unit)
    db.session.commit()
    return unit


def test_a_period_without_a_line_for_the_material_is_not_zero_use(client, logged_in) -> None:
    current = period_containing(today(), Frequency.WEEKLY)
    submitted_report("Kramfors", stock=1000, consumption=700, period=current.previous().previous())
    submitted_report("Kramfors", stock=5, consumption=5, material_index=1,
                     period=current.previous())
    submitted_report("Kramfors", stock=700, consumption=700, period=current)
    logged_in("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    # Two weeks with masks: 1400 / 14 = 100 per day → 700 / 100 = 7,0 days (not 10,5).
    assert '<span class="level level--yellow">7,0<' in html


def test_switching_to_care_units_without_any_is_refused(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    db.session.execute(sa.update(CareUnit).where(
        CareUnit.organisation_id == report.organisation_id).values(active=False))
    db.session.commit()
    response = set_breakdown(client, report, "care_unit", follow_redirects=True)
    assert response.status_code == 200
    assert "Kommunen har inga aktiva verksamheter" in response.get_data(as_text=True)
    db.session.refresh(report)
    assert report.breakdown is Breakdown.MUNICIPALITY


def test_same_breakdown_is_not_reported_as_changed(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    response = set_breakdown(client, report, "municipality", follow_redirects=True)
    assert "Rapporten har redan den indelningen." in response.get_data(as_text=True)


def test_care_unit_report_stays_usable_when_all_units_are_gone(client, reporter) -> None:
    unit = _unit("Björkbacken")
    report = start_report(client, "Sundsvall")
    set_breakdown(client, report, "care_unit")
    unit.active = False
    db.session.commit()
    response = client.get(f"/lagesbild/rapport/{report.id}")
    assert response.status_code == 200
    assert "inga aktiva verksamheter" in response.get_data(as_text=True)


def test_inactive_unit_with_figures_stays_visible_and_is_not_carried_forward(client,
                                                                           reporter) -> None:
    kept, dropped = _unit("Björkbacken"), _unit("Ekbacken")
    report = start_report(client, "Sundsvall")
    set_breakdown(client, report, "care_unit")
    save_line(client, report, f"unit-{dropped.id}", material_code(), stock=5000, consumption=70)
    dropped.active = False
    db.session.commit()
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "Ekbacken" in html  # its figures count, so it is shown and can be changed
    db.session.refresh(report)
    later = period_containing(today(), Frequency.WEEKLY).previous()
    report.period_start, report.period_end = later.start, later.end
    services.submit(report, reporter, reviewed_version=report.latest_revision.version)
    db.session.commit()
    new = start_report(client, "Sundsvall")
    assert all(line.care_unit_id != dropped.id for line in new.latest_revision.lines)
    assert kept.id  # the active unit is still offered
    assert "Björkbacken" in client.get(f"/lagesbild/rapport/{new.id}").get_data(as_text=True)


def test_a_file_exported_in_english_imports_in_swedish(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    rows = [["VISIR", "", "Own operations", "10", "7", "", "", "", ""],
            ["VISIR", "", "Privata utförare (samlat)", "3", "1", "", "", "", ""]]
    response = client.post(f"/lagesbild/rapport/{report.id}/import", data={
        "csrf_token": page_csrf(client, f"/lagesbild/rapport/{report.id}"),
        "file": (io.BytesIO(to_csv(Sheet("x", COLUMNS, rows))), "r.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Alla 2 rader är giltiga" in response.get_data(as_text=True)


def test_confirming_a_stale_import_is_refused_without_error(client, reporter) -> None:
    unit = _unit("Björkbacken")
    report = start_report(client, "Sundsvall")
    set_breakdown(client, report, "care_unit")
    rows = [["VISIR", "", "Björkbacken", "10", "7", "", "", "", ""]]
    preview = client.post(f"/lagesbild/rapport/{report.id}/import", data={
        "csrf_token": page_csrf(client, f"/lagesbild/rapport/{report.id}"),
        "file": (io.BytesIO(to_csv(Sheet("x", COLUMNS, rows))), "r.csv")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    import_id = re.search(r"/import/(\d+)", preview).group(1)
    unit.active = False
    db.session.commit()
    response = client.post(f"/lagesbild/rapport/{report.id}/import/{import_id}", data={
        "csrf_token": page_csrf(client, "/")}, follow_redirects=True)
    assert response.status_code == 200
    assert "Importen kan inte längre sparas" in response.get_data(as_text=True)


def test_care_unit_names_differ_by_more_than_case(client, reporter) -> None:
    _unit("Ängsgården")
    org = organisation("Sundsvall")
    url = f"/lagesbild/kommun/{org.id}/verksamheter"
    response = client.post(url, data={"csrf_token": page_csrf(client, url), "name": "ängsgården",
                                       "unit_type": "other", "ownership": "municipal"})
    assert response.status_code == 422


def test_delivery_date_without_quantity_is_refused(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    response = save_line(client, report, "own", material_code(), stock=10, consumption=7,
                         incoming_date=report.period_end.isoformat())
    assert response.status_code == 422
    assert "Ange hur mycket som väntas, eller töm datumet." in response.get_data(as_text=True)


def test_role_must_fit_the_organisation(client, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    response = client.post("/admin/anvandare/ny", data={
        "csrf_token": page_csrf(client, "/admin/anvandare/ny"), "username": "fel.roll",
        "full_name": "Fel Roll", "organisation_id": organisation("Timrå").id,
        "roles": ["county_coordinator"], "password": "ett-langt-losenord"})
    assert response.status_code == 422
    assert "passar inte för Timrå" in response.get_data(as_text=True)


def test_coordinator_role_at_a_municipality_cannot_change_county_settings(client,
                                                                          make_user) -> None:
    login(client, make_user("Timrå", Role.COUNTY_COORDINATOR))
    response = client.post("/lagesbild/lan/22/installningar", data={
        "csrf_token": page_csrf(client, "/"), "frequency": "daily", "horizon_days": "5",
        "red_below_days": "1", "yellow_below_days": "2", "scenario_multiplier": "1"})
    assert response.status_code == 403


def test_municipality_report_list_queries_do_not_grow_with_reports(client, reporter) -> None:
    url = f"/lagesbild/kommun/{organisation('Sundsvall').id}/"
    current = period_containing(today(), Frequency.WEEKLY)

    period = current.previous()
    submitted_report("Sundsvall", stock=1, consumption=1, period=period)
    few = count_queries(client, url)
    for _ in range(5):
        period = period.previous()
        submitted_report("Sundsvall", stock=1, consumption=1, period=period)
    assert count_queries(client, url) == few


def test_daily_reporting_makes_one_day_periods(client, reporter) -> None:
    services.update_settings(services.county_settings("22"), {"frequency": Frequency.DAILY})
    db.session.commit()
    report = start_report(client, "Sundsvall")
    assert report.period_start == report.period_end == today()
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert today().isoformat() in html
