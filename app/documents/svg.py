"""Server-rendered SVG for the situation reports: a county map and a trend chart.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
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


@dataclass(frozen=True)
class _Shape:
    code: str
    name: str
    d: str
    label_at: tuple[float, float] | None  # text anchor (middle, baseline) if the name fits


@dataclass(frozen=True)
class _MapLayout:
    width: int
    map_height: float
    shapes: tuple[_Shape, ...]


def _ring_path(points: Iterable[tuple[float, float]]) -> str:
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


def _ring_area(points: Sequence[tuple[float, float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))
    ) / 2


@lru_cache(maxsize=64)
def _county_layout(county_code: str, width: int) -> _MapLayout:
    """Project a county into ``width`` user units: paths and label positions."""
    municipalities = _county(county_code)
    rings = [ring for m in municipalities for polygon in m.polygons for ring in polygon]
    lons = [x for ring in rings for x, _ in ring]
    lats = [y for ring in rings for _, y in ring]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    # Equirectangular, shrunk east-west by cos(latitude) so shapes keep their proportions.
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * k, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    inner_w = width - 2 * _MAP_PAD
    scale = min(inner_w / span_x, (width * _MAP_MAX_ASPECT - 2 * _MAP_PAD) / span_y)
    offset_x = _MAP_PAD + (inner_w - span_x * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return offset_x + (lon - min_lon) * k * scale, _MAP_PAD + (max_lat - lat) * scale

    map_height = span_y * scale + 2 * _MAP_PAD
    projected = []
    for m in municipalities:
        polys = [[[project(*p) for p in ring] for ring in polygon] for polygon in m.polygons]
        d = "".join(_ring_path(ring) for polygon in polys for ring in polygon)
        if not d:  # smaller than the rounding everywhere: keep a dot rather than nothing
            x, y = project(*m.point)
            d = f"M{_num(x)} {_num(y)}h0.1v0.1h-0.1Z"
        outer = [polygon[0] for polygon in polys]
        xs = [x for ring in outer for x, _ in ring]
        ys = [y for ring in outer for _, y in ring]
        area = sum(_ring_area(ring) for ring in outer)
        projected.append((m, d, (min(xs), min(ys), max(xs), max(ys)), area))

    # Names go where they fit inside the municipality's box and clear of other names;
    # the largest municipalities choose first.
    placed: dict[str, tuple[float, float]] = {}
    taken: list[tuple[float, float, float, float]] = []
    for m, _, (x0, y0, x1, y1), _ in sorted(projected, key=lambda item: (-item[3], item[0].code)):
        text_w = _text_width(m.name, _MAP_LABEL_SIZE)
        text_h = _MAP_LABEL_SIZE * 1.2
        if text_w > (x1 - x0) or text_h > (y1 - y0):
            continue
        cx, cy = project(*m.point)
        cx = min(max(cx, x0 + text_w / 2, 2 + text_w / 2), x1 - text_w / 2, width - 2 - text_w / 2)
        cy = min(max(cy, y0 + text_h / 2), y1 - text_h / 2)
        box = (cx - text_w / 2 - 2, cy - text_h / 2, cx + text_w / 2 + 2, cy + text_h / 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        placed[m.code] = (cx, cy + _MAP_LABEL_SIZE * 0.35)

    shapes = tuple(_Shape(m.code, m.name, d, placed.get(m.code)) for m, d, _, _ in projected)
    return _MapLayout(width=width, map_height=map_height, shapes=shapes)


# --------------------------------------------------------------------------- county map


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
) -> Markup:
    """The county's municipalities as an SVG map coloured by level, with a legend.

    ``areas`` maps SCB codes to :class:`MapArea`; municipalities not in it are drawn as
    "none" with ``missing_label(name)`` (default: the name) as their text, and codes of
    other counties are ignored. Areas with ``href`` are links, in Swedish alphabetical
    order for the keyboard. ``width`` is in CSS pixels; the height follows the county's
    shape (at most 1.25 × width plus the legend). ``id_prefix`` (default
    ``county-map-{code}``) must be unique on the page.

    Raises ValueError for an unknown county, an unknown level, an area whose code differs
    from its key, or a link that is not http(s) or relative.
    """
    layout = _county_layout(county_code, int(width))
    prefix = id_prefix or f"county-map-{county_code}"
    for key, area in areas.items():
        if key != area.code:
            raise ValueError(f"area {area.code!r} is filed under {key!r}")
        _check_level(area.level)
        if area.href is not None:
            _check_href(area.href)
    for item in legend:
        _check_level(item.level)

    # Legend under the map, wrapped to the width.
    item_widths = [_SWATCH + 6 + _text_width(item.label, _LEGEND_SIZE) for item in legend]
    rows = _flow_rows(item_widths, width - 2 * _MAP_PAD, _LEGEND_GAP)
    row_height = _SWATCH + 8
    legend_top = layout.map_height + 4
    height = legend_top + len(rows) * row_height + (_MAP_PAD if rows else 0)

    has_links = any(area.href for area in areas.values())
    # role="img" would hide the links from assistive technology; a group keeps them.
    role = "group" if has_links else "img"
    out = [
        f'<svg xmlns="{_SVG_NS}" class="county-map" role="{role}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'viewBox="0 0 {width} {_num(height)}" width="{width}" height="{_num(height)}" '
        f'font-family="{_FONT}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        f'<g class="map-areas" stroke="{HALO}" stroke-width="1" stroke-linejoin="round" '
        'fill-rule="evenodd">',
    ]
    for shape in layout.shapes:
        area = areas.get(shape.code)
        level = area.level if area else "none"
        label = area.label if area else (missing_label or str)(shape.name)
        path = (
            f'<path class="map-area map-area--{level}" data-code="{escape(shape.code)}" '
            f'fill="{LEVEL_FILLS[level]}" d="{shape.d}"><title>{escape(label)}</title></path>'
        )
        if area and area.href:
            path = (
                f'<a class="map-link" href="{escape(area.href)}" aria-label="{escape(label)}">'
                f"{path}</a>"
            )
        out.append(path)
    out.append("</g>")

    if show_labels:
        out.append(
            f'<g class="map-labels" aria-hidden="true" font-size="{_num(_MAP_LABEL_SIZE)}" '
            'text-anchor="middle">'
        )
        # Halo first, then the text: works without paint-order (WeasyPrint lacks it).
        for shape in layout.shapes:
            if shape.label_at:
                x, y = (_num(v) for v in shape.label_at)
                out.append(
                    f'<text class="map-label-halo" x="{x}" y="{y}" fill="{HALO}" '
                    f'stroke="{HALO}" stroke-width="3" stroke-linejoin="round">'
                    f"{escape(shape.name)}</text>"
                )
        for shape in layout.shapes:
            if shape.label_at:
                x, y = (_num(v) for v in shape.label_at)
                out.append(
                    f'<text class="map-label" x="{x}" y="{y}" fill="{INK}">'
                    f"{escape(shape.name)}</text>"
                )
        out.append("</g>")

    if rows:
        out.append(f'<g class="map-legend" font-size="{_num(_LEGEND_SIZE)}">')
        for row_index, row in enumerate(rows):
            y = legend_top + row_index * row_height
            x = _MAP_PAD
            for index in row:
                item = legend[index]
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
                x += item_widths[index] + _LEGEND_GAP
        out.append("</g>")
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


def _marker(shape: int, x: float, y: float) -> str:
    """Path of a point marker: circle, square, triangle or diamond (for print)."""
    if shape == 0:
        return f"M{_num(x - 3.5)} {_num(y)}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0Z"
    if shape == 1:
        return f"M{_num(x - 3)} {_num(y - 3)}h6v6h-6Z"
    if shape == 2:
        return f"M{_num(x)} {_num(y - 4)}l4 7h-8Z"
    return f"M{_num(x)} {_num(y - 4.5)}l4.5 4.5l-4.5 4.5l-4.5 -4.5Z"


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

    finite = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else nice_y_max(finite, thresholds)
    step = _tick_step(top, thresholds)
    ticks = [_tick_value(i * step) for i in range(int(math.floor(top / step + 1e-9)) + 1)]
    tick_texts = [format_number(t) for t in ticks]

    font = _CHART_FONT
    left = 8 + font * 1.2 + 6 + max((_text_width(t, font) for t in tick_texts), default=0) + 6
    right = 12.0
    top_margin = font
    bottom = font * 2 + (font * 1.5 if x_label else 0)
    x0, x1, y0, y1 = left, width - right, top_margin, height - bottom
    plot_w, plot_h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)

    def to_y(value: float) -> float:
        return y1 - min(value, top) / top * plot_h

    n = len(x_labels)
    band = plot_w / n if n else plot_w

    def to_x(index: int) -> float:
        return x0 + band * (index + 0.5)

    if id_prefix is None:
        digest = hashlib.sha1(
            "\x1f".join([title, description, y_label, *x_labels, *(s.label for s in series)])
            .encode("utf-8")
        ).hexdigest()[:10]
        id_prefix = f"trend-{digest}"

    legend_widths = [34 + _text_width(s.label, font) for s in series]
    rows = _flow_rows(legend_widths, width - 16, _LEGEND_GAP)
    row_height = font + 8
    total_h = height + len(rows) * row_height + (4 if rows else 0)

    out = [
        f'<svg xmlns="{_SVG_NS}" class="chart" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'viewBox="0 0 {width} {_num(total_h)}" width="{width}" height="{_num(total_h)}" '
        f'font-family="{_FONT}" font-size="{_num(font)}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]

    if thresholds is not None:
        out.append('<g class="chart-bands">')
        lower = 0.0
        for level, limit in zip(("red", "yellow"), thresholds, strict=True):
            if limit > lower and lower < top:
                y_top, y_bottom = to_y(limit), to_y(lower)
                out.append(
                    f'<rect class="chart-band chart-band--{level}" x="{_num(x0)}" '
                    f'y="{_num(y_top)}" width="{_num(plot_w)}" height="{_num(y_bottom - y_top)}" '
                    f'fill="{BAND_FILLS[level]}"/>'
                )
            lower = max(lower, limit)
        for level, limit in zip(("red", "yellow"), thresholds, strict=True):
            if 0 < limit <= top:
                y = _num(to_y(limit))
                out.append(
                    f'<line class="chart-threshold chart-threshold--{level}" x1="{_num(x0)}" '
                    f'y1="{y}" x2="{_num(x1)}" y2="{y}" stroke="{THRESHOLD_STROKES[level]}" '
                    'stroke-width="1.5" stroke-dasharray="6 3"/>'
                )
        out.append("</g>")

    out.append(f'<g class="chart-grid" stroke="{GRID}" stroke-width="1">')
    for tick in ticks[1:]:
        y = _num(to_y(tick))
        out.append(f'<line x1="{_num(x0)}" y1="{y}" x2="{_num(x1)}" y2="{y}"/>')
    out.append("</g>")
    out.append(
        f'<g class="chart-axes" stroke="{INK}" stroke-width="1">'
        f'<line class="chart-axis chart-axis--y" x1="{_num(x0)}" y1="{_num(y0)}" '
        f'x2="{_num(x0)}" y2="{_num(y1)}"/>'
        f'<line class="chart-axis chart-axis--x" x1="{_num(x0)}" y1="{_num(y1)}" '
        f'x2="{_num(x1)}" y2="{_num(y1)}"/></g>'
    )

    out.append(f'<g class="chart-ticks chart-ticks--y" text-anchor="end" fill="{INK}">')
    for tick, text in zip(ticks, tick_texts, strict=True):
        out.append(
            f'<text class="chart-tick" x="{_num(x0 - 6)}" y="{_num(to_y(tick) + font * 0.35)}">'
            f"{escape(text)}</text>"
        )
    out.append("</g>")

    # Every k-th period label, so that they do not overlap.
    widest = max((_text_width(label, font) for label in x_labels), default=0.0) + 8
    every = max(1, math.ceil(widest / band)) if n else 1
    out.append(f'<g class="chart-ticks chart-ticks--x" text-anchor="middle" fill="{INK}">')
    for index, label in enumerate(x_labels):
        if index % every == 0:
            out.append(
                f'<text class="chart-tick" x="{_num(to_x(index))}" y="{_num(y1 + font * 1.4)}">'
                f"{escape(label)}</text>"
            )
    out.append("</g>")

    y_mid = (y0 + y1) / 2
    y_title_x = 8 + font
    out.append(
        f'<text class="chart-axis-title chart-axis-title--y" x="{_num(y_title_x)}" '
        f'y="{_num(y_mid)}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 {_num(y_title_x)} {_num(y_mid)})">{escape(y_label)}</text>'
    )
    if x_label:
        out.append(
            f'<text class="chart-axis-title chart-axis-title--x" x="{_num((x0 + x1) / 2)}" '
            f'y="{_num(height - font * 0.5)}" text-anchor="middle" fill="{INK}">'
            f"{escape(x_label)}</text>"
        )

    for i, s in enumerate(series):
        slot = i % len(SERIES_COLOURS)
        colour = SERIES_COLOURS[slot]
        dash = f' stroke-dasharray="{SERIES_DASHES[slot]}"' if SERIES_DASHES[slot] else ""
        segments: list[list[str]] = []
        markers: list[str] = []
        previous_missing = True
        for index, value in enumerate(s.values):
            if value is None:
                previous_missing = True
                continue
            x, y = to_x(index), to_y(value)
            point = f"{_num(x)} {_num(y)}"
            if previous_missing:
                segments.append([point])
            else:
                segments[-1].append(point)
            previous_missing = False
            shown = format_number(value) if math.isfinite(value) else inf_label
            clipped = " chart-point--clipped" if value > top else ""
            markers.append(
                f'<path class="chart-point chart-point--{slot}{clipped}" '
                f'd="{_marker(i % 4, x, y)}"><title>'
                f"{escape(f'{s.label}, {x_labels[index]}: {shown}')}</title></path>"
            )
        d = "".join(
            f"M{points[0]}" + ("L" + " ".join(points[1:]) if len(points) > 1 else "")
            for points in segments
        )
        out.append(f'<g class="chart-series chart-series--{slot}">')
        out.append(
            f'<path class="chart-line chart-line--{slot}" d="{d}" fill="none" '
            f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"{dash}>'
            f"<title>{escape(s.label)}</title></path>"
        )
        if markers:
            out.append(f'<g fill="{colour}" stroke="{HALO}" stroke-width="1">')
            out.extend(markers)
            out.append("</g>")
        out.append("</g>")

    if rows:
        out.append(f'<g class="chart-legend" fill="{INK}">')
        for row_index, row in enumerate(rows):
            y = height + 4 + row_index * row_height + row_height / 2
            x = 8.0
            for i in row:
                slot = i % len(SERIES_COLOURS)
                colour = SERIES_COLOURS[slot]
                dash = f' stroke-dasharray="{SERIES_DASHES[slot]}"' if SERIES_DASHES[slot] else ""
                out.append(
                    f'<line class="chart-legend__line chart-line--{slot}" x1="{_num(x)}" '
                    f'y1="{_num(y)}" x2="{_num(x + 28)}" y2="{_num(y)}" stroke="{colour}" '
                    f'stroke-width="2"{dash}/>'
                )
                out.append(
                    f'<path class="chart-legend__point chart-point--{slot}" '
                    f'd="{_marker(i % 4, x + 14, y)}" fill="{colour}" stroke="{HALO}" '
                    'stroke-width="1"/>'
                )
                out.append(
                    f'<text class="chart-legend__label" x="{_num(x + 34)}" '
                    f'y="{_num(y + font * 0.35)}">{escape(series[i].label)}</text>'
                )
                x += legend_widths[i] + _LEGEND_GAP
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))
