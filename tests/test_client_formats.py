"""Every client gets the format it asks for: each return format of SPARQLWrapper (the client most
researchers use) for each query form, through the real client against a real server on both
stores, and the format parameters of the Linked Data documents.

SPARQLWrapper sends ``format=``, ``output=`` and ``results=`` with its own names beside an
``Accept`` header (SPARQLWrapper/Wrapper.py: ``_getRequestEncodedParameters`` and
``_getAcceptHeader``).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from SPARQLWrapper.Wrapper import _allowedFormats

from tests.test_sparql_protocol import local_fetch

CUNEO = "https://w3id.org/rivm/id/city/cuneo"
QUERIES = {
    "SELECT": (
        "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
        "SELECT ?city WHERE { ?city a rivm:City } ORDER BY ?city"
    ),
    "ASK": f"ASK {{ <{CUNEO}> ?p ?o }}",
    "CONSTRUCT": f"CONSTRUCT {{ <{CUNEO}> ?p ?o }} WHERE {{ <{CUNEO}> ?p ?o }}",
    "DESCRIBE": f"DESCRIBE <{CUNEO}>",
}
#: What each SPARQLWrapper return format gets: (for SELECT and ASK, for CONSTRUCT and DESCRIBE).
#: None where no format of that name exists for that kind of answer, which is a 406: SPARQL 1.1
#: answers SELECT and ASK in results formats (JSON, XML, CSV, TSV) and CONSTRUCT and DESCRIBE in
#: RDF formats; there is no Turtle, RDF/XML or JSON-LD of a result set, nor CSV or TSV of a graph.
EXPECTED = {
    JSON: ("application/sparql-results+json", "application/ld+json"),
    XML: ("application/sparql-results+xml", "application/rdf+xml"),
    TURTLE: (None, "text/turtle"),
    N3: (None, "text/turtle"),
    RDF: (None, "application/rdf+xml"),
    RDFXML: (None, "application/rdf+xml"),
    CSV: ("text/csv", None),
    TSV: ("text/tab-separated-values", None),
    JSONLD: (None, "application/ld+json"),
}


def test_every_return_format_of_sparqlwrapper_is_tried():
    """A format a later SPARQLWrapper adds must be added to EXPECTED (and so tried below)."""
    assert sorted(EXPECTED) == sorted(_allowedFormats)


RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def expected_cities(store) -> list[str]:
    return [str(r["city"]) for r in store.query(QUERIES["SELECT"]).rows]


def _client(base: str, form: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(URLENCODED)
    return client


def _as_graph(result, content_type: str) -> Graph:
    """What SPARQLWrapper's convert() gave (an rdflib graph, or the bytes of Turtle/N-Triples)."""
    if isinstance(result, Graph):
        return result
    return Graph().parse(data=result, format=RDFLIB_FORMATS[content_type])


def _check_results(form: str, media_type: str, result, expected_cities: list[str]) -> None:
    if media_type == "application/sparql-results+json":
        if form == "ASK":
            assert result["boolean"] is True
        else:
            assert [b["city"]["value"] for b in result["results"]["bindings"]] == expected_cities
    elif media_type == "application/sparql-results+xml":
        assert isinstance(result, Document)
        if form == "ASK":
            assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"
        else:
            uris = [e.firstChild.data for e in result.getElementsByTagName("uri")]
            assert uris == expected_cities
    else:
        delimiter = "," if media_type == "text/csv" else "\t"
        rows = list(csv.reader(io.StringIO(result.decode()), delimiter=delimiter))
        if form == "ASK":
            assert rows[1] == ["true"] and rows[0][0].lstrip("?") == "_askResult"
        else:
            assert rows[0][0].lstrip("?") == "city"
            assert [r[0].strip("<>") for r in rows[1:]] == expected_cities


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_sparqlwrapper_gets_every_return_format_it_can(
    live_server, expected_cities, fmt, form, method
):
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    expected = EXPECTED[fmt][graph_form]
    client = _client(live_server, form, fmt, method)
    if expected is None:
        with warnings.catch_warnings():
            # SPARQLWrapper itself warns that it sends Accept: */* for a format it knows no media
            # type of for this form; the server still reads its format= and says no.
            warnings.simplefilter("ignore", RuntimeWarning)
            with pytest.raises(urllib.error.HTTPError) as refused:
                client.query()
        assert refused.value.code == 406
        message = refused.value.read().decode()
        assert "Offered:" in message and f"format={fmt}" in message
        assert "Accept" in refused.value.headers["Vary"]
        return
    with warnings.catch_warnings():
        # SPARQLWrapper warns when the Content-Type does not fit the format it asked for (and,
        # harmlessly, when it sends Accept: */* for JSON or RDF on a graph, reading format= here).
        warnings.simplefilter("error", RuntimeWarning)
        warnings.filterwarnings("ignore", "Sending Accept header '[*]/[*]'", RuntimeWarning)
        response = client.query()
        content_type = response.info()["content-type"]
        assert content_type.split(";")[0] == expected
        assert "Accept" in response.info()["vary"]
        result = response.convert()
    if graph_form:
        graph = _as_graph(result, expected)
        assert (URIRef(CUNEO), RDFS.label, None) in graph
    else:
        _check_results(form, expected, result, expected_cities)


