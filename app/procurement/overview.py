"""The county's procurement at a glance: open offers and orders, expected deliveries per week
(a bar chart with the same figures as a table), and the need they leave uncovered."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext
from markupsafe import Markup

from app.core.formatting import current_language, number
from app.core.models import Material
from app.documents.svg import Series, bar_chart_svg
from app.procurement import orders, services
from app.procurement.models import Offer, PooledOrder
from app.reports.labels import period_label
from app.reports.periods import Frequency, Period, period_containing


@dataclass(frozen=True)
class NeedRow:
    """One material: the county's need over the horizon and what offers and orders do to it."""

    material: Material
    ordered: int  # jointly ordered, expected within the horizon
    uncovered: int  # the need that remains after everything expected (units)
    offered: int  # units in open offers


@dataclass(frozen=True)
class Overview:
    offers: list[Offer]
    orders: list[PooledOrder]
    weeks: list[Period]
    expected: dict[int, dict[Period, int]]  # material id → week → units
    expected_materials: list[Material]
    chart: Markup | None
    need: list[NeedRow]
    horizon_days: int


def _expected_per_week(county_code: str) -> dict[int, dict[Period, int]]:
    """Ordered, undelivered units per material and ISO week of their expected date."""
    org_ids = [org.id for org in orders.participants_of(county_code)]
    found: dict[int, dict[Period, int]] = defaultdict(lambda: defaultdict(int))
    for item in orders.expected_deliveries(org_ids):
        found[item.material_id][period_containing(item.expected_on, Frequency.WEEKLY)] += (
            item.quantity)
    return found


def _chart(weeks: list[Period], expected: dict[int, dict[Period, int]],
           materials: list[Material]) -> Markup | None:
    if not weeks:
        return None
    language = current_language()
    series = [Series(m.name_for(language), [expected[m.id].get(week, 0) for week in weeks])
              for m in materials]
    return bar_chart_svg(
        [period_label(week) for week in weeks], series,
        title=gettext("Väntade leveranser per vecka"),
        description=gettext("Beställda men inte levererade enheter per vecka och material. "
                            "Samma siffror finns i tabellen under diagrammet."),
        y_label=gettext("Antal"), format_number=number, id_prefix="expected-per-week")


def county_overview(county_code: str) -> Overview:
    """Everything the overview page shows, in a fixed number of queries."""
    materials = services.materials()
    offers = services.offers_of(county_code, open_only=True)
    expected = _expected_per_week(county_code)
    weeks = sorted({week for per_week in expected.values() for week in per_week})
    with_deliveries = [m for m in materials if m.id in expected]
    supply = services.latest_supply(county_code, materials)
    offered: dict[int, int] = defaultdict(int)
    for offer in offers:
        offered[offer.material_id] += offer.quantity
    ordered: dict[int, int] = defaultdict(int)
    for (_, material_id), figure in supply.figures.items():
        ordered[material_id] += figure.ordered
    need = [NeedRow(m, ordered[m.id], services.county_need(supply, m), offered[m.id])
            for m in materials]
    return Overview(offers, orders.orders_of(county_code), weeks, expected, with_deliveries,
                    _chart(weeks, expected, with_deliveries), need, supply.horizon_days)
