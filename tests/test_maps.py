"""The SVG pictures: world map, locator map and timeline (rivm_graph.pictures)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from rivm_graph.pictures import atlas, maps, projection
from rivm_graph.pictures.timeline import TimelineEvent, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script> & "x"'


# --------------------------------------------------------------------------- helpers


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return root


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def title_of(el: ET.Element) -> str | None:
    t = el.find(SVG + "title")
    return t.text if t is not None else None


def country_paths(root: ET.Element) -> dict[str, ET.Element]:
    return {title_of(p): p for p in root.iter(SVG + "path") if "rivm-map-country" in classes(p)}


_TOKEN = re.compile(r"[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)")


def subpaths(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each subpath of an SVG path made of M/m/L/l/Z/z commands only."""
    tokens = _TOKEN.findall(d)
    assert "".join(tokens).replace(" ", "") == re.sub(r"[\s,]", "", d), f"unexpected in {d[:80]}"
    rings: list[list[tuple[float, float]]] = []
    cmd, x, y, start, i = "", 0.0, 0.0, (0.0, 0.0), 0
    while i < len(tokens):
        t = tokens[i]
        if t in "MmLlZz":
            cmd, i = t, i + 1
            if t in "Zz":
                x, y = start
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if cmd in "Mm":
            x, y = (x + dx, y + dy) if cmd == "m" and rings else (dx, dy)
            start = (x, y)
            rings.append([(x, y)])
            cmd = "l" if cmd == "m" else "L"  # pairs after a move are line-tos
        else:
            x, y = (x + dx, y + dy) if cmd == "l" else (dx, dy)
            rings[-1].append((x, y))
    return rings


def inside(x: float, y: float, d: str) -> bool:
    """Even-odd point in polygon over every subpath of the path data."""
    result = False
    for ring in subpaths(d):
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                result = not result
    return result


def marker_position(el: ET.Element) -> tuple[float, float]:
    circle = el.find(SVG + "circle")
    if circle is not None:
        return float(circle.get("cx")), float(circle.get("cy"))
    path = el.find(SVG + "path")  # a site's diamond: its top vertex, then down by its half size
    (x, y), *_ = subpaths(path.get("d"))[0]
    return x, y + 4.5


def markers(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter() if "rivm-map-marker" in classes(el)]


def marker_by_label(root: ET.Element, label: str) -> ET.Element:
    found = [m for m in markers(root) if title_of(m) == label]
    assert len(found) == 1, label
    return found[0]


def point(label: str, lat: float, long: float, kind: str = "city", href: str | None = None):
    slug = re.sub(r"[^a-z]+", "-", label.lower()).strip("-") or "x"
    return maps.MapPoint(
        iri=f"https://w3id.org/rivm/id/{kind}/{slug}",
        label=label,
        lat=lat,
        long=long,
        href=href if href is not None else f"/id/{kind}/{slug}",
        kind=kind,
    )


POINTS = [
    point("Clermont-Ferrand", 45.78, 3.08),
    point("Michelin Cataroux plant", 45.78, 3.08, "site"),
    point("Michelin Ladoux technology centre", 45.78, 3.08, "site"),
    point("Null Island", 0.0, 0.0),
    point("Buenos Aires", -34.6, -58.4),
    point("Sydney", -33.87, 151.21),
    point("Tokyo", 35.68, 139.69),
    point("Anderson", 34.5, -82.65),
    point("Santiago de Querétaro", 20.59, -100.39),
    point(EVIL, 10.0, 10.0),
]


@pytest.fixture(scope="module")
def world() -> ET.Element:
    svg = maps.world_map_svg(
        POINTS, title="The network's cities", description="A map.", highlight={"fr", "MX"}
    )
    return parse(svg)


def check_text_alternative(root: ET.Element) -> None:
    # a named group, not an image: an image may hold no links (axe's nested-interactive)
    assert root.get("role") == "group"
    # the links are out of the Tab order: the page lists them as text
    assert all(a.get("tabindex") == "-1" for a in root.iter(SVG + "a"))
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    ids = root.get("aria-labelledby").split()
    assert len(ids) == 2
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert by_id[ids[0]].tag == SVG + "title" and by_id[ids[0]].text
    assert by_id[ids[1]].tag == SVG + "desc" and by_id[ids[1]].text
    assert root[0] is by_id[ids[0]] and root[1] is by_id[ids[1]]  # first children, as required


