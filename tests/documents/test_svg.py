"""The county map and trend chart SVGs: structure, accessibility, escaping, determinism."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markupsafe import Markup

from app.documents.svg import (
    ARROW_STROKE,
    BAND_FILLS,
    LEVEL_FILLS,
    SERIES_COLOURS,
    SERIES_DASHES,
    THRESHOLD_STROKES,
    Arrow,
    LegendItem,
    MapArea,
    Series,
    county_codes,
    county_map_svg,
    municipalities_in_county,
    municipality_points,
    nice_y_max,
    trend_chart_svg,
)

NS = "{http://www.w3.org/2000/svg}"
CHARTS_CSS = Path(__file__).parents[2] / "app" / "static" / "css" / "charts.css"
VASTERNORRLAND = {"2260", "2262", "2280", "2281", "2282", "2283", "2284"}
LEGEND = (
    LegendItem("red", "Under 7 dagar"),
    LegendItem("yellow", "7–14 dagar"),
    LegendItem("green", "Minst 14 dagar"),
    LegendItem("none", "Ingen rapport"),
)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in classes(e)]


def title_of(element: ET.Element) -> str | None:
    title = element.find(f"{NS}title")
    return None if title is None else title.text


def draw_map(county: str = "22", areas: dict[str, MapArea] | None = None, **kwargs) -> Markup:
    kwargs.setdefault("title", "Västernorrlands län")
    kwargs.setdefault("description", "Dagar av tillgång per kommun")
    kwargs.setdefault("legend", LEGEND)
    return county_map_svg(county, areas or {}, **kwargs)


def swedish(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ").replace(".", ",")


def draw_chart(x_labels, series, **kwargs) -> Markup:
    kwargs.setdefault("title", "Munskydd")
    kwargs.setdefault("description", "Dagar av tillgång per vecka")
    kwargs.setdefault("y_label", "Dagar")
    return trend_chart_svg(x_labels, series, **kwargs)


def assert_csp_safe(svg: str) -> None:
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    assert "<style" not in svg.lower()


# --------------------------------------------------------------------------- county map


def test_vasternorrland_has_one_path_per_municipality():
    areas = {
        "2281": MapArea("2281", "red", "Sundsvall: 4,5 dagar av tillgång"),
        "2283": MapArea("2283", "green", "Sollefteå: 30 dagar av tillgång"),
    }
    svg = draw_map(areas=areas)
    root = parse(svg)

    assert isinstance(svg, Markup)
    paths = root.iter(f"{NS}path")
    by_code = {p.get("data-code"): p for p in paths}
    assert set(by_code) == VASTERNORRLAND
    assert len(with_class(root, "map-area")) == 7
    assert classes(by_code["2281"]) == {"map-area", "map-area--red"}
    assert title_of(by_code["2281"]) == "Sundsvall: 4,5 dagar av tillgång"
    assert by_code["2281"].get("fill") == LEVEL_FILLS["red"]
    assert classes(by_code["2283"]) == {"map-area", "map-area--green"}
    # Not reported: drawn grey with the municipality's name as its text.
    assert classes(by_code["2262"]) == {"map-area", "map-area--none"}
    assert title_of(by_code["2262"]) == "Timrå"


def test_accessible_name_and_description():
    root = parse(draw_map())

    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert (title_id, desc_id) == ("county-map-22-title", "county-map-22-desc")
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}title").text == "Västernorrlands län"
    assert root.find(f"{NS}desc").get("id") == desc_id
    assert root.find(f"{NS}desc").text == "Dagar av tillgång per kommun"


def test_areas_with_href_are_labelled_links():
    areas = {
        "2281": MapArea("2281", "yellow", "Sundsvall: 9 dagar", href="/lagesbild/2281?v=47&x=1"),
        "2280": MapArea("2280", "none", "Härnösand: ingen rapport", href="/lagesbild/2280"),
        "2284": MapArea("2284", "green", "Örnsköldsvik: 20 dagar"),
    }
    root = parse(draw_map(areas=areas))

    links = list(root.iter(f"{NS}a"))
    assert [a.get("href") for a in links] == ["/lagesbild/2280", "/lagesbild/2281?v=47&x=1"]
    assert [a.get("aria-label") for a in links] == [
        "Härnösand: ingen rapport", "Sundsvall: 9 dagar"
    ]
    assert [a.find(f"{NS}path").get("data-code") for a in links] == ["2280", "2281"]
    # role="img" would hide the links from screen readers.
    assert root.get("role") == "group"


def test_municipalities_run_in_swedish_alphabetical_order():
    root = parse(draw_map())
    titles = [title_of(p) for p in with_class(root, "map-area")]
    assert titles == [
        "Härnösand", "Kramfors", "Sollefteå", "Sundsvall", "Timrå", "Ånge", "Örnsköldsvik"
    ]
    assert municipalities_in_county("22")[-1] == ("2284", "Örnsköldsvik")


def test_missing_label_and_codes_of_other_counties():
    areas = {"0180": MapArea("0180", "red", "Stockholm")}
    root = parse(draw_map(areas=areas, missing_label=lambda name: f"{name}: ingen rapport"))

    assert title_of(with_class(root, "map-area")[0]) == "Härnösand: ingen rapport"
    assert not [e for e in with_class(root, "map-area--red") if e.tag == f"{NS}path"]


def test_legend_uses_the_level_classes():
    root = parse(draw_map())
    swatches = with_class(root, "map-legend__swatch")
    labels = [t.text for t in with_class(root, "map-legend__label")]

    assert [classes(s) - {"map-legend__swatch"} for s in swatches] == [
        {"map-area--red"}, {"map-area--yellow"}, {"map-area--green"}, {"map-area--none"}
    ]
    assert labels == [item.label for item in LEGEND]


def test_names_are_drawn_with_halo_and_hidden_from_screen_readers():
    root = parse(draw_map())
    group = with_class(root, "map-labels")[0]
    names = [t.text for t in with_class(root, "map-label")]

    assert group.get("aria-hidden") == "true"
    assert "Sundsvall" in names and "Örnsköldsvik" in names
    assert len(with_class(root, "map-label-halo")) == len(names)
    assert not with_class(parse(draw_map(show_labels=False)), "map-label")


def test_text_is_escaped():
    nasty = 'A <b>&</b> "quoted" \'single\''
    areas = {"2281": MapArea("2281", "red", nasty, href='/x?a="1"&b=<2>')}
    svg = draw_map(
        areas=areas, title=nasty, description=nasty, legend=[LegendItem("red", nasty)]
    )
    root = parse(svg)

    assert "<b>" not in svg
    assert root.find(f"{NS}title").text == nasty
    assert root.find(f"{NS}desc").text == nasty
    link = next(root.iter(f"{NS}a"))
    assert link.get("aria-label") == nasty
    assert link.get("href") == '/x?a="1"&b=<2>'
    assert title_of(link.find(f"{NS}path")) == nasty
    assert with_class(root, "map-legend__label")[0].text == nasty


def test_map_is_csp_safe():
    areas = {"2281": MapArea("2281", "red", "Sundsvall", href="/k/2281")}
    assert_csp_safe(draw_map(areas=areas))


@pytest.mark.parametrize(
    ("county", "areas", "message"),
    [
        ("99", {}, "unknown county"),
        ("2", {}, "unknown county"),
        ("22", {"2281": MapArea("2281", "purple", "x")}, "unknown level"),
        ("22", {"2281": MapArea("2280", "red", "x")}, "filed under"),
        ("22", {"2281": MapArea("2281", "red", "x", href="javascript:alert(1)")}, "scheme"),
        ("22", {"2281": MapArea("2281", "red", "x", href=" java\tscript:alert(1)")}, "scheme"),
    ],
)
def test_map_rejects_bad_input(county, areas, message):
    with pytest.raises(ValueError, match=message):
        draw_map(county, areas)


def test_legend_with_unknown_level_is_rejected():
    with pytest.raises(ValueError, match="unknown level"):
        draw_map(legend=[LegendItem("blue", "x")])


def test_every_county_renders_with_a_sane_shape():
    codes = county_codes()
    assert len(codes) == 21
    total = 0
    for county in codes:
        svg = draw_map(county)
        root = parse(svg)
        assert_csp_safe(svg)
        _, _, width, height = (float(v) for v in root.get("viewBox").split())
        assert width == 480
        assert 0.4 < height / width < 1.5, county
        areas = with_class(root, "map-area")
        assert len(areas) == len(municipalities_in_county(county))
        total += len(areas)
        # Every coordinate rounded to one decimal and inside the viewBox.
        for path in areas:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
            assert all(0 <= n <= width for n in numbers[::2]), county
            assert all(0 <= n <= height for n in numbers[1::2]), county
            assert not re.search(r"\d\.\d\d", path.get("d"))
    assert total == 290


def test_vastra_gotaland_has_49_municipalities():
    root = parse(draw_map("14", title="Västra Götalands län"))
    assert len(with_class(root, "map-area")) == 49


def test_paths_have_no_repeated_points():
    root = parse(draw_map("01"))
    for path in with_class(root, "map-area"):
        for ring in re.findall(r"M([^Z]*)Z", path.get("d")):
            points = re.findall(r"-?[\d.]+ -?[\d.]+", ring.replace("L", " "))
            assert len(points) >= 3
            assert all(a != b for a, b in zip(points, points[1:], strict=False))
            assert points[0] != points[-1]


def test_multipolygon_and_holes_become_subpaths_of_one_path():
    jonkoping = parse(draw_map("06"))
    d_by_code = {p.get("data-code"): p.get("d") for p in with_class(jonkoping, "map-area")}
    assert d_by_code["0680"].count("M") > 1  # a MultiPolygon of three parts
    karlskrona = [p for p in with_class(parse(draw_map("10")), "map-area")
                  if p.get("data-code") == "1080"]
    assert karlskrona[0].get("d").count("M") == 2  # a Polygon with a hole


def test_map_width_and_ids_can_be_chosen():
    root = parse(draw_map(width=300, id_prefix="map-a"))
    assert root.get("width") == "300"
    assert root.get("aria-labelledby") == "map-a-title map-a-desc"


def test_map_is_deterministic():
    areas = {"2281": MapArea("2281", "red", "Sundsvall", href="/k/2281")}
    assert draw_map(areas=areas) == draw_map(areas=dict(areas))


def test_municipality_points_lie_on_the_map_where_the_municipalities_are():
    points = municipality_points("22")
    root = parse(draw_map(legend=()))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())

    assert set(points) == VASTERNORRLAND
    assert all(0 < x < width and 0 < y < height for x, y in points.values())
    # Örnsköldsvik is the northernmost, Sundsvall lies south of Timrå.
    assert min(points, key=lambda code: points[code][1]) == "2284"
    assert points["2281"][1] > points["2262"][1]
    assert max(x for x, _ in municipality_points("22", width=960).values()) > width


def test_municipality_points_of_an_unknown_county_are_refused():
    with pytest.raises(ValueError, match="unknown county"):
        municipality_points("99")


def _arrow_start(path: ET.Element) -> tuple[float, float]:
    x, y = re.match(r"M([-\d.]+) ([-\d.]+)Q", path.get("d")).groups()
    return float(x), float(y)


def test_arrows_join_the_points_with_a_width_by_value_a_head_and_a_title():
    arrows = [Arrow("2281", "2262", 100, "Sundsvall till Timrå: 100 st"),
              Arrow("2284", "2280", 400, "Örnsköldsvik till Härnösand: 400 st")]
    svg = draw_map(arrows=arrows)
    root = parse(svg)
    paths = with_class(root, "map-arrow")
    marker = root.find(f"{NS}defs/{NS}marker")
    points = municipality_points("22")

    assert [title_of(p) for p in paths] == [a.label for a in arrows]
    assert [p.get("stroke-width") for p in paths] == ["2.9", "7"]
    assert {p.get("marker-end") for p in paths} == {f"url(#{marker.get('id')})"}
    assert with_class(root, "map-arrows")[0].get("stroke") == ARROW_STROKE
    start = _arrow_start(paths[0])
    assert math.dist(start, points["2281"]) == pytest.approx(5, abs=0.2)
    assert_csp_safe(svg)
    # Drawn over the areas and under the names.
    order = [classes(g) for g in root if g.tag == f"{NS}g"]
    assert order.index({"map-areas"}) < order.index({"map-arrows"}) < order.index({"map-labels"})


def test_arrows_both_ways_bend_apart():
    root = parse(draw_map(arrows=[Arrow("2281", "2262", 1, "dit"),
                                  Arrow("2262", "2281", 1, "tillbaka")]))
    there, back = (re.search(r"Q([-\d.]+ [-\d.]+) ", p.get("d")).group(1)
                   for p in with_class(root, "map-arrow"))
    assert there != back


@pytest.mark.parametrize(
    ("arrow", "message"),
    [
        (Arrow("2281", "0180", 1, "x"), "two different municipalities"),
        (Arrow("2281", "2281", 1, "x"), "two different municipalities"),
        (Arrow("2281", "2262", 0, "x"), "positive"),
        (Arrow("2281", "2262", math.nan, "x"), "positive"),
        (Arrow("2281", "2262", math.inf, "x"), "positive"),
    ],
)
def test_bad_arrows_are_refused(arrow, message):
    with pytest.raises(ValueError, match=message):
        draw_map(arrows=[arrow])


def test_arrow_titles_are_escaped():
    root = parse(draw_map(arrows=[Arrow("2281", "2262", 1, "<b>&</b>")]))
    assert title_of(with_class(root, "map-arrow")[0]) == "<b>&</b>"


# --------------------------------------------------------------------------- trend chart

WEEKS = ["v. 44", "v. 45", "v. 46", "v. 47", "v. 48"]


def test_one_line_per_series_with_markers_and_legend():
    series = [
        Series("Munskydd IIR", [3, 4, 5, 6, 7]),
        Series("Handskar", [20, 18, 16, 14, 12]),
        Series("FFP2", [1, 1, 1, 1, 1]),
    ]
    svg = draw_chart(WEEKS, series, format_number=swedish)
    root = parse(svg)

    lines = with_class(root, "chart-line")
    assert [sorted(classes(line)) for line in lines] == [
        ["chart-line", "chart-line--0"], ["chart-line", "chart-line--1"],
        ["chart-line", "chart-line--2"],
    ]
    assert [title_of(line) for line in lines] == ["Munskydd IIR", "Handskar", "FFP2"]
    assert lines[1].get("stroke-dasharray") == SERIES_DASHES[1]
    assert len(with_class(root, "chart-point")) == 15
    assert title_of(with_class(root, "chart-point")[2]) == "Munskydd IIR, v. 46: 5,0"
    assert [t.text for t in with_class(root, "chart-legend__label")] == [
        "Munskydd IIR", "Handskar", "FFP2"
    ]
    assert root.get("role") == "img"
    assert_csp_safe(svg)


def test_series_slots_repeat_after_eight():
    series = [Series(f"Kommun {i}", [i, i + 1]) for i in range(10)]
    lines = with_class(parse(draw_chart(["v. 1", "v. 2"], series)), "chart-line")
    assert len(lines) == 10
    assert "chart-line--0" in classes(lines[8]) and "chart-line--1" in classes(lines[9])


def test_none_leaves_a_gap():
    root = parse(draw_chart(WEEKS, [Series("Munskydd", [3, 4, None, 6, 7])]))
    d = with_class(root, "chart-line")[0].get("d")

    assert d.count("M") == 2
    assert len(with_class(root, "chart-point")) == 4


def test_all_none_draws_no_line_and_no_points():
    root = parse(draw_chart(WEEKS, [Series("Munskydd", [None] * 5)]))
    assert with_class(root, "chart-line")[0].get("d") == ""
    assert not with_class(root, "chart-point")


def test_ticks_use_the_formatter_and_thresholds_set_the_scale():
    root = parse(draw_chart(WEEKS, [Series("A", [3, 4, 5, 6, 7])], thresholds=(7, 14),
                            format_number=swedish))
    ticks = [t.text for t in with_class(root, "chart-tick")[:4]]
    assert ticks == ["0,0", "7,0", "14,0", "21,0"]


def test_default_formatter_prints_whole_ticks_without_decimals():
    root = parse(draw_chart(WEEKS, [Series("A", [3, 40, 5, 6, 7])]))
    assert [t.text for t in root.iter(f"{NS}text") if "chart-tick" in classes(t)][:6] == [
        "0", "10", "20", "30", "40", "v. 44"
    ]


def test_thresholds_are_drawn_as_bands_and_lines():
    root = parse(draw_chart(WEEKS, [Series("A", [3, 4, 5, 6, 7])], thresholds=(7, 14)))
    red, yellow = with_class(root, "chart-band--red")[0], with_class(root, "chart-band--yellow")[0]

    assert red.get("fill") == BAND_FILLS["red"]
    # The red band (0–7) is as high as the yellow one (7–14) and sits right under it.
    assert float(red.get("height")) == pytest.approx(float(yellow.get("height")), abs=0.2)
    assert float(yellow.get("y")) + float(yellow.get("height")) == pytest.approx(
        float(red.get("y")), abs=0.2
    )
    assert len(with_class(root, "chart-threshold--red")) == 1
    assert len(with_class(root, "chart-threshold--yellow")) == 1
    assert not with_class(parse(draw_chart(WEEKS, [])), "chart-band")


def test_infinity_and_values_above_y_max_are_drawn_at_the_top():
    series = [Series("A", [3, math.inf, 50, None, 7])]
    root = parse(draw_chart(WEEKS, series, y_max=21, format_number=swedish))
    points = with_class(root, "chart-point")
    grid_top = min(float(t.get("y")) for t in with_class(root, "chart-tick")[:4])

    assert title_of(points[1]) == "A, v. 45: ∞"
    assert title_of(points[2]) == "A, v. 46: 50,0"
    assert "chart-point--clipped" in classes(points[1])
    assert "chart-point--clipped" not in classes(points[0])
    tops = [float(m) for m in re.findall(r"M[-\d.]+ ([-\d.]+)", points[1].get("d"))]
    assert tops and all(y < grid_top for y in tops)


def test_empty_chart_and_single_period_render():
    empty = parse(draw_chart([], []))
    assert not with_class(empty, "chart-line") and not with_class(empty, "chart-legend")

    single = parse(draw_chart(["v. 47"], [Series("A", [2.5])]))
    assert len(with_class(single, "chart-point")) == 1
    assert with_class(single, "chart-line")[0].get("d").count("M") == 1


@pytest.mark.parametrize(
    ("x_labels", "series", "kwargs", "message"),
    [
        (WEEKS, [Series("A", [1, 2, -1, 3, 4])], {}, "invalid value"),
        (WEEKS, [Series("A", [1, 2, math.nan, 3, 4])], {}, "invalid value"),
        (WEEKS, [Series("A", [1, 2])], {}, "2 values for 5"),
        (WEEKS, [], {"thresholds": (14, 7)}, "thresholds"),
        (WEEKS, [], {"y_max": 0}, "y_max"),
    ],
)
def test_chart_rejects_bad_input(x_labels, series, kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_chart(x_labels, series, **kwargs)


def test_chart_is_deterministic_and_escaped():
    series = [Series("<Kramfors & co>", [3, None, math.inf, 6, 7])]
    first = draw_chart(WEEKS, series, thresholds=(7, 14), title="a < b")
    second = draw_chart(list(WEEKS), [Series("<Kramfors & co>", (3, None, math.inf, 6, 7))],
                        thresholds=(7, 14), title="a < b")
    root = parse(first)

    assert first == second
    assert root.find(f"{NS}title").text == "a < b"
    assert title_of(with_class(root, "chart-line")[0]) == "<Kramfors & co>"
    assert root.get("aria-labelledby") == (
        f"{root.find(f'{NS}title').get('id')} {root.find(f'{NS}desc').get('id')}"
    )


def test_many_periods_thin_out_the_labels():
    weeks = [f"v. {w}" for w in range(1, 53)]
    root = parse(draw_chart(weeks, [Series("A", [float(w) for w in range(52)])]))
    x_ticks = [t for t in root.iter(f"{NS}text") if t.text and t.text.startswith("v. ")]
    assert 4 <= len(x_ticks) < 52
    assert x_ticks[0].text == "v. 1"


@pytest.mark.parametrize(
    ("values", "thresholds", "expected"),
    [
        ([], None, 1),
        ([0.3], None, 1),
        ([3, 4, 5], (7, 14), 21),
        ([40], (7, 14), 42),
        ([23], None, 25),
        ([math.inf, 8], None, 8),
        ([1234], None, 1250),
        ([100], (7, 14), 100),
    ],
)
def test_nice_y_max(values, thresholds, expected):
    assert nice_y_max(values, thresholds) == expected


# --------------------------------------------------------------------------- stylesheet


def css_value(css: str, selector: str, prop: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, selector
    declarations = dict(
        (part.split(":", 1)[0].strip(), part.split(":", 1)[1].strip())
        for part in match.group(1).split(";")
        if ":" in part
    )
    return declarations[prop]


def test_stylesheet_matches_the_presentation_attributes():
    css = CHARTS_CSS.read_text(encoding="utf-8")
    for level, colour in LEVEL_FILLS.items():
        assert css_value(css, f".map-area--{level}", "fill") == colour
    for level, colour in BAND_FILLS.items():
        assert css_value(css, f".chart-band--{level}", "fill") == colour
    for level, colour in THRESHOLD_STROKES.items():
        assert css_value(css, f".chart-threshold--{level}", "stroke") == colour
    for slot, colour in enumerate(SERIES_COLOURS):
        assert css_value(css, f".chart-line--{slot}", "stroke") == colour
        assert css_value(css, f".chart-point--{slot}", "fill") == colour
        if SERIES_DASHES[slot]:
            assert css_value(css, f".chart-line--{slot}", "stroke-dasharray") == (
                SERIES_DASHES[slot]
            )
    assert css_value(css, ".map-arrow", "stroke") == ARROW_STROKE
    assert "a:focus .map-area" in css
