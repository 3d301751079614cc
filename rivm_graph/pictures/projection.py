"""Natural Earth I, the projection the atlas is named after, and the views of a picture.

Rings that cross the antimeridian are unwrapped into one continuous ring, drawn once more
shifted by a full turn where they stick out, and clipped to the outline of the sphere, so no
stroke ever crosses the map; a ring around a pole (Antarctica) is closed along the pole line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .atlas import Country, LonLat, Ring

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
class View:
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


def fit_region(
    width: int, bounds: tuple[float, float, float, float], pad: float
) -> tuple[View, float]:
    """The view that fits `bounds` (west, south, east, north) into `width` less `pad` on each
    side, and its height (with `pad` above and below).

    West may be greater than east for a region across the antimeridian; the central meridian is
    the middle of the region.
    """
    west, south, east, north = bounds
    span = east - west if east > west else east - west + 360.0
    lon0 = _wrap(west + span / 2) if span < 360 else _wrap((west + east) / 2)
    widest = min(max(0.0, south), north)  # the latitude in the region nearest the equator
    half = natural_earth1(span / 2, widest)[0]
    k = (width - 2 * pad) / (2 * half)
    top = natural_earth1(0.0, north)[1] * k
    bottom = natural_earth1(0.0, south)[1] * k
    view = View(lon0=lon0, k=k, x0=-half * k - pad, y0=-top - pad)
    return view, top - bottom + 2 * pad


def centred_view(lat: float, long: float, width: float, height: float, span: float) -> View:
    """The view with `long` on the central meridian, about `span` degrees of longitude across
    `width`, and `lat` in the middle of `height` as far as the poles allow."""
    half_w = natural_earth1(span / 2, 0.0)[0]
    k = width / (2 * half_w)
    _, py = natural_earth1(0.0, lat)
    top = min(py * k + height / 2, natural_earth1(0.0, 90.0)[1] * k)
    top = max(top, natural_earth1(0.0, -90.0)[1] * k + height)
    return View(lon0=long, k=k, x0=-width / 2, y0=-top)


def sphere_outline(view: View) -> list[tuple[float, float]]:
    """The edge of the whole sphere in this view (the meridians half a turn from the centre)."""
    west = [view.raw(-180.0, float(lat)) for lat in range(-90, 91, 2)]
    east = [view.raw(180.0, float(lat)) for lat in range(90, -91, -2)]
    return west + east


def project_country(
    country: Country, view: View, box: tuple[float, float, float, float] | None = None
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


def inside(x: float, y: float, rings: Iterable[Sequence[tuple[float, float]]]) -> bool:
    """Even-odd point in polygon over all rings (holes and shifted copies included)."""
    within = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                within = not within
    return within
