"""Server-rendered SVG for pages and PDFs: a county map (with optional arrows) and a trend chart.

Pure: the standard library and ``markupsafe`` only, and the municipality boundaries read
from ``app/data/kommuner.geojson``. Same input, byte-identical output.

A strict Content-Security-Policy forbids inline ``style=`` attributes and ``<script>``, so
the SVG carries only classes and presentation attributes. Colours are given twice on
purpose: as presentation attributes, because WeasyPrint (v70) does not apply the HTML
page's stylesheets to inline SVG, and as classes, so ``app/static/css/charts.css`` styles
the screen (focus, hover, print). ``tests/documents/test_svg.py`` keeps the two in step.
Sizes that the layout depends on (font sizes, text anchors) are attributes only.

Text widths are estimated (no font metrics here), generously enough for Swedish names.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

from markupsafe import Markup, escape

LEVELS = ("red", "yellow", "green", "none")

#: Fills of the map areas and legend swatches (mirrored in charts.css).
LEVEL_FILLS = {
    "red": "#c8413c",
    "yellow": "#f2c94c",
    "green": "#6ab47a",
    "none": "#dcdfe3",
}
#: Bands behind the trend chart: the pale backgrounds of ``.level--*`` in app.css.
BAND_FILLS = {"red": "#f9d6d5", "yellow": "#fff0b3"}
#: Threshold lines: the dark inks of ``.level--*`` in app.css.
THRESHOLD_STROKES = {"red": "#7a1212", "yellow": "#5c4400"}
#: Series colours after Okabe & Ito (colour-blind safe); the light ones darkened for contrast.
SERIES_COLOURS = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#1b1f24", "#b86e00", "#3a8fc2", "#8c6d00",
)
#: Dash patterns so the series stay apart in black-and-white print ("" = solid).
SERIES_DASHES = ("", "7 3", "2 3", "9 3 2 3", "13 4", "4 2 1 2", "1 2", "10 2 2 2 2 2")
INK = "#1b1f24"
MUTED = "#525a63"
GRID = "#c9ced4"
HALO = "#ffffff"

_SVG_NS = "http://www.w3.org/2000/svg"
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
_CHAR_WIDTH = 0.55  # estimated advance of an average character, in ems
_SAFE_SCHEMES = frozenset({"", "http", "https"})
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


@dataclass(frozen=True)
class MapArea:
    """One municipality on the county map.

    ``level`` is one of :data:`LEVELS`; ``label`` the accessible text, already formatted
    (e.g. "Kramfors: 4,5 dagar av tillgång"); with ``href`` the area becomes a link.
    """

    code: str
    level: str
    label: str
    href: str | None = None


@dataclass(frozen=True)
class LegendItem:
    """One swatch of the map legend: a level and its text (e.g. "Under 7 dagar")."""

    level: str
    label: str


@dataclass(frozen=True)
class Series:
    """One line of the trend chart: days of supply per x label.

    ``None`` is a gap (no data); ``math.inf`` (no consumption) is drawn at the top.
    """

    label: str
    values: Sequence[float | None]


# --------------------------------------------------------------------------- helpers


def _num(value: float) -> str:
    """A coordinate with at most one decimal and no "-0"."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * _CHAR_WIDTH


def swedish_sort_key(name: str) -> str:
    """Sort key putting å, ä, ö after z, as Swedish readers expect."""
    return name.casefold().translate(_SWEDISH_ORDER)


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return level


def _check_href(href: str) -> str:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    scheme = urlsplit(re.sub(r"[\x00-\x20]", "", href)).scheme.lower()
    if scheme not in _SAFE_SCHEMES:
        raise ValueError(f"refusing link with scheme {scheme!r}")
    return href


def _flow_rows(widths: Iterable[float], available: float, gap: float) -> list[list[int]]:
    """Indexes of items laid out left to right, ``gap`` apart, wrapped at ``available``."""
    rows: list[list[int]] = []
    used = 0.0
    for index, item_width in enumerate(widths):
        if not rows or used + gap + item_width > available:
            rows.append([])
            used = -gap
        rows[-1].append(index)
        used += gap + item_width
    return rows


# --------------------------------------------------------------------------- map data


@dataclass(frozen=True)
class _Municipality:
    code: str
    name: str
    point: tuple[float, float]  # (lon, lat)
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]  # polygon > ring > point


@cache
def _municipalities_by_county() -> Mapping[str, tuple[_Municipality, ...]]:
    """All municipalities from the geojson, grouped by county code (parsed once)."""
    text = files("app.data").joinpath("kommuner.geojson").read_text(encoding="utf-8")
    by_county: dict[str, list[_Municipality]] = {}
    for feature in json.loads(text)["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"unexpected geometry {geometry['type']} for {props['id']}")
        lat, lon = props["geo_point_2d"]
        by_county.setdefault(props["lan_code"], []).append(
            _Municipality(
                code=props["id"],
                name=props["kom_namn"],
                point=(float(lon), float(lat)),
                polygons=tuple(
                    tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in polygon)
                    for polygon in polygons
                ),
            )
        )
    return {
        county: tuple(sorted(items, key=lambda m: (swedish_sort_key(m.name), m.code)))
        for county, items in sorted(by_county.items())
    }


