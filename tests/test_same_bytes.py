"""A strong ETag means the same bytes everywhere: two server processes started with different hash
seeds (as two front-ends behind a load balancer, or one server before and after a restart) give
byte-identical bodies under equal ETags, for every RDF document, SPARQL graph answers with blank
nodes, and the dumps. Otherwise a client's If-None-Match or If-Range would be answered wrongly.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from rivm_graph.rdf.serialize import answer_triples
from rivm_graph.rdf.terms import from_rdflib
from tests.conftest import STORES, running_server

RDF = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
GRAPH_ANSWERS = [*RDF, "application/n-quads", "application/trig"]
DOCUMENTS = [
    "/doc/city/clermont-ferrand",
    "/doc/person/olivier-bianchi",
    "/doc/conference/2017-clermont-ferrand",
    "/ontology",
    "/shapes",
    "/catalog",
    "/.well-known/void",
    "/.well-known/sparql-examples",
    "/sparql",
    "/id/city/",
]
RIVM = "https://w3id.org/rivm/ontology#"
QUERIES = {
    "describe-city": "DESCRIBE <https://w3id.org/rivm/id/city/clermont-ferrand>",
    # The ontology's owl:unionOf lists are the data's blank nodes.
    "describe-with-blank-nodes": f"DESCRIBE <{RIVM}inEvent>",
    # Blank nodes made by the template: a fresh one per solution.
    "construct-with-blank-nodes": (
        f"CONSTRUCT {{ ?city <urn:x:named> [ <urn:x:label> ?label ] }} "
        f"WHERE {{ ?city a <{RIVM}City> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    ),
    "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a <{RIVM}Conference> ; ?p ?o }}",
}
#: SELECT answers carry a strong ETag too; this one walks the lists' blank nodes by a path.
SELECT_BLANK_NODES = (
    "SELECT ?union ?node WHERE { ?union <http://www.w3.org/2002/07/owl#unionOf> ?list . "
    "?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>* ?node }"
)
DUMPS = ["rivm.ttl", "rivm.nt", "rivm.nt.gz", "rivm.nq", "rivm.nq.gz", "rivm.trig", "rivm.jsonld"]
DUMPS += ["rivm.rdf", "SHA256SUMS"]


@pytest.fixture(scope="module", params=STORES)
def two_servers(request):
    """Two servers on the same data, hash seeds 1 and 2, each building its own dumps."""
    settings = {"PUBLIC_URL": "http://rivm.example"}  # the descriptions name the public URL
    if request.param == "virtuoso":
        remote = request.getfixturevalue("virtuoso")
        settings.update(STORE="sparql", SPARQL_QUERY_URL=remote.query_url)
    with contextlib.ExitStack() as stack:
        bases = []
        for seed in ("1", "2"):
            dumps = stack.enter_context(tempfile.TemporaryDirectory(prefix="rivm-dumps-"))
            bases.append(
                stack.enter_context(
                    running_server(env={"PYTHONHASHSEED": seed}, DUMP_DIR=dumps, **settings)
                )
            )
        yield request.param, bases


def fetch(url: str, accept: str) -> tuple[int, str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers["ETag"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, error.read()


def assert_same(servers, path: str, accept: str, *, strong: bool = True) -> None:
    _, bases = servers
    (status_a, etag_a, body_a), (status_b, etag_b, body_b) = (
        fetch(base + path, accept) for base in bases
    )
    assert status_a == status_b == 200, (body_a[:300], body_b[:300])
    assert etag_a == etag_b
    if strong:
        assert not (etag_a or "").startswith("W/"), "a strong ETag, as the bytes are the same"
    assert body_a == body_b, f"{path} as {accept}: {len(body_a)} and {len(body_b)} bytes differ"


@pytest.mark.parametrize("accept", ["text/html", *RDF])
@pytest.mark.parametrize("path", DOCUMENTS)
def test_documents_are_the_same_bytes_in_every_process(two_servers, path, accept):
    if accept == "text/html" and path.startswith("/."):
        pytest.skip("served in RDF only")
    if accept == "text/html" and path in ("/catalog", "/sparql"):
        pytest.skip("the query page and the catalogue's HTML are not this test's subject")
    assert_same(two_servers, path, accept)


@pytest.mark.parametrize("accept", GRAPH_ANSWERS)
@pytest.mark.parametrize("name", list(QUERIES))
def test_graph_answers_are_the_same_bytes_in_every_process(two_servers, name, accept):
    # Virtuoso holds the ontology twice (its graph and the union graph, each with its own blank
    # nodes) and describes both copies: two lists nothing tells apart, so the ETag is weak there.
    twice = two_servers[0] == "virtuoso" and name == "describe-with-blank-nodes"
    query = urllib.parse.urlencode({"query": QUERIES[name]})
    assert_same(two_servers, f"/sparql?{query}", accept, strong=not twice)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_select_answers_with_blank_nodes_are_the_same_bytes(two_servers, accept):
    query = urllib.parse.urlencode({"query": SELECT_BLANK_NODES})
    assert_same(two_servers, f"/sparql?{query}", accept)


@pytest.mark.parametrize("name", DUMPS)
def test_dumps_are_the_same_bytes_in_every_process(two_servers, name):
    assert_same(two_servers, f"/dumps/{name}", "*/*")


def test_blank_nodes_that_cannot_be_told_apart_get_a_weak_etag(two_servers):
    """One fresh blank node per city, each with the same single triple: which is which cannot be
    told from the answer, so no name for them is certain; the ETag says so, and revalidates."""
    query = f"CONSTRUCT {{ <urn:x:s> <urn:x:p> [] }} WHERE {{ ?city a <{RIVM}City> }}"
    url = two_servers[1][0] + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, etag, body = fetch(url, "application/n-triples")
    assert status == 200 and body.count(b"<urn:x:p> _:") >= 41
    assert etag.startswith('W/"')
    request = urllib.request.Request(
        url, headers={"Accept": "application/n-triples", "If-None-Match": etag}
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=60)
    assert not_modified.value.code == 304 and not_modified.value.headers["ETag"] == etag


def _relabelled(triples: list, seed: int) -> list:
    """The same graph with fresh blank node names, in another order."""
    rng = random.Random(seed)
    names: dict = {}

    def fresh(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode())
        return term

    shuffled = [ox.Triple(fresh(t.subject), t.predicate, fresh(t.object)) for t in triples]
    rng.shuffle(shuffled)
    return shuffled


def test_answer_naming_depends_on_the_graph_only(store):
    """What a remote engine may vary between two requests (the order of the triples, the names of
    the blank nodes) changes nothing in what is written."""
    graph = store.query(
        "CONSTRUCT { ?s <urn:x:named> [ <urn:x:label> ?label ] . ?s ?p ?o } WHERE { "
        "?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "OPTIONAL { ?s ?p ?o FILTER(isBlank(?o)) } }"
    ).graph
    answer = [ox.Triple(*(from_rdflib(term) for term in triple)) for triple in graph]
    assert sum(isinstance(t.object, ox.BlankNode) for t in answer) > 1000
    written = {
        seed: answer_triples(_relabelled(answer, seed) if seed else answer) for seed in range(4)
    }
    assert all(certain for _, certain in written.values())
    bodies = {
        ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for triples, _ in written.values()
    }
    assert len(bodies) == 1
