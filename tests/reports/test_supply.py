"""One definition of the county's figures: the report form and the county picture agree,
and county_supply gives the engine the same numbers."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.core.models import Material
from app.extensions import db
from app.reports import services
from app.reports.periods import Frequency, period_containing, today
from app.reports.sheet import previous_use, summary_rows
from app.reports.supply import counts_within, county_municipalities, county_supply, load_picture
from tests.helpers import organisation
from tests.reports.test_county_picture import _anyone


def _submitted_with_deliveries():  # noqa: ANN202
    org = organisation("Härnösand")
    period = period_containing(today(), Frequency.WEEKLY)
    report = services.start_report(org, period, None)
    own, private = services.sections_for(report)
    materials = services.materials()
    settings = services.county_settings("22")
    soon = period.end + timedelta(days=settings.horizon_days)       # counts
    late = period.end + timedelta(days=settings.horizon_days + 1)   # does not
    services.save_line(report, own, materials[0], {"stock": 500, "consumption": 700,
                                                   "incoming": 300, "incoming_date": soon})
    services.save_line(report, private, materials[0], {"stock": 100, "consumption": 70,
                                                       "incoming": 999, "incoming_date": late})
    services.save_line(report, own, materials[1], {"stock": 0, "consumption": 14})
    services.submit(report, _anyone(), reviewed_version=report.latest_revision.version)
    db.session.commit()
    return org, report, materials, settings


def test_the_horizon_rule(app) -> None:
    period = period_containing(today(), Frequency.WEEKLY)
    assert counts_within(period.end + timedelta(days=14), period.end, 14)
    assert not counts_within(period.end + timedelta(days=15), period.end, 14)
    assert counts_within(period.start, period.end, 14) and not counts_within(None, period.end, 14)


def test_report_summary_and_county_picture_agree(app) -> None:
    org, report, materials, settings = _submitted_with_deliveries()
    summary = {row.material.id: row.figure
               for row in summary_rows(report, report.submitted_revision, materials, settings,
                                       previous_use(report))}
    picture = load_picture("22", report.period, settings, materials, county_municipalities("22"))
    (row,) = [r for r in picture.rows if r.organisation.id == org.id]
    for material in materials[:2]:
        form, county = summary[material.id], row.cells[material.id]
        assert county.totals == form.totals
        assert (county.daily_use, county.days, county.need, county.level) == (
            form.daily_use, form.days, form.need, form.level)
    assert row.cells[materials[0].id].totals.incoming == 300  # 999 arrives after the horizon


def test_county_supply_gives_the_engine_the_same_figures(app) -> None:
    org, report, materials, settings = _submitted_with_deliveries()
    supply = county_supply("22", report.period, settings, materials)
    figure = supply.figures[(org.id, materials[0].id)]
    assert (figure.stock, figure.incoming, figure.daily_use) == (600, 300, 110.0)
    assert figure.need == max(0, round(14 * 110) - 600 - 300)
    site = next(s for s in supply.sites(materials[0]) if s.code == org.scb_code)
    assert (site.stock, site.incoming, site.daily_use) == (600, 300, 110.0)
    without_private = county_supply("22", report.period, settings, materials,
                                    include_private=False)
    assert without_private.figures[(org.id, materials[0].id)].stock == 500
    assert org not in supply.missing and organisation("Kramfors") in supply.missing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 13


def test_deliveries_expected_by_other_domains_count_in_forecast_and_supply(app,
                                                                           monkeypatch) -> None:
    from app.reports import supply

    org, report, materials, settings = _submitted_with_deliveries()
    arriving = report.period.end
    monkeypatch.setattr(supply, "_EXPECTED_SOURCES", [])
    supply.expected_source(lambda org_ids: [supply.ExpectedDelivery(
        org.id, materials[1].id, arriving, 70)] if org.id in org_ids else [])
    picture = load_picture("22", report.period, settings, materials, county_municipalities("22"))
    (row,) = [r for r in picture.rows if r.organisation.id == org.id]
    figure = row.cells[materials[1].id]
    assert figure.ordered == 70 and figure.totals.incoming == 0  # not in the report itself
    assert figure.forecast == 35  # nothing in stock, 2 a day: the ordered 70 arrive today
    figures = county_supply("22", report.period, settings, materials).figures
    assert (figures[(org.id, materials[1].id)].incoming,
            figures[(org.id, materials[1].id)].ordered) == (70, 70)
