"""The SPARQL 1.1 Protocol: with real clients (SPARQLWrapper, rdflib) over real HTTP, and the
endpoint's own logic (negotiation, datasets, headers) in-process."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, URLENCODED, XML, SPARQLWrapper

from rivm_graph.rdf.namespaces import SD
from rivm_graph.stores.files import graph_files

CITIES = (
    "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
    "SELECT ?city WHERE { ?city a rivm:City } ORDER BY ?city"
)
CUNEO = "https://w3id.org/rivm/id/city/cuneo"


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, headers=None):
    """(status, headers, body) of a real HTTP exchange; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(base: str, headers=None, **params):
    return fetch(f"{base}/sparql?{urllib.parse.urlencode(params, doseq=True)}", headers=headers)


#: The address in-process requests are sent to (what ``live_server`` is for a real server): not
#: the test client's default, so that an address the app wrote itself cannot pass for its own.
LOCAL = "http://127.0.0.1:8642"


def local_fetch(client, path: str, *, method: str = "GET", data: bytes | None = None, headers=None):
    """``fetch``'s in-process twin: (status, headers, body) from the Flask test client, with
    what urllib does on its own (follow redirects, a form Content-Type on a body without one)."""
    headers = dict(headers or {})
    if data is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    response = client.open(
        path, base_url=LOCAL, method=method, data=data, headers=headers, follow_redirects=True
    )
    return response.status_code, response.headers, response.get_data()


def local_get(client, headers=None, **params):
    return local_fetch(
        client, f"/sparql?{urllib.parse.urlencode(params, doseq=True)}", headers=headers
    )


@pytest.fixture(scope="module")
def expected_cities(store) -> list[str]:
    return [str(r["city"]) for r in store.query(CITIES).rows]


