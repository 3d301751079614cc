"""The query page's views (map, timeline, bar chart), their URLs, the embed route, in-process."""

from __future__ import annotations

import html
import re
import urllib.parse
import xml.etree.ElementTree as ET

from rivm_graph.endpoint.views import CAPS
from rivm_graph.rdf.namespaces import PREFIXES
from tests.test_query_page import Page

SVG = "{http://www.w3.org/2000/svg}"
CONFERENCES = (
    "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
    "PREFIX schema: <https://schema.org/>\n"
    "SELECT ?c ?start WHERE { ?c a rivm:Conference ; schema:startDate ?start } ORDER BY ?start"
)


def get(client, path: str, **params):
    response = client.get(path + ("?" + urllib.parse.urlencode(params) if params else ""))
    return response, response.get_data(as_text=True)


VIEW_NAMES = ("Table", "Map", "Timeline", "Bar chart")


def view_links(page: Page) -> dict[str, str]:
    return {t: html.unescape(h) for h, t in page.links if "view=" in h and t in VIEW_NAMES}


def svgs(text: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", text, flags=re.S)


def test_an_example_opens_on_its_default_view_with_the_table_below(client):
    response, text = get(client, "/query", example="cities-map")
    assert response.status_code == 200
    (svg,) = svgs(text)
    root = ET.fromstring(svg)
    cities = [a for a in root.iter(SVG + "a") if "rivm-map-city" in a.get("class")]
    assert len(cities) >= 35
    assert any(a.get("href") == "/id/city/clermont-ferrand" for a in cities)
    page = Page(text)
    assert ("/id/city/clermont-ferrand", "Clermont-Ferrand") in page.links  # the table too
    assert 'aria-current="page">Map<' in text
    views = view_links(page)
    assert set(views) == {"Table"}  # cities-map offers the table and the map
    assert "rivm-timeline" in svgs(get(client, "/query", example="conference-timeline")[1])[0]
    assert "rivm-bars" in svgs(get(client, "/query", example="events-by-year")[1])[0]


def test_each_view_has_its_own_url(client):
    _, text = get(client, "/query", query=CONFERENCES)
    page = Page(text)
    views = view_links(page)
    assert set(views) == {"Timeline"}  # a pasted query opens on the table
    assert svgs(text) == []
    response = client.get(views["Timeline"])
    shown = response.get_data(as_text=True)
    assert response.status_code == 200
    (svg,) = svgs(shown)
    labels = [
        "".join(t.itertext())
        for t in ET.fromstring(svg).iter(SVG + "text")
        if "label" in (t.get("class") or "")
    ]
    assert len(labels) == 5 and "Clermont-Ferrand" in labels[0]
    _, table = get(client, "/query", example="cities-map", view="table")
    assert svgs(table) == [] and 'aria-current="page">Table<' in table


def test_a_view_that_does_not_fit_falls_back_to_the_table_with_a_notice(client):
    response, text = get(client, "/query", example="cities-by-country", view="map")
    assert response.status_code == 200
    assert svgs(text) == []
    assert "The view “Map” does not fit the columns of this answer." in text


def test_an_unknown_view_is_a_clear_400(client):
    response, text = get(client, "/query", example="cities-map", view="pie")
    assert response.status_code == 400
    assert "Unknown view “pie”: the views are table, map, timeline, bar." in text
    response, text = get(client, "/query/view.svg", example="cities-map", view="pie")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "the views are map, timeline, bar" in text


def test_the_svg_of_a_view_stands_alone_with_absolute_links(client):
    response, text = get(client, "/query/view.svg", example="city-participation", lang="fr")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(text)
    title_id, desc_id = root.get("aria-labelledby").split()
    assert (
        root.find(f"{SVG}title[@id='{title_id}']").text
        == "Participation de chaque ville aux événements"
    )
    assert root.find(f"{SVG}desc[@id='{desc_id}']").text.startswith(
        "Diagramme de la colonne events"
    )
    hrefs = [a.get("href") for a in root.iter(SVG + "a")]
    assert hrefs and all(h.startswith("http://localhost/id/city/") for h in hrefs)


def test_the_svg_route_refuses_what_it_cannot_draw(client):
    cases = [
        ({}, 400, "No query"),
        ({"example": "cities-by-country", "view": "map"}, 400, "does not fit"),
        ({"example": "construct-conferences-as-schema-events", "view": "map"}, 400, "does not fit"),
        (
            {"example": "ask-queretaro-declaration-has-13-signatories", "view": "bar"},
            400,
            "does not fit",
        ),
        ({"query": "SELECT ?x {", "view": "map"}, 400, "line 1, column"),
    ]
    for params, status, message in cases:
        response, text = get(client, "/query/view.svg", **params)
        assert (response.status_code, message in text) == (status, True), (params, text)


def test_only_the_embed_route_may_be_framed(client):
    response, text = get(client, "/query/embed", example="cities-map")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert len(svgs(text)) == 1 and "<script" not in text
    assert "Map of 39 places" in text  # the text alternative, visible under the picture
    for path in ("/query", "/query/view.svg"):
        response, _ = get(client, path, example="cities-map")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


#: A value for each variable part of a route (what does not exist still answers, with a 404).
ROUTE_VALUES = {
    "kind": "city",
    "name": "clermont-ferrand",
    "slug": "clermont-ferrand",
    "ext": "ttl",
    "version": "0.1.0",
    "filename": "site.css",
    "rest": "cities.kml",
}
#: The only routes other sites may frame: the embedded view, and the reconciliation preview
#: (OpenRefine shows it in a frame).
FRAMABLE = {"query_page.embed", "reconcile.preview"}


def test_no_other_route_may_be_framed(app, client):
    """Every GET route of the application, with the parameters of an embeddable view: only the
    embed route (and the reconciliation preview) relax frame-ancestors."""
    view = {"example": "cities-map", "view": "map", "id": "https://w3id.org/rivm/id/city/cuneo"}
    framable = set()
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())]
    assert len(rules) > 40
    for rule in rules:
        with app.test_request_context():
            path = urllib.parse.urlsplit(
                app.url_for(rule.endpoint, **{a: ROUTE_VALUES[a] for a in rule.arguments})
            ).path
        response = client.get(path + "?" + urllib.parse.urlencode(view))
        policy = response.headers["Content-Security-Policy"]
        if "frame-ancestors *" in policy:
            framable.add(rule.endpoint)
            assert "X-Frame-Options" not in response.headers, path
        else:
            assert "frame-ancestors 'none'" in policy, path
            assert response.headers["X-Frame-Options"] == "DENY", path
    assert "query_page.embed" in framable
    assert framable <= FRAMABLE, framable - FRAMABLE


