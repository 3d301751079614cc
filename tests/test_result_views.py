"""Views of a SELECT answer (endpoint/views.py), in-process: which fit, and what each draws.

The answers are written here by hand in the SPARQL 1.1 JSON results format, so what a view
should show is known without the code under test; the catalogue's default views are checked on
the bundled data.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from rivm_graph.endpoint.views import CAPS, ViewError, draw, fitting_views, read_columns

XSD = "http://www.w3.org/2001/XMLSchema#"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
SVG = "{http://www.w3.org/2000/svg}"
CITY = "https://w3id.org/rivm/id/city/"


def uri(v: str) -> dict:
    return {"type": "uri", "value": v}


def lit(v: str, datatype: str | None = None, lang: str | None = None) -> dict:
    term = {"type": "literal", "value": v}
    if datatype:
        term["datatype"] = datatype if "#" in datatype else XSD + datatype
    if lang:
        term["xml:lang"] = lang
    return term


CITIES = [  # (slug, name, lat, long): Clermont-Ferrand, Cuneo, Querétaro
    ("clermont-ferrand", "Clermont-Ferrand", "45.7772", "3.0870"),
    ("cuneo", "Cuneo", "44.3845", "7.5427"),
    ("queretaro", "Santiago de Querétaro", "20.5888", "-100.3899"),
]


def city_rows(*, wkt: bool) -> tuple[list[str], list[dict]]:
    rows = []
    for slug, name, lat, long in CITIES:
        row = {"city": uri(CITY + slug), "cityLabel": lit(name, lang="en")}
        if wkt:
            row["where"] = lit(f"POINT({long} {lat})", WKT)
        else:
            row["lat"], row["long"] = lit(lat, "decimal"), lit(long, "decimal")
        rows.append(row)
    return (["city", "cityLabel", "where"] if wkt else ["city", "cityLabel", "lat", "long"]), rows


def href(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/rivm/")


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    # a named group, not an img: its links are interactive (pictures/svg.py)
    assert root.tag == SVG + "svg" and root.get("role") == "group"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title[@id='{title_id}']").text
    assert root.find(f"{SVG}desc[@id='{desc_id}']").text
    return root


def links(root: ET.Element) -> list[str]:
    return [a.get("href") for a in root.iter(SVG + "a")]


@pytest.mark.parametrize("wkt", [True, False], ids=["wkt", "lat-long"])
def test_points_are_offered_as_a_map_with_a_linked_marker_each(wkt):
    variables, rows = city_rows(wkt=wkt)
    assert fitting_views(variables, rows) == ["table", "map"]
    picture = draw("map", variables, rows, labels={}, href=href)
    root = parsed(picture.svg)
    assert sorted(links(root)) == [
        "/id/city/clermont-ferrand",
        "/id/city/cuneo",
        "/id/city/queretaro",
    ]
    names = [t.text for t in root.iter(SVG + "title")]
    assert {"Clermont-Ferrand", "Cuneo", "Santiago de Querétaro"} <= set(names)
    assert "Santiago de Querétaro" in picture.description
    assert (picture.drawn, picture.total) == (3, 3)


def test_the_map_is_the_home_page_map():
    """The same atlas, projection and style: the countries and the sphere of pictures/maps."""
    variables, rows = city_rows(wkt=True)
    root = parsed(draw("map", variables, rows, labels={}, href=href).svg)
    assert "rivm-world-map" in root.get("class")
    countries = [p for p in root.iter(SVG + "path") if "rivm-map-country" in (p.get("class") or "")]
    names = {t.text for p in countries for t in p.iter(SVG + "title")}
    assert {"Mexico", "France", "Italy"} <= names  # Natural Earth's names, the region's countries
    assert any(p.get("class") == "rivm-map-sphere" for p in root.iter(SVG + "path"))


def test_a_point_in_another_reference_system_is_not_put_on_the_map():
    """GeoSPARQL's default is CRS84 (longitude, latitude); EPSG:4326 swaps them."""
    rows = [{"p": lit("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(45.77 3.08)", WKT)}]
    assert fitting_views(["p"], rows) == ["table"]
    crs84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(3.08 45.77)"
    assert fitting_views(["p"], [{"p": lit(crs84, WKT)}]) == ["table", "map"]


