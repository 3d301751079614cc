"""Nothing outside the data is readable, oversized requests are refused, readiness is reported."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

from tests.test_sparql_protocol import fetch, local_fetch, local_get


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/..%2F..%2F..%2Fetc%2Fpasswd",
        "/dumps/../../etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/vendor/world-atlas/..%2F..%2F..%2F..%2F..%2Fpyproject.toml",
        "/doc/city/..%2F..%2F..%2Fetc%2Fpasswd.ttl",
    ],
)
def test_no_file_outside_the_served_folders(store_client, path):
    status, _, body = local_fetch(store_client, path)
    assert status in (400, 404)
    assert b"root:" not in body and b"[project]" not in body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
        "LOAD <file:///etc/passwd>",
    ],
)
def test_queries_cannot_read_local_files(store_client, query):
    status, headers, body = local_get(store_client, query=query)
    assert b"root:" not in body
    if " FROM " in query:  # a graph the dataset does not hold: empty, and named in the answer
        assert status == 200 and headers["X-Unknown-Graphs"] == "<file:///etc/passwd>"
    else:
        assert status in (400, 403)


def test_oversized_headers_get_431(live_server):
    # Answered by the server process before the app (server.py's request reader).
    connection = http.client.HTTPConnection(live_server.removeprefix("http://"), timeout=10)
    connection.putrequest("GET", "/")
    connection.putheader("X-Padding", "x" * 20000)
    connection.endheaders()
    assert connection.getresponse().status == 431
    connection.close()


def test_a_long_get_query_is_answered_and_a_longer_one_refused(live_server):
    # The 414 comes from the server process before the app (server.py's request reader).
    query = "ASK { ?s ?p ?o } #" + "x" * 7000
    status, _, _ = fetch(live_server + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 200
    status, headers, body = fetch(live_server + "/sparql?query=" + "x" * 20000)
    assert status == 414
    assert b"POST" in body and headers["Content-Type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_readiness_and_liveness(store_client):
    status, _, body = local_fetch(store_client, "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["ready"] is True and ready["triples"] > 9000
    status, _, body = local_fetch(store_client, "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_repeated_page_views_are_identical(store_client):
    first = local_fetch(store_client, "/doc/conference/2017-clermont-ferrand?lang=fr")
    second = local_fetch(store_client, "/doc/conference/2017-clermont-ferrand?lang=fr")
    assert first[0] == second[0] == 200
    assert first[2] == second[2]
    assert first[1]["ETag"] == second[1]["ETag"]
