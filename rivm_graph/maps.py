"""Pictures of the network as SVG text: a world map, a locator map and a timeline.

The country outlines are Natural Earth's (1:110m), from `pictures.atlas`, projected with
Natural Earth I, the projection the data set is named after. Rings that cross the antimeridian
are unwrapped into one continuous ring, drawn once more shifted by a full turn where they stick
out, and clipped to the outline of the sphere, so no stroke ever crosses the map; a ring around
a pole (Antarctica) is closed along the pole line.

Every picture is plain SVG: `role="img"` with a `<title>` and a `<desc>` named by
`aria-labelledby`, a `viewBox` so it scales, presentation attributes and classes (no `style`
attribute, no script, no event handler, no external reference), and every label escaped. Ids
inside a picture start with a prefix derived from its content, so several pictures can share a
page. This module does not use Flask.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from .pictures.atlas import Country, LonLat, Ring, world_countries

SVG_NS = "http://www.w3.org/2000/svg"

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

_RAD = math.pi / 180


def natural_earth1(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011) on the unit sphere.

    Degrees in; x east, y north out. The same polynomial as d3-geo's `geoNaturalEarth1`.
    """
    lam, phi = lon * _RAD, lat * _RAD
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def _wrap(lon: float) -> float:
    """Longitude into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def unwrap_ring(ring: Ring, lon0: float = 0.0) -> list[list[LonLat]]:
    """A ring as seen from central meridian `lon0`, never jumping across the antimeridian.

    Longitudes are made continuous (a step of more than 180° is taken the short way round), so a
    ring that crosses the antimeridian extends past ±180°; it is returned again shifted by ∓360°
    so that both sides show once clipped to the sphere. A ring that goes round a pole (its
    longitudes end a full turn from where they began) is closed along that pole's line.
    """
    if not ring:
        return []
    points = [(_wrap(lon - lon0), lat) for lon, lat in ring]
    offset = 0.0
    previous = points[0][0]
    out = [points[0]]
    for lon, lat in points[1:]:
        step = lon - previous
        if step > 180:
            offset -= 360
        elif step < -180:
            offset += 360
        previous = lon
        out.append((lon + offset, lat))
    if offset:  # around a pole: walk along the pole line back to the start, densely
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        end, start = out[-1][0], out[0][0]
        steps = max(2, math.ceil(abs(end - start) / 10))
        out.extend((end + (start - end) * i / steps, pole) for i in range(steps + 1))
    lo = min(lon for lon, _ in out)
    hi = max(lon for lon, _ in out)
    copies = [out]
    if hi > 180:
        copies.append([(lon - 360, lat) for lon, lat in out])
    if lo < -180:
        copies.append([(lon + 360, lat) for lon, lat in out])
    return copies


@dataclass(frozen=True)
class _View:
    """Natural Earth I around `lon0`, scaled by `k` and shifted so that (x0, y0) is the top left."""

    lon0: float
    k: float
    x0: float
    y0: float

    def raw(self, lon: float, lat: float) -> tuple[float, float]:
        """Project longitude already relative to lon0 (may lie outside ±180 for unwrapped rings)."""
        x, y = natural_earth1(lon, lat)
        return x * self.k - self.x0, -y * self.k - self.y0

    def point(self, lat: float, long: float) -> tuple[float, float]:
        return self.raw(_wrap(long - self.lon0), lat)


# --------------------------------------------------------------------------- SVG helpers


def _num(v: float) -> str:
    """A coordinate with at most one decimal, as short as possible."""
    text = f"{round(v, 1):.1f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _tenths(t: int) -> str:
    return _num(t / 10)


def _pair(a: str, b: str) -> str:
    return a + ("" if b.startswith("-") else ",") + b


def _path_data(rings: Iterable[Sequence[tuple[float, float]]]) -> str:
    """SVG path data: an absolute move to each ring's start, then relative line steps, in tenths
    of a unit (so rounding never accumulates); repeated points after rounding are dropped."""
    parts = []
    for ring in rings:
        pts: list[tuple[int, int]] = []
        for x, y in ring:
            p = (round(x * 10), round(y * 10))
            if not pts or p != pts[-1]:
                pts.append(p)
        if len(pts) > 1 and pts[-1] == pts[0]:
            pts.pop()
        if len(pts) < 3:
            continue
        out = ["M", _pair(_tenths(pts[0][0]), _tenths(pts[0][1])), "l"]
        steps = []
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            steps.append(_pair(_tenths(bx - ax), _tenths(by - ay)))
        for i, s in enumerate(steps):
            out.append(s if i == 0 or s.startswith("-") else " " + s)
        out.append("z")
        parts.append("".join(out))
    return "".join(parts)


def _safe_href(href: str | None) -> str | None:
    """A link target only if it is relative or http(s): never `javascript:` or `data:`."""
    if not href:
        return None
    href = href.strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ("", "http", "https") else None


def _prefix(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{kind}-{digest}"


def _svg_open(
    prefix: str, width: float, height: float, css_class: str, shown_height: float | None = None
) -> str:
    w, h = _num(width), _num(height)
    shown = _num(shown_height) if shown_height is not None else h
    return (
        f'<svg xmlns="{SVG_NS}" class={quoteattr(css_class)} role="img"'
        f' aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {w} {h}"'
        f' width="{w}" height="{shown}" font-family="system-ui, sans-serif">'
    )


def _title_desc(prefix: str, title: str, description: str) -> str:
    return (
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def _link(href: str | None, inner: str, css_class: str) -> str:
    """`inner` inside a link when `href` is safe, else inside a plain group."""
    target = _safe_href(href)
    if target is None:
        return f"<g class={quoteattr(css_class)}>{inner}</g>"
    return f"<a href={quoteattr(target)} class={quoteattr(css_class)}>{inner}</a>"


def _sphere_outline(view: _View) -> list[tuple[float, float]]:
    west = [view.raw(-180.0, float(lat)) for lat in range(-90, 91, 2)]
    east = [view.raw(180.0, float(lat)) for lat in range(90, -91, -2)]
    return west + east


def _map_frame(prefix: str, view: _View, *, stroke_width: str) -> list[str]:
    """The globe's outline (sea, and the clip path) and the opening of the countries' group."""
    sphere = _path_data([_sphere_outline(view)])
    return [
        f'<defs><clipPath id="{prefix}-clip"><path d="{sphere}"/></clipPath></defs>',
        f'<path class="rivm-map-sphere" d="{sphere}" fill="#dcebf5"/>',
        f'<g class="rivm-map-countries" clip-path="url(#{prefix}-clip)" fill="#f4f1ea"'
        f' stroke="#9a948a" stroke-width="{stroke_width}" stroke-linejoin="round"'
        ' fill-rule="evenodd">',
    ]


def _project_country(
    country: Country, view: _View, box: tuple[float, float, float, float] | None = None
) -> list[list[tuple[float, float]]]:
    """The country's rings in view coordinates; with `box` (x0, y0, x1, y1), only the polygons
    that reach into it."""
    rings = []
    for polygon in country.polygons:
        projected = [
            [view.raw(lon, lat) for lon, lat in copy]
            for ring in polygon
            for copy in unwrap_ring(ring, view.lon0)
        ]
        if box is not None and projected:
            x_lo, y_lo, x_hi, y_hi = _bbox(projected)
            if x_hi < box[0] or x_lo > box[2] or y_hi < box[1] or y_lo > box[3]:
                continue
        rings.extend(projected)
    return rings


def _bbox(rings: Iterable[Sequence[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _inside(x: float, y: float, rings: Iterable[Sequence[tuple[float, float]]]) -> bool:
    """Even-odd point in polygon over all rings (holes and shifted copies included)."""
    inside = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
    return inside


def _marker(
    point: MapPoint, x: float, y: float, *, size: float = 1.0, css: str = "rivm-map-marker"
) -> str:
    cx, cy = _num(x), _num(y)
    if point.kind == "site":
        r = 4.5 * size
        shape = (
            f'<path d="M{cx},{_num(y - r)}l{_num(r)},{_num(r)} {_num(-r)},{_num(r)}'
            f' {_num(-r)},{_num(-r)}z" fill="#1d5fa6" stroke="#ffffff" stroke-width="1"/>'
        )
    else:
        shape = (
            f'<circle cx="{cx}" cy="{cy}" r="{_num(4 * size)}" fill="#c62828"'
            f' stroke="#ffffff" stroke-width="1.2"/>'
        )
    kind = "site" if point.kind == "site" else "city"
    inner = f"<title>{escape(point.label)}</title>{shape}"
    return _link(point.href, inner, f"{css} rivm-map-{kind}")


# --------------------------------------------------------------------------- world map

_WORLD_PAD = 4.0
_LEGEND_HEIGHT = 26.0
WORLD = (-180.0, -58.0, 180.0, 90.0)  # west, south, east, north: the world less Antarctica


def _frame(width: int, bounds: tuple[float, float, float, float]) -> tuple[_View, float]:
    """The view that fits `bounds` (west, south, east, north) into `width`, and its height.

    West may be greater than east for a region across the antimeridian; the central meridian is
    the middle of the region.
    """
    west, south, east, north = bounds
    span = east - west if east > west else east - west + 360.0
    lon0 = _wrap(west + span / 2) if span < 360 else _wrap((west + east) / 2)
    widest = min(max(0.0, south), north)  # the latitude in the region nearest the equator
    half = natural_earth1(span / 2, widest)[0]
    k = (width - 2 * _WORLD_PAD) / (2 * half)
    top = natural_earth1(0.0, north)[1] * k
    bottom = natural_earth1(0.0, south)[1] * k
    view = _View(lon0=lon0, k=k, x0=-half * k - _WORLD_PAD, y0=-top - _WORLD_PAD)
    return view, top - bottom + 2 * _WORLD_PAD


@functools.lru_cache(maxsize=16)
def _map_layer(
    width: int, bounds: tuple[float, float, float, float]
) -> tuple[_View, float, tuple[tuple[Country, str], ...]]:
    """The projected countries for a map of this width and region (cached: the same map is
    drawn on every request)."""
    view, height = _frame(width, bounds)
    layer = []
    for country in world_countries():
        rings = _project_country(country, view, (0.0, 0.0, float(width), height))
        if not rings:  # wholly outside the view
            continue
        layer.append((country, _path_data(rings)))
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
    prefix = _prefix("map", title, description, width, bounds, [p.iri for p in points])
    marked = {c.upper() for c in highlight} if highlight else set()
    names = {k.upper(): v for k, v in (country_names or {}).items()}
    legend = {"city": "City", "site": "Michelin site", **(legend or {})}

    out = [_svg_open(prefix, width, full_height, "rivm-map rivm-world-map", height)]
    out.append(_title_desc(prefix, title, description))
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
        f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}"/>'
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
            out.append(f'<text x="{_num(lx + 9)}" y="{_num(ly + 4)}">{text}</text>')
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
    prefix = _prefix("locator", lat, long, label, width, height, span)
    half_w = natural_earth1(span / 2, 0.0)[0]
    k = width / (2 * half_w)
    _, py = natural_earth1(0.0, lat)
    top = min(py * k + height / 2, natural_earth1(0.0, 90.0)[1] * k)
    top = max(top, natural_earth1(0.0, -90.0)[1] * k + height)
    view = _View(lon0=long, k=k, x0=-width / 2, y0=-top)
    px, py = view.point(lat, long)

    title = title if title is not None else label
    if description is None:
        ns = "N" if lat >= 0 else "S"
        ew = "E" if long >= 0 else "W"
        description = f"Map locating {label} at {abs(lat):.2f}° {ns}, {abs(long):.2f}° {ew}."
    out = [_svg_open(prefix, width, height, "rivm-map rivm-locator-map")]
    out.append(_title_desc(prefix, title, description))
    out.extend(_map_frame(prefix, view, stroke_width=".6"))
    margin = 20.0
    for country in world_countries():
        rings = _project_country(country, view, (-margin, -margin, width + margin, height + margin))
        if not rings:
            continue
        here = _inside(px, py, rings)
        css = "rivm-map-country rivm-map-country-here" if here else "rivm-map-country"
        fill = ' fill="#f3d9a4"' if here else ""
        tooltip = f"<title>{escape(country.name)}</title>" if country.name else ""
        out.append(f'<path class="{css}"{fill} d="{_path_data(rings)}">{tooltip}</path>')
    out.append("</g>")
    point = MapPoint(iri="", label=label, lat=lat, long=long, href=href or "", kind=kind)
    out.append(f'<g class="rivm-map-markers">{_marker(point, px, py, size=1.5)}</g>')
    anchor, tx = ("end", px - 10) if px > width * 0.7 else ("start", px + 10)
    out.append(
        f'<text class="rivm-map-label" x="{_num(tx)}" y="{_num(py + 4)}" text-anchor="{anchor}"'
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
    prefix = _prefix("timeline", title, description, width, [(e.iri, e.date) for e in events])
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

    out = [_svg_open(prefix, width, height, "rivm-timeline")]
    out.append(_title_desc(prefix, title, description))

    # the axis: a tick at each 1 January, the year's label in the middle of its span
    step = _year_step(usable / (last - first))
    out.append('<g class="rivm-timeline-axis" stroke="#555555" fill="#555555">')
    out.append(
        f'<line x1="{_num(margin)}" y1="{_num(axis_y)}" x2="{_num(width - margin)}"'
        f' y2="{_num(axis_y)}" stroke-width="2"/>'
    )
    for year in range(first, last + 1):
        tx = x_of(dt.date(year, 1, 1))
        tick = 5 if year % step == 0 or step == 1 else 2.5
        out.append(
            f'<line x1="{_num(tx)}" y1="{_num(axis_y - tick)}" x2="{_num(tx)}"'
            f' y2="{_num(axis_y + tick)}" stroke-width="1"/>'
        )
        if year < last and year % step == 0:
            mid = x_of(dt.date(year, 7, 2)) if step == 1 else tx
            out.append(
                f'<text x="{_num(mid)}" y="{_num(axis_y + 19)}" text-anchor="middle"'
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
    return f'<line x1="{_num(x)}" y1="{_num(y1)}" x2="{_num(x)}" y2="{_num(y2)}"/>'


def _event_svg(b: _Block, axis_y: float, width: float, margin: float) -> str:
    e, style = b.event, _STYLES[b.cls]
    if b.cls == "conference":
        marker = (
            f'<circle cx="{_num(b.x)}" cy="{_num(axis_y)}" r="7" fill="#b3261e"'
            ' stroke="#ffffff" stroke-width="2"/>'
        )
        colour = "#1a1a1a"
    else:
        marker = (
            f'<circle cx="{_num(b.x)}" cy="{_num(axis_y)}" r="4" fill="#4a6f8a"'
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
    text_attrs = f' x="{_num(tx)}" text-anchor="{anchor}" font-size="{_num(style.font)}"{halo}'

    tooltip = "\n".join([e.label, *("; ".join(_figure_note(a) for a in g) for g in b.groups)])
    parts = [f"<title>{escape(tooltip)}</title>", marker]
    y = b.top + style.line - 3
    lines = "".join(
        f'<tspan x="{_num(tx)}" y="{_num(y + i * style.line)}">{escape(t)}</tspan>'
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
            f'<text class="rivm-timeline-figures" y="{_num(y)}" fill="#7a4a00" font-weight="700"'
            f"{text_attrs}>{spans} {escape(g[0].quantity)}</text>"
        )
        y += style.line
    return _link(e.href, "".join(parts), f"rivm-timeline-event rivm-timeline-{b.cls}")
