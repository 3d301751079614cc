"""Hostile queries: refused by size before any parser sees them, answered within the wall-clock
limit while others run, and never the end of a serving process, on both stores."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from rivm_graph.config import DEFAULTS, SettingError
from rivm_graph.rdf.query_text import (
    SAFE_DEPTH,
    SAFE_TOKENS,
    QueryLimits,
    inspect_query,
    size_refusal,
)
from tests.conftest import STORES, rivm_graph, running_server
from tests.processes import SERVER_LOGS
from tests.test_sparql_protocol import fetch

LIMITS = QueryLimits.from_settings(DEFAULTS)
DEADLINE = float(DEFAULTS["QUERY_DEADLINE"])

#: Inputs that each killed a serving process on a remote store (its parser recursed on them in
#: the serving process) or, for the last, kept it planning for minutes.
HOSTILE = {
    "5,000 nested braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "20,000 nested braces": "SELECT * WHERE " + "{" * 20000 + "}" * 20000,
    "5,000 nested parentheses": "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "9,500 negations": "ASK { FILTER(" + "!" * 9500 + "true) }",
    "7,000 additions": "ASK { FILTER(" + " + ".join(["1"] * 7000) + " = 1) }",
    "7,000 unions": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 7000) + " }",
    "3,000 nested blank nodes": "SELECT * WHERE { ?s ?p "
    + "[ <p> " * 3000
    + "1"
    + " ]" * 3000
    + " }",
}
#: Short, but past one limit each.
PAST_ONE_LIMIT = {
    "MAX_QUERY_DEPTH": "SELECT * WHERE " + "{" * 70 + "}" * 70,
    "MAX_QUERY_PATTERNS": "SELECT * WHERE { "
    + " ".join(f"?s ?p{i} ?o{i} ." for i in range(70))
    + " }",
}
#: Past the token limit, and short enough for a URL.
SHORT_BUT_LONG = "ASK { VALUES ?x { " + "1 " * 3100 + "} }"
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/rivm/id/city/cuneo> ?p ?o }"


# --- the measures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tokens", "depth", "patterns"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 8, 1, 1),
        ("SELECT * WHERE { ?s <p> ?o ; <q> 1.5 , 2 . ?o a <C> }", 17, 1, 4),
        ("SELECT * WHERE { ?s <p> [ <q> ?x ; <r> [] ] }", 15, 3, 3),
        ("SELECT * WHERE { ?s <p>/<q>/^<r> ?o }", 13, 1, 3),
        ("SELECT * WHERE { ?s (<p>|<q>)* ?o }", 13, 2, 1),
        ("SELECT * WHERE { ?s <p> (1 2 3) }", 12, 2, 7),
        ("SELECT * WHERE { VALUES ?x { <a> <b> <c> <d> } ?x ?p ?o }", 16, 2, 1),
        ('SELECT * WHERE { ?s ?p "a"^^<t> FILTER(?p != <q> && STR(?s) = "x") }', 26, 3, 1),
        ("CONSTRUCT { ?s <p> ?o . ?o <q> [ <r> 1 ] } WHERE { ?s ?p ?o }", 19, 2, 1),
        (
            "SELECT * WHERE { { SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c } } "
            "FILTER NOT EXISTS { ?a a ?t } }",
            26,
            3,
            2,
        ),
        (HOSTILE["3,000 nested blank nodes"], 9008, 3001, 3001),
    ],
)
def test_the_size_of_a_query(query, tokens, depth, patterns):
    size = inspect_query(query).size
    assert (size.tokens, size.depth, size.patterns) == (tokens, depth, patterns)


def _bgp_triples(node) -> int:
    """Triples in the basic graph patterns of rdflib's algebra (a second, unrelated parser)."""
    if isinstance(node, CompValue):
        found = len(node.triples) if node.name == "BGP" else 0
        return found + sum(_bgp_triples(v) for v in node.values())
    if isinstance(node, list | tuple):
        return sum(_bgp_triples(v) for v in node)
    return 0


SHAPES = [
    "SELECT * WHERE { " + " ".join(f"?s <p{i}> ?o{i} ." for i in range(30)) + " }",
    "SELECT * WHERE { ?s " + " ; ".join(f"<p{i}> ?o{i}" for i in range(30)) + " }",
    "SELECT * WHERE { ?s <p> " + " , ".join(f"?o{i}" for i in range(30)) + " }",
    "SELECT * WHERE { ?s <p> " + "[ <p> " * 20 + "1" + " ]" * 20 + " }",
    "SELECT * WHERE { " + " ".join(f"OPTIONAL {{ ?s <p{i}> ?o{i} }}" for i in range(20)) + " }",
    "SELECT * WHERE { ?s " + "/".join(["<p>"] * 20) + " ?o }",
    "SELECT * WHERE { ?s <p> (" + " ?x" * 10 + " ) . ?x <q> [ <r> ( 1 2 ) ] }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o . ?o ?q ?r } MINUS { ?s a <C> ; <p> ?z } }",
]