def test_dates_of_every_precision_are_offered_as_a_timeline_in_order():
    rows = [
        {"e": uri(CITY + "b"), "eLabel": lit("Second"), "when": lit("2019-06", "gYearMonth")},
        {"e": uri(CITY + "a"), "eLabel": lit("First"), "when": lit("2017", "gYear")},
        {
            "e": uri(CITY + "c"),
            "eLabel": lit("Third"),
            "when": lit("2024-10-01T09:00:00Z", "dateTime"),
        },
        {"e": uri(CITY + "d"), "eLabel": lit("Fourth"), "when": lit("2026-10-01", "date")},
    ]
    variables = ["e", "eLabel", "when"]
    assert fitting_views(variables, rows) == ["table", "timeline"]
    picture = draw("timeline", variables, rows, labels={}, href=href)
    root = parsed(picture.svg)
    labels = [
        "".join(t.itertext()) for t in root.iter(SVG + "text") if "label" in (t.get("class") or "")
    ]
    assert labels == ["First", "Second", "Third", "Fourth"]
    assert "from 2017-01-01 to 2026-10-01" in picture.description
    assert links(root) == ["/id/city/a", "/id/city/b", "/id/city/c", "/id/city/d"]


def test_a_label_and_a_number_are_offered_as_a_bar_chart():
    rows = [
        {"city": uri(CITY + "clermont-ferrand"), "events": lit("11", "integer")},
        {"city": uri(CITY + "cuneo"), "events": lit("6", "integer")},
    ]
    labels = {CITY + "clermont-ferrand": "Clermont-Ferrand", CITY + "cuneo": "Coni"}
    assert fitting_views(["city", "events"], rows) == ["table", "bar"]
    picture = draw("bar", ["city", "events"], rows, labels=labels, href=href, language="fr")
    root = parsed(picture.svg)
    tooltips = [t.text for a in root.iter(SVG + "a") for t in a.iter(SVG + "title")]
    assert tooltips == ["Clermont-Ferrand: 11", "Coni: 6"]
    widths = [float(r.get("width")) for r in root.iter(SVG + "rect")]
    assert widths[0] / widths[1] == pytest.approx(11 / 6, rel=0.02)
    assert picture.description.startswith("Diagramme de la colonne events")


def test_a_year_and_counts_make_a_bar_per_year():
    """events-by-year: no text column, so the first number names the row."""
    rows = [
        {"year": lit("2017", "integer"), "events": lit("2", "integer")},
        {"year": lit("2019", "integer"), "events": lit("4", "integer")},
    ]
    columns = read_columns(["year", "events"], rows)
    assert (columns.label, columns.number) == ("year", "events")
    root = parsed(draw("bar", ["year", "events"], rows, labels={}, href=href).svg)
    tooltips = [t.text for g in root.iter(SVG + "g") for t in g.findall(SVG + "title")]
    assert tooltips == ["2017: 2", "2019: 4"]


def test_a_negative_value_goes_left_of_the_baseline():
    rows = [
        {"k": lit("up"), "v": lit("3", "integer")},
        {"k": lit("down"), "v": lit("-2", "integer")},
    ]
    root = parsed(draw("bar", ["k", "v"], rows, labels={}, href=href).svg)
    up, down = list(root.iter(SVG + "rect"))
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(float(up.get("x")))


def test_only_iris_and_text_fit_the_table_alone():
    rows = [{"c": uri(CITY + "cuneo"), "name": lit("Cuneo", lang="it")}]
    assert fitting_views(["c", "name"], rows) == ["table"]
    assert fitting_views(["c"], []) == ["table"]


def test_a_view_that_does_not_fit_or_does_not_exist_is_refused():
    rows = [{"c": uri(CITY + "cuneo")}]
    with pytest.raises(ViewError, match="does not fit"):
        draw("map", ["c"], rows, labels={}, href=href)
    with pytest.raises(ViewError, match="Unknown view “pie”"):
        draw("pie", ["c"], rows, labels={}, href=href)


