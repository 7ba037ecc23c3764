"""The bar chart: one bar per value with a title, legend swatches, pure and byte-stable."""
from __future__ import annotations

import re

import pytest

from app.documents.svg import SERIES_COLOURS, Series, bar_chart_svg

WEEKS = ["v. 49 2026", "v. 50 2026", "v. 51 2026"]
SERIES = [Series("Munskydd", [12_000, 0, 3_000]), Series("Handskar", [None, 500, 800])]


def _chart(**kwargs: object) -> str:
    return str(bar_chart_svg(WEEKS, SERIES, title="Väntade leveranser",
                             description="Per vecka", y_label="Antal", **kwargs))


def test_one_bar_per_non_zero_value_with_a_title() -> None:
    svg = _chart(format_number=lambda v: f"{v:,.0f}".replace(",", " "))
    bars = re.findall(r'<rect class="chart-bar chart-point--(\d)"[^>]*><title>([^<]+)</title>',
                      svg)
    assert bars == [("0", "Munskydd, v. 49 2026: 12 000"), ("0", "Munskydd, v. 51 2026: 3 000"),
                    ("1", "Handskar, v. 50 2026: 500"), ("1", "Handskar, v. 51 2026: 800")]
    assert f'fill="{SERIES_COLOURS[0]}"' in svg and f'fill="{SERIES_COLOURS[1]}"' in svg
    assert svg.count("chart-legend__swatch") == 2 and ">Handskar</text>" in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


def test_the_chart_is_deterministic_escaped_and_csp_safe() -> None:
    assert _chart() == _chart()
    svg = str(bar_chart_svg(["<v1>"], [Series("A & B", [1])], title="t", description="d",
                            y_label="y", id_prefix="x"))
    assert "&lt;v1&gt;" in svg and "A &amp; B" in svg and "style=" not in svg
    assert "<script" not in svg and 'aria-labelledby="x-title x-desc"' in svg


def test_taller_bars_for_larger_values() -> None:
    heights = [float(h) for h in re.findall(r'class="chart-bar[^"]*"[^>]*height="([\d.]+)"',
                                            _chart())]
    assert heights[0] > heights[1] > 0


@pytest.mark.parametrize(("series", "message"), [
    ([Series("A", [1, 2])], "has 2 values for 3 x labels"),
    ([Series("A", [1, -1, 0])], "invalid value"),
    ([Series("A", [1, float("inf"), 0])], "invalid value"),
    ([Series("A", [1, float("nan"), 0])], "invalid value"),
])
def test_bad_input_is_refused(series: list[Series], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bar_chart_svg(WEEKS, series, title="t", description="d", y_label="y")


def test_an_empty_chart_renders() -> None:
    svg = str(bar_chart_svg([], [], title="t", description="d", y_label="y"))
    assert svg.startswith("<svg") and "chart-bar " not in svg