def check_safe(root: ET.Element) -> None:
    """No script, no handler, no inline style, no external reference, only local clip ids."""
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for el in root.iter():
        assert el.tag.startswith(SVG), el.tag
        assert el.tag not in {SVG + t for t in ("script", "foreignObject", "image", "use", "style")}
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name != "style"
            if name == "clip-path":
                assert value.startswith("url(#") and value[5:-1] in ids
            if name == "href":
                assert value.startswith("/"), value


# --------------------------------------------------------------------------- data


def test_topojson_is_decoded_with_quantization_deltas_and_reversed_arcs():
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "250", "properties": {"name": "A"}},
                    {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "properties": {"name": "B"}},
                ],
            }
        },
    }
    a, b = atlas.decode_topology(topology)
    assert (a.numeric, a.alpha2, a.name) == ("250", "FR", "A")
    # arc 0: (0,0) (2,0) (2,4) -> lon = 10 + 0.5 q, lat = 20 + 0.25 q; arc 1 back to the start
    assert a.polygons == ((((10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 20.0)),),)
    assert (b.numeric, b.alpha2) == (None, None)
    assert b.polygons == ((((10.0, 20.0), (11.0, 21.0), (11.0, 20.0), (10.0, 20.0)),),)


def test_the_vendored_atlas_is_natural_earth_110m_with_its_licence():
    folder = atlas.ATLAS_PATH.parent
    assert (folder / "LICENSE").read_text().startswith("Copyright")
    source = (folder / "SOURCE.txt").read_text()
    assert "world-atlas" in source and "countries-110m.json" in source
    topology = json.loads(atlas.ATLAS_PATH.read_text())
    assert topology["type"] == "Topology" and "transform" in topology
    countries = atlas.world_countries()
    assert 170 <= len(countries) <= 180
    by_name = {c.name: c for c in countries}
    assert by_name["France"].alpha2 == "FR"
    assert by_name["United States of America"].alpha2 == "US"
    assert by_name["Germany"].numeric == "276"
    # every ISO numeric id of the atlas has its alpha-2 code; only three places lack an id
    assert all(c.alpha2 for c in countries if c.numeric)
    assert {c.name for c in countries if not c.numeric} <= {"N. Cyprus", "Somaliland", "Kosovo"}
    for c in countries:
        for polygon in c.polygons:
            for ring in polygon:
                assert ring[0] == ring[-1]
                assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)


