"""The county picture: figures, traffic lights, missing reports, drill-down, exports, queries."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.auth.roles import Role
from app.core.models import Material, OrgKind
from app.extensions import db
from app.reports import services
from app.reports.models import CountySettings, Report
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import count_queries, organisation, page_csrf

BOARD = ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD)


def submitted_report(org_name: str, stock: int, consumption: int, *, material_index: int = 0,
                     period=None, private_stock: int | None = None, support: int = 0) -> Report:  # noqa: ANN001
    """A submitted report with one line (and optionally a private one), made by the services."""
    org = organisation(org_name)
    period = period or period_containing(today(), Frequency.WEEKLY)
    material = db.session.scalars(sa.select(Material).order_by(Material.sort_order)).all()[
        material_index]
    report = services.start_report(org, period, None)
    sections = services.sections_for(report)
    services.save_line(report, sections[0], material, {
        "stock": stock, "consumption": consumption, "support_quantity": support,
        "support_justification": "Akut brist" if support else None})
    if private_stock is not None:
        services.save_line(report, sections[1], material, {"stock": private_stock,
                                                            "consumption": 0})
    services.submit(report, _anyone(), reviewed_version=report.latest_revision.version)
    db.session.commit()
    return report


def _anyone():  # noqa: ANN202
    from app.auth.models import User

    return db.session.scalars(sa.select(User)).first()


@pytest.fixture
def coordinator(logged_in):  # noqa: ANN001, ANN201
    return logged_in(BOARD[0], Role.COUNTY_COORDINATOR, kind=BOARD[1])


def test_county_picture_shows_days_totals_and_who_has_not_reported(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700)       # 100/day → 3,5 days: red
    submitted_report("Sundsvall", stock=7000, consumption=3500, private_stock=3500)  # 21 days
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    assert '<span class="level level--red">3,5<' in html
    assert '<span class="level level--green">21,0<' in html
    assert "5 av 7 kommuner har inte rapporterat:" in html and "Härnösand" in html
    assert 'class="county-map' in html and 'class="chart' in html
    # County total: (350 + 10500) / (100 + 500) = 18,1 days
    assert '<span class="level level--green">18,1<' in html


def test_support_requests_are_listed(client, coordinator) -> None:
    submitted_report("Timrå", stock=10, consumption=70, support=500)
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    assert "Akut brist" in html and "500 st" in html


def test_thresholds_and_scenario_are_county_settings(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700)
    token = page_csrf(client, "/lagesbild/lan/22/")
    response = client.post("/lagesbild/lan/22/installningar", data={
        "csrf_token": token, "frequency": "weekly", "horizon_days": "21",
        "red_below_days": "3", "yellow_below_days": "10", "scenario_multiplier": "1,5"})
    assert response.status_code == 302
    settings = db.session.get(CountySettings, "22")
    assert (settings.horizon_days, settings.red_below_days, settings.scenario_multiplier) == (
        21, 3, 1.5)
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    assert '<span class="level level--yellow">3,5<' in html
    # Forecast with 1,5 × 100 per day: 350 / 150 = 2,3 days
    assert "2,3" in html


def test_invalid_settings_are_refused_next_to_the_field(client, coordinator) -> None:
    token = page_csrf(client, "/lagesbild/lan/22/")
    response = client.post("/lagesbild/lan/22/installningar", data={
        "csrf_token": token, "frequency": "weekly", "horizon_days": "-3",
        "red_below_days": "10", "yellow_below_days": "5", "scenario_multiplier": "abc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ange 1–180 dagar." in html and "Gul gräns måste vara större än röd gräns." in html
    assert db.session.get(CountySettings, "22") is None or db.session.get(
        CountySettings, "22").horizon_days == 14


def test_material_choice_returns_a_fragment_for_htmx(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700, material_index=3)
    response = client.get("/lagesbild/lan/22/?material=VISIR", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="county-material"' in html and "Visir" in html


def test_drill_down_to_municipality_and_care_unit(client, coordinator) -> None:
    report = submitted_report("Kramfors", stock=350, consumption=700, private_stock=50)
    kramfors = organisation("Kramfors")
    html = client.get(f"/lagesbild/lan/22/kommun/{kramfors.id}").get_data(as_text=True)
    assert "Kramfors" in html and "Privata utförare (samlat)" in html
    section = client.get(f"/lagesbild/lan/22/kommun/{kramfors.id}/avsnitt/private?period="
                         f"{report.period_start.isoformat()}")
    assert section.status_code == 200 and "50" in section.get_data(as_text=True)


def test_county_export_opens_as_a_workbook(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700)
    response = client.get("/lagesbild/lan/22/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    days = workbook.worksheets[0]
    rows = {row[0]: row for row in days.iter_rows(values_only=True)}
    assert rows["Kramfors"][1] == "ja" and rows["Kramfors"][2] == 3.5
    assert rows["Härnösand"][1] == "nej"
    csv_text = client.get("/lagesbild/lan/22/export.csv").data.decode("utf-8-sig")
    assert csv_text.startswith("Kommun;Rapporterat;") and "Kramfors;ja;3,5" in csv_text


def test_county_exports_are_named_after_the_county_and_week(client, coordinator) -> None:
    year, week, _ = period_containing(today(), Frequency.WEEKLY).start.isocalendar()
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/lagesbild/lan/22/export.{fmt}")
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename=lagesbild-Vasternorrlands-lan-v{week:02d}-{year}.{fmt}")
    assert client.get("/lagesbild/lan/22/export.pdf").status_code == 404


def test_county_picture_queries_do_not_grow_with_municipalities(client, make_user) -> None:
    """Västernorrland has 7 municipalities, Västra Götaland 49: the same number of queries."""
    from tests.helpers import login

    small = make_user(BOARD[0], Role.COUNTY_COORDINATOR, kind=BOARD[1])
    large = make_user("Länsstyrelsen Västra Götaland", Role.COUNTY_COORDINATOR,
                      kind=OrgKind.COUNTY_BOARD)
    for name in ("Kramfors", "Sundsvall", "Timrå"):
        submitted_report(name, stock=100, consumption=70)
    for name in ("Göteborg", "Borås", "Alingsås", "Mölndal", "Kungälv"):
        submitted_report(name, stock=100, consumption=70)
    login(client, small)
    client.get("/lagesbild/lan/22/")  # warm-up (county settings are created on first visit)
    queries_small = count_queries(client, "/lagesbild/lan/22/")
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login(client, large)
    client.get("/lagesbild/lan/14/")
    queries_large = count_queries(client, "/lagesbild/lan/14/")
    assert queries_large == queries_small


def test_history_uses_previous_periods_for_daily_use(client, coordinator) -> None:
    current = period_containing(today(), Frequency.WEEKLY)
    submitted_report("Kramfors", stock=1000, consumption=1400, period=current.previous())
    submitted_report("Kramfors", stock=700, consumption=0, period=current)
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    # Daily use over both weeks: 1400 / 14 = 100 → 700 / 100 = 7,0 days (yellow at 7)
    assert '<span class="level level--yellow">7,0<' in html


def test_county_picture_renders_in_english(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700)
    token = page_csrf(client, "/lagesbild/lan/22/")
    client.post("/sprak", data={"lang": "en", "next": "/", "csrf_token": token})
    html = client.get("/lagesbild/lan/22/").get_data(as_text=True)
    assert "Days of supply per municipality and material" in html
    assert "Surgical/medical face mask" in html and "County total" in html


def test_coordinator_dashboard_counts_reported_municipalities(client, coordinator) -> None:
    submitted_report("Kramfors", stock=350, consumption=700)
    html = client.get("/").get_data(as_text=True)
    assert "1 av 7 kommuner har rapporterat för v." in html
