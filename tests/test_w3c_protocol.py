"""The W3C SPARQL 1.1 Protocol test manifest, run against the real server.

The manifest's dataset cases name graphs on kasei.us (data0.rdf … data3.rdf) that a service is
expected to hold. This endpoint never fetches remote data, so the test serves a small dataset whose
graphs stand for those (graph IRI https://w3id.org/rivm/graph/dataN, each describing itself as the
originals do) and rewrites the kasei.us IRIs in the requests to them. Query cases must pass as the
manifest says; update cases must be refused (read-only), and the data must be unchanged.
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

from tests.conftest import running_server

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "vendor" / "w3c-sparql11-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
KASEI = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
LOCAL = "https://w3id.org/rivm/graph/data{}"


def _rewrite(text: str) -> str:
    for n in range(4):
        text = text.replace(KASEI.format(n), LOCAL.format(n))
        text = text.replace(quote(KASEI.format(n), safe=""), quote(LOCAL.format(n), safe=""))
    return text


def _cases() -> list[tuple[str, str, list[dict]]]:
    if not MANIFEST.exists():
        return []
    graph = Graph().parse(MANIFEST)
    cases = []
    for test in graph.subjects(RDF.type, MF.ProtocolTest):
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
                    "path": _rewrite(str(graph.value(request, HT.absolutePath))),
                    "headers": headers,
                    "chars": None if body is None else _rewrite(str(graph.value(body, CNT.chars))),
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
        cases.append((str(test).rsplit("#", 1)[-1], str(graph.value(test, MF.name)), requests))
    return sorted(cases)


CASES = _cases()


def _is_update(request: dict) -> bool:
    content_type = request["headers"].get("content-type", "")
    text = (request["chars"] or "") + request["path"]
    return (
        "sparql-update" in content_type
        or re.search(r"(^|[?&])update=", text) is not None
        or ("update=" in (request["chars"] or ""))
    )


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("w3c")
    (root / "data").mkdir()
    shutil.copytree(ROOT / "ontology", root / "ontology")
    for n in range(4):
        (root / "data" / f"data{n}.ttl").write_text(
            f"<{LOCAL.format(n)}> a <http://xmlns.com/foaf/0.1/Document> .\n"
        )
    with running_server(DATA_ROOT=str(root)) as base:
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
    assert _count(w3c_server) == before, "the data is unchanged"