def test_the_pattern_count_is_never_below_an_independent_parsers(catalogue):
    for query in [q.text for q in catalogue] + SHAPES:
        estimate = inspect_query(query).size.patterns
        assert estimate >= _bgp_triples(prepareQuery(query).algebra), query


def test_every_example_query_and_page_query_is_far_under_the_limits(catalogue):
    queries = [q.text for q in catalogue]
    queries.append("DESCRIBE <https://w3id.org/rivm/id/city/clermont-ferrand>")  # "query this"
    for query in queries:
        size = inspect_query(query).size
        assert size.tokens <= LIMITS.tokens / 4, query
        assert size.depth <= LIMITS.depth / 4, query
        assert size.patterns <= LIMITS.patterns / 2, query


def test_reading_any_text_takes_time_in_proportion_to_its_length():
    """The guard runs in the serving process, holding its GIL: it must not be the slow part.
    (Before, 64 KB of 'a.a.a.…' took 23 s: a pattern was tried again at each letter.)"""
    size = DEFAULTS["MAX_QUERY_BYTES"]
    for text in (
        "a." * (size // 2),
        "a-" * (size // 2),
        "a.-" * (size // 3),
        "{" * size,
        "'" * size,
    ):
        started = time.process_time()
        inspect_query(text, most_tokens=LIMITS.tokens)
        assert time.process_time() - started < 2, text[:10]


# --- the limits keep Oxigraph's parser within the stack of a serving thread -------------------


def at_the_limits(tokens: int, depth: int) -> dict[str, str]:
    """The queries that push Oxigraph's parser deepest within these limits, by shape."""
    return {
        "negations": "ASK { FILTER(" + "!" * (tokens - 7) + "true) }",
        "additions": "ASK { FILTER(" + " + ".join(["1"] * ((tokens - 8) // 2)) + " = 1) }",
        "unions": "SELECT * WHERE { " + " UNION ".join(["{}"] * (tokens // 3 - 2)) + " }",
        "braces": "SELECT * WHERE " + "{" * depth + "}" * depth,
        "parentheses": "ASK { FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }",
        "blank nodes": "SELECT * WHERE { ?s ?p "
        + "[ <p> " * (depth - 1)
        + "1"
        + " ]" * (depth - 1)
        + " }",
        "negations in braces": "SELECT * WHERE "
        + "{" * (depth - 2)
        + " FILTER("
        + "!" * (tokens - 2 * depth - 10)
        + "true) "
        + "}" * (depth - 2),
    }


AT_THE_LIMITS = at_the_limits(LIMITS.tokens, LIMITS.depth)
AT_THE_CEILINGS = at_the_limits(SAFE_TOKENS, SAFE_DEPTH)
PARSE_IN_A_THREAD = """
import sys, threading, pyoxigraph
threading.stack_size(int(sys.argv[1]))
text = sys.stdin.read()
def parse():
    try:
        pyoxigraph.Store().query(text, base_iri="http://example.org/")
    except SyntaxError:
        pass
thread = threading.Thread(target=parse)
thread.start()
thread.join()
"""
HALF_A_DEFAULT_STACK = 4 * 1024 * 1024  # Linux gives a thread 8 MB unless told otherwise


def _parses_in_a_thread(query: str, stack: int) -> bool:
    run = subprocess.run(
        [sys.executable, "-c", PARSE_IN_A_THREAD, str(stack)],
        input=query,
        text=True,
        capture_output=True,
        timeout=120,
    )
    return run.returncode == 0


@pytest.mark.parametrize("shape", AT_THE_LIMITS)
def test_a_query_at_the_limits_parses_in_half_a_threads_stack(shape):
    query = AT_THE_LIMITS[shape]
    assert size_refusal(inspect_query(query).size, LIMITS) is None, "accepted"
    assert _parses_in_a_thread(query, HALF_A_DEFAULT_STACK)


@pytest.mark.parametrize("shape", AT_THE_CEILINGS)
def test_the_highest_limits_allowed_still_parse_in_half_a_threads_stack(shape):
    """An operator may raise the limits up to SAFE_TOKENS and SAFE_DEPTH, no further."""
    query = AT_THE_CEILINGS[shape]
    # (the pattern limit bounds planning time, not the stack: lifted here)
    ceilings = QueryLimits(tokens=SAFE_TOKENS, depth=SAFE_DEPTH, patterns=SAFE_TOKENS)
    assert size_refusal(inspect_query(query).size, ceilings) is None, "accepted"
    assert _parses_in_a_thread(query, HALF_A_DEFAULT_STACK)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_QUERY_TOKENS", SAFE_TOKENS + 1),
        ("MAX_QUERY_DEPTH", SAFE_DEPTH + 1),
        ("MAX_QUERY_TOKENS", 0),
        ("MAX_QUERY_DEPTH", -1),
    ],
)
def test_limits_past_what_the_parser_survives_are_refused(name, value):
    with pytest.raises(SettingError, match=f"RIVM_{name} is {value}"):
        QueryLimits.from_settings({**DEFAULTS, name: value})


def test_serve_stops_at_once_on_a_limit_past_what_the_parser_survives():
    done = rivm_graph("serve", "--port", "1", env={"RIVM_MAX_QUERY_DEPTH": "20000"})
    assert done.returncode == 2
    assert "RIVM_MAX_QUERY_DEPTH is 20000" in done.stderr and "Traceback" not in done.stderr


def test_the_stack_test_sees_a_crash():
    assert not _parses_in_a_thread(HOSTILE["9,500 negations"], HALF_A_DEFAULT_STACK)


PLANNED_AT_THE_LIMIT = {
    "star": "SELECT * WHERE { "
    + " ".join(f"?s ?p{i} ?o{i} ." for i in range(LIMITS.patterns))
    + " }",
    "graphs": "SELECT * WHERE { "
    + " ".join(f"GRAPH ?g{i} {{ ?s <p{i}> ?o{i} }}" for i in range(LIMITS.patterns))
    + " }",
    "optionals": "SELECT * WHERE { ?s ?p ?o "
    + " ".join(f"OPTIONAL {{ ?s <p{i}> ?o{i} }}" for i in range(LIMITS.patterns - 1))
    + " }",
    "blank node": "SELECT * WHERE { [ "
    + " ; ".join(f"<p{i}> ?o{i}" for i in range(LIMITS.patterns))
    + " ] }",
    "path": "SELECT * WHERE { ?s " + "/".join(["<p>"] * LIMITS.patterns) + " ?o }",
}


def test_planning_a_query_at_the_pattern_limit_takes_well_under_the_deadline():
    """Measured on 2 cores: 0.16-0.38 s of processor time each (100 patterns: 1.0-1.7 s)."""
    for shape, query in PLANNED_AT_THE_LIMIT.items():
        assert size_refusal(inspect_query(query).size, LIMITS) is None, shape
        started = time.process_time()
        list(ox.Store().query(query, base_iri="http://example.org/"))
        assert time.process_time() - started < 3, shape


# --- on a running server ---------------------------------------------------------------------


def post(base: str, query: str) -> tuple[int, dict, bytes, float]:
    started = time.monotonic()
    status, headers, body = fetch(
        base + "/sparql",
        method="POST",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    return status, headers, body, time.monotonic() - started


def crashes(log: Path) -> list[str]:
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if "was sent SIG" in line or "exited with code" in line]


def test_no_input_ends_a_serving_process(live_server):
    before = crashes(SERVER_LOGS[live_server])
    for name, query in {**HOSTILE, **PAST_ONE_LIMIT}.items():
        status, _, body, took = post(live_server, query)
        assert status == 400, (name, body[:200])
        assert b"RIVM_MAX_QUERY_" in body, name
        assert took < 2, name
    for name, query in {**PAST_ONE_LIMIT, "MAX_QUERY_TOKENS": SHORT_BUT_LONG}.items():
        _, _, body, _ = post(live_server, query)
        assert f"RIVM_{name}".encode() in body
        # The query page refuses it the same way, with the same message.
        status, _, body = fetch(f"{live_server}/query?" + urllib.parse.urlencode({"query": query}))
        assert status == 200 and f"RIVM_{name}".encode() in body
    assert crashes(SERVER_LOGS[live_server]) == before
    assert post(live_server, LOOKUP)[0] == 200


def test_the_command_line_refuses_an_oversized_query_file(tmp_path):
    path = tmp_path / "deep.rq"
    path.write_text(HOSTILE["5,000 nested braces"])
    result = rivm_graph("query", "run", "--file", str(path))
    assert result.returncode == 2, result.stderr
    assert "RIVM_MAX_QUERY_TOKENS" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_with_hostile_queries_running_no_client_waits_past_the_deadline(store, request):
    """Default settings (one server process of 4 threads, as conftest starts it): four cartesian
    products and the 3,000 nested blank nodes at once, then a lookup. Before, the products took
    up to 30 s, and the lookup waited 19 s for a 503."""
    settings = {}
    if store == "virtuoso":
        settings = {
            "STORE": "sparql",
            "SPARQL_QUERY_URL": request.getfixturevalue("virtuoso").query_url,
        }
    with running_server(**settings) as base:
        with ThreadPoolExecutor(max_workers=6) as pool:
            products = [pool.submit(post, base, PRODUCT) for _ in range(4)]
            nested = pool.submit(post, base, HOSTILE["3,000 nested blank nodes"])
            time.sleep(1)
            lookup = pool.submit(post, base, LOOKUP)
            answers = [f.result() for f in [*products, nested, lookup]]
        for status, _, body, took in answers:
            assert took < DEADLINE + 1.5, (status, took, body[:200])
        assert [a[0] for a in answers] == [503] * 4 + [400, 200], [a[2][:100] for a in answers]
        # The long-query places were taken: the others were stopped at once, and told when to
        # come back.
        turned_away = [a for a in answers[:4] if "Retry-After" in a[1]]
        assert len(turned_away) == 2 and all(a[3] < 4 for a in turned_away)
        assert post(base, LOOKUP)[0] == 200
        assert crashes(SERVER_LOGS[base]) == []
