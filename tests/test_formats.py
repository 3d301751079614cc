"""The one registry of formats, checked against Oxigraph's own (``RdfFormat``,
``QueryResultsFormat``: media type, extension, W3C IRI) and against what clients send."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from rivm_graph.rdf import formats
from rivm_graph.rdf.results import write_solutions
from rivm_graph.web.negotiation import ALIASES, SYNONYMS

OXIGRAPH_RDF = {
    f.media_type: f for f in ox.RdfFormat.__dict__.values() if isinstance(f, ox.RdfFormat)
}
OXIGRAPH_RESULTS = [
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
]


@pytest.mark.parametrize("fmt", formats.GRAPH_FORMATS, ids=lambda f: f.label)
def test_each_rdf_format_is_oxigraphs(fmt):
    theirs = ox.RdfFormat.from_media_type(fmt.media_type)
    assert theirs is not None and fmt.oxigraph == theirs
    assert theirs.file_extension == fmt.extension
    assert theirs.supports_datasets == fmt.supports_datasets
    if fmt is formats.JSONLD:
        # Oxigraph names JSON-LD by the newer https://www.w3.org/ns/formats/data/ IRI; the W3C
        # registry of formats (and DCAT-AP's validators) know http://www.w3.org/ns/formats/JSON-LD.
        assert fmt.w3c_iri == "http://www.w3.org/ns/formats/JSON-LD"
    else:
        assert theirs.iri == fmt.w3c_iri


@pytest.mark.parametrize("theirs", OXIGRAPH_RESULTS, ids=lambda f: f.name)
def test_each_results_format_is_oxigraphs(theirs):
    ours = formats.by_media_type(theirs.media_type)
    assert ours is not None and ours.kind == "results"
    assert ours.extension == theirs.file_extension
    assert ours.w3c_iri == theirs.iri
    assert ours.content_type == theirs.media_type.replace(";charset", "; charset")


def test_media_types_and_extensions_name_one_format_each():
    media_types = [f.media_type for f in formats.FORMATS]
    extensions = [f.extension for f in formats.FORMATS if f.kind != "json"]
    assert len(media_types) == len(set(media_types))
    assert len(extensions) == len(set(extensions))


@pytest.mark.parametrize(
    "name", ["json", "xml", "turtle", "n3", "rdf", "rdf+xml", "csv", "tsv", "json-ld"]
)
def test_every_format_name_sparqlwrapper_sends_names_a_format(name):
    # SPARQLWrapper 2.x: Wrapper.py's JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD
    assert ALIASES[name]


def test_a_synonym_never_hides_a_format_of_its_own():
    assert not set(SYNONYMS) & {f.media_type for f in formats.FORMATS if f is not formats.JSON}
    assert formats.content_type("text/turtle") == "text/turtle; charset=utf-8"
    assert formats.content_type("application/n-triples") == "application/n-triples"


def test_sparql_json_results_are_the_bytes_json_dumps_writes():
    """The JSON results writer makes its text by hand (for speed): it must read back as the
    W3C format says, and be byte for byte what ``json.dumps`` wrote before (same ETags)."""
    tricky = 'quote " backslash \\ newline \n tab \t control \x01 é 東京 \u2028 😀'
    rows = [
        [ox.NamedNode("https://w3id.org/rivm/id/city/querétaro"), ox.Literal(tricky)],
        [ox.BlankNode("b0"), ox.Literal("Wien", language="de-AT")],
        [None, ox.Literal("2019", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))],
    ]
    expected = {
        "head": {"vars": ["s", "o"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": "https://w3id.org/rivm/id/city/querétaro"},
                    "o": {"type": "literal", "value": tricky},
                },
                {
                    "s": {"type": "bnode", "value": "b0"},
                    "o": {"type": "literal", "value": "Wien", "xml:lang": "de-at"},
                },
                {
                    "o": {
                        "type": "literal",
                        "value": "2019",
                        "datatype": "http://www.w3.org/2001/XMLSchema#gYear",
                    }
                },
            ]
        },
    }
    body = write_solutions(["s", "o"], rows, "json")
    assert json.loads(body) == expected
    assert body == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
