"""The W3C SPARQL 1.1 Protocol test manifest, run against the real server.

The manifest (``tests/vendor/w3c-sparql11-protocol``, see SOURCE.md there) is run twice:

- **as published**: every query case that needs no data of its own, against the service on both
  stores. Several of them name ``default-graph-uri=http://kasei.us/…/data0.rdf``, a graph this
  dataset does not hold: like Oxigraph server and Fuseki, the endpoint reads it as an empty graph
  (never fetched) and names it in ``X-Unknown-Graphs``;
- **with the dataset cases' data**: the dataset cases name graphs on kasei.us (data0.rdf …
  data3.rdf) that a service is expected to hold. This endpoint never fetches remote data, so the
  test serves a small dataset whose graphs stand for those (graph IRI
  https://w3id.org/rivm/graph/dataN, each describing itself as the originals do) and rewrites the
  kasei.us IRIs in the requests to them. Query cases must pass as the manifest says; update cases
  must be refused (read-only), and the data must be unchanged.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from tests.conftest import STORES, rivm_graph, running_server
from tests.system_programs import require

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "vendor" / "w3c-sparql11-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
KASEI = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
LOCAL = "https://w3id.org/rivm/graph/data{}"


def _rewrite(text: str) -> str:
    for n in range(4):
        text = text.replace(KASEI.format(n), LOCAL.format(n))
        text = text.replace(quote(KASEI.format(n), safe=""), quote(LOCAL.format(n), safe=""))
    return text


def _identity(text: str) -> str:
    return text


def _cases(*, published: bool = False) -> list[tuple[str, str, list[dict]]]:
    """The manifest's cases; ``published``: only the query cases that need no data of their own,
    exactly as the manifest has them (else every case, the kasei.us IRIs rewritten)."""
    graph = Graph().parse(MANIFEST)
    _rewrite_or_not = _identity if published else _rewrite
    cases = []
    for test in graph.subjects(RDF.type, MF.ProtocolTest):
        if published and graph.value(test, UT.graphData) is not None:
            continue
        action = graph.value(test, MF.action)
        requests = []
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(
                        graph.value(header, HT.fieldValue)
                    )
            body = graph.value(request, HT.body)
            response = graph.value(request, HT.resp)
            requests.append(
                {
                    "method": str(graph.value(request, HT.methodName)),
                    "path": _rewrite_or_not(str(graph.value(request, HT.absolutePath))),
                    "headers": headers,
                    "chars": None
                    if body is None
                    else _rewrite_or_not(str(graph.value(body, CNT.chars))),
                    "encoding": None
                    if body is None
                    else str(graph.value(body, CNT.characterEncoding)),
                    "statuses": {
                        str(s).rsplit("#StatusCode", 1)[-1]
                        for s in graph.objects(response, MF.expectedStatus)
                    },
                    "boolean": graph.value(response, MF.expectedBoolean),
                    "format": graph.value(response, MF.expectedFormat),
                }
            )
        if published and any(_is_update(r) for r in requests):
            continue
        cases.append((str(test).rsplit("#", 1)[-1], str(graph.value(test, MF.name)), requests))
    return sorted(cases)


def _is_update(request: dict) -> bool:
    content_type = request["headers"].get("content-type", "")
    text = (request["chars"] or "") + request["path"]
    return (
        "sparql-update" in content_type
        or re.search(r"(^|[?&])update=", text) is not None
        or ("update=" in (request["chars"] or ""))
    )


CASES = _cases()
PUBLISHED = _cases(published=True)


@pytest.fixture(scope="module", params=STORES)
def w3c_server(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("w3c")
    (root / "data").mkdir()
    shutil.copytree(ROOT / "ontology", root / "ontology")
    for n in range(4):
        (root / "data" / f"data{n}.ttl").write_text(
            f"<{LOCAL.format(n)}> a <http://xmlns.com/foaf/0.1/Document> .\n"
        )
    if request.param == "oxigraph":
        with running_server(DATA_ROOT=str(root)) as base:
            yield base
        return
    from tests.virtuoso import running_virtuoso

    require("virtuoso-t")
    with running_virtuoso() as engine:
        env = {"RIVM_SPARQL_USER": engine.user, "RIVM_SPARQL_PASSWORD": engine.password}
        loaded = rivm_graph("--root", str(root), "load", "--into", engine.query_url, env=env)
        assert loaded.returncode == 0, loaded.stderr
        with running_server(
            DATA_ROOT=str(root), STORE="sparql", SPARQL_QUERY_URL=engine.query_url
        ) as base:
            yield base


def _send(base: str, request: dict) -> tuple[int, dict, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = None
    if request["chars"] is not None:
        body = request["chars"].encode(request["encoding"] or "utf-8")
    path = request["path"].replace("/sparql/", "/sparql", 1)
    connection.request(request["method"], path, body=body, headers=request["headers"])
    response = connection.getresponse()
    answer = (response.status, dict(response.getheaders()), response.read())
    connection.close()
    return answer


def _boolean(headers: dict, body: bytes) -> bool:
    content_type = headers.get("Content-Type", "")
    if "json" in content_type:
        return json.loads(body)["boolean"]
    root = ElementTree.fromstring(body)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def _count(base: str) -> bytes:
    return _send(
        base,
        {
            "method": "GET",
            "path": "/sparql?query="
            + quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            "headers": {},
            "chars": None,
            "encoding": None,
        },
    )[2]


def test_the_manifest_is_there_and_read():
    assert len(CASES) >= 30


@pytest.mark.parametrize(("case", "name", "requests"), CASES, ids=[c[0] for c in CASES])
def test_w3c_protocol_case(w3c_server, case, name, requests):
    before = _count(w3c_server)
    for request in requests:
        status, headers, body = _send(w3c_server, request)
        assert status != 500 and status < 500, body
        if _is_update(request):
            if "4xx" in request["statuses"] and "2xx" not in request["statuses"]:
                assert 400 <= status < 500, f"{name}: {status} {body!r}"
            else:
                assert status == 403, f"{name}: updates are refused, got {status} {body!r}"
                assert b"read-only" in body
            continue
        if case == "query_base_uri" or any(_is_update(r) for r in requests):
            # the query half of a case whose update was refused: nothing was written to find
            assert status == 200
            continue
        _check_answer(name, request, status, headers, body)
    assert _count(w3c_server) == before, "the data is unchanged"


def _check_answer(name: str, request: dict, status: int, headers: dict, body: bytes) -> None:
    """The status, boolean and format the manifest expects of a query's answer."""
    kind = "2xx" if 200 <= status < 300 else "3xx" if status < 400 else "4xx"
    assert kind in request["statuses"], f"{name}: got {status} {body!r}"
    if request["boolean"] is not None:
        assert _boolean(headers, body) is bool(request["boolean"].toPython()), name
    expected_format = str(request["format"]) if request["format"] is not None else None
    content_type = headers.get("Content-Type", "").split(";")[0]
    if expected_format == "tabular":
        assert content_type in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        )
    elif expected_format == "boolean":
        assert content_type in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
        )
    elif expected_format == "RDF":
        assert content_type in ("application/rdf+xml", "text/turtle", "application/n-triples")


def test_the_published_query_cases_are_there():
    names = {case for case, _, _ in PUBLISHED}
    assert {
        "query_get",
        "query_post_form",
        "query_post_direct",
        "query_content_type_select",
        "query_content_type_ask",
        "query_content_type_describe",
        "query_content_type_construct",
    } <= names
    assert not names & {"query_dataset_default_graph", "update_dataset_default_graph"}


@pytest.mark.parametrize(("case", "name", "requests"), PUBLISHED, ids=[c[0] for c in PUBLISHED])
def test_w3c_protocol_query_case_as_published(live_server, case, name, requests):
    """Each query case exactly as the manifest has it, on both stores: a graph this dataset does
    not hold (kasei.us/…/data0.rdf) is an empty graph, and the answer names it."""
    for request in requests:
        status, headers, body = _send(live_server, request)
        assert status < 500, body
        _check_answer(name, request, status, headers, body)
        asked = request["path"] + (request["chars"] or "")
        if status == 200 and quote(KASEI.format(0), safe="") in asked:
            assert headers.get("X-Unknown-Graphs") == f"<{KASEI.format(0)}>", name
