"""Generated weekly situation reports for the demo counties.

Consumption is derived from population: care staff ≈ 2.5 % of the population (municipal
elderly care, home care and LSS), each using per day what WHO's Essential Supplies
Forecasting Tool and Swedish municipal guidance (Haninge 2020: mask, apron and visor per
close contact; gloves changed between tasks) suggest, scaled down for care outside hospitals.
Stock levels are drawn to show a realistic shortage: some municipalities at 0–5 days of a
material, most at 1–4 weeks, some above 30 days.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.core.models import CareUnit, CareUnitType, Material, Organisation
from app.extensions import db
from app.reports.models import Breakdown, Report, ReportLine, ReportRevision, RevisionStatus
from app.reports.periods import Frequency, Period, recent_periods, today
from app.reports.services import OWN, PRIVATE

WEEKS = 7
CARE_STAFF_SHARE = 0.025
# Units per care worker per day (our assumption, derived from WHO ESFT and Haninge's rules).
USE_PER_WORKER = {
    "MUNSKYDD_IIR": 3.0, "ANDNINGSSKYDD_FFP2": 0.05, "ANDNINGSSKYDD_FFP3": 0.01,
    "VISIR": 0.3, "SKYDDSGLASOGON": 0.005, "SKYDDSROCK": 0.15, "FORKLADE_LANGARMAT": 0.4,
    "FORKLADE_KORTARMAT": 3.0, "HANDSKAR_UNDERSOKNING": 8.0, "HANDDESINFEKTION": 0.05,
    "YTDESINFEKTION": 0.01, "PROVTAGNING_PCR": 0.05, "ANTIGENTEST": 0.1,
}
PRIVATE_SHARE = 0.25
UNIT_WEIGHTS = {CareUnitType.RESIDENTIAL_CARE: 3.0, CareUnitType.HOME_CARE: 2.5,
                CareUnitType.HOME_HEALTH_CARE: 1.0, CareUnitType.DISABILITY_SUPPORT: 1.0,
                CareUnitType.OTHER: 0.5}
BY_UNIT = {"2281", "1880"}  # Sundsvall and Örebro report per care unit
NOT_YET_REPORTED = {"2282", "1881"}  # Kramfors and Kumla have not reported this week
LATE = {"2262", "1861"}  # Timrå and Hallsberg reported late last week
JUSTIFICATION = ("Lagret räcker inte till nästa leverans; ökad smittspridning i "
                 "hemtjänsten och på särskilt boende.")


def _shares(org: Organisation, units: list[CareUnit]) -> list[tuple[str, int | None, bool, float]]:
    """(section, care unit, private, share of the municipality's use) per section."""
    if org.scb_code not in BY_UNIT or not units:
        return [(OWN, None, False, 1 - PRIVATE_SHARE), (PRIVATE, None, True, PRIVATE_SHARE)]
    total = sum(UNIT_WEIGHTS[unit.unit_type] for unit in units)
    return [(f"unit-{unit.id}", unit.id, unit.is_private, UNIT_WEIGHTS[unit.unit_type] / total)
            for unit in units]


def _starting_days(rng: random.Random) -> float:
    draw = rng.random()
    if draw < 0.2:
        return rng.uniform(0, 5)
    if draw < 0.8:
        return rng.uniform(6, 28)
    return rng.uniform(30, 60)


class _Simulation:
    """Stock of one section and material, week by week."""

    def __init__(self, rng: random.Random, daily_use: float):
        self.rng = rng
        self.daily_use = daily_use
        self.stock = round(daily_use * _starting_days(rng))

    def week(self, period: Period) -> ReportLine:
        used = round(self.daily_use * period.days * self.rng.uniform(0.85, 1.15))
        self.stock = max(0, self.stock - used)
        incoming, incoming_date = 0, None
        if self.rng.random() < 0.35:
            incoming = round(self.daily_use * self.rng.uniform(5, 20))
            incoming_date = period.end + timedelta(days=self.rng.randint(1, 12))
        line = ReportLine(stock=self.stock, consumption=used, incoming=incoming,
                          incoming_date=incoming_date)
        if incoming:
            self.stock += incoming  # it arrives before the next report
        return line


def _revision(period: Period, lines: list[ReportLine], late: bool) -> ReportRevision:
    """A submitted revision: 30 hours before the deadline (20 after when late), never later
    than an hour ago, so that no demo report is submitted in the future."""
    planned = period.deadline + (timedelta(hours=20) if late else timedelta(hours=-30))
    submitted = min(planned, datetime.now(UTC) - timedelta(hours=1))
    revision = ReportRevision(number=1, status=RevisionStatus.SUBMITTED,
                              submitted_at=submitted.astimezone(UTC), late=late,
                              created_at=(submitted - timedelta(hours=2)).astimezone(UTC))
    revision.lines = lines
    return revision


def _municipality_reports(org: Organisation, units: list[CareUnit], materials: list[Material],
                          periods: list[Period], existing: set[tuple[int, object]]) -> int:
    staff = (org.population or 0) * CARE_STAFF_SHARE
    sims = {}
    for section, unit_id, private, share in _shares(org, units):
        for material in materials:
            rng = random.Random(f"{org.scb_code}-{material.code}-{section}")
            sims[(section, unit_id, private, material.id)] = _Simulation(
                rng, staff * share * USE_PER_WORKER[material.code])
    created = 0
    for index, period in enumerate(periods):
        lines = []
        for (section, unit_id, private, material_id), sim in sims.items():
            line = sim.week(period)
            line.section, line.care_unit_id, line.private = section, unit_id, private
            line.material_id = material_id
            if sim.stock < sim.daily_use * 3 and sim.rng.random() < 0.3:
                line.support_quantity = round(sim.daily_use * 14) or 1
                line.support_justification = JUSTIFICATION
            lines.append(line)
        is_current = index == len(periods) - 1
        if (org.id, period.start) in existing or (is_current and org.scb_code in NOT_YET_REPORTED):
            continue
        late = index == len(periods) - 2 and org.scb_code in LATE
        report = Report(organisation=org, period_start=period.start, period_end=period.end,
                        deadline=period.deadline.astimezone(UTC),
                        breakdown=Breakdown.CARE_UNIT if org.scb_code in BY_UNIT
                        else Breakdown.MUNICIPALITY)
        revision = _revision(period, lines, late)
        report.revisions.append(revision)
        db.session.add(report)
        db.session.flush()
        report.submitted_revision_id = revision.id
        created += 1
    return created


def create_demo_reports(municipalities: Iterable[Organisation]) -> int:
    """Several weeks of submitted reports for each municipality; returns how many were added."""
    orgs = list(municipalities)
    materials = list(db.session.scalars(sa.select(Material).order_by(Material.sort_order)))
    periods = recent_periods(today(), Frequency.WEEKLY, WEEKS)
    existing = set(db.session.execute(sa.select(Report.organisation_id, Report.period_start)
                                      .where(Report.organisation_id.in_([o.id for o in orgs]))))
    units_by_org: dict[int, list[CareUnit]] = {}
    for unit in db.session.scalars(sa.select(CareUnit).where(
            CareUnit.organisation_id.in_([o.id for o in orgs])).order_by(CareUnit.ownership,
                                                                          CareUnit.name)):
        units_by_org.setdefault(unit.organisation_id, []).append(unit)
    created = sum(_municipality_reports(org, units_by_org.get(org.id, []), materials, periods,
                                        existing) for org in orgs)
    db.session.flush()
    return created
