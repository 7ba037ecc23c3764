"""What a page or a document shows of a plan: shipments, coverage, shortage, compensation
and the map of shipments, with names, packs and values. One view for the proposal page, the
draft PDF and the decision PDF.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from markupsafe import Markup

from app.core.formatting import current_language, number
from app.core.models import Material, Organisation
from app.documents.svg import Arrow, LegendItem, MapArea, Series, bar_chart_svg, county_map_svg
from app.redistribution import plan
from app.redistribution.rounds import RoundInputs


@dataclass(frozen=True)
class Line:
    """One material of a shipment."""

    key: plan.Key
    material: Material
    quantity: int
    packs: int
    value: Decimal


@dataclass(frozen=True)
class ShipmentView:
    giver: Organisation
    receiver: Organisation
    km: int
    lines: list[Line]
    value: Decimal


@dataclass(frozen=True)
class CoverageRow:
    """One municipality and material before and after the plan."""

    organisation: Organisation
    material: Material
    item: plan.Coverage


@dataclass(frozen=True)
class Owed:
    """What a receiver owes a giver for the plan's transfers (SEK)."""

    debtor: Organisation
    creditor: Organisation
    value: Decimal


@dataclass(frozen=True)
class PlanView:
    shipments: list[ShipmentView]
    coverage: list[CoverageRow]
    shortage: list[tuple[Material, int]]  # materials still short after the plan
    owed: list[Owed]
    problems: list[plan.Problem]
    total_value: Decimal
    total_km: int
    transfers: int
    by_key: dict[tuple[int, int], plan.Coverage]

    def coverage_of(self, organisation_id: int, material_id: int) -> plan.Coverage | None:
        """One municipality's coverage in one material (for the lines of a shipment)."""
        return self.by_key.get((organisation_id, material_id))

    def coverage_matrix(self) -> list[tuple[Organisation, dict[int, plan.Coverage]]]:
        """Coverage per municipality (alphabetical) and material id, for a table."""
        rows: dict[int, tuple[Organisation, dict[int, plan.Coverage]]] = {}
        for row in self.coverage:
            rows.setdefault(row.organisation.id, (row.organisation, {}))[1][
                row.material.id] = row.item
        return list(rows.values())

    def worst_after(self, organisation_id: int) -> float | None:
        """The municipality's lowest days of supply over its materials after the plan."""
        values = [row.item.after for row in self.coverage
                  if row.organisation.id == organisation_id]
        return min(values) if values else None

    def unpriced(self) -> list[Material]:
        """Materials moved by the plan that have no compensation price (valued at 0 kr)."""
        found = {line.material.id: line.material for trip in self.shipments
                 for line in trip.lines if not line.value}
        return sorted(found.values(), key=lambda material: material.sort_order)


def plan_view(data: RoundInputs, transfers: list[plan.PlanTransfer],
              catalogue: dict[int, Material]) -> PlanView:
    """Everything the pages show of ``transfers`` on the round's figures."""
    trips = plan.shipments(transfers, data.materials, data.distance())
    orgs = data.organisations
    shipments = [ShipmentView(orgs[trip.giver_id], orgs[trip.receiver_id], trip.km,
                              [_line(t, data, catalogue) for t in trip.transfers], trip.value)
                 for trip in trips]
    cover = plan.coverage(data.sites, transfers, data.rules)
    rows = sorted((CoverageRow(orgs[org_id], catalogue[material_id], item)
                   for (org_id, material_id), item in cover.items()),
                  key=lambda row: (row.organisation.name, row.material.sort_order))
    shortage = [(catalogue[m_id], units) for m_id, units in
                sorted(plan.shortage_by_material(cover).items(),
                       key=lambda item: catalogue[item[0]].sort_order) if units]
    owed = [Owed(orgs[receiver], orgs[giver], value)
            for (receiver, giver), value in sorted(_owed(trips).items())]
    return PlanView(shipments, rows, shortage, owed,
                    plan.check(data.sites, data.materials, transfers, data.rules),
                    sum((trip.value for trip in trips), Decimal(0)),
                    sum(trip.km for trip in trips), len(transfers), cover)


