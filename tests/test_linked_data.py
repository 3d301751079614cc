"""Dereferenceable IRIs: rdflib follows the 303 over real HTTP; the rest in-process."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import FOAF, RDFS

from rivm_graph.web import create_app
from tests.test_sparql_protocol import local_fetch

CUNEO = URIRef("https://w3id.org/rivm/id/city/cuneo")
ITALY = URIRef("https://w3id.org/rivm/id/country/it")
DECLARATION = URIRef("https://w3id.org/rivm/id/declaration/queretaro-2022")
SIGNATORY = URIRef("https://w3id.org/rivm/ontology#signatory")
FORMATS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/rdf+xml", "rdf", "xml"),
    ("application/n-triples", "nt", "nt"),
]


def test_rdflib_dereferences_a_city_iri_through_the_303(live_server):
    # rdflib's own HTTP client (redirect, negotiation) is what is tested: a real server.
    graph = Graph().parse(live_server + "/id/city/cuneo")
    assert (CUNEO, RDFS.label, None) in graph, "data keeps canonical IRIs"
    assert (CUNEO, URIRef("https://w3id.org/rivm/ontology#country"), ITALY) in graph
    assert (ITALY, RDFS.label, None) in graph, "labels of linked resources come along"
    assert (DECLARATION, SIGNATORY, CUNEO) in graph, "incoming links come along"
    assert (DECLARATION, RDFS.label, None) in graph
    document = URIRef("https://w3id.org/rivm/doc/city/cuneo")
    assert (document, FOAF.primaryTopic, CUNEO) in graph


def test_id_answers_303_see_other_to_the_document(store_client):
    response = store_client.get("/id/city/cuneo", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/city/cuneo")


@pytest.mark.parametrize(("media_type", "ext", "parse_as"), FORMATS)
def test_each_format_by_accept_and_by_extension(store_client, media_type, ext, parse_as):
    status, headers, body = local_fetch(
        store_client, "/doc/city/cuneo", headers={"Accept": media_type}
    )
    assert status == 200 and headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in headers["Vary"]
    assert headers["Content-Location"] == f"/doc/city/cuneo.{ext}"
    assert f'</doc/city/cuneo.{ext}>; rel="alternate"' in headers["Link"]
    assert (CUNEO, RDFS.label, None) in Graph().parse(data=body, format=parse_as)
    status, headers2, body2 = local_fetch(
        store_client, f"/doc/city/cuneo.{ext}", headers={"Accept": "text/html"}
    )
    assert status == 200 and headers2["Content-Type"].split(";")[0] == media_type
    assert body2 == body


def test_format_parameter_wins_over_accept_and_q_values_are_honoured(store_client):
    _, headers, _ = local_fetch(
        store_client, "/doc/city/cuneo?format=nt", headers={"Accept": "text/html"}
    )
    assert headers["Content-Type"].startswith("application/n-triples")
    _, headers, _ = local_fetch(
        store_client,
        "/doc/city/cuneo",
        headers={"Accept": "text/turtle;q=0.4, application/rdf+xml;q=0.9"},
    )
    assert headers["Content-Type"].startswith("application/rdf+xml")


def test_html_for_browsers_with_alternate_links(store_client):
    status, headers, body = local_fetch(
        store_client, "/doc/city/cuneo", headers={"Accept": "text/html,*/*;q=0.8"}
    )
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for media_type, ext, _ in FORMATS:
        assert f'<link rel="alternate" type="{media_type}" href="/doc/city/cuneo.{ext}">' in html
    assert "Cuneo" in html and "/id/country/it" in html


def test_unacceptable_format_is_406_and_unknown_resource_is_404(store_client):
    status, _, body = local_fetch(store_client, "/doc/city/cuneo", headers={"Accept": "image/png"})
    assert status == 406 and b"text/turtle" in body
    status, headers, body = local_fetch(
        store_client, "/id/city/atlantis", headers={"Accept": "text/html"}
    )
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"/id/city/" in body
    status, headers, body = local_fetch(
        store_client, "/id/city/atlantis", headers={"Accept": "text/turtle"}
    )
    assert status == 404 and headers["Content-Type"].startswith("text/plain")


def test_etag_and_304(store_client):
    _, headers, _ = local_fetch(store_client, "/doc/city/cuneo.ttl")
    status, _, body = local_fetch(
        store_client, "/doc/city/cuneo.ttl", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304 and body == b""


def test_json_ld_is_compact_with_an_embedded_context(store_client):
    _, _, body = local_fetch(store_client, "/doc/city/cuneo.jsonld")
    document = json.loads(body)
    assert isinstance(document["@context"], dict), "embedded: nothing remote to fetch"
    nodes = document.get("@graph", [document])
    cuneo = next(n for n in nodes if n.get("id") == str(CUNEO))
    assert cuneo["label"]["en"] == "Cuneo"
    assert cuneo["country"] == str(ITALY)
    status, headers, body = local_fetch(store_client, "/context.jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert json.loads(body)["@context"]["country"]["@id"] == "rivm:country"


def test_listing_is_paged_with_link_next_and_hydra(store_client):
    status, headers, body = local_fetch(store_client, "/id/city/", headers={"Accept": "text/html"})
    assert status == 200 and b"/id/city/cuneo" in body
    status, headers, body = local_fetch(
        store_client, "/id/figure/", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and 'rel="next"' in headers["Link"]
    graph = Graph().parse(data=body, format="turtle")
    hydra = "http://www.w3.org/ns/hydra/core#"
    members = set(
        graph.objects(URIRef("https://w3id.org/rivm/id/figure/"), URIRef(hydra + "member"))
    )
    assert len(members) == 100
    next_page = headers["Link"].split(">")[0].lstrip("<")
    status, _, body2 = local_fetch(store_client, next_page, headers={"Accept": "text/turtle"})
    members2 = set(
        Graph().parse(data=body2, format="turtle").objects(None, URIRef(hydra + "member"))
    )
    assert status == 200 and members2 and not members & members2


@pytest.mark.parametrize("page", ["2", "101", "99999999999", "99999999999999999999999"])
def test_a_listing_page_past_the_last_is_404(store_client, page):
    """Before, the page number went into the query's OFFSET: page 101 (OFFSET 10,000) and
    beyond failed on Virtuoso (past the rows it may sort), and a page past 2^64/100 on both
    stores (the parser refused the OFFSET); each was an unexpected error, a 503."""
    status, _, body = local_fetch(store_client, f"/id/city/?page={page}")
    assert status == 404, body[:200]


@pytest.mark.parametrize(
    ("media_type", "parse_as"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_the_ontology_dereferences(store_client, media_type, parse_as):
    status, _, body = local_fetch(store_client, "/ontology", headers={"Accept": media_type})
    assert status == 200
    graph = Graph().parse(data=body, format=parse_as)
    city = URIRef("https://w3id.org/rivm/ontology#City")
    assert {o.language for o in graph.objects(city, RDFS.label)} >= {"en", "fr"}
    status, _, body = local_fetch(store_client, "/ontology", headers={"Accept": "text/html"})
    assert (b'id="City"' in body and b"Ville" in body) or b"City" in body
    status, _, body = local_fetch(store_client, "/shapes", headers={"Accept": "text/turtle"})
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) > 100


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../etc/passwd",
        "/doc/city/..%2F..%2Fetc%2Fpasswd",
        "/doc/city/%ZZ",
        "/id/city/%C0%AE",
        "/doc/nowhere/x",
        "/doc/city/cuneo.exe",
        "/id/city/Cuneo",
    ],
)
def test_odd_paths_are_404_never_500(store_client, path):
    status, _, _ = local_fetch(store_client, path)
    assert status in (400, 404)


def test_security_headers_on_every_response(store_client):
    for path in ("/", "/doc/city/cuneo", "/sparql?query=ASK%7B%7D", "/nowhere"):
        _, headers, _ = local_fetch(store_client, path)
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_a_script_in_a_literal_is_shown_escaped(tmp_path, root):
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "ontology").symlink_to(root / "ontology")
    (data / "cities.ttl").write_text(
        "<https://w3id.org/rivm/id/city/evil> a <https://w3id.org/rivm/ontology#City> ;\n"
        '  <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>"@en ;\n'
        '  <http://www.w3.org/2000/01/rdf-schema#comment> "x\\" onmouseover=\\"alert(2)"@en .\n'
    )
    # In-process: what is tested is the page builders' escaping, not the process model.
    client = create_app({"TESTING": True, "DATA_ROOT": str(tmp_path)}).test_client()
    html = client.get("/doc/city/evil", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert' not in html
    page = client.get("/query", query_string={"query": "SELECT ?l WHERE { ?s ?p ?l }"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)


def test_nquads_of_describe_are_a_dataset(store_client):
    _, _, body = local_fetch(
        store_client,
        "/sparql?" + urllib.parse.urlencode({"query": f"DESCRIBE <{CUNEO}>", "format": "nq"}),
    )
    assert len(Dataset().parse(data=body, format="nquads")) > 5