def test_a_view_draws_at_most_its_cap_and_says_so():
    n = CAPS["map"] + 25
    rows = [
        {
            "p": uri(f"{CITY}p{i}"),
            "lat": lit(str(-50 + i % 100), "decimal"),
            "long": lit(str(-170 + i % 340), "decimal"),
        }
        for i in range(n)
    ]
    picture = draw("map", ["p", "lat", "long"], rows, labels={}, href=href)
    assert (picture.drawn, picture.total, picture.capped) == (CAPS["map"], n, True)
    assert len(links(parsed(picture.svg))) == CAPS["map"]
    assert f"Only the first {CAPS['map']} of {n} items are drawn" in picture.description
    bars = [{"k": lit(f"k{i}"), "v": lit(str(i), "integer")} for i in range(CAPS["bar"] + 1)]
    picture = draw("bar", ["k", "v"], bars, labels={}, href=href)
    assert len(list(parsed(picture.svg).iter(SVG + "rect"))) == CAPS["bar"]
    assert picture.capped and f"the first {CAPS['bar']} of {CAPS['bar'] + 1}" in picture.description
    n = CAPS["timeline"] + 3
    events = [  # one a day from 1 January 2000, given in reverse: the first days are drawn
        {"e": uri(f"{CITY}e{i}"), "d": lit(f"2000-{1 + i // 28:02d}-{1 + i % 28:02d}", "date")}
        for i in reversed(range(n))
    ]
    picture = draw("timeline", ["e", "d"], events, labels={}, href=href)
    assert (picture.drawn, picture.total) == (CAPS["timeline"], n)
    drawn = sorted(links(parsed(picture.svg)))
    assert drawn == sorted(f"/id/city/e{i}" for i in range(CAPS["timeline"]))
    assert f"Only the first {CAPS['timeline']} of {n} items are drawn" in picture.description


def test_labels_are_escaped_in_the_picture():
    rows = [{"k": lit('<script>alert("x")</script> & co'), "v": lit("1", "integer")}]
    svg = draw("bar", ["k", "v"], rows, labels={}, href=href).svg
    assert "<script>" not in svg
    assert ET.fromstring(svg) is not None


EXPECTED_DEFAULTS = {
    "cities-map": "map",
    "conference-timeline": "timeline",
    "events-by-year": "bar",
    "city-participation": "bar",
}


def test_the_catalogue_names_default_views(catalogue):
    named = {q.slug: q.default_view for q in catalogue if q.default_view != "table"}
    assert named == EXPECTED_DEFAULTS


@pytest.mark.parametrize("slug", sorted(EXPECTED_DEFAULTS))
def test_each_default_view_fits_its_answer_on_the_bundled_data(slug, catalogue, store):
    query = next(q for q in catalogue if q.slug == slug)
    body = store.query_serialized(query.text, "application/sparql-results+json").body
    doc = json.loads(body)
    variables, rows = doc["head"]["vars"], doc["results"]["bindings"]
    assert query.default_view in fitting_views(variables, rows)
    picture = draw(query.default_view, variables, rows, labels={}, href=href, title=query.title())
    assert picture.drawn >= 5 and not picture.capped
    linked = len(links(parsed(picture.svg)))
    assert linked == (0 if slug == "events-by-year" else picture.drawn)  # years link nowhere


def test_the_bar_chart_leaves_room_for_its_axis_name_beside_short_labels():
    rows = [{"year": lit("2017", "integer"), "eventsCounted": lit("2", "integer")}]
    rows.append({"year": lit("2018", "integer"), "eventsCounted": lit("1", "integer")})
    root = parsed(draw("bar", ["year", "eventsCounted"], rows, labels={}, href=href).svg)
    axis = next(t for t in root.iter(SVG + "text") if t.text == "eventsCounted")
    assert axis.get("text-anchor") == "end"
    assert float(axis.get("x")) >= len("eventsCounted") * 6  # its end leaves room for its letters