def test_the_atlas_is_read_lazily_and_flask_is_not_imported():
    code = (
        "import sys, rivm_graph.pictures.maps, rivm_graph.pictures.timeline, "
        "rivm_graph.pictures.atlas as m; "
        "print(m.world_countries.cache_info().currsize, 'flask' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


def test_rings_across_the_antimeridian_are_unwrapped():
    # a small island from 179° E to 179° W, as the data stores it
    ring = ((179.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (179.0, -17.0), (179.0, -16.0))
    copies = projection.unwrap_ring(ring)
    assert len(copies) == 2
    for copy in copies:
        lons = [lon for lon, _ in copy]
        assert max(lons) - min(lons) == pytest.approx(2.0)
    assert sorted(min(lon for lon, _ in c) for c in copies) == [-181.0, 179.0]
    # a ring around the south pole is closed along the pole line
    around = tuple((float(lon), -80.0) for lon in range(-180, 181, 30))
    (closed,) = projection.unwrap_ring(around)
    assert closed[-1] == (-180.0, -90.0)
    assert all(abs(b[0] - a[0]) <= 30 for a, b in itertools.pairwise(closed))


# --------------------------------------------------------------------------- world map


def test_world_map_is_an_accessible_safe_svg(world):
    check_text_alternative(world)
    check_safe(world)
    assert title_of(world) == "The network's cities"


def test_world_map_has_a_path_per_natural_earth_country(world):
    paths = country_paths(world)
    assert 170 <= len(paths) <= 180  # Natural Earth 110m: 177 countries, less Antarctica here
    assert {"France", "Germany", "Brazil", "Russia", "Fiji"} <= set(paths)
    assert "Antarctica" not in paths
    with_antarctica = parse(
        maps.world_map_svg([], title="t", description="d", bounds=(-180, -90, 180, 90))
    )
    assert "Antarctica" in country_paths(with_antarctica)


def test_highlighted_countries_by_alpha2(world):
    paths = country_paths(world)
    assert "rivm-map-country-highlight" in classes(paths["France"])
    assert "rivm-map-country-highlight" in classes(paths["Mexico"])
    assert "rivm-map-country-highlight" not in classes(paths["Spain"])


def test_clermont_ferrand_lands_in_france(world):
    paths = country_paths(world)
    x, y = marker_position(marker_by_label(world, "Clermont-Ferrand"))
    assert inside(x, y, paths["France"].get("d"))
    for other in ("Spain", "Germany", "Italy", "United Kingdom", "Switzerland"):
        assert not inside(x, y, paths[other].get("d")), other


def test_points_land_in_the_right_quadrant_and_country(world):
    paths = country_paths(world)
    x0, y0 = marker_position(marker_by_label(world, "Null Island"))
    width = float(world.get("viewBox").split()[2])
    assert x0 == pytest.approx(width / 2, abs=0.2)
    bx, by = marker_position(marker_by_label(world, "Buenos Aires"))
    sx, sy = marker_position(marker_by_label(world, "Sydney"))
    tx, ty = marker_position(marker_by_label(world, "Tokyo"))
    ax, ay = marker_position(marker_by_label(world, "Anderson"))
    assert bx < x0 and by > y0  # south-west: left of and below (0, 0)
    assert sx > x0 and sy > y0  # south-east
    assert tx > x0 and ty < y0  # north-east
    assert ax < x0 and ay < y0  # north-west
    assert inside(bx, by, paths["Argentina"].get("d"))
    assert inside(sx, sy, paths["Australia"].get("d"))
    assert inside(ax, ay, paths["United States of America"].get("d"))
    qx, qy = marker_position(marker_by_label(world, "Santiago de Querétaro"))
    assert inside(qx, qy, paths["Mexico"].get("d"))


def test_markers_are_links_with_titles_cities_and_sites_differ_and_legend(world):
    found = markers(world)
    assert len(found) == len(POINTS)
    for m in found:
        assert m.tag == SVG + "a" and m.get("href").startswith("/id/")
        assert title_of(m)
    cities = [m for m in found if "rivm-map-city" in classes(m)]
    sites = [m for m in found if "rivm-map-site" in classes(m)]
    assert len(sites) == 2 and len(cities) == len(POINTS) - 2
    assert all(m.find(SVG + "circle") is not None for m in cities)
    assert all(m.find(SVG + "circle") is None for m in sites)
    # the sites at Clermont-Ferrand's very place are fanned out around it, not hidden under it
    cx, cy = marker_position(marker_by_label(world, "Clermont-Ferrand"))
    for label in ("Michelin Cataroux plant", "Michelin Ladoux technology centre"):
        x, y = marker_position(marker_by_label(world, label))
        assert 4 < ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 < 20
    legend = next(el for el in world.iter() if "rivm-map-legend" in classes(el))
    texts = [t.text for t in legend.iter(SVG + "text")]
    assert texts == ["City", "Michelin site"]


def test_labels_are_escaped_and_unsafe_links_dropped():
    svg = maps.world_map_svg(
        [point(EVIL, 1, 1, href="javascript:alert(1)"), point("Q", 2, 2, href='/id/x?a="b"&c=<d>')],
        title=EVIL,
        description=EVIL,
        country_names={"FR": EVIL},
    )
    assert "<script>" not in svg and "javascript:" not in svg
    root = parse(svg)
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert title_of(root) == EVIL
    assert root.find(SVG + "desc").text == EVIL
    evil = marker_by_label(root, EVIL)
    assert evil.tag != SVG + "a"  # shown, but not as a link
    assert marker_by_label(root, "Q").get("href") == '/id/x?a="b"&c=<d>'
    assert EVIL in country_paths(root)


def test_no_path_jumps_across_the_map():
    """The antimeridian: no segment of any outline may span half the world's width."""
    pictures = [
        maps.world_map_svg([], title="t", description="d", bounds=(-180, -90, 180, 90)),
        maps.world_map_svg([], title="t", description="d", bounds=(120, -50, -100, 75)),
        maps.locator_map_svg(64.73, 177.5, label="Anadyr"),
        maps.locator_map_svg(-18.14, 178.44, label="Suva"),
        maps.locator_map_svg(-77.85, 166.67, label="McMurdo"),
    ]
    for svg in pictures:
        root = parse(svg)
        (sphere,) = [p for p in root.iter(SVG + "path") if "rivm-map-sphere" in classes(p)]
        xs = [x for ring in subpaths(sphere.get("d")) for x, _ in ring]
        width = max(xs) - min(xs)  # the whole world's width at this picture's scale
        count = 0
        for path in root.iter(SVG + "path"):
            if "rivm-map-country" not in classes(path):
                continue
            for ring in subpaths(path.get("d")):
                for (ax, _), (bx, _) in zip(ring, ring[1:] + ring[:1], strict=True):
                    assert abs(bx - ax) < width / 2, (title_of(path), ax, bx)
                    count += 1
        assert count > 50


def test_a_region_map_leaves_out_what_is_outside():
    europe = parse(
        maps.world_map_svg(POINTS, title="Europe", description="d", bounds=(-12, 35, 32, 60))
    )
    labels = {title_of(m) for m in markers(europe)}
    assert "Clermont-Ferrand" in labels and "Sydney" not in labels
    paths = country_paths(europe)
    assert "France" in paths and "Australia" not in paths
    x, y = marker_position(marker_by_label(europe, "Clermont-Ferrand"))
    assert inside(x, y, paths["France"].get("d"))


def test_a_crowded_region_pushes_markers_apart_with_spokes_to_their_places():
    """The Rhine: Karlsruhe, Landau, Homburg, Bad Kreuznach and two sites within 100 km."""
    crowd = [
        point("Karlsruhe", 49.01, 8.40),
        point("Landau", 49.20, 8.12),
        point("Homburg", 49.33, 7.34),
        point("Bad Kreuznach", 49.84, 7.87),
        point("Site Karlsruhe", 49.02, 8.38, kind="site"),
        point("Site Homburg", 49.32, 7.35, kind="site"),
    ]

    def centres(svg: str) -> list[tuple[float, float]]:
        return [marker_position(m) for m in markers(parse(svg))]

    def closest(found: list[tuple[float, float]]) -> float:
        return min(math.dist(a, b) for a, b in itertools.combinations(found, 2))

    args = {"title": "Europe", "description": "d", "bounds": maps.EUROPE, "width": 640}
    assert closest(centres(maps.world_map_svg(crowd, **args))) < 5, "they crowd unless pushed"
    pushed = maps.world_map_svg(crowd, **args, separate=True)
    assert closest(centres(pushed)) >= 9.9
    assert len(parse(pushed).findall(f".//{SVG}g[@class='rivm-map-spokes']/{SVG}line")) >= 4
    assert maps.inside_bounds(crowd[0], maps.EUROPE)
    assert not maps.inside_bounds(point("Tokyo", 35.68, 139.69), maps.EUROPE)


def test_a_map_shown_no_narrower_than_smallest_gives_each_marker_a_24_px_hit_area():
    """At 640 units shown at no less than 320 px, a 24 px target is 48 units: each linked marker
    has an invisible hit disc of radius 24, and no two discs overlap."""
    svg = parse(maps.world_map_svg(POINTS, title="t", description="d", width=640, smallest=320))
    linked = [m for m in markers(svg) if m.tag == SVG + "a"]
    assert len(linked) == len(POINTS)
    centres = []
    for m in linked:
        (hit,) = [c for c in m.iter(SVG + "circle") if "rivm-map-hit" in classes(c)]
        assert float(hit.get("r")) == pytest.approx(24) and hit.get("fill-opacity") == "0"
        centres.append((float(hit.get("cx")), float(hit.get("cy"))))
    assert min(math.dist(a, b) for a, b in itertools.combinations(centres, 2)) >= 48
    # without `smallest`, no hit disc and the fanned-out sites stay close to their city
    plain = parse(maps.world_map_svg(POINTS, title="t", description="d", width=640))
    assert not [c for c in plain.iter(SVG + "circle") if "rivm-map-hit" in classes(c)]


def test_an_inset_is_one_link_and_its_markers_are_shown_unlinked():
    inset = maps.Inset(maps.EUROPE, "#europe", "Europe: 3 places, on the map below")
    svg = parse(maps.world_map_svg(POINTS, title="t", description="d", inset=inset))
    (region,) = [el for el in svg.iter() if "rivm-map-inset" in classes(el)]
    assert region.tag == SVG + "a" and region.get("href") == "#europe"
    assert title_of(region) == "Europe: 3 places, on the map below"
    assert region.find(SVG + "rect") is not None
    for label in ("Clermont-Ferrand", "Michelin Cataroux plant"):
        assert marker_by_label(svg, label).tag == SVG + "g", "shown, under the inset's link"
    assert marker_by_label(svg, "Tokyo").tag == SVG + "a"
    order = [el for el in svg.iter() if classes(el) & {"rivm-map-inset", "rivm-map-marker"}]
    tokyo = marker_by_label(svg, "Tokyo")
    assert order.index(region) < order.index(tokyo), "linked markers lie above the inset"
    assert order.index(marker_by_label(svg, "Clermont-Ferrand")) < order.index(region)


def test_the_same_picture_is_the_same_text_and_ids_differ_between_pictures():
    a = maps.world_map_svg(POINTS[:3], title="a", description="d")
    assert a == maps.world_map_svg(POINTS[:3], title="a", description="d")
    b = maps.world_map_svg(POINTS[:4], title="b", description="d")
    ids_a = {el.get("id") for el in parse(a).iter() if el.get("id")}
    ids_b = {el.get("id") for el in parse(b).iter() if el.get("id")}
    assert ids_a and not ids_a & ids_b


def test_coordinates_have_at_most_one_decimal(world):
    for path in world.iter(SVG + "path"):
        assert not re.search(r"\d\.\d\d", path.get("d"))


# --------------------------------------------------------------------------- locator map


def test_locator_map_marks_exactly_one_point_in_the_middle_of_its_country():
    root = parse(maps.locator_map_svg(45.78, 3.08, label="Clermont-Ferrand", width=320))
    check_text_alternative(root)
    check_safe(root)
    assert root.get("viewBox").split()[2] == "320"
    (marker,) = markers(root)
    assert title_of(marker) == "Clermont-Ferrand"
    x, y = marker_position(marker)
    assert x == pytest.approx(160, abs=0.2)
    assert 0 < y < float(root.get("viewBox").split()[3])
    paths = country_paths(root)
    assert "rivm-map-country-here" in classes(paths["France"])
    assert inside(x, y, paths["France"].get("d"))
    assert "Australia" not in paths  # only what is near is drawn
    here = [p for p in paths.values() if "rivm-map-country-here" in classes(p)]
    assert here == [paths["France"]]


def test_locator_map_escapes_its_label():
    svg = maps.locator_map_svg(-34.6, -58.4, label=EVIL)
    assert "<script>" not in svg
    root = parse(svg)
    assert len(markers(root)) == 1
    assert [t.text for t in root.iter(SVG + "text")] == [EVIL]
    assert "rivm-map-country-here" in classes(country_paths(root)["Argentina"])


# --------------------------------------------------------------------------- timeline


EVENTS = [
    TimelineEvent(
        iri="https://w3id.org/rivm/id/conference/2017-clermont-ferrand",
        label="1st INMC Conference, Clermont-Ferrand (2017)",
        date=dt.date(2017, 11, 29),
        href="/id/conference/2017-clermont-ferrand",
        kind="conference",
        figures=[(44, "cities", "Michelin"), (34, "cities", "Agence C3M"), (40, "cities", "LM")],
    ),
    TimelineEvent(
        iri="https://w3id.org/rivm/id/event/2018-05-montreal-meeting",
        label="Network meeting in Montreal (2018)",
        date=dt.date(2018, 1, 1),
        href="/id/event/2018-05-montreal-meeting",
    ),
    TimelineEvent(
        iri="https://w3id.org/rivm/id/conference/2024-anderson",
        label=EVIL,
        date=dt.date(2024, 4, 16),
        href="/id/conference/2024-anderson",
        kind="conference",
        figures=[(1200, "participants", "Anderson <Independent-Mail>")],
    ),
]


@pytest.fixture(scope="module")
def timeline() -> ET.Element:
    return parse(timeline_svg(EVENTS, title="Timeline", description="The events."))


def event_link(root: ET.Element, href: str) -> ET.Element:
    (found,) = [a for a in root.iter(SVG + "a") if a.get("href") == href]
    return found


def test_timeline_is_an_accessible_safe_svg(timeline):
    check_text_alternative(timeline)
    check_safe(timeline)
    assert not [el for el in timeline.iter() if el.tag.endswith("script")]


def test_timeline_places_events_by_date(timeline):
    def x(href):
        return float(event_link(timeline, href).find(SVG + "circle").get("cx"))

    first = x("/id/conference/2017-clermont-ferrand")
    middle = x("/id/event/2018-05-montreal-meeting")
    last = x("/id/conference/2024-anderson")
    assert first < middle < last
    years = {t.text for t in timeline.iter(SVG + "text") if t.text and t.text.isdigit()}
    assert {str(y) for y in range(2017, 2025)} <= years


def test_conferences_are_prominent(timeline):
    conf = event_link(timeline, "/id/conference/2017-clermont-ferrand")
    other = event_link(timeline, "/id/event/2018-05-montreal-meeting")
    assert "rivm-timeline-conference" in classes(conf)
    assert "rivm-timeline-conference" not in classes(other)
    r_conf = float(conf.find(SVG + "circle").get("r"))
    r_other = float(other.find(SVG + "circle").get("r"))
    assert r_conf > r_other


def test_timeline_shows_several_figures_side_by_side_with_sources(timeline):
    conf = event_link(timeline, "/id/conference/2017-clermont-ferrand")
    assert "Clermont-Ferrand (2017)" in title_of(conf)
    (figures,) = [t for t in conf.iter(SVG + "text") if "rivm-timeline-figures" in classes(t)]
    text = "".join(
        s for el in figures.iter() if el.tag != SVG + "title" for s in (el.text, el.tail) if s
    )
    assert text == "34 / 40 / 44 cities"
    notes = [t.text for t in figures.iter(SVG + "title")]
    assert notes == ["34 cities (Agence C3M)", "40 cities (LM)", "44 cities (Michelin)"]


def test_timeline_escapes_labels_and_sources(timeline):
    anderson = event_link(timeline, "/id/conference/2024-anderson")
    assert title_of(anderson).startswith(EVIL)
    notes = [t.text for t in anderson.iter(SVG + "title")]
    assert "1\u202f200 participants (Anderson <Independent-Mail>)" in notes
    label = next(t for t in anderson.iter(SVG + "text") if "rivm-timeline-label" in classes(t))
    assert " ".join(s.text for s in label.iter(SVG + "tspan")) == EVIL


def test_timeline_labels_do_not_overlap():
    events = [
        TimelineEvent(
            iri=f"https://w3id.org/rivm/id/event/e{i}",
            label=f"Event number {i} with a fairly long label",
            date=dt.date(2020, 1 + i % 12, 1),
            href=f"/id/event/e{i}",
        )
        for i in range(12)
    ]
    root = parse(timeline_svg(events, title="t", description="d"))
    rows: dict[float, list[tuple[float, float]]] = {}
    for a in root.iter(SVG + "a"):
        text = a.find(SVG + "text")
        spans = list(text.iter(SVG + "tspan"))
        x, y = float(spans[0].get("x")), float(spans[0].get("y"))
        half = max(len(s.text) for s in spans) * 5.5 / 2  # 11px text is wider than 5.5px a letter
        anchor = text.get("text-anchor")
        left = {"start": x, "middle": x - half, "end": x - 2 * half}[anchor]
        rows.setdefault(y, []).append((left, left + 2 * half))
    assert len(rows) > 1  # crowded labels were put on several rows
    for extents in rows.values():
        extents.sort()
        for (_, right), (left, _) in itertools.pairwise(extents):
            assert right <= left