def _wrapper(base: str, query: str, fmt: str, method: str, request_method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


TRANSPORTS = [("GET", URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]


@pytest.mark.parametrize(("method", "request_method"), TRANSPORTS, ids=["get", "form", "direct"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format_and_transport(
    live_server, expected_cities, fmt, method, request_method
):
    response = _wrapper(live_server, CITIES, fmt, method, request_method).query()
    result = response.convert()
    if fmt == JSON:
        got = [b["city"]["value"] for b in result["results"]["bindings"]]
    elif fmt == XML:
        assert result.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"
        got = [e.firstChild.data for e in result.getElementsByTagName("uri")]
    elif fmt == CSV:
        rows = list(csv.reader(io.StringIO(result.decode())))
        assert rows[0] == ["city"]
        got = [r[0] for r in rows[1:]]
    else:
        lines = result.decode().splitlines()
        assert lines[0] == "?city"
        got = [line.strip("<>") for line in lines[1:]]
    assert got == expected_cities
    assert len(got) >= 41


@pytest.mark.parametrize("fmt", ["turtle", "n3", "xml", "json-ld"])
def test_sparqlwrapper_describe_gives_the_resource_and_labels_of_what_it_links_to(live_server, fmt):
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(f"DESCRIBE <{CUNEO}>")
    client.setReturnFormat(
        {"turtle": "turtle", "n3": "n3", "xml": "xml", "json-ld": "json-ld"}[fmt]
    )
    graph = client.queryAndConvert()
    if not isinstance(graph, Graph):
        graph = Graph().parse(data=graph, format="json-ld" if fmt == "json-ld" else "turtle")
    assert (URIRef(CUNEO), RDFS.label, None) in graph
    italy = URIRef("https://w3id.org/rivm/id/country/it")
    assert (URIRef(CUNEO), None, italy) in graph
    assert (italy, RDFS.label, None) in graph, "labels of linked resources come with DESCRIBE"


def test_rdflib_sparqlstore_reads_the_endpoint(live_server, expected_cities):
    graph = Graph(store=SPARQLStore(live_server + "/sparql", returnFormat="json"))
    rows = list(graph.query(CITIES))
    assert [str(r[0]) for r in rows] == expected_cities


def test_rdflib_sparqlstore_lists_the_named_graphs(live_server, root):
    """``contexts()`` asks ``SELECT ?name WHERE { GRAPH ?name {} }``: every named graph of the
    dataset. Virtuoso answered it with no row (a GRAPH pattern with no triple in it matches
    nothing there)."""
    store = SPARQLStore(live_server + "/sparql")
    expected = {f.graph for f in graph_files(root)}
    assert {str(graph) for graph in store.contexts()} == expected
    holding_cuneo = {str(graph) for graph in store.contexts((URIRef(CUNEO), None, None))}
    assert holding_cuneo and holding_cuneo < expected


#: Queries rdflib's SPARQLStore sends with ``initBindings`` (a VALUES block after the query):
#: with and without GROUP BY, ORDER BY and LIMIT, a select expression, ASK and CONSTRUCT.
BOUND_QUERIES = [
    "SELECT ?l WHERE { ?c rdfs:label ?l }",
    "SELECT ?c ?l WHERE { ?c rdfs:label ?l } ORDER BY LANG(?l) LIMIT 2",
    "SELECT ?c (COUNT(*) AS ?n) WHERE { ?c ?p ?o } GROUP BY ?c",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?c ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 3",
    "SELECT (STR(?c) AS ?d) WHERE { }",
    "ASK { ?c a rivm:City }",
    "ASK { ?c a rivm:Conference }",
    "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l }",
]
BOUND_PREFIXES = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
)


@pytest.fixture(scope="module")
def rdflib_dataset(root) -> Dataset:
    """The data in rdflib's own SPARQL engine: the judge of what a query means."""
    dataset = Dataset(default_union=True)
    for f in graph_files(root):
        dataset.graph(URIRef(f.graph)).parse(f.path, format="turtle")
    return dataset


def _result(result):
    """An answer to compare: the boolean, the sorted triples, or the sorted rows."""
    if result.type == "ASK":
        return result.askAnswer
    if result.type == "CONSTRUCT":
        return sorted(result.graph)
    return sorted(tuple(row) for row in result)


@pytest.mark.parametrize("query", BOUND_QUERIES)
def test_rdflib_sparqlstore_init_bindings(live_server, rdflib_dataset, query):
    """rdflib appends initBindings as VALUES after the query; both stores answer it as SPARQL
    1.1 says (joined after GROUP BY, before ORDER BY, LIMIT and the select expressions), as
    rdflib's own engine does on the same data."""
    text = BOUND_PREFIXES + query
    bindings = {"c": URIRef(CUNEO)}
    values = f"\nVALUES ( ?c )\n{{ ( <{CUNEO}> ) }}\n"  # what SPARQLStore appends
    expected = rdflib_dataset.query(text + values)
    got = SPARQLStore(live_server + "/sparql").query(  # results in XML, graphs in RDF/XML
        text, initBindings=bindings
    )
    if "ORDER BY" in query:
        assert [tuple(row) for row in got] == [tuple(row) for row in expected]
    else:
        assert _result(got) == _result(expected)
    if query.startswith("SELECT"):
        assert len(list(expected)) > 0, "a query that finds something"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/html;q=0.9, text/csv;q=0.8", "text/csv"),
    ],
)
def test_accept_with_q_values_chooses_the_results_format(store_client, accept, expected):
    status, headers, _ = local_get(store_client, headers={"Accept": accept}, query=CITIES)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in headers["Vary"]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("nquads", "application/n-quads"),
        ("trig", "application/trig"),
    ],
)
def test_construct_in_every_rdf_format_parses(store_client, fmt, media_type):
    query = f"CONSTRUCT {{ <{CUNEO}> ?p ?o }} WHERE {{ <{CUNEO}> ?p ?o }}"
    status, headers, body = local_get(store_client, query=query, format=fmt)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    parse_format = {
        "turtle": "turtle",
        "nt": "nt",
        "jsonld": "json-ld",
        "rdfxml": "xml",
        "nquads": "nquads",
        "trig": "trig",
    }[fmt]
    graph = (
        Graph().parse(data=body, format=parse_format)
        if fmt not in ("nquads", "trig")
        else (__import__("rdflib").Dataset().parse(data=body, format=parse_format))
    )
    assert (URIRef(CUNEO), RDFS.label, None) in graph