def county_codes() -> tuple[str, ...]:
    """The two-digit codes of the counties in the boundary file, sorted."""
    return tuple(_municipalities_by_county())


def municipalities_in_county(county_code: str) -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of a county's municipalities in Swedish alphabetical order.

    Raises ValueError for an unknown county code.
    """
    return tuple((m.code, m.name) for m in _county(county_code))


def _county(county_code: str) -> tuple[_Municipality, ...]:
    try:
        return _municipalities_by_county()[county_code]
    except KeyError:
        raise ValueError(f"unknown county code {county_code!r}") from None


_MAP_PAD = 8.0
_MAP_MAX_ASPECT = 1.25  # the map is at most this many times as high as wide
_MAP_LABEL_SIZE = 10.0
_LEGEND_SIZE = 12.0
_SWATCH = 14.0
_LEGEND_GAP = 12.0

Point = tuple[float, float]
_Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class _Projection:
    """Equirectangular, shrunk east-west by cos(latitude) so shapes keep their proportions."""

    min_lon: float
    max_lat: float
    k: float
    scale: float
    offset_x: float
    map_height: float  # padding included

    def __call__(self, lon: float, lat: float) -> Point:
        return (self.offset_x + (lon - self.min_lon) * self.k * self.scale,
                _MAP_PAD + (self.max_lat - lat) * self.scale)


def _projection(municipalities: Sequence[_Municipality], width: int) -> _Projection:
    """Fit the county's bounding box into ``width`` (and at most 1.25 × width high)."""
    rings = [ring for m in municipalities for polygon in m.polygons for ring in polygon]
    lons = [x for ring in rings for x, _ in ring]
    lats = [y for ring in rings for _, y in ring]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * k, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    inner_w = width - 2 * _MAP_PAD
    scale = min(inner_w / span_x, (width * _MAP_MAX_ASPECT - 2 * _MAP_PAD) / span_y)
    offset_x = _MAP_PAD + (inner_w - span_x * scale) / 2
    return _Projection(min_lon, max_lat, k, scale, offset_x, span_y * scale + 2 * _MAP_PAD)


@dataclass(frozen=True)
class _Projected:
    """A municipality in map units: its path, the box and area of its outer rings, its point."""

    municipality: _Municipality
    d: str
    box: _Box
    area: float
    point: Point


def _ring_path(points: Iterable[Point]) -> str:
    """``M x y L x y ... Z`` of a ring after rounding, without repeated points."""
    texts: list[tuple[str, str]] = []
    for x, y in points:
        pair = (_num(x), _num(y))
        if not texts or texts[-1] != pair:
            texts.append(pair)
    if len(texts) > 1 and texts[-1] == texts[0]:
        texts.pop()  # the closing point: Z draws that edge
    if len(texts) < 3:
        return ""
    head, *rest = texts
    return f"M{head[0]} {head[1]}L" + " ".join(f"{x} {y}" for x, y in rest) + "Z"


def _ring_area(points: Sequence[Point]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))
    ) / 2


def _project_municipality(m: _Municipality, project: _Projection) -> _Projected:
    polys = [[[project(*p) for p in ring] for ring in polygon] for polygon in m.polygons]
    d = "".join(_ring_path(ring) for polygon in polys for ring in polygon)
    x, y = project(*m.point)
    if not d:  # smaller than the rounding everywhere: keep a dot rather than nothing
        d = f"M{_num(x)} {_num(y)}h0.1v0.1h-0.1Z"
    outer = [polygon[0] for polygon in polys]
    xs = [px for ring in outer for px, _ in ring]
    ys = [py for ring in outer for _, py in ring]
    area = sum(_ring_area(ring) for ring in outer)
    return _Projected(m, d, (min(xs), min(ys), max(xs), max(ys)), area, (x, y))


def _label_box(item: _Projected, width: int) -> tuple[_Box, Point] | None:
    """Where the name fits inside the municipality's box, near its point: (box, anchor)."""
    x0, y0, x1, y1 = item.box
    text_w = _text_width(item.municipality.name, _MAP_LABEL_SIZE)
    text_h = _MAP_LABEL_SIZE * 1.2
    if text_w > (x1 - x0) or text_h > (y1 - y0):
        return None
    cx, cy = item.point
    cx = min(max(cx, x0 + text_w / 2, 2 + text_w / 2), x1 - text_w / 2, width - 2 - text_w / 2)
    cy = min(max(cy, y0 + text_h / 2), y1 - text_h / 2)
    box = (cx - text_w / 2 - 2, cy - text_h / 2, cx + text_w / 2 + 2, cy + text_h / 2)
    return box, (cx, cy + _MAP_LABEL_SIZE * 0.35)


