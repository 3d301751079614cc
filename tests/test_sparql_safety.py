"""Safe by default: read-only, no outbound request, clear errors, deadlines, capped answers."""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from rivm_graph.config import DEFAULTS
from tests.conftest import running_server
from tests.test_sparql_protocol import CITIES, get, local_fetch, local_get

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def count_triples(client) -> int:
    _, _, body = local_get(client, query=COUNT)
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.hits = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/"

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.hits += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


# --- errors a person can read ---------------------------------------------------------------


def test_syntax_error_is_400_with_line_and_column(store_client):
    status, headers, body = local_get(store_client, query="SELECT ?x\nWHERE { ?x ?y ?z }\nLIMT 3")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert "line 3, column 7" in body.decode()


def test_syntax_error_in_json_when_json_was_asked(store_client):
    status, headers, body = local_get(
        store_client,
        headers={"Accept": "application/sparql-results+json"},
        query="SELECT ?x WHERE {",
    )
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["status"] == 400 and "line 1" in error["message"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ([("query", "ASK {}"), ("query", "ASK {}")], 400),
        ([("query", "ASK {}"), ("update", "CLEAR ALL")], 400),
        ([("query", "")], 400),
    ],
)
def test_malformed_get_requests_are_refused(store_client, params, status):
    code, _, body = local_fetch(store_client, f"/sparql?{urllib.parse.urlencode(params)}")
    assert code == status and body


@pytest.mark.parametrize(
    ("content_type", "body"),
    [(None, b"query=ASK%20%7B%7D"), ("text/plain", b"ASK {}"), ("application/json", b"{}")],
)
def test_post_without_a_sparql_content_type_is_400(store_client, content_type, body):
    # The test client sends exactly these headers (local_fetch, as urllib, would add a form
    # Content-Type itself).
    headers = {"Content-Type": content_type} if content_type else {}
    response = store_client.post("/sparql", data=body, headers=headers)
    status, text = response.status_code, response.get_data()
    assert status == 400
    assert b"Content-Type" in text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", b'ASK { ?s ?p "\xff\xfe" }'),
        ("application/x-www-form-urlencoded", b"query=ASK%20%7B%FF%7D"),
        ("application/sparql-query", "ASK {}".encode("utf-16")),
    ],
)
def test_invalid_utf8_is_400_not_500(store_client, content_type, body):
    status, _, text = local_fetch(
        store_client, "/sparql", method="POST", data=body, headers={"Content-Type": content_type}
    )
    assert status == 400
    assert b"UTF-8" in text


def test_body_over_the_limit_is_413(live_server):
    # Over a real connection (what is tested is the refusal before the body is read): the
    # server answers 413 as soon as it sees Content-Length, and may close the connection
    # before the whole body is sent: send in pieces, stop when it hangs up, then read the answer.
    huge = b"query=" + b"%20" * 300_000
    connection = http.client.HTTPConnection(live_server.removeprefix("http://"), timeout=10)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", FORM["Content-Type"])
    connection.putheader("Content-Length", str(len(huge)))
    connection.endheaders()
    try:
        for start in range(0, len(huge), 16384):
            connection.send(huge[start : start + 16384])
    except (BrokenPipeError, ConnectionResetError):
        pass
    response = connection.getresponse()
    assert response.status == 413
    assert b"larger" in response.read()
    connection.close()


def test_other_methods_are_405(store_client):
    status, _, _ = local_fetch(store_client, "/sparql?query=ASK%20%7B%7D", method="PUT", data=b"")
    assert status == 405


# --- read-only ------------------------------------------------------------------------------


UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
    "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_route_is_403_and_the_data_is_unchanged(store_client, update):
    before = count_triples(store_client)
    answers = [
        local_get(store_client, update=update),
        local_get(store_client, query=update),
        local_fetch(
            store_client,
            "/sparql",
            method="POST",
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
        local_fetch(
            store_client,
            "/sparql",
            method="POST",
            data=urllib.parse.urlencode({"update": update}).encode(),
            headers=FORM,
        ),
        local_fetch(
            store_client,
            "/sparql",
            method="POST",
            data=update.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ]
    for status, _, body in answers:
        assert status == 403, body
        assert b"read-only" in body
    assert count_triples(store_client) == before
    _, _, body = local_get(store_client, query="ASK { <http://example.org/s> ?p ?o }")
    assert json.loads(body)["boolean"] is False


# --- no outbound request --------------------------------------------------------------------


def test_no_query_makes_the_server_connect_anywhere(store_client):
    listener = Listener()
    try:
        target = listener.url
        refused = [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
            f"PREFIX remote: <{target}>\nSELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        ]
        for query in refused:
            status, _, body = local_get(store_client, query=query)
            assert status == 400, (query, body)
        status, _, body = local_get(store_client, query=refused[0])
        assert b"federated queries are disabled" in body
        # A graph the dataset does not hold is an empty graph, never fetched, and named.
        nothing = {"results": {"bindings": []}}
        empty = [
            ({"query": "SELECT ?s WHERE { ?s ?p ?o }", "default-graph-uri": target}, nothing),
            (
                {"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": target},
                nothing,
            ),
            ({"query": f"SELECT ?s FROM <{target}> WHERE {{ ?s ?p ?o }}"}, nothing),
            (
                {"query": f"SELECT ?g FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                nothing,
            ),
            ({"query": f"ASK FROM <{target}> {{ ?s ?p ?o }}"}, {"boolean": False}),
        ]
        for params, expected in empty:
            status, headers, body = local_get(store_client, **params)
            assert status == 200, (params, body)
            assert headers["X-Unknown-Graphs"] == f"<{target}>", params
            answer = json.loads(body)
            assert {key: answer[key] for key in expected} == expected, params
        harmless = [
            f'SELECT ?x WHERE {{ BIND(IRI("{target}") AS ?x) }}',
            f"DESCRIBE <{target}>",
            f"ASK {{ <{target}> ?p ?o }}",
        ]
        for query in harmless:
            status, _, _ = local_get(store_client, query=query)
            assert status == 200
        time.sleep(0.5)
        assert listener.hits == 0
    finally:
        listener.close()


# --- deadlines and caps ---------------------------------------------------------------------

RUNAWAY_REGEX = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    'FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a|aa|.)*(x|y)+[0-9]$")) }'
)
RUNAWAY_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?p ?o WHERE {{ <https://w3id.org/rivm/id/city/{slug}> ?p ?o }}"
SLUGS = ["cuneo", "braga", "norman", "magog", "anderson", "regensburg", "maebashi", "homburg"]


@pytest.fixture(scope="module")
def strict_server():
    with running_server(QUERY_TIMEOUT=2, MAX_ROWS=25, QUERY_WORKERS=4) as base:
        yield base


def _timed(base: str, query: str) -> tuple[int, float, bytes]:
    start = time.monotonic()
    status, _, body = get(base, query=query)
    return status, time.monotonic() - start, body


def test_runaway_queries_are_stopped_while_cheap_queries_keep_answering(strict_server):
    normal = [_timed(strict_server, CHEAP.format(slug=s))[1] for s in SLUGS * 3]
    with ThreadPoolExecutor(max_workers=3) as pool:
        runaways = [pool.submit(_timed, strict_server, q) for q in (RUNAWAY_REGEX, RUNAWAY_PRODUCT)]
        time.sleep(0.3)
        during = []
        while not all(r.done() for r in runaways):
            status, elapsed, _ = _timed(strict_server, CHEAP.format(slug=SLUGS[len(during) % 8]))
            assert status == 200
            during.append(elapsed)
        results = [r.result() for r in runaways]
    for status, elapsed, body in results:
        assert status == 503, body
        assert b"2 s of processor time" in body or b"RIVM_QUERY_DEADLINE" in body
        # Stopped after 2 s of its own processor time: about 2 s on a quiet machine, and never
        # later than the wall-clock limit on a busy one.
        assert 1.5 < elapsed < DEFAULTS["QUERY_DEADLINE"] + 1.5
    assert len(during) >= 5
    # Cheap lookups stay in the same order of magnitude as unloaded (two cores are busy with
    # the runaways until they are killed), far from the deadline.
    assert statistics.median(during) < max(20 * statistics.median(normal), 0.25)
    assert max(during) < 1.5
    status, _, _ = _timed(strict_server, CHEAP.format(slug="cuneo"))
    assert status == 200


def test_answers_are_capped_with_a_clear_notice(strict_server):
    status, headers, body = get(strict_server, query="SELECT * WHERE { ?s ?p ?o }", format="json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 25
    assert headers["X-Result-Truncated"] == "true"
    assert "25 rows" in headers["Warning"]
    status, headers, body = get(
        strict_server, query=CITIES.replace("?city a", "?city a") + " LIMIT 3"
    )
    assert status == 200 and "X-Result-Truncated" not in headers
