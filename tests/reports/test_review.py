"""Submitting through a review, switching breakdown, and what the figures say."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from app.auth.roles import Role
from app.core.models import CareUnit, CareUnitType, OrgKind, Ownership
from app.documents.spreadsheets import Sheet, to_csv
from app.extensions import db
from app.reports.exchange import COLUMNS
from app.reports.models import RevisionStatus
from tests.helpers import csrf_token_from, organisation, page_csrf
from tests.reports.conftest import (
    VERSION_INPUT,
    line_data,
    material_code,
    save_line,
    set_breakdown,
    start_report,
    submit_report,
)
from tests.reports.test_county_picture import submitted_report


def _review(client, report, **shown: str) -> str:  # noqa: ANN001
    return client.get(f"/lagesbild/rapport/{report.id}/skicka", query_string=shown
                      ).get_data(as_text=True)


def test_review_lists_what_is_submitted_and_warns(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=10, consumption=70,
              support_quantity=500, support_justification="Slut i hemtjänsten")
    html = _review(client, report)
    assert "Kontrollera innan du skickar in" in html
    assert "Rapporten begär stöd från länet:" in html and "500" in html
    assert "Inga uppgifter för dessa material:" in html
    assert "Bekräfta och skicka in" in html
    assert report.latest_revision.status is RevisionStatus.DRAFT  # reviewing changes nothing


def test_a_value_the_page_shows_but_did_not_save_blocks_the_submission(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    code = material_code()
    save_line(client, report, "own", code, stock=100, consumption=70)
    refused = line_data("own", code, stock="-5", consumption=70)
    html = _review(client, report, **refused)
    assert "Det finns värden som inte är sparade" in html and "Lager" in html
    assert "Bekräfta och skicka in" not in html
    pending = line_data("own", code, stock=160, consumption=70)  # typed, save not arrived
    assert "Det finns värden som inte är sparade" in _review(client, report, **pending)
    saved = line_data("own", code, stock=100, consumption=70)
    assert "Det finns värden som inte är sparade" not in _review(client, report, **saved)


def test_a_save_after_the_review_makes_the_confirmation_stale(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=100, consumption=70)
    review = _review(client, report)
    version = VERSION_INPUT.search(review).group(1)
    save_line(client, report, "own", material_code(), stock=160, consumption=70)
    response = client.post(f"/lagesbild/rapport/{report.id}/skicka", data={
        "csrf_token": csrf_token_from(review), "version": version})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Rapporten ändrades medan du granskade den" in html
    db.session.refresh(report)
    assert report.latest_revision.status is RevisionStatus.DRAFT
    assert submit_report(client, report).status_code == 302
    db.session.refresh(report)
    assert report.latest_revision.lines[0].stock == 160


def test_unchanged_prefilled_rows_are_flagged_before_submission(client, reporter) -> None:
    previous = start_report(client, "Sundsvall")
    save_line(client, previous, "own", material_code(), stock=1000, consumption=300)
    submit_report(client, previous)
    db.session.refresh(previous)
    previous.period_start -= timedelta(days=7)
    previous.period_end -= timedelta(days=7)
    db.session.commit()
    current = start_report(client, "Sundsvall")
    assert "1 rad är oförändrad sedan den förifylldes" in _review(client, current)
    save_line(client, current, "own", material_code(), stock=650, consumption=350)
    assert "förifylldes" not in _review(client, current)


def test_switching_breakdown_with_prefilled_rows_asks_and_then_clears(client, reporter) -> None:
    org = organisation("Sundsvall")
    db.session.add(CareUnit(organisation=org, name="Björkbacken",
                            unit_type=CareUnitType.RESIDENTIAL_CARE,
                            ownership=Ownership.MUNICIPAL))
    db.session.commit()
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=10, consumption=7)
    asked = set_breakdown(client, report, "care_unit")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Töm raderna och byt indelning" in html
    db.session.refresh(report)
    assert report.breakdown.value == "municipality" and len(report.latest_revision.lines) == 1
    confirmed = client.post(f"/lagesbild/rapport/{report.id}/indelning", data={
        "csrf_token": csrf_token_from(html), "breakdown": "care_unit", "confirm": "clear"})
    assert confirmed.status_code == 302
    db.session.refresh(report)
    assert report.breakdown.value == "care_unit" and report.latest_revision.lines == []


def test_import_preview_names_materials_and_marks_changed_values(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", "MUNSKYDD_IIR", stock=100, consumption=70)
    rows = [["MUNSKYDD_IIR", "", "Egen verksamhet", "100", "80", "", "", "", ""]]
    response = client.post(f"/lagesbild/rapport/{report.id}/import", data={
        "csrf_token": page_csrf(client, f"/lagesbild/rapport/{report.id}"),
        "file": (io.BytesIO(to_csv(Sheet("x", COLUMNS, rows))), "r.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Munskydd, kirurgiskt typ IIR" in html and 'id="import-preview"' in html
    cells = re.findall(r'<td class="num ?(cell--changed)?">(\d+)', html)
    assert ("", "100") in cells and ("cell--changed", "80") in cells


def test_an_older_revision_points_to_the_one_that_replaces_it(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=10, consumption=7)
    submit_report(client, report)
    client.post(f"/lagesbild/rapport/{report.id}/rattelse",
                data={"csrf_token": page_csrf(client, f"/lagesbild/rapport/{report.id}")})
    save_line(client, report, "own", material_code(), stock=12, consumption=7)
    submit_report(client, report)
    old = client.get(f"/lagesbild/rapport/{report.id}?revision=1").get_data(as_text=True)
    assert "Revision 2 ersätter den här revisionen." in old
    assert "Visa revision 2" in old


def test_county_total_separates_summed_need_from_what_the_county_lacks(client,
                                                                         logged_in) -> None:
    logged_in("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    submitted_report("Kramfors", stock=0, consumption=700)        # needs 1 400 for 14 days
    submitted_report("Sundsvall", stock=70000, consumption=7000)  # 70 days: plenty
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    summed = html.split("Summa av kommunernas behov")[1].split("</tr>")[0]
    lacking = html.split("Länets brist efter full omfördelning")[1].split("</tr>")[0]
    assert ">1 400<" in summed.replace("\u00a0", " ") and ">0<" in lacking


def test_forecast_gets_the_traffic_light_too(client, logged_in) -> None:
    logged_in("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    submitted_report("Kramfors", stock=350, consumption=700)  # 3,5 days: red
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    forecast_table = html.split("Prognos (dagar)")[1]
    assert forecast_table.count('class="level level--red"') >= 2  # days and forecast


def test_the_trend_chart_says_whom_it_shows_and_takes_a_choice(client, logged_in) -> None:
    logged_in("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR, kind=OrgKind.COUNTY_BOARD)
    submitted_report("Kramfors", stock=350, consumption=700)
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    assert "kommuner som har minst dagar av tillgång nu" in html
    ange = organisation("Ånge")
    chosen = client.get(f"/lagesbild/lan/22/?kommun={ange.id}").get_data(as_text=True)
    assert "de kommuner du valt" in chosen
    assert f'id="trend-{ange.id}" name="kommun" value="{ange.id}" checked' in chosen
