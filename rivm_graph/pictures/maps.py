"""Maps of the network as SVG text: a world (or region) map and a locator map.

The countries are the atlas's (`atlas`), drawn with Natural Earth I (`projection`) as plain SVG
(`svg`). Markers link to their pages; points at one place are fanned out around it. A map that
knows the narrowest it is shown at gives every marker an invisible hit area of at least
`TARGET` CSS pixels there and pushes markers apart until no two hit areas overlap (WCAG 2.2,
2.5.8: a finger finds each one); a crowded region can stand as one link to a map of its own.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from .atlas import Country, world_countries
from .projection import View, centred_view, fit_region, inside, project_country, sphere_outline
from .svg import id_prefix, link, num, path_data, svg_open, title_desc

#: The smallest hit area of a marker, in CSS pixels (WCAG 2.2, 2.5.8 Target Size: 24 × 24).
TARGET = 24.0


@dataclass(frozen=True)
class MapPoint:
    """A marker on a map: a city or a Michelin site, linking to its page."""

    iri: str
    label: str
    lat: float
    long: float
    href: str
    kind: str = "city"  # "city" or "site"


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


@dataclass(frozen=True)
class Inset:
    """A crowded region of a world map drawn as one link (to a map of its own), its markers
    shown but not linked: ``bounds`` (west, south, east, north), ``href``, ``label``."""

    bounds: tuple[float, float, float, float]
    href: str
    label: str


def _marker(
    point: MapPoint,
    x: float,
    y: float,
    *,
    size: float = 1.0,
    css: str = "rivm-map-marker",
    hit: float = 0.0,
) -> str:
    """A marker; `hit` > 0 adds an invisible disc of that radius that takes the taps and clicks."""
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
    if hit > 0:
        shape += (
            f'<circle class="rivm-map-hit" cx="{cx}" cy="{cy}" r="{num(hit)}"'
            ' fill="#ffffff" fill-opacity="0"/>'
        )
    kind = "site" if point.kind == "site" else "city"
    inner = f"<title>{escape(point.label)}</title>{shape}"
    return link(point.href, inner, f"{css} rivm-map-{kind}")


# --------------------------------------------------------------------------- world map

_WORLD_PAD = 4.0
_LEGEND_HEIGHT = 26.0
WORLD = (-180.0, -58.0, 180.0, 90.0)  # west, south, east, north: the world less Antarctica
EUROPE = (-12.0, 35.0, 36.0, 60.0)


def inside_bounds(point: MapPoint, bounds: tuple[float, float, float, float]) -> bool:
    """Whether the point lies in the region (west, south, east, north, in degrees)."""
    west, south, east, north = bounds
    return west <= point.long <= east and south <= point.lat <= north


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
        middle: int | None
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


def _separate(
    markers: list[tuple[MapPoint, float, float, float, float]], gap: float, rounds: int = 200
) -> list[tuple[MapPoint, float, float, float, float]]:
    """Markers closer than `gap` (centre to centre) pushed apart, a little at a time, until none
    hides another; each keeps the place it stands for (a spoke leads back to it)."""
    xs = [m[1] for m in markers]
    ys = [m[2] for m in markers]
    for _ in range(rounds):
        moved = False
        for i in range(len(markers)):
            for j in range(i + 1, len(markers)):
                dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                distance = math.hypot(dx, dy)
                if distance >= gap:
                    continue
                if distance < 1e-6:  # one on the other: part them sideways
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (gap - distance) / 2 / distance
                xs[i], ys[i] = xs[i] - dx * push, ys[i] - dy * push
                xs[j], ys[j] = xs[j] + dx * push, ys[j] + dy * push
                moved = True
        if not moved:
            break
    return [(p, x, y, cx, cy) for (p, _, _, cx, cy), x, y in zip(markers, xs, ys, strict=True)]


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
    separate: bool = False,
    smallest: float | None = None,
    inset: Inset | None = None,
) -> str:
    """A map (Natural Earth I) with one linked marker per point, as SVG text.

    `highlight`: ISO 3166-1 alpha-2 codes of countries to tint (e.g. the network's countries).
    `bounds`: (west, south, east, north) in degrees, the region shown; the default is the world
    without Antarctica, and e.g. (-12, 35, 32, 60) gives Europe. Points outside are left out.
    Points at the same place are fanned out around it. `legend`: text of the "city" and "site"
    entries. `country_names`: alpha-2 code -> name for the countries' tooltips (e.g. in the
    page's language), else the atlas's English name. `height` defaults to the map's own height
    plus the legend; another value only changes the displayed size, not the drawing.
    `separate`: push markers apart until none hides another (for a region where they crowd).
    `smallest`: the narrowest the picture is shown, in CSS pixels (the page's style sheet keeps
    it from shrinking further): every marker gets a hit area of `TARGET` pixels there, and the
    markers are pushed apart until no two hit areas overlap. `inset`: a region drawn as one
    link, its markers shown but not linked (nor pushed apart).
    """
    points = list(points)
    west, south, east, north = bounds
    bounds = (float(west), float(south), float(east), float(north))
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

    hit = TARGET / 2 * width / smallest if smallest else 0.0
    placed, covered = [], []
    for p in points:
        x, y = view.point(p.lat, p.long)
        if 0 <= x <= width and 0 <= y <= map_height:
            if inset is not None and inside_bounds(p, inset.bounds):
                covered.append((replace(p, href=""), x, y))
            else:
                placed.append((p, x, y))
    markers = _spread(placed)
    if separate or hit:
        markers = _separate(markers, gap=max(10.0 if separate else 0.0, 2 * hit + 1))
    shown = _spread(covered)  # under the inset's link
    spokes = [
        f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}"/>'
        for _, x, y, cx, cy in shown + markers
        if (x, y) != (cx, cy)
    ]
    if spokes:
        out.append(
            '<g class="rivm-map-spokes" stroke="#555555" stroke-width=".6">'
            + "".join(spokes)
            + "</g>"
        )
    out.append('<g class="rivm-map-markers">')
    for group in (shown, markers):
        if group is markers and inset is not None:
            out.append(_inset_link(inset, view, width, map_height))
        for kind in ("site", "city"):  # cities on top
            for p, x, y, _, _ in group:
                if (p.kind == "site") == (kind == "site"):
                    out.append(_marker(p, x, y, hit=hit if p.href else 0.0))
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


def _inset_link(inset: Inset, view: View, width: float, height: float) -> str:
    """A dashed frame around the region (its parallels are straight in Natural Earth I, its
    meridians curved: the frame holds both), one link over all of it."""
    west, south, east, north = inset.bounds
    edge = [
        view.point(lat, long)
        for lat in (south, (south + north) / 2, north)
        for long in (west, east)
    ]
    left, right = max(0.0, min(x for x, _ in edge)), min(width, max(x for x, _ in edge))
    top, bottom = max(0.0, min(y for _, y in edge)), min(height, max(y for _, y in edge))
    frame = (
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(right - left)}"'
        f' height="{num(bottom - top)}" fill="#ffffff" fill-opacity="0" stroke="#555555"'
        ' stroke-width="1" stroke-dasharray="4 3"/>'
    )
    return link(inset.href, f"<title>{escape(inset.label)}</title>{frame}", "rivm-map-inset")


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