def test_explicit_format_wins_over_accept(store_client):
    status, headers, _ = local_get(
        store_client,
        headers={"Accept": "application/sparql-results+xml"},
        query=CITIES,
        format="csv",
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_unacceptable_format_is_406_listing_what_is_offered(store_client):
    status, _headers, body = local_get(store_client, headers={"Accept": "image/png"}, query=CITIES)
    assert status == 406
    assert "application/sparql-results+json" in body.decode()
    status, _, body = local_get(store_client, query=CITIES, format="turtle")
    assert status == 406 and "text/csv" in body.decode()


def test_ask_in_json_and_xml(store_client):
    ask = f"ASK {{ <{CUNEO}> ?p ?o }}"
    _, _, body = local_get(store_client, query=ask, format="json")
    assert json.loads(body)["boolean"] is True
    _, _, body = local_get(store_client, query=ask, format="xml")
    root = ElementTree.fromstring(body)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def test_the_head_names_the_querys_variables_and_no_other(store_client):
    """SPARQL 1.1 §18.2.1: ``SELECT *`` projects the pattern's in-scope variables, so over an
    empty group it is one solution of no variable. Virtuoso answered it with a column of its
    own (``_star_fake``, bound to 1), and the service passed it on."""
    _, _, body = local_get(store_client, query="SELECT * WHERE { }", format="json")
    assert json.loads(body) == {"head": {"vars": []}, "results": {"bindings": [{}]}}
    _, _, body = local_get(store_client, query="SELECT * WHERE { }", format="csv")
    assert body == b"\r\n\r\n", "an empty header, then one empty row"
    query = f"SELECT * WHERE {{ <{CUNEO}> a ?type }}"
    _, _, body = local_get(store_client, query=query, format="json")
    answer = json.loads(body)
    assert answer["head"]["vars"] == ["type"] and answer["results"]["bindings"]


def test_head_works_without_a_body(store_client):
    path = f"/sparql?{urllib.parse.urlencode({'query': CITIES})}"
    status, headers, body = local_fetch(store_client, path, method="HEAD")
    assert status == 200 and body == b""
    assert headers["Content-Type"] == "application/sparql-results+json"


def test_default_graph_uri_narrows_the_dataset(store_client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/rivm/ontology#City> }"
    _, _, body = local_get(
        store_client, query=query, **{"default-graph-uri": "https://w3id.org/rivm/graph/events"}
    )
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
    _, _, body = local_get(
        store_client, query=query, **{"default-graph-uri": "https://w3id.org/rivm/graph/cities"}
    )
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) >= 41


def test_named_graph_uri_limits_graph_patterns(store_client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _, _, body = local_get(
        store_client, query=query, **{"named-graph-uri": "https://w3id.org/rivm/graph/sites"}
    )
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs == ["https://w3id.org/rivm/graph/sites"]


def test_from_and_from_named_in_the_query_make_its_dataset(store_client, store):
    """SPARQL 1.1 section 13.2: FROM sets the default graph, FROM NAMED the named graphs, and
    naming only one kind leaves the other empty."""
    cities, sites = "https://w3id.org/rivm/graph/cities", "https://w3id.org/rivm/graph/sites"
    in_cities = len(store.query(f"SELECT * WHERE {{ GRAPH <{cities}> {{ ?s ?p ?o }} }}").rows)
    in_both = len(
        store.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ <{cities}> <{sites}> }} "
            "GRAPH ?g { ?s ?p ?o } }"
        ).rows
    )
    asked = {
        f"SELECT (COUNT(*) AS ?n) FROM <{cities}> WHERE {{ ?s ?p ?o }}": in_cities,
        f"SELECT (COUNT(*) AS ?n) FROM <{cities}> FROM <{sites}> WHERE {{ ?s ?p ?o }}": in_both,
        f"SELECT (COUNT(*) AS ?n) FROM NAMED <{cities}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}": (
            in_cities
        ),
        f"SELECT (COUNT(*) AS ?n) FROM <{cities}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}": 0,
        f"SELECT (COUNT(*) AS ?n) FROM NAMED <{cities}> WHERE {{ ?s ?p ?o }}": 0,
    }
    for query, expected in asked.items():
        status, _, body = local_get(store_client, query=query)
        assert status == 200, body
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected, query


