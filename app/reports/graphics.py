"""The county picture's map and trend charts, with their text alternatives."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from app.core.formatting import current_language, number
from app.core.formatting import days as format_days
from app.core.models import Material, Organisation
from app.documents.svg import LegendItem, MapArea, Series, county_map_svg, trend_chart_svg
from app.reports.labels import period_label
from app.reports.picture import CountyPicture, Figure

MAX_MUNICIPALITY_SERIES = 6


@dataclass(frozen=True)
class Graphics:
    map_svg: Markup
    chart_svg: Markup
    chart_labels: list[str]
    chart_series: list[Series]


def legend(picture: CountyPicture) -> list[LegendItem]:
    settings = picture.settings
    return [
        LegendItem("red", _("Under %(days)s dagar", days=settings.red_below_days)),
        LegendItem("yellow", _("%(low)s–%(high)s dagar", low=settings.red_below_days,
                               high=settings.yellow_below_days)),
        LegendItem("green", _("%(days)s dagar eller mer", days=settings.yellow_below_days)),
        LegendItem("none", _("Ej rapporterat")),
    ]


def _area_label(org: Organisation, figure: Figure | None) -> str:
    if figure is None:
        return _("%(name)s: ej rapporterat", name=org.name)
    return _("%(name)s: %(days)s dagar av tillgång", name=org.name, days=format_days(figure.days))


@dataclass(frozen=True)
class ChartChoice:
    """Which municipalities the trend chart shows, and whether the user chose them."""

    shown: list[int]  # organisation ids, in the chart's order
    chosen_by_user: bool


def municipality_chart_choices(picture: CountyPicture, material: Material,
                               requested: list[int]) -> ChartChoice:
    """The municipalities the user asked for (at most :data:`MAX_MUNICIPALITY_SERIES`), or
    by default those with the fewest days of supply now."""
    known = [row.organisation.id for row in picture.rows]
    wanted = [org_id for org_id in dict.fromkeys(requested) if org_id in known]
    if wanted:
        return ChartChoice(wanted[:MAX_MUNICIPALITY_SERIES], True)
    reported = [row for row in picture.rows if material.id in row.cells]
    reported.sort(key=lambda row: row.cells[material.id].days or 0.0)
    return ChartChoice([row.organisation.id for row in reported[:MAX_MUNICIPALITY_SERIES]],
                       False)


def county_graphics(picture: CountyPicture, material: Material, shown: list[int]) -> Graphics:
    """Map coloured by the material's days of supply, and its trend over recent periods for
    the county and the municipalities in ``shown``."""
    areas = {
        row.organisation.scb_code: MapArea(
            code=row.organisation.scb_code,
            level=row.cells[material.id].level if material.id in row.cells else "none",
            label=_area_label(row.organisation, row.cells.get(material.id)),
            href=url_for("reports.county_municipality", county_code=picture.county_code,
                         org_id=row.organisation.id, period=picture.period.start.isoformat()),
        )
        for row in picture.rows
    }
    name = material.name_for(current_language())
    map_svg = county_map_svg(
        picture.county_code, areas,
        title=_("Karta: dagar av tillgång, %(material)s", material=name),
        description=_("Kommunerna färgade efter dagar av tillgång för vald period. "
                      "Välj en kommun för att se detaljer."),
        legend=legend(picture))
    labels = [period_label(period) for period in picture.periods]
    names = {row.organisation.id: row.organisation.name for row in picture.rows}
    series = [Series(_("Länet totalt"), picture.trend[material.id])]
    series += [Series(names[org_id], picture.municipality_trend[(org_id, material.id)])
               for org_id in shown]
    chart_svg = trend_chart_svg(
        labels, series,
        title=_("Trend: dagar av tillgång, %(material)s", material=name),
        description=_("Dagar av tillgång per period för länet och kommunerna %(names)s.",
                      names=", ".join(names[org_id] for org_id in shown) or "–"),
        y_label=_("Dagar"), thresholds=(picture.settings.red_below_days,
                                         picture.settings.yellow_below_days),
        format_number=number)
    return Graphics(map_svg, chart_svg, labels, series)