@pytest.mark.parametrize("fmt", [N3, TURTLE])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_ntriples_asked_by_accept_inside_the_named_family(live_server, fmt, form):
    """format=n3 (or turtle) names a family N-Triples belongs to: the caller's Accept picks it."""
    client = _client(live_server, form, fmt, "GET")
    client.addCustomHttpHeader("Accept", "application/n-triples")
    response = client.query()
    assert response.info()["content-type"] == "application/n-triples"
    graph = Graph().parse(data=response.convert(), format="nt")
    assert (URIRef(CUNEO), RDFS.label, None) in graph


def fetch(client, path: str, accept: str | None = None):
    return local_fetch(client, path, headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize(
    ("path", "params", "accept", "expected"),
    [
        ("/doc/city/cuneo", {"format": "rdf+xml"}, None, "application/rdf+xml"),
        ("/doc/city/cuneo", {"_format": "json-ld"}, "text/html", "application/ld+json"),
        ("/doc/city/cuneo", {"_mediatype": "text/turtle"}, None, "text/turtle"),
        ("/doc/city/cuneo", {"format": "n3"}, "application/n-triples", "application/n-triples"),
        ("/doc/city/cuneo", {"format": "turtle"}, "application/rdf+xml", "text/turtle"),
        ("/doc/city/cuneo", {"output": "nt"}, None, "application/n-triples"),
        ("/ontology", {"format": "rdf+xml"}, None, "application/rdf+xml"),
        ("/catalog", {"format": "n3"}, "application/n-triples;q=0.5", "application/n-triples"),
        ("/sparql", {"format": "json-ld"}, None, "application/ld+json"),
        ("/.well-known/sparql-examples", {"format": "rdf+xml"}, None, "application/rdf+xml"),
        ("/dumps/", {"format": "json"}, None, "application/json"),
    ],
)
def test_documents_read_every_format_name(store_client, path, params, accept, expected):
    url = f"{path}?{urllib.parse.urlencode(params)}"
    status, headers, body = fetch(store_client, url, accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in headers["Vary"]
    if expected in RDFLIB_FORMATS:
        assert len(Graph().parse(data=body, format=RDFLIB_FORMATS[expected])) > 0
    else:
        assert json.loads(body)


@pytest.mark.parametrize("path", ["/doc/city/cuneo", "/ontology", "/catalog", "/sparql"])
def test_unknown_format_names_are_406(store_client, path):
    status, headers, body = fetch(store_client, f"{path}?format=docx", "text/turtle")
    assert status == 406 and "Accept" in headers["Vary"]
    assert b"text/turtle" in body, "the answer lists what is offered"


@pytest.mark.parametrize("fmt", [f for f, (results, _) in EXPECTED.items() if results])
def test_a_syntax_error_is_a_400_whatever_format_was_asked(live_server, fmt):
    """SPARQLWrapper sends its format= with every query, the wrong ones too: the answer is still
    the syntax error (QueryBadFormed for SPARQLWrapper), never a server error. (A format no
    SELECT answer has is refused first, with the 406 above.)"""
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery("SELECT ?city WHERE { ?city a }")
    client.setReturnFormat(fmt)
    with pytest.raises(QueryBadFormed) as refused:
        client.query()
    assert "line 1, column" in str(refused.value)