def test_relative_iris_resolve_against_the_datasets_base(store_client):
    """Both stores read ``<s>`` as <https://w3id.org/rivm/s> (Virtuoso has no base of its own),
    and a query's own relative BASE against that base too."""
    status, _, body = local_get(store_client, query="CONSTRUCT { <s> <p> 1 } WHERE {}", format="nt")
    assert status == 200, body
    assert body.decode().split() == [
        "<https://w3id.org/rivm/s>",
        "<https://w3id.org/rivm/p>",
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
        ".",
    ]
    query = BOUND_PREFIXES + "BASE <id/city/>\nSELECT ?l WHERE { <cuneo> rdfs:label ?l }"
    status, _, body = local_get(store_client, query=query)
    assert status == 200, body
    labels = {b["l"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert labels == {"Cuneo"}


def _count(client, query: str, **params) -> tuple[int, str | None]:
    status, headers, body = local_get(client, query=query, **params)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"]), headers.get(
        "X-Unknown-Graphs"
    )


def test_a_graph_outside_the_dataset_is_an_empty_graph(store_client, store):
    """As Oxigraph server and Fuseki read it: never fetched, no triples, no named graph; the
    answer names it (X-Unknown-Graphs), so a mistyped graph is still seen."""
    cities = "https://w3id.org/rivm/graph/cities"
    unknown = "https://w3id.org/rivm/graph/citiez"
    in_cities = len(store.query(f"SELECT * WHERE {{ GRAPH <{cities}> {{ ?s ?p ?o }} }}").rows)
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    graph_names = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    cases = [
        # only unknown graphs: an empty default graph, not the whole dataset
        (everything, {"default-graph-uri": unknown}, 0),
        (f"SELECT (COUNT(*) AS ?n) FROM <{unknown}> WHERE {{ ?s ?p ?o }}", {}, 0),
        # FROM NAMED alone leaves the default graph empty, and adds no named graph
        (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{unknown}> WHERE {{ ?s ?p ?o }}", {}, 0),
        (graph_names.replace("WHERE", f"FROM NAMED <{unknown}> WHERE"), {}, 0),
        (graph_names, {"named-graph-uri": unknown}, 0),
        # beside a graph of the dataset, it adds nothing
        (everything, {"default-graph-uri": [cities, unknown]}, in_cities),
        (
            f"SELECT (COUNT(*) AS ?n) FROM <{unknown}> FROM <{cities}> WHERE {{ ?s ?p ?o }}",
            {},
            in_cities,
        ),
        (named, {"named-graph-uri": [unknown, cities]}, in_cities),
        (graph_names, {"named-graph-uri": [unknown, cities]}, 1),
    ]
    for query, params, expected in cases:
        assert _count(store_client, query, **params) == (expected, f"<{unknown}>"), (query, params)
    assert _count(store_client, everything, **{"default-graph-uri": cities}) == (in_cities, None)


def test_the_unknown_graphs_header_is_safe_whatever_was_named(store_client):
    """Spaces, quotes, non-ASCII and line breaks in a named graph are percent-encoded: the
    header stays one valid header line."""
    odd = 'http://example.org/a b"<é>'
    status, headers, _ = local_get(store_client, query="ASK {}", **{"default-graph-uri": odd})
    assert status == 200
    assert headers["X-Unknown-Graphs"] == "<http://example.org/a%20b%22%3C%C3%A9%3E>"
    status, headers, _ = local_get(
        store_client,
        query="ASK {}",
        **{"default-graph-uri": "http://example.org/x\r\nSet-Cookie: a=b", "named-graph-uri": odd},
    )
    assert status == 200 and "Set-Cookie" not in headers
    assert headers["X-Unknown-Graphs"] == (
        "<http://example.org/x%0D%0ASet-Cookie:%20a=b>, <http://example.org/a%20b%22%3C%C3%A9%3E>"
    )
    assert "not in this dataset" in headers["Warning"]


def test_etag_revalidation_gives_304(store_client):
    status, headers, _ = local_get(store_client, query=CITIES)
    assert status == 200 and headers["ETag"]
    status, _, body = local_get(
        store_client, headers={"If-None-Match": headers["ETag"]}, query=CITIES
    )
    assert status == 304 and body == b""


@pytest.mark.parametrize(
    ("accept", "media_type", "parse_as"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_service_description_by_conneg(store_client, accept, media_type, parse_as):
    status, headers, body = local_fetch(store_client, "/sparql", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    graph = Graph().parse(data=body, format=parse_as)
    service = URIRef(LOCAL + "/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    names = set(graph.objects(None, SD.name))
    assert URIRef("https://w3id.org/rivm/graph/cities") in names
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in set(
        graph.objects(service, SD.resultFormat)
    )


def test_sparql_in_a_browser_is_the_query_page(store_client):
    status, headers, body = local_fetch(store_client, "/sparql", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<textarea" in body


def test_cors_allows_any_origin_without_credentials(store_client):
    status, headers, _ = local_get(
        store_client, headers={"Origin": "http://elsewhere.example"}, query=CITIES
    )
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = local_fetch(
        store_client,
        "/sparql",
        method="OPTIONS",
        headers={
            "Origin": "http://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type"
    assert headers["Access-Control-Max-Age"] == "86400"


def test_a_preflight_is_told_only_the_methods_the_address_answers(store_client):
    """A read-only service allows no PUT, PATCH or DELETE (flask-cors told browsers it did)."""
    for path, methods in (
        ("/sparql", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("/doc/city/cuneo", {"GET", "HEAD", "OPTIONS"}),
    ):
        status, headers, _ = local_fetch(
            store_client,
            path,
            method="OPTIONS",
            headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "PUT"},
        )
        assert status == 200
        allowed = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
        assert allowed == methods, (path, allowed)


def test_a_script_of_another_origin_can_read_the_answers_notes(store_client):
    """A browser shows a cross-origin script only the safelisted headers unless the answer
    exposes more: the ETag to revalidate, and a SPARQL answer's truncation and unknown graphs."""
    status, headers, _ = local_get(
        store_client,
        headers={"Origin": "http://elsewhere.example"},
        query="SELECT * FROM <http://nowhere.example/g> WHERE { ?s ?p ?o }",
    )
    assert status == 200 and "X-Unknown-Graphs" in headers
    exposed = {h.strip().lower() for h in headers["Access-Control-Expose-Headers"].split(",")}
    for name in (
        "ETag",
        "Warning",
        "Retry-After",
        "X-Result-Truncated",
        "X-Result-Limit",
        "X-Unknown-Graphs",
        "Content-Disposition",
        "Link",
    ):
        assert name.lower() in exposed, name


def test_examples_catalogue_is_served_as_rdf(store_client, catalogue):
    status, headers, body = local_fetch(
        store_client, "/.well-known/sparql-examples", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    executable = URIRef("http://www.w3.org/ns/shacl#SPARQLExecutable")
    assert len(set(graph.subjects(None, executable))) == len(catalogue)
