"""The SVG output is byte-identical to what it was when these digests were recorded.

Recorded from the code before ``county_map_svg`` and ``trend_chart_svg`` were split into
named parts; any change in the output (a coordinate, an attribute's order, a newline)
changes a digest. When the output is meant to change, check the new drawing by eye and
record the new digests (``python -m tests.documents.test_svg_golden`` prints them).
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import pytest
from markupsafe import Markup

from app.documents.svg import LegendItem, MapArea, Series, county_map_svg, trend_chart_svg

LEGEND = (
    LegendItem("red", "Under 7 dagar"),
    LegendItem("yellow", "7–14 dagar"),
    LegendItem("green", "Minst 14 dagar"),
    LegendItem("none", "Ingen rapport"),
)
LONG_LEGEND = tuple(LegendItem(item.level, f"{item.label} – förklaring som radbryts")
                    for item in LEGEND)
WEEKS = ["v. 44", "v. 45", "v. 46", "v. 47", "v. 48"]


def swedish(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ").replace(".", ",")


def _vasternorrland_with_links() -> Markup:
    areas = {
        "2281": MapArea("2281", "red", "Sundsvall: 4,5 dagar", href="/k/2281?p=1&q=2"),
        "2283": MapArea("2283", "green", "Sollefteå: 30 dagar", href="/k/2283"),
        "2284": MapArea("2284", "yellow", "Örnsköldsvik: 9 dagar"),
        "2280": MapArea("2280", "none", "Härnösand: <ej> rapporterat"),
    }
    return county_map_svg("22", areas, title="Västernorrlands län", description="Dagar",
                          legend=LEGEND)


def _vastra_gotaland_narrow_without_labels() -> Markup:
    return county_map_svg("14", {}, title="Västra Götaland", description="Ingen data",
                          legend=LEGEND, width=300, id_prefix="vg", show_labels=False)


def _stockholm_missing_label_no_legend() -> Markup:
    return county_map_svg("01", {"0180": MapArea("0180", "red", "Stockholm")},
                          title="Stockholms län", description="Karta", legend=(),
                          missing_label=lambda name: f"{name}: ej rapporterat")


def _norrbotten_wide_wrapped_legend() -> Markup:
    return county_map_svg("25", {}, title="Norrbotten", description="Bred", width=640,
                          legend=LONG_LEGEND)


def _chart_with_thresholds() -> Markup:
    series = [Series("Munskydd IIR", [3, 4, 5, 6, 7]), Series("Handskar", [20, 18, 16, 14, 12]),
              Series("FFP2", [1, 1, 1, 1, 1])]
    return trend_chart_svg(WEEKS, series, title="Munskydd", description="Per vecka",
                           y_label="Dagar", thresholds=(7, 14), format_number=swedish,
                           x_label="Vecka")


def _chart_with_gaps_infinity_and_clipping() -> Markup:
    series = [Series("<Kramfors & co>", [3, math.inf, 50, None, 7]),
              Series("Timrå", [None, None, 2.5, 3.5, None])]
    return trend_chart_svg(WEEKS, series, title="a < b", description="Luckor",
                           y_label="Dagar", thresholds=(0, 14), y_max=21)


def _empty_chart() -> Markup:
    return trend_chart_svg([], [], title="Tom", description="Inget", y_label="Dagar")


def _year_of_ten_series() -> Markup:
    weeks = [f"v. {week}" for week in range(1, 53)]
    series = [Series(f"Kommun {i}", [float((w * (i + 1)) % 40) for w in range(52)])
              for i in range(10)]
    return trend_chart_svg(weeks, series, title="Året", description="Tio kommuner",
                           y_label="Dagar", thresholds=(7, 14), width=720, height=300)


def _single_period_custom_ids() -> Markup:
    return trend_chart_svg(["2026-11-24"], [Series("A", [math.inf])], title="En dag",
                           description="Oändligt", y_label="Days", inf_label="oändligt",
                           id_prefix="trend-x", format_number=lambda v: f"{v:g}")


CASES: dict[str, tuple[Callable[[], Markup], str]] = {
    "vasternorrland_with_links": (
        _vasternorrland_with_links,
        "5b415bfa8b4396c9817e1cf00b11e0eabc70b34b33da35e3fc5edd1078d39812"),
    "vastra_gotaland_narrow_without_labels": (
        _vastra_gotaland_narrow_without_labels,
        "a833a186c6577dc9e0de88fec3da088ed1fb079f914e1d5317298ea4cc924512"),
    "stockholm_missing_label_no_legend": (
        _stockholm_missing_label_no_legend,
        "c8f8caccfc9db30f5de8aed963612b4c57070f625e525d29fa01af4628c30c18"),
    "norrbotten_wide_wrapped_legend": (
        _norrbotten_wide_wrapped_legend,
        "87332c5111d02c9e5a2248c0e90d0e8cfcf3eb956cf91bd81743feb56e8f1e53"),
    "chart_with_thresholds": (
        _chart_with_thresholds,
        "46ee70a96cd2f707d03fa5448cddaca832dacc2af2c72b3af09ad1c06145c1e9"),
    "chart_with_gaps_infinity_and_clipping": (
        _chart_with_gaps_infinity_and_clipping,
        "6761befc8d1a7dca275b6f98ee496465850b396afb2e7878fadfe9d7dece6af2"),
    "empty_chart": (
        _empty_chart,
        "000d2df511df503b61b8d8fedf5a82316316ff82c34d4ae29fee80735ce40e87"),
    "year_of_ten_series": (
        _year_of_ten_series,
        "d039eae35801359320fd603675b37632f8ef07ae4331412ad7243d16a6b6d69a"),
    "single_period_custom_ids": (
        _single_period_custom_ids,
        "f4f080762876ffd800de4d162f0981eb5e7fae4effd190712550340106fd7e9d"),
}


def digest(svg: Markup) -> str:
    return hashlib.sha256(str(svg).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", CASES)
def test_output_is_byte_identical_to_the_recorded_digest(name: str) -> None:
    draw, expected = CASES[name]
    assert digest(draw()) == expected


if __name__ == "__main__":
    for name, (draw, _) in CASES.items():
        print(f"{name}: {digest(draw())}")