def _line(t: plan.PlanTransfer, data: RoundInputs, catalogue: dict[int, Material]) -> Line:
    pack = data.materials[t.material_id].pack_size
    return Line(t.key, catalogue[t.material_id], t.quantity, t.quantity // pack,
                plan.value_of(t, data.materials))


def _owed(trips: list[plan.Shipment]) -> dict[tuple[int, int], Decimal]:
    owed: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for trip in trips:
        owed[(trip.receiver_id, trip.giver_id)] += trip.value
    return owed


def shipments_map(county_code: str, view: PlanView, *, width: int = 480,
                  id_prefix: str = "shipments-map") -> Markup:
    """The county map with every shipment drawn as an arrow, its width by value."""
    involved = {org.id for trip in view.shipments for org in (trip.giver, trip.receiver)}
    areas = {}
    for row in view.coverage:
        org = row.organisation
        if org.scb_code and org.scb_code not in areas:
            level = "green" if org.id in involved else "none"
            areas[org.scb_code] = MapArea(org.scb_code, level, org.name)
    arrows = [Arrow(trip.giver.scb_code, trip.receiver.scb_code, float(trip.value) or 1.0,
                    gettext("%(giver)s till %(receiver)s: %(value)s kr", giver=trip.giver.name,
                            receiver=trip.receiver.name, value=number(trip.value)))
              for trip in view.shipments if trip.giver.scb_code and trip.receiver.scb_code]
    return county_map_svg(
        county_code, areas, arrows=arrows, width=width, id_prefix=id_prefix,
        title=gettext("Karta: sändningar i förslaget"),
        description=gettext("Pilarna går från givande till mottagande kommun; bredden visar "
                            "värdet. Samma uppgifter finns i tabellen över sändningar."),
        legend=[LegendItem("green", gettext("Ger eller tar emot")),
                LegendItem("none", gettext("Ingen sändning"))])


def material_name(material: Material) -> str:
    return material.name_for(current_language())


#: Municipalities per coverage chart: their names fit side by side on an A4 page.
CHART_GROUP = 8


def coverage_charts(view: PlanView, horizon_days: int) -> list[Markup]:
    """Bar charts of each giving or receiving municipality's lowest days of supply, before
    and after the plan, over the materials it gives or gets (capped at the horizon: more
    than that is "enough"); several charts of :data:`CHART_GROUP` municipalities each."""
    lowest: dict[int, tuple[Organisation, float, float]] = {}
    for row in view.coverage:
        if not (row.item.received or row.item.given):
            continue
        org, before, after = lowest.get(row.organisation.id, (row.organisation, math.inf,
                                                              math.inf))
        lowest[row.organisation.id] = (org, min(before, row.item.before),
                                       min(after, row.item.after))
    ordered = sorted(lowest.values(), key=lambda entry: entry[0].name)
    charts = []
    for start in range(0, len(ordered), CHART_GROUP):
        group = ordered[start:start + CHART_GROUP]
        capped = [(org.name, min(before, horizon_days), min(after, horizon_days))
                  for org, before, after in group]
        charts.append(bar_chart_svg(
            [name for name, _, _ in capped],
            [Series(gettext("Före beslutet"), [before for _, before, _ in capped]),
             Series(gettext("Efter beslutet"), [after for _, _, after in capped])],
            title=gettext("Lägsta dagar av tillgång per kommun"),
            description=gettext("Före och efter beslutet, i de material kommunen ger eller "
                                "får; högst %(h)s dagar visas.", h=horizon_days),
            y_label=gettext("Dagar"), format_number=lambda value: number(value, 1),
            width=640, height=220, id_prefix=f"coverage-chart-{start // CHART_GROUP}"))
    return charts
