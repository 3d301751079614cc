"""Pictures of the network as SVG text: a world map, a locator map and a timeline.

The atlas, its projection and the SVG primitives are in `pictures`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from xml.sax.saxutils import escape

from .pictures.atlas import Country, world_countries
from .pictures.projection import (
    View,
    centred_view,
    fit_region,
    inside,
    project_country,
    sphere_outline,
)
from .pictures.svg import id_prefix, link, num, path_data, svg_open, title_desc

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MapPoint:
    """A marker on a map: a city or a Michelin site, linking to its page."""

    iri: str
    label: str
    lat: float
    long: float
    href: str
    kind: str = "city"  # "city" or "site"


class Attendance(NamedTuple):
    """One reported attendance figure: the value, what is counted, and who reported it."""

    value: object  # int, Decimal, float or str
    quantity: str  # e.g. "cities"
    source: str  # e.g. "Agence C3M"


@dataclass(frozen=True)
class TimelineEvent:
    """An event on the timeline; `figures` holds (value, quantity label, source label) triples."""

    iri: str
    label: str
    date: dt.date
    href: str
    kind: str = "event"  # "conference" is drawn prominently
    figures: Sequence[tuple[object, str, str]] = field(default_factory=tuple)


# --------------------------------------------------------------------------- projection


def _map_frame(prefix: str, view: View, *, stroke_width: str) -> list[str]:
    """The globe's outline (sea, and the clip path) and the opening of the countries' group."""
    sphere = path_data([sphere_outline(view)])
    return [
        f'<defs><clipPath id="{prefix}-clip"><path d="{sphere}"/></clipPath></defs>',
        f'<path class="rivm-map-sphere" d="{sphere}" fill="#dcebf5"/>',
        f'<g class="rivm-map-countries" clip-path="url(#{prefix}-clip)" fill="#f4f1ea"'
        f' stroke="#9a948a" stroke-width="{stroke_width}" stroke-linejoin="round"'
        ' fill-rule="evenodd">',
    ]


def _marker(
    point: MapPoint, x: float, y: float, *, size: float = 1.0, css: str = "rivm-map-marker"
) -> str:
    cx, cy = num(x), num(y)
    if point.kind == "site":
        r = 4.5 * size
        shape = (
            f'<path d="M{cx},{num(y - r)}l{num(r)},{num(r)} {num(-r)},{num(r)}'
            f' {num(-r)},{num(-r)}z" fill="#1d5fa6" stroke="#ffffff" stroke-width="1"/>'
        )
    else:
        shape = (
            f'<circle cx="{cx}" cy="{cy}" r="{num(4 * size)}" fill="#c62828"'
            f' stroke="#ffffff" stroke-width="1.2"/>'
        )
    kind = "site" if point.kind == "site" else "city"
    inner = f"<title>{escape(point.label)}</title>{shape}"
    return link(point.href, inner, f"{css} rivm-map-{kind}")


# --------------------------------------------------------------------------- world map

_WORLD_PAD = 4.0
_LEGEND_HEIGHT = 26.0
WORLD = (-180.0, -58.0, 180.0, 90.0)  # west, south, east, north: the world less Antarctica


@functools.lru_cache(maxsize=16)
def _map_layer(
    width: int, bounds: tuple[float, float, float, float]
) -> tuple[View, float, tuple[tuple[Country, str], ...]]:
    """The projected countries for a map of this width and region (cached: the same map is
    drawn on every request)."""
    view, height = fit_region(width, bounds, _WORLD_PAD)
    layer = []
    for country in world_countries():
        rings = project_country(country, view, (0.0, 0.0, float(width), height))
        if not rings:  # wholly outside the view
            continue
        layer.append((country, path_data(rings)))
    return view, height, tuple(layer)


def _spread(
    placed: list[tuple[MapPoint, float, float]],
) -> list[tuple[MapPoint, float, float, float, float]]:
    """Markers that would sit on one another (within 2 units) are fanned out on a small ring
    around their place, a city staying in the middle; each comes with the place it stands for."""
    clusters: list[list[tuple[MapPoint, float, float]]] = []
    for item in placed:
        for cluster in clusters:
            if abs(cluster[0][1] - item[1]) < 2 and abs(cluster[0][2] - item[2]) < 2:
                cluster.append(item)
                break
        else:
            clusters.append([item])
    out = []
    for cluster in clusters:
        _, cx, cy = cluster[0]
        if len(cluster) == 1:
            middle = 0
        else:  # the first city stays in the middle; with no city, all go round
            middle = next((i for i, c in enumerate(cluster) if c[0].kind != "site"), None)
        ring = [c for i, c in enumerate(cluster) if i != middle]
        if middle is not None:
            out.append((cluster[middle][0], cx, cy, cx, cy))
        r = max(9.0, 10.0 * len(ring) / (2 * math.pi))
        for i, (p, _, _) in enumerate(ring):
            angle = -math.pi / 2 + 2 * math.pi * i / len(ring)
            out.append((p, cx + r * math.cos(angle), cy + r * math.sin(angle), cx, cy))
    return out


def world_map_svg(
    points: Iterable[MapPoint],
    *,
    title: str,
    description: str,
    width: int = 960,
    height: int | None = None,
    highlight: Iterable[str] | None = None,
    bounds: tuple[float, float, float, float] = WORLD,
    legend: Mapping[str, str] | None = None,
    country_names: Mapping[str, str] | None = None,
) -> str:
    """A map (Natural Earth I) with one linked marker per point, as SVG text.

    `highlight`: ISO 3166-1 alpha-2 codes of countries to tint (e.g. the network's countries).
    `bounds`: (west, south, east, north) in degrees, the region shown; the default is the world
    without Antarctica, and e.g. (-12, 35, 32, 60) gives Europe. Points outside are left out.
    Points at the same place are fanned out around it. `legend`: text of the "city" and "site"
    entries. `country_names`: alpha-2 code -> name for the countries' tooltips (e.g. in the
    page's language), else the atlas's English name. `height` defaults to the map's own height
    plus the legend; another value only changes the displayed size, not the drawing.
    """
    points = list(points)
    bounds = tuple(float(v) for v in bounds)  # type: ignore[assignment]
    view, map_height, layer = _map_layer(int(width), bounds)
    full_height = map_height + _LEGEND_HEIGHT
    prefix = id_prefix("map", title, description, width, bounds, [p.iri for p in points])
    marked = {c.upper() for c in highlight} if highlight else set()
    names = {k.upper(): v for k, v in (country_names or {}).items()}
    legend = {"city": "City", "site": "Michelin site", **(legend or {})}

    out = [svg_open(prefix, width, full_height, "rivm-map rivm-world-map", height)]
    out.append(title_desc(prefix, title, description))
    out.extend(_map_frame(prefix, view, stroke_width=".4"))
    for country, d in layer:
        name = names.get(country.alpha2 or "", country.name)
        if country.alpha2 and country.alpha2 in marked:
            css, fill = "rivm-map-country rivm-map-country-highlight", ' fill="#f3d9a4"'
        else:
            css, fill = "rivm-map-country", ""
        tooltip = f"<title>{escape(name)}</title>" if name else ""
        out.append(f'<path class="{css}"{fill} d="{d}">{tooltip}</path>')
    out.append("</g>")

    placed = []
    for p in points:
        x, y = view.point(p.lat, p.long)
        if 0 <= x <= width and 0 <= y <= map_height:
            placed.append((p, x, y))
    markers = _spread(placed)
    spokes = [
        f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}"/>'
        for _, x, y, cx, cy in markers
        if (x, y) != (cx, cy)
    ]
    if spokes:
        out.append(
            '<g class="rivm-map-spokes" stroke="#555555" stroke-width=".6">'
            + "".join(spokes)
            + "</g>"
        )
    out.append('<g class="rivm-map-markers">')
    for kind in ("site", "city"):  # cities on top
        for p, x, y, _, _ in markers:
            if (p.kind == "site") == (kind == "site"):
                out.append(_marker(p, x, y))
    out.append("</g>")

    kinds = [
        k for k in ("city", "site") if any((p.kind == "site") == (k == "site") for p in points)
    ]
    if kinds:
        ly = map_height + _LEGEND_HEIGHT / 2
        out.append('<g class="rivm-map-legend" font-size="12" fill="#333333">')
        lx = 12.0
        for k in kinds:
            sample = MapPoint(iri="", label=legend[k], lat=0, long=0, href="", kind=k)
            out.append(_marker(sample, lx, ly, css="rivm-map-legend-key"))
            text = escape(legend[k])
            out.append(f'<text x="{num(lx + 9)}" y="{num(ly + 4)}">{text}</text>')
            lx += 9 + 7.2 * len(legend[k]) + 24
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- locator map


@functools.lru_cache(maxsize=256)
def locator_map_svg(
    lat: float,
    long: float,
    *,
    label: str,
    width: int = 320,
    height: int | None = None,
    span: float = 40.0,
    title: str | None = None,
    description: str | None = None,
    href: str | None = None,
    kind: str = "city",
) -> str:
    """A small map centred on (lat, long), about `span` degrees of longitude wide, with the
    point marked and labelled and the country that contains it tinted, as SVG text.

    The projection turns to put `long` on the central meridian, so the point is always in the
    middle horizontally; vertically the window stays within the poles.
    """
    height = height if height is not None else round(width * 0.625)
    prefix = id_prefix("locator", lat, long, label, width, height, span)
    view = centred_view(lat, long, width, height, span)
    px, py = view.point(lat, long)

    title = title if title is not None else label
    if description is None:
        ns = "N" if lat >= 0 else "S"
        ew = "E" if long >= 0 else "W"
        description = f"Map locating {label} at {abs(lat):.2f}° {ns}, {abs(long):.2f}° {ew}."
    out = [svg_open(prefix, width, height, "rivm-map rivm-locator-map")]
    out.append(title_desc(prefix, title, description))
    out.extend(_map_frame(prefix, view, stroke_width=".6"))
    margin = 20.0
    for country in world_countries():
        rings = project_country(country, view, (-margin, -margin, width + margin, height + margin))
        if not rings:
            continue
        here = inside(px, py, rings)
        css = "rivm-map-country rivm-map-country-here" if here else "rivm-map-country"
        fill = ' fill="#f3d9a4"' if here else ""
        tooltip = f"<title>{escape(country.name)}</title>" if country.name else ""
        out.append(f'<path class="{css}"{fill} d="{path_data(rings)}">{tooltip}</path>')
    out.append("</g>")
    point = MapPoint(iri="", label=label, lat=lat, long=long, href=href or "", kind=kind)
    out.append(f'<g class="rivm-map-markers">{_marker(point, px, py, size=1.5)}</g>')
    anchor, tx = ("end", px - 10) if px > width * 0.7 else ("start", px + 10)
    out.append(
        f'<text class="rivm-map-label" x="{num(tx)}" y="{num(py + 4)}" text-anchor="{anchor}"'
        ' font-size="13" font-weight="600" fill="#222222" stroke="#ffffff" stroke-width="3"'
        f' stroke-linejoin="round" paint-order="stroke">{escape(label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- timeline


def _format_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")  # narrow no-break space between thousands
    if isinstance(value, Decimal | float):
        try:
            if value == int(value):
                return _format_value(int(value))
        except (OverflowError, ValueError):
            pass
        return str(value)
    return str(value)


def _sort_key(value: object) -> tuple[int, float, str]:
    try:
        return (0, float(value), "")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def _figure_groups(figures: Sequence[tuple[object, str, str]]) -> list[list[Attendance]]:
    """Figures grouped by what they count (in first-seen order), each group by value."""
    groups: dict[str, list[Attendance]] = {}
    for value, quantity, source in figures:
        groups.setdefault(quantity, []).append(Attendance(value, quantity, source))
    return [sorted(g, key=lambda a: _sort_key(a.value)) for g in groups.values()]


def _figure_note(a: Attendance) -> str:
    note = f"{_format_value(a.value)} {a.quantity}"
    return f"{note} ({a.source})" if a.source else note


def _figures_text(group: list[Attendance]) -> str:
    return " / ".join(_format_value(a.value) for a in group) + " " + group[0].quantity


@dataclass(frozen=True)
class _Style:
    font: float
    line: float
    char: float  # a generous average advance per character, to keep labels apart
    weight: str


_STYLES = {
    "conference": _Style(font=12.5, line=15.0, char=7.6, weight="700"),
    "event": _Style(font=11.0, line=13.5, char=6.5, weight="400"),
}


@dataclass
class _Block:
    event: TimelineEvent
    cls: str
    x: float
    lines: list[str]
    groups: list[list[Attendance]]
    width: float
    height: float
    left: float = 0.0
    level: int = 0
    top: float = 0.0


def _stack(blocks: list[_Block], gap: float) -> list[float]:
    """Put each block on the first row where it overlaps no other; return each row's height."""
    rows: list[list[tuple[float, float]]] = []
    heights: list[float] = []
    for b in blocks:
        lo, hi = b.left - gap, b.left + b.width + gap
        for i, row in enumerate(rows):
            if all(hi <= a or lo >= c for a, c in row):
                b.level = i
                break
        else:
            rows.append([])
            heights.append(0.0)
            b.level = len(rows) - 1
        rows[b.level].append((lo, hi))
        heights[b.level] = max(heights[b.level], b.height)
    return heights


def _offsets(heights: list[float], gap: float) -> list[float]:
    offsets, total = [], 0.0
    for h in heights:
        offsets.append(total)
        total += h + gap
    return offsets


def _year_step(px_per_year: float) -> int:
    """Label every year if there is room, else every 2, 5, 10… years."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if px_per_year * step >= 44:
            return step
    return 1000


def timeline_svg(
    events: Iterable[TimelineEvent],
    *,
    title: str,
    description: str,
    width: int = 960,
    wrap_at: int = 26,
) -> str:
    """The events on a horizontal time axis, as SVG text.

    Conferences sit above the axis, larger; other events below. Each event links to its page,
    with its label wrapped at `wrap_at` characters and its reported attendance under it: the
    figures for one quantity side by side ("34 / 40 / 44 cities"), each with its source in a
    tooltip. Labels are stacked on as many rows as needed so that none overlaps another; the
    height follows.
    """
    events = sorted(events, key=lambda e: (e.date, e.label))
    prefix = id_prefix("timeline", title, description, width, [(e.iri, e.date) for e in events])
    margin, gap = 12.0, 8.0
    if events:
        first, last = events[0].date.year, events[-1].date.year + 1
    else:
        first = dt.date.today().year
        last = first + 1
    start = dt.date(first, 1, 1)
    span_days = (dt.date(last, 1, 1) - start).days
    usable = width - 2 * margin

    def x_of(d: dt.date) -> float:
        return margin + usable * (d - start).days / span_days

    blocks: dict[str, list[_Block]] = {"conference": [], "event": []}
    for e in events:
        cls = "conference" if e.kind == "conference" else "event"
        style = _STYLES[cls]
        lines = textwrap.wrap(e.label, wrap_at) or [""]
        groups = _figure_groups(e.figures)
        texts = lines + [_figures_text(g) for g in groups]
        w = min(usable, max(len(t) for t in texts) * style.char)
        b = _Block(e, cls, x_of(e.date), lines, groups, w, len(texts) * style.line)
        b.left = min(max(b.x - w / 2, margin), width - margin - w)
        blocks[cls].append(b)

    above = _stack(blocks["conference"], gap)
    below = _stack(blocks["event"], gap)
    axis_y = 6 + sum(h + gap for h in above) + 14
    below_top = axis_y + 34
    height = below_top + sum(h + gap for h in below) + 2
    up, down = _offsets(above, gap), _offsets(below, gap)
    for b in blocks["conference"]:  # top of each block
        b_bottom = axis_y - 16 - up[b.level]
        b.top = b_bottom - b.height
    for b in blocks["event"]:
        b.top = below_top + down[b.level]

    out = [svg_open(prefix, width, height, "rivm-timeline")]
    out.append(title_desc(prefix, title, description))

    # the axis: a tick at each 1 January, the year's label in the middle of its span
    step = _year_step(usable / (last - first))
    out.append('<g class="rivm-timeline-axis" stroke="#555555" fill="#555555">')
    out.append(
        f'<line x1="{num(margin)}" y1="{num(axis_y)}" x2="{num(width - margin)}"'
        f' y2="{num(axis_y)}" stroke-width="2"/>'
    )
    for year in range(first, last + 1):
        tx = x_of(dt.date(year, 1, 1))
        tick = 5 if year % step == 0 or step == 1 else 2.5
        out.append(
            f'<line x1="{num(tx)}" y1="{num(axis_y - tick)}" x2="{num(tx)}"'
            f' y2="{num(axis_y + tick)}" stroke-width="1"/>'
        )
        if year < last and year % step == 0:
            mid = x_of(dt.date(year, 7, 2)) if step == 1 else tx
            out.append(
                f'<text x="{num(mid)}" y="{num(axis_y + 19)}" text-anchor="middle"'
                f' font-size="12" stroke="none">{year}</text>'
            )
    out.append("</g>")

    # leader lines first, under everything; then each event (marker and text) as one link
    out.append('<g class="rivm-timeline-leaders" stroke="#b5b5b5" stroke-width="1">')
    for b in blocks["conference"]:
        y_to = b.top + b.height
        out.append(_vline(b.x, axis_y - 7, y_to))
    for b in blocks["event"]:
        out.append(_vline(b.x, axis_y + 4, b.top - 2))
    out.append("</g>")
    for cls in ("event", "conference"):
        for b in blocks[cls]:
            out.append(_event_svg(b, axis_y, width, margin))
    out.append("</svg>")
    return "".join(out)


def _vline(x: float, y1: float, y2: float) -> str:
    return f'<line x1="{num(x)}" y1="{num(y1)}" x2="{num(x)}" y2="{num(y2)}"/>'


def _event_svg(b: _Block, axis_y: float, width: float, margin: float) -> str:
    e, style = b.event, _STYLES[b.cls]
    if b.cls == "conference":
        marker = (
            f'<circle cx="{num(b.x)}" cy="{num(axis_y)}" r="7" fill="#b3261e"'
            ' stroke="#ffffff" stroke-width="2"/>'
        )
        colour = "#1a1a1a"
    else:
        marker = (
            f'<circle cx="{num(b.x)}" cy="{num(axis_y)}" r="4" fill="#4a6f8a"'
            ' stroke="#ffffff" stroke-width="1.5"/>'
        )
        colour = "#333333"
    # anchor the text where it cannot run off the picture whatever the real glyph widths
    if b.left <= margin + 0.5:
        anchor, tx = "start", margin
    elif b.left + b.width >= width - margin - 0.5:
        anchor, tx = "end", width - margin
    else:
        anchor, tx = "middle", b.left + b.width / 2
    halo = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    text_attrs = f' x="{num(tx)}" text-anchor="{anchor}" font-size="{num(style.font)}"{halo}'

    tooltip = "\n".join([e.label, *("; ".join(_figure_note(a) for a in g) for g in b.groups)])
    parts = [f"<title>{escape(tooltip)}</title>", marker]
    y = b.top + style.line - 3
    lines = "".join(
        f'<tspan x="{num(tx)}" y="{num(y + i * style.line)}">{escape(t)}</tspan>'
        for i, t in enumerate(b.lines)
    )
    weight = f' font-weight="{style.weight}"' if style.weight != "400" else ""
    parts.append(
        f'<text class="rivm-timeline-label" fill="{colour}"{weight}{text_attrs}>{lines}</text>'
    )
    y += len(b.lines) * style.line
    for g in b.groups:
        spans = "".join(
            f"{' / ' if i else ''}<tspan>{escape(_format_value(a.value))}"
            f"<title>{escape(_figure_note(a))}</title></tspan>"
            for i, a in enumerate(g)
        )
        parts.append(
            f'<text class="rivm-timeline-figures" y="{num(y)}" fill="#7a4a00" font-weight="700"'
            f"{text_attrs}>{spans} {escape(g[0].quantity)}</text>"
        )
        y += style.line
    return link(e.href, "".join(parts), f"rivm-timeline-event rivm-timeline-{b.cls}")