def _overlap(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(projected: Sequence[_Projected], width: int) -> dict[str, Point]:
    """Text anchors of the names that fit, clear of each other; the largest choose first."""
    placed: dict[str, Point] = {}
    taken: list[_Box] = []
    for item in sorted(projected, key=lambda item: (-item.area, item.municipality.code)):
        fitted = _label_box(item, width)
        if fitted is None or any(_overlap(fitted[0], other) for other in taken):
            continue
        taken.append(fitted[0])
        placed[item.municipality.code] = fitted[1]
    return placed


@dataclass(frozen=True)
class _Shape:
    code: str
    name: str
    d: str
    label_at: Point | None  # text anchor (middle, baseline) if the name fits
    point: Point


@dataclass(frozen=True)
class _MapLayout:
    width: int
    map_height: float
    shapes: tuple[_Shape, ...]


@lru_cache(maxsize=64)
def _county_layout(county_code: str, width: int) -> _MapLayout:
    """Project a county into ``width`` user units: paths, points and label positions."""
    municipalities = _county(county_code)
    project = _projection(municipalities, width)
    projected = [_project_municipality(m, project) for m in municipalities]
    labels = _place_labels(projected, width)
    shapes = tuple(
        _Shape(p.municipality.code, p.municipality.name, p.d, labels.get(p.municipality.code),
               p.point)
        for p in projected
    )
    return _MapLayout(width=width, map_height=project.map_height, shapes=shapes)


def municipality_points(county_code: str, width: int = 480) -> dict[str, Point]:
    """Where each municipality lies on :func:`county_map_svg` drawn ``width`` wide.

    ``{scb_code: (x, y)}`` in the map's user units (origin top left, y downwards): the
    municipality's centre point from the boundary file, projected like its outline. For
    drawing on top of the same map, e.g. shipments between municipalities.

    Raises ValueError for an unknown county code.
    """
    return {shape.code: shape.point for shape in _county_layout(county_code, int(width)).shapes}


# --------------------------------------------------------------------------- county map

#: Stroke and arrowhead of the shipment arrows (mirrored in charts.css).
ARROW_STROKE = "#0b4f71"
_ARROW_WIDTHS = (1.5, 7.0)  # stroke width of the smallest and of the largest value
_ARROW_BEND = 0.15  # sideways bulge of the curve, as a share of its length
_ARROW_TRIM = 5.0  # both ends stop this far short of the points (at most a quarter)


@dataclass(frozen=True)
class Arrow:
    """A shipment drawn on the county map, from one municipality to another.

    ``value`` (> 0, e.g. units shipped) sets the stroke width relative to the largest
    arrow; ``label`` is the arrow's accessible text (e.g. "Sundsvall till Timrå: 400 st").
    """

    from_code: str
    to_code: str
    value: float
    label: str


def _svg_open(css_class: str, role: str, prefix: str, width: int, height: float, title: str,
              description: str, extra: str = "") -> list[str]:
    """The root element with its accessible name and description."""
    return [
        f'<svg xmlns="{_SVG_NS}" class="{css_class}" role="{role}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'viewBox="0 0 {width} {_num(height)}" width="{width}" height="{_num(height)}" '
        f'font-family="{_FONT}"{extra}>',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]


def _check_map_input(areas: Mapping[str, MapArea], legend: Sequence[LegendItem],
                     arrows: Sequence[Arrow], codes: Iterable[str]) -> None:
    for key, area in areas.items():
        if key != area.code:
            raise ValueError(f"area {area.code!r} is filed under {key!r}")
        _check_level(area.level)
        if area.href is not None:
            _check_href(area.href)
    for item in legend:
        _check_level(item.level)
    known = set(codes)
    for arrow in arrows:
        if not {arrow.from_code, arrow.to_code} <= known or arrow.from_code == arrow.to_code:
            raise ValueError(f"arrow {arrow.from_code!r} -> {arrow.to_code!r} needs two "
                             "different municipalities of the county")
        if not (math.isfinite(arrow.value) and arrow.value > 0):
            raise ValueError(f"arrow value must be a positive number, got {arrow.value!r}")


def _map_area(shape: _Shape, area: MapArea | None,
              missing_label: Callable[[str], str] | None) -> str:
    """One municipality's path, wrapped in a link when the area has one."""
    level = area.level if area else "none"
    label = area.label if area else (missing_label or str)(shape.name)
    path = (
        f'<path class="map-area map-area--{level}" data-code="{escape(shape.code)}" '
        f'fill="{LEVEL_FILLS[level]}" d="{shape.d}"><title>{escape(label)}</title></path>'
    )
    if area and area.href:
        return (f'<a class="map-link" href="{escape(area.href)}" aria-label="{escape(label)}">'
                f"{path}</a>")
    return path


def _map_areas(layout: _MapLayout, areas: Mapping[str, MapArea],
               missing_label: Callable[[str], str] | None) -> list[str]:
    return [
        f'<g class="map-areas" stroke="{HALO}" stroke-width="1" stroke-linejoin="round" '
        'fill-rule="evenodd">',
        *(_map_area(shape, areas.get(shape.code), missing_label) for shape in layout.shapes),
        "</g>",
    ]


def _arrow_path(start: Point, end: Point) -> str:
    """A curve bending to the left of its direction (so A→B and B→A stay apart)."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    trim = min(_ARROW_TRIM, length / 4)
    sx, sy, ex, ey = x0 + ux * trim, y0 + uy * trim, x1 - ux * trim, y1 - uy * trim
    bulge = _ARROW_BEND * length
    cx, cy = (sx + ex) / 2 + uy * bulge, (sy + ey) / 2 - ux * bulge
    return f"M{_num(sx)} {_num(sy)}Q{_num(cx)} {_num(cy)} {_num(ex)} {_num(ey)}"


def _map_arrows(layout: _MapLayout, arrows: Sequence[Arrow], prefix: str) -> list[str]:
    """The arrows layer: one curved path per arrow, as wide as its value, with a head."""
    points = {shape.code: shape.point for shape in layout.shapes}
    thinnest, widest = _ARROW_WIDTHS
    largest = max(arrow.value for arrow in arrows)
    marker = f"{prefix}-arrowhead"
    out = [
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="3" '
        f'markerHeight="3" orient="auto"><path d="M0 0L10 5L0 10Z" fill="{ARROW_STROKE}"/>'
        "</marker></defs>",
        f'<g class="map-arrows" fill="none" stroke="{ARROW_STROKE}" stroke-linecap="round">',
    ]
    for arrow in arrows:
        width = thinnest + (widest - thinnest) * arrow.value / largest
        d = _arrow_path(points[arrow.from_code], points[arrow.to_code])
        out.append(
            f'<path class="map-arrow" d="{d}" stroke-width="{_num(width)}" '
            f'marker-end="url(#{marker})">'
            f"<title>{escape(arrow.label)}</title></path>"
        )
    out.append("</g>")
    return out


def _map_labels(layout: _MapLayout) -> list[str]:
    """The names that fit, hidden from screen readers (the areas carry the text)."""
    placed = [(shape.name, *(_num(v) for v in shape.label_at))
              for shape in layout.shapes if shape.label_at]
    # Halo first, then the text: works without paint-order (WeasyPrint lacks it).
    halos = [
        f'<text class="map-label-halo" x="{x}" y="{y}" fill="{HALO}" '
        f'stroke="{HALO}" stroke-width="3" stroke-linejoin="round">{escape(name)}</text>'
        for name, x, y in placed
    ]
    names = [f'<text class="map-label" x="{x}" y="{y}" fill="{INK}">{escape(name)}</text>'
             for name, x, y in placed]
    return [
        f'<g class="map-labels" aria-hidden="true" font-size="{_num(_MAP_LABEL_SIZE)}" '
        'text-anchor="middle">',
        *halos, *names, "</g>",
    ]


def _flow_positions(rows: Sequence[Sequence[int]], widths: Sequence[float], start: float
                    ) -> Iterator[tuple[int, int, float]]:
    """``(row, index, x)`` of each legend item, left to right from ``start``, row by row."""
    for row_index, row in enumerate(rows):
        x = start
        for index in row:
            yield row_index, index, x
            x += widths[index] + _LEGEND_GAP


def _map_legend(legend: Sequence[LegendItem], widths: Sequence[float],
                rows: Sequence[Sequence[int]], top: float) -> list[str]:
    """Swatches and texts under the map, in the rows :func:`_flow_rows` chose."""
    if not rows:
        return []
    out = [f'<g class="map-legend" font-size="{_num(_LEGEND_SIZE)}">']
    for row_index, index, x in _flow_positions(rows, widths, _MAP_PAD):
        item, y = legend[index], top + row_index * (_SWATCH + 8)
        out.append(
            f'<rect class="map-legend__swatch map-area--{item.level}" '
            f'x="{_num(x)}" y="{_num(y)}" width="{_num(_SWATCH)}" '
            f'height="{_num(_SWATCH)}" fill="{LEVEL_FILLS[item.level]}" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
        out.append(
            f'<text class="map-legend__label" x="{_num(x + _SWATCH + 6)}" '
            f'y="{_num(y + _SWATCH - 2)}" fill="{INK}">{escape(item.label)}</text>'
        )
    out.append("</g>")
    return out


def county_map_svg(
    county_code: str,
    areas: Mapping[str, MapArea],
    *,
    title: str,
    description: str,
    legend: Sequence[LegendItem],
    width: int = 480,
    id_prefix: str | None = None,
    missing_label: Callable[[str], str] | None = None,
    show_labels: bool = True,
    arrows: Sequence[Arrow] = (),
) -> Markup:
    """The county's municipalities as an SVG map coloured by level, with a legend.

    ``areas`` maps SCB codes to :class:`MapArea`; municipalities not in it are drawn as
    "none" with ``missing_label(name)`` (default: the name) as their text, and codes of
    other counties are ignored. Areas with ``href`` are links, in Swedish alphabetical
    order for the keyboard. ``width`` is in CSS pixels; the height follows the county's
    shape (at most 1.25 × width plus the legend). ``id_prefix`` (default
    ``county-map-{code}``) must be unique on the page. ``arrows`` are drawn over the
    areas, under the names, between the points of :func:`municipality_points`.

    Raises ValueError for an unknown county, an unknown level, an area whose code differs
    from its key, a link that is not http(s) or relative, or an arrow that does not join
    two municipalities of the county or whose value is not positive.
    """
    layout = _county_layout(county_code, int(width))
    prefix = id_prefix or f"county-map-{county_code}"
    _check_map_input(areas, legend, arrows, (shape.code for shape in layout.shapes))

    legend_widths = [_SWATCH + 6 + _text_width(item.label, _LEGEND_SIZE) for item in legend]
    rows = _flow_rows(legend_widths, width - 2 * _MAP_PAD, _LEGEND_GAP)
    legend_top = layout.map_height + 4
    height = legend_top + len(rows) * (_SWATCH + 8) + (_MAP_PAD if rows else 0)
    # role="img" would hide the links from assistive technology; a group keeps them.
    role = "group" if any(area.href for area in areas.values()) else "img"
    out = _svg_open("county-map", role, prefix, width, height, title, description)
    out += _map_areas(layout, areas, missing_label)
    if arrows:
        out += _map_arrows(layout, arrows, prefix)
    if show_labels:
        out += _map_labels(layout)
    out += _map_legend(legend, legend_widths, rows, legend_top)
    out.append("</svg>")
    return Markup("\n".join(out))


# --------------------------------------------------------------------------- trend chart

_CHART_FONT = 12.0
_STEP_MANTISSAS = (1.0, 2.0, 2.5, 5.0)
_WEEKLY_STEPS = (7.0, 14.0, 28.0)
_MAX_INTERVALS = 6


_DECIMAL_STEPS = tuple(sorted(m * 10.0**e for e in range(-1, 8) for m in _STEP_MANTISSAS))


def _tick_step(top: float, thresholds: tuple[float, float] | None) -> float:
    """A readable tick step giving at most six intervals up to ``top``.

    A step that puts both thresholds on a tick (7 for 7 and 14 days) wins; otherwise
    1, 2, 2.5 or 5 times a power of ten.
    """
    def fits(step: float) -> bool:
        return math.ceil(top / step - 1e-9) <= _MAX_INTERVALS

    if thresholds:
        for step in sorted(_DECIMAL_STEPS + _WEEKLY_STEPS):
            if fits(step) and all(
                abs(t / step - round(t / step)) < 1e-9 for t in thresholds if t > 0
            ):
                return step
    return next(step for step in _DECIMAL_STEPS if fits(step))


def nice_y_max(values: Iterable[float], thresholds: tuple[float, float] | None = None) -> float:
    """The default top of the y axis: the largest finite value rounded up to a tick.

    At least 1, and at least 1.5 × the upper threshold when thresholds are given.
    """
    top = max((v for v in values if math.isfinite(v)), default=0.0)
    if thresholds:
        top = max(top, thresholds[1] * 1.5)
    top = max(top, 1.0)
    step = _tick_step(top, thresholds)
    return round(math.ceil(top / step - 1e-9) * step, 9)


def _tick_value(value: float) -> float:
    """Whole ticks as int, so ``str`` prints "7" rather than "7.0"."""
    value = round(value, 9)
    return int(value) if value == int(value) else value


def _y_ticks(top: float, thresholds: tuple[float, float] | None) -> list[float]:
    """The y axis ticks from 0 up to ``top``, one :func:`_tick_step` apart."""
    step = _tick_step(top, thresholds)
    return [_tick_value(i * step) for i in range(int(math.floor(top / step + 1e-9)) + 1)]


def _marker(shape: int, x: float, y: float) -> str:
    """Path of a point marker: circle, square, triangle or diamond (for print)."""
    if shape == 0:
        return f"M{_num(x - 3.5)} {_num(y)}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0Z"
    if shape == 1:
        return f"M{_num(x - 3)} {_num(y - 3)}h6v6h-6Z"
    if shape == 2:
        return f"M{_num(x)} {_num(y - 4)}l4 7h-8Z"
    return f"M{_num(x)} {_num(y - 4.5)}l4.5 4.5l-4.5 4.5l-4.5 -4.5Z"


def _check_chart_input(x_labels: Sequence[str], series: Sequence[Series],
                       thresholds: tuple[float, float] | None, y_max: float | None) -> None:
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(
                f"series {s.label!r} has {len(s.values)} values for {len(x_labels)} x labels"
            )
        for v in s.values:
            if v is not None and (math.isnan(v) or v < 0):
                raise ValueError(f"series {s.label!r} has an invalid value {v!r}")
    if thresholds is not None:
        low, high = thresholds
        if not (math.isfinite(low) and math.isfinite(high) and 0 <= low <= high):
            raise ValueError(f"thresholds must be 0 <= red <= yellow, got {thresholds!r}")
    if y_max is not None and not (math.isfinite(y_max) and y_max > 0):
        raise ValueError(f"y_max must be a positive number, got {y_max!r}")


@dataclass(frozen=True)
class _Frame:
    """The trend chart's plot area (x0..x1, y0..y1 downwards) and its scales."""

    x0: float
    x1: float
    y0: float
    y1: float
    top: float  # the value at the top of the y axis
    band: float  # the width of one period

    @property
    def plot_w(self) -> float:
        return max(self.x1 - self.x0, 1.0)

    @property
    def plot_h(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    def to_x(self, index: int) -> float:
        """The middle of period ``index``."""
        return self.x0 + self.band * (index + 0.5)

    def to_y(self, value: float) -> float:
        """The height of ``value``; values above the top (and infinity) at the top."""
        return self.y1 - min(value, self.top) / self.top * self.plot_h


def _frame(tick_texts: Sequence[str], periods: int, top: float, width: int, height: int,
           has_x_label: bool) -> _Frame:
    """Margins for the y ticks and the axis titles around the plot area."""
    font = _CHART_FONT
    left = 8 + font * 1.2 + 6 + max((_text_width(t, font) for t in tick_texts), default=0) + 6
    bottom = font * 2 + (font * 1.5 if has_x_label else 0)
    x0, x1, y0, y1 = left, width - 12.0, font, height - bottom
    plot_w = max(x1 - x0, 1.0)
    return _Frame(x0, x1, y0, y1, top, plot_w / periods if periods else plot_w)


def _chart_id(title: str, description: str, y_label: str, x_labels: Sequence[str],
              series: Sequence[Series]) -> str:
    """A default id prefix that differs between charts of different content."""
    digest = hashlib.sha1(
        "\x1f".join([title, description, y_label, *x_labels, *(s.label for s in series)])
        .encode("utf-8")
    ).hexdigest()[:10]
    return f"trend-{digest}"


def _threshold_bands(frame: _Frame, thresholds: tuple[float, float]) -> list[str]:
    """Red below the first threshold, yellow up to the second, and a dashed line at each."""
    out = ['<g class="chart-bands">']
    lower = 0.0
    for level, limit in zip(("red", "yellow"), thresholds, strict=True):
        if limit > lower and lower < frame.top:
            y_top, y_bottom = frame.to_y(limit), frame.to_y(lower)
            out.append(
                f'<rect class="chart-band chart-band--{level}" x="{_num(frame.x0)}" '
                f'y="{_num(y_top)}" width="{_num(frame.plot_w)}" '
                f'height="{_num(y_bottom - y_top)}" fill="{BAND_FILLS[level]}"/>'
            )
        lower = max(lower, limit)
    for level, limit in zip(("red", "yellow"), thresholds, strict=True):
        if 0 < limit <= frame.top:
            y = _num(frame.to_y(limit))
            out.append(
                f'<line class="chart-threshold chart-threshold--{level}" '
                f'x1="{_num(frame.x0)}" y1="{y}" x2="{_num(frame.x1)}" y2="{y}" '
                f'stroke="{THRESHOLD_STROKES[level]}" stroke-width="1.5" stroke-dasharray="6 3"/>'
            )
    out.append("</g>")
    return out


def _grid_and_axes(frame: _Frame, ticks: Sequence[float]) -> list[str]:
    x0, x1 = _num(frame.x0), _num(frame.x1)
    out = [f'<g class="chart-grid" stroke="{GRID}" stroke-width="1">']
    for tick in ticks[1:]:
        y = _num(frame.to_y(tick))
        out.append(f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>')
    out.append("</g>")
    out.append(
        f'<g class="chart-axes" stroke="{INK}" stroke-width="1">'
        f'<line class="chart-axis chart-axis--y" x1="{x0}" y1="{_num(frame.y0)}" '
        f'x2="{x0}" y2="{_num(frame.y1)}"/>'
        f'<line class="chart-axis chart-axis--x" x1="{x0}" y1="{_num(frame.y1)}" '
        f'x2="{x1}" y2="{_num(frame.y1)}"/></g>'
    )
    return out


def _y_tick_labels(frame: _Frame, ticks: Sequence[float], texts: Sequence[str]) -> list[str]:
    out = [f'<g class="chart-ticks chart-ticks--y" text-anchor="end" fill="{INK}">']
    for tick, text in zip(ticks, texts, strict=True):
        out.append(
            f'<text class="chart-tick" x="{_num(frame.x0 - 6)}" '
            f'y="{_num(frame.to_y(tick) + _CHART_FONT * 0.35)}">{escape(text)}</text>'
        )
    out.append("</g>")
    return out


def _x_tick_labels(frame: _Frame, x_labels: Sequence[str]) -> list[str]:
    """Every k-th period label, so that they do not overlap."""
    widest = max((_text_width(label, _CHART_FONT) for label in x_labels), default=0.0) + 8
    every = max(1, math.ceil(widest / frame.band)) if x_labels else 1
    out = [f'<g class="chart-ticks chart-ticks--x" text-anchor="middle" fill="{INK}">']
    for index, label in enumerate(x_labels):
        if index % every == 0:
            out.append(
                f'<text class="chart-tick" x="{_num(frame.to_x(index))}" '
                f'y="{_num(frame.y1 + _CHART_FONT * 1.4)}">{escape(label)}</text>'
            )
    out.append("</g>")
    return out


def _axis_titles(frame: _Frame, y_label: str, x_label: str | None, height: int) -> list[str]:
    y_mid, y_title_x = (frame.y0 + frame.y1) / 2, 8 + _CHART_FONT
    out = [
        f'<text class="chart-axis-title chart-axis-title--y" x="{_num(y_title_x)}" '
        f'y="{_num(y_mid)}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 {_num(y_title_x)} {_num(y_mid)})">{escape(y_label)}</text>'
    ]
    if x_label:
        out.append(
            f'<text class="chart-axis-title chart-axis-title--x" '
            f'x="{_num((frame.x0 + frame.x1) / 2)}" y="{_num(height - _CHART_FONT * 0.5)}" '
            f'text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
        )
    return out


def _series_style(index: int) -> tuple[int, str, str]:
    """Slot, colour and dash attribute of the ``index``-th series (repeating after eight)."""
    slot = index % len(SERIES_COLOURS)
    dash = f' stroke-dasharray="{SERIES_DASHES[slot]}"' if SERIES_DASHES[slot] else ""
    return slot, SERIES_COLOURS[slot], dash


def _line_path(points: Iterable[str | None]) -> str:
    """``Mx yLx y ...`` through the points, starting a new subpath after each gap (None)."""
    segments: list[list[str]] = []
    previous_missing = True
    for point in points:
        if point is not None:
            if previous_missing:
                segments.append([point])
            else:
                segments[-1].append(point)
        previous_missing = point is None
    return "".join(
        f"M{points[0]}" + ("L" + " ".join(points[1:]) if len(points) > 1 else "")
        for points in segments
    )


def _series_group(frame: _Frame, index: int, series: Series, x_labels: Sequence[str],
                  format_number: Callable[[float], str], inf_label: str) -> list[str]:
    """One series: its line, and a marker with a "label, x: value" title per value."""
    slot, colour, dash = _series_style(index)
    points: list[str | None] = []
    markers: list[str] = []
    for position, value in enumerate(series.values):
        if value is None:
            points.append(None)
            continue
        x, y = frame.to_x(position), frame.to_y(value)
        points.append(f"{_num(x)} {_num(y)}")
        shown = format_number(value) if math.isfinite(value) else inf_label
        clipped = " chart-point--clipped" if value > frame.top else ""
        markers.append(
            f'<path class="chart-point chart-point--{slot}{clipped}" '
            f'd="{_marker(index % 4, x, y)}"><title>'
            f"{escape(f'{series.label}, {x_labels[position]}: {shown}')}</title></path>"
        )
    out = [
        f'<g class="chart-series chart-series--{slot}">',
        f'<path class="chart-line chart-line--{slot}" d="{_line_path(points)}" fill="none" '
        f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"{dash}>'
        f"<title>{escape(series.label)}</title></path>",
    ]
    if markers:
        out += [f'<g fill="{colour}" stroke="{HALO}" stroke-width="1">', *markers, "</g>"]
    out.append("</g>")
    return out


def _line_key(i: int, x: float, y: float) -> tuple[list[str], float]:
    """A trend series' key in the legend: its line with its marker (and the label's offset)."""
    slot, colour, dash = _series_style(i)
    return [
        f'<line class="chart-legend__line chart-line--{slot}" x1="{_num(x)}" '
        f'y1="{_num(y)}" x2="{_num(x + 28)}" y2="{_num(y)}" stroke="{colour}" '
        f'stroke-width="2"{dash}/>',
        f'<path class="chart-legend__point chart-point--{slot}" '
        f'd="{_marker(i % 4, x + 14, y)}" fill="{colour}" stroke="{HALO}" '
        'stroke-width="1"/>',
    ], 34


def _swatch_key(i: int, x: float, y: float) -> tuple[list[str], float]:
    """A bar series' key in the legend: a swatch of its colour (and the label's offset)."""
    slot, colour, _ = _series_style(i)
    return [
        f'<rect class="chart-legend__swatch chart-point--{slot}" x="{_num(x)}" '
        f'y="{_num(y - 6)}" width="12" height="12" fill="{colour}"/>',
    ], 18


def _legend(series: Sequence[Series], widths: Sequence[float],
            rows: Sequence[Sequence[int]], height: int,
            key: Callable[[int, float, float], tuple[list[str], float]]) -> list[str]:
    """The ``key`` and the label of each series, in rows under the plot."""
    if not rows:
        return []
    row_height = _CHART_FONT + 8
    out = [f'<g class="chart-legend" fill="{INK}">']
    for row_index, i, x in _flow_positions(rows, widths, 8.0):
        y = height + 4 + row_index * row_height + row_height / 2
        glyphs, offset = key(i, x, y)
        out += glyphs
        out.append(
            f'<text class="chart-legend__label" x="{_num(x + offset)}" '
            f'y="{_num(y + _CHART_FONT * 0.35)}">{escape(series[i].label)}</text>'
        )
    out.append("</g>")
    return out


def trend_chart_svg(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_label: str,
    thresholds: tuple[float, float] | None = None,
    y_max: float | None = None,
    format_number: Callable[[float], str] = str,
    width: int = 560,
    height: int = 260,
    x_label: str | None = None,
    inf_label: str = "∞",
    id_prefix: str | None = None,
) -> Markup:
    """A line chart of days of supply per period, with red and yellow threshold bands.

    One ``<path class="chart-line chart-line--{i % 8}">`` per series (gaps where a value
    is None), a marker with a ``<title>`` "label, x: value" per value, and a legend below
    the plot (so the SVG is ``height`` plus the legend rows high). Values above ``y_max``
    and ``math.inf`` (shown as ``inf_label``) are drawn at the top. ``thresholds`` are
    (red below, yellow below) in days. ``id_prefix`` defaults to a hash of the input.

    Raises ValueError for a negative or NaN value, a series whose length differs from
    ``x_labels``, thresholds that are negative or out of order, or ``y_max`` <= 0.
    """
    _check_chart_input(x_labels, series, thresholds, y_max)
    finite = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else nice_y_max(finite, thresholds)
    ticks = _y_ticks(top, thresholds)
    tick_texts = [format_number(t) for t in ticks]
    frame = _frame(tick_texts, len(x_labels), top, width, height, bool(x_label))
    prefix = id_prefix or _chart_id(title, description, y_label, x_labels, series)

    legend_widths = [34 + _text_width(s.label, _CHART_FONT) for s in series]
    rows = _flow_rows(legend_widths, width - 16, _LEGEND_GAP)
    total_h = height + len(rows) * (_CHART_FONT + 8) + (4 if rows else 0)
    out = _svg_open("chart", "img", prefix, width, total_h, title, description,
                    f' font-size="{_num(_CHART_FONT)}"')
    if thresholds is not None:
        out += _threshold_bands(frame, thresholds)
    out += _grid_and_axes(frame, ticks)
    out += _y_tick_labels(frame, ticks, tick_texts)
    out += _x_tick_labels(frame, x_labels)
    out += _axis_titles(frame, y_label, x_label, height)
    for index, s in enumerate(series):
        out += _series_group(frame, index, s, x_labels, format_number, inf_label)
    out += _legend(series, legend_widths, rows, height, _line_key)
    out.append("</svg>")
    return Markup("\n".join(out))


# --------------------------------------------------------------------------- bar chart


_MAX_BAR_WIDTH = 36.0


def _check_bar_input(x_labels: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(
                f"series {s.label!r} has {len(s.values)} values for {len(x_labels)} x labels"
            )
        for v in s.values:
            if v is not None and not (math.isfinite(v) and v >= 0):
                raise ValueError(f"series {s.label!r} has an invalid value {v!r}")


def _bar_group(frame: _Frame, index: int, series: Series, count: int, x_labels: Sequence[str],
               format_number: Callable[[float], str]) -> list[str]:
    """One series' bars, side by side with the other series' in each period, with titles."""
    slot, colour, _ = _series_style(index)
    bar_w = min(frame.band * 0.8 / max(count, 1), _MAX_BAR_WIDTH)
    group_start = frame.band / 2 - bar_w * count / 2
    out = [f'<g class="chart-bars chart-bars--{slot}" fill="{colour}">']
    for position, value in enumerate(series.values):
        if not value:
            continue
        x = frame.x0 + frame.band * position + group_start + bar_w * index
        y = frame.to_y(value)
        label = f"{series.label}, {x_labels[position]}: {format_number(value)}"
        out.append(
            f'<rect class="chart-bar chart-point--{slot}" x="{_num(x)}" y="{_num(y)}" '
            f'width="{_num(bar_w)}" height="{_num(frame.y1 - y)}">'
            f"<title>{escape(label)}</title></rect>"
        )
    out.append("</g>")
    return out


def bar_chart_svg(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_label: str,
    format_number: Callable[[float], str] = str,
    width: int = 560,
    height: int = 260,
    x_label: str | None = None,
    id_prefix: str | None = None,
) -> Markup:
    """Grouped bars of quantities per period (e.g. units expected per week and material).

    One ``<rect class="chart-bar chart-point--{i % 8}">`` per non-zero value, with a
    ``<title>`` "label, x: value", side by side within each period, and a legend of
    swatches below the plot (so the SVG is ``height`` plus the legend rows high).
    ``id_prefix`` defaults to a hash of the input.

    Raises ValueError for a negative, infinite or NaN value, or a series whose length
    differs from ``x_labels``.
    """
    _check_bar_input(x_labels, series)
    finite = [v for s in series for v in s.values if v is not None]
    top = nice_y_max(finite)
    ticks = _y_ticks(top, None)
    tick_texts = [format_number(t) for t in ticks]
    frame = _frame(tick_texts, len(x_labels), top, width, height, bool(x_label))
    prefix = id_prefix or _chart_id(title, description, y_label, x_labels, series).replace(
        "trend-", "bars-")

    legend_widths = [18 + _text_width(s.label, _CHART_FONT) for s in series]
    rows = _flow_rows(legend_widths, width - 16, _LEGEND_GAP)
    total_h = height + len(rows) * (_CHART_FONT + 8) + (4 if rows else 0)
    out = _svg_open("chart chart--bars", "img", prefix, width, total_h, title, description,
                    f' font-size="{_num(_CHART_FONT)}"')
    out += _grid_and_axes(frame, ticks)
    out += _y_tick_labels(frame, ticks, tick_texts)
    out += _x_tick_labels(frame, x_labels)
    out += _axis_titles(frame, y_label, x_label, height)
    for index, s in enumerate(series):
        out += _bar_group(frame, index, s, len(series), x_labels, format_number)
    out += _legend(series, legend_widths, rows, height, _swatch_key)
    out.append("</svg>")
    return Markup("\n".join(out))