def test_the_page_says_where_a_view_stops_at_its_cap(client):
    """More labelled numbers than a bar chart draws: the page draws the first CAPS["bar"], says
    so under the picture, and the table keeps every row."""
    n = CAPS["bar"] + 7
    values = " ".join(f'("k{i}" {i})' for i in range(n))
    query = f"SELECT ?k ?v WHERE {{ VALUES (?k ?v) {{ {values} }} }}"
    response, text = get(client, "/query", query=query, view="bar")
    assert response.status_code == 200
    (svg,) = svgs(text)
    assert len(list(ET.fromstring(svg).iter(SVG + "rect"))) == CAPS["bar"]
    note = re.search(r'<figcaption>\s*<p class="notice" role="status">(.*?)</p>', text, re.S)
    assert note, "no note under the picture"
    assert html.unescape(note.group(1)) == (
        f"Only the first {CAPS['bar']} of {n} items are drawn (a view draws at most"
        f" {CAPS['bar']}); the table has them all."
    )
    assert len(re.findall(r"<tr><td>", text)) == n
    _, under = get(client, "/query", example="events-by-year")  # a bar chart under its cap
    assert len(svgs(under)) == 1 and "items are drawn" not in under


def test_the_page_gives_an_iframe_snippet_for_the_embed_route(client):
    _, text = get(client, "/query", example="conference-timeline")
    snippet = html.unescape(
        re.search(r'<textarea id="iframe-snippet"[^>]*>(.*?)</textarea>', text, re.S).group(1)
    )
    src = re.search(r'<iframe src="([^"]+)"', snippet).group(1)
    assert src.startswith("http://localhost/query/embed?")
    assert 'title="Timeline of the conferences and their reported attendance"' in snippet
    url = urllib.parse.urlsplit(html.unescape(src))
    response = client.get(url.path + "?" + url.query)
    assert response.status_code == 200 and "rivm-timeline" in response.get_data(as_text=True)


def test_the_caps_are_the_documented_ones(root):
    readme = (root / "README.md").read_text()
    for view, cap in CAPS.items():
        assert f"| {view} | {cap} |" in readme


def test_the_editor_vocabulary_has_the_prefix_map_and_the_ontology_with_labels(client):
    response = client.get("/query/vocabulary.json?lang=fr")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["prefixes"] == PREFIXES
    terms = {t["name"]: t for t in doc["terms"]}
    assert terms["rivm:City"] == {
        "iri": "https://w3id.org/rivm/ontology#City",
        "name": "rivm:City",
        "label": "Ville",
        "kind": "class",
    }
    assert terms["rivm:hostCity"]["kind"] == "property"
    assert terms["rivm:hostCity"]["label"] == "ville hôte"
    assert terms["rivmq:defaultView"]["label"] == "vue par défaut"


def test_a_syntax_error_is_marked_at_its_line_and_column_without_javascript(client):
    query = "SELECT ?x WHERE {\n  ?x a ?y .\n  ?x ?p\n}"
    response, text = get(client, "/query", query=query)
    assert response.status_code == 200
    assert "SPARQL syntax error at line 4, column 2" in text
    assert 'data-error-line="4" data-error-column="2"' in text
    marker = html.unescape(
        re.search(r'<pre class="error-at"[^>]*>(.*?)</pre>', text, re.S).group(1)
    )
    assert marker == "4 | }\n  |  ^"  # Oxigraph stops just after the closing brace


def test_the_page_loads_the_editor_only_where_it_was_built(app, tmp_path):
    static = app.static_folder
    try:
        app.static_folder = str(tmp_path)
        (tmp_path / "site.css").write_text("")
        text = app.test_client().get("/query").get_data(as_text=True)
        assert "<script" not in text
        (tmp_path / "editor").mkdir()
        (tmp_path / "editor" / "query-editor.js").write_text("")
        text = app.test_client().get("/query").get_data(as_text=True)
        assert '<script type="module" src="/static/editor/query-editor.js"></script>' in text
    finally:
        app.static_folder = static


def test_the_editor_asks_the_names_of_resources_in_the_readers_language(client):
    italy, city = "https://w3id.org/rivm/id/country/it", "https://w3id.org/rivm/ontology#City"
    response = client.get(
        "/query/labels.json?"
        + urllib.parse.urlencode(
            [("iri", italy), ("iri", city), ("iri", "http://example.org/nothing"), ("lang", "fr")]
        )
    )
    assert response.status_code == 200
    assert response.get_json() == {italy: "Italie", city: "Ville"}
    assert client.get("/query/labels.json").status_code == 400
    many = urllib.parse.urlencode([("iri", f"http://example.org/{i}") for i in range(51)])
    response = client.get("/query/labels.json?" + many)
    assert response.status_code == 400 and b"between 1 and 50" in response.data
