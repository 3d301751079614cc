"""Hostile input, generated: every answer is 2xx/3xx/4xx/503 with a readable message, never a 500,
never a stack trace, never slower than the deadline plus a margin; the server stays healthy and
no serving process dies, on both stores."""

from __future__ import annotations

import contextlib
import http.client
import time
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import STORES, running_server
from tests.processes import SERVER_LOGS
from tests.test_hostile import crashes

DEADLINE = 2.0
MARGIN = 6.0
FRAGMENTS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "?s",
    "?p",
    "?o",
    ".",
    ";",
    ",",
    "FILTER",
    "REGEX",
    "OPTIONAL",
    "UNION",
    "GRAPH",
    "SERVICE",
    "FROM",
    "NAMED",
    "PREFIX",
    "ex:",
    "<http://example.org/a>",
    "<https://w3id.org/rivm/id/city/cuneo>",
    '"x"',
    "'''y'''",
    "1",
    "-3.5e7",
    "COUNT(*)",
    "AS",
    "GROUP BY",
    "ORDER BY",
    "LIMIT",
    "VALUES",
    "INSERT",
    "DELETE",
    "DATA",
    "LOAD",
    "DROP",
    "#",
    "\n",
    "\\u0053",
    "a",
    "*",
    "^^",
    "@en",
    "BIND",
    "EXISTS",
    "NOT",
    "MINUS",
    "HAVING",
    "<",
    ">",
    "||",
    "&&",
    "\x00",
    "é",
    "🚀",
]
sparql_like = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
any_text = st.one_of(sparql_like, st.text(max_size=300))
ROUTES = [
    "/sparql",
    "/query",
    "/",
    "/id/city/",
    "/doc/city/cuneo",
    "/ontology",
    "/shapes",
    "/dumps/",
    "/context.jsonld",
    "/.well-known/sparql-examples",
    "/healthz",
    "/search?q=cuneo",
    "/reconcile",
    "/reconcile/suggest/entity?prefix=cu",
    "/reconcile/preview?id=https%3A%2F%2Fw3id.org%2Frivm%2Fid%2Fcity%2Fcuneo",
    "/reconcile/view?id=https%3A%2F%2Fw3id.org%2Frivm%2Fid%2Fcity%2Fcuneo",
]
HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "*/*",
            "text/html",
            "application/sparql-results+json;q=0.2, */*;q=0.1",
            "",
            "garbage",
            "text/*;q=abc",
            "application/json;;;",
            "\u00e9t\u00e9",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
)


@pytest.fixture(scope="module", params=STORES)
def server(request):
    """A real server on each store: on Virtuoso the query is parsed in the serving process
    (Oxigraph's parser, which recurses), so a crash there would lose every request on it."""
    config = {"QUERY_TIMEOUT": DEADLINE, "MAX_ROWS": 500}
    if request.param == "virtuoso":
        engine = request.getfixturevalue("virtuoso")
        config |= {"STORE": "sparql", "SPARQL_QUERY_URL": engine.query_url}
    with running_server(**config) as base:
        yield base


def send(
    base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=DEADLINE + MARGIN + 5)
    start = time.monotonic()
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value.encode("latin-1", "replace"))
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        # The server may answer before the body is all sent (413 without waiting for it) and
        # close: its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, time.monotonic() - start
    finally:
        connection.close()


#: What the server answers (503) when a request raised an error no code expected: a 500 in all
#: but name.
UNEXPECTED = b"The server could not answer this request; it has been logged."


def check(status: int, body: bytes, elapsed: float, method: str = "GET") -> None:
    assert status < 500 or status == 503, (status, body[:300])
    assert UNEXPECTED not in body, "an error no code expected"
    assert b"Traceback" not in body and b'File "/' not in body
    assert elapsed < DEADLINE + MARGIN, elapsed
    if status >= 400 and method != "HEAD":  # an answer to HEAD has no body, by definition
        assert body.strip(), "an error says what went wrong"


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(query=any_text, accept=HEADER_VALUES)
def test_generated_queries_by_get(server, query, accept):
    check(
        *send(server, "GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": accept})
    )


@FUZZ
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "text/plain",
            "",
            "application/sparql-update",
            "multipart/form-data; boundary=x",
        ]
    ),
)
def test_random_bytes_posted(server, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    check(*send(server, "POST", "/sparql", body=body, headers=headers))


@FUZZ
@given(query=any_text)
def test_generated_queries_on_the_query_page(server, query):
    check(*send(server, "GET", "/query?" + urlencode({"query": query})))


@FUZZ
@given(
    route=st.sampled_from(ROUTES),
    method=st.sampled_from(
        ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]
    ),
    accept=HEADER_VALUES,
    language=HEADER_VALUES,
    tag=HEADER_VALUES,
)
def test_odd_methods_and_headers_on_every_route(server, route, method, accept, language, tag):
    headers = {"Accept": accept, "Accept-Language": language, "If-None-Match": tag}
    check(*send(server, method, route, headers=headers), method=method)


@FUZZ
@given(path=st.text(max_size=60))
def test_odd_paths(server, path):
    check(*send(server, "GET", "/doc/" + quote(path, safe="/%")))
    check(*send(server, "GET", "/id/" + quote(path, safe="/%.")))


@FUZZ
@given(page=st.one_of(st.integers(), st.integers(min_value=10**15), st.text(max_size=30)))
def test_odd_listing_pages(server, page):
    check(*send(server, "GET", "/id/city/?" + urlencode({"page": page})))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { " + "OPTIONAL { " * 2000 + "?s ?p ?o" + " }" * 2000 + " }",
        "ASK { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
        'SELECT * WHERE { BIND("' + "x" * 200_000 + '" AS ?x) }',
        'SELECT * WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "' + "(a*)*" * 50 + 'b") }',
    ],
    ids=["braces", "optional", "parens", "long-literal", "regex"],
)
def test_deep_nesting_and_huge_queries(server, query):
    check(
        *send(
            server,
            "POST",
            "/sparql",
            body=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    )


def test_megabyte_inputs(server):
    megabyte = "x" * 1_000_000
    check(*send(server, "GET", "/sparql?query=" + megabyte))
    check(
        *send(
            server,
            "POST",
            "/sparql",
            body=("query=" + megabyte).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    )
    check(*send(server, "GET", "/", headers={"X-Long": megabyte[:100_000]}))


def test_the_server_is_healthy_afterwards(server):
    status, body, _ = send(server, "GET", "/healthz")
    assert status == 200 and b'"ok"' in body
    assert crashes(SERVER_LOGS[server]) == [], "no serving process died"
