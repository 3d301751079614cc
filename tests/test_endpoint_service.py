"""The query service without Flask or HTTP: its policy, answer keys and evaluation, in-process
over the repository's data (the web layer only reads requests and writes responses)."""

from __future__ import annotations

import json
import time

import pytest

from rivm_graph.config import DEFAULTS
from rivm_graph.endpoint.service import (
    GRAPH_TYPES,
    RESULT_TYPES,
    QueryPolicy,
    QueryRefused,
    QueryService,
    etag,
)
from rivm_graph.stores.base import QueryTimeout
from rivm_graph.stores.executor import InProcessExecutor
from rivm_graph.web.cache import LruCache

CITIES = "SELECT ?c WHERE { ?c a <https://w3id.org/rivm/ontology#City> } ORDER BY ?c LIMIT 3"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def service(store) -> QueryService:
    policy = QueryPolicy.from_settings(
        {**DEFAULTS, "SERVICE_ALLOWLIST": "https://allowed.example/sparql"}
    )
    executor = InProcessExecutor(store, timeout=5, max_rows=100, deadline=5, slow_queries=2)
    return QueryService(store, executor, LruCache(16), policy)


def refusal(service: QueryService, text: str, **dataset) -> QueryRefused:
    with pytest.raises(QueryRefused) as caught:
        service.check(text, **dataset)
    return caught.value


def test_policy_refuses_updates_without_touching_the_data(service):
    before = service.store.counts().triples
    refused = refusal(service, "DELETE WHERE { ?s ?p ?o }")
    assert refused.status == 403 and "read-only" in refused.message
    assert service.store.counts().triples == before


def test_policy_refuses_services_not_allowed_and_names_the_setting(service):
    refused = refusal(
        service, "SELECT * WHERE { SERVICE <https://other.example/sparql> { ?s ?p ?o } }"
    )
    assert refused.status == 400
    assert "https://other.example/sparql" in refused.message
    assert "RIVM_SERVICE_ALLOWLIST" in refused.message
    allowed = service.check(
        "SELECT * WHERE { SERVICE <https://allowed.example/sparql> { ?s ?p ?o } }"
    )
    assert allowed.info.services == ["https://allowed.example/sparql"]


def test_policy_refuses_too_deep_queries_before_any_parser_and_says_why(service):
    deep = "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200
    refused = refusal(service, deep)
    assert refused.status == 400 and refused.outcome == "too-big"
    assert "RIVM_MAX_QUERY_DEPTH" in refused.message


def test_policy_refuses_queries_longer_than_the_limit(service):
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * int(DEFAULTS["MAX_QUERY_BYTES"])
    assert refusal(service, text).status == 413


def test_unknown_graphs_are_noted_not_refused(service):
    checked = service.check(
        "SELECT * FROM <https://nowhere.example/g> WHERE { ?s ?p ?o }",
        named_graphs=["https://nowhere.example/h"],
    )
    assert checked.unknown_graphs == ["https://nowhere.example/g", "https://nowhere.example/h"]


def test_the_form_decides_the_formats_offered(service):
    assert service.check(CITIES).offered == RESULT_TYPES
    assert (
        service.check("DESCRIBE <https://w3id.org/rivm/id/city/clermont-ferrand>").offered
        == GRAPH_TYPES
    )
    assert RESULT_TYPES[0] == JSON and GRAPH_TYPES[0] == "text/turtle"


def test_the_answer_key_changes_with_everything_that_changes_the_answer(service):
    checked = service.check(CITIES)
    key = service.answer_key(checked, JSON)
    assert key == service.answer_key(service.check(CITIES), JSON)
    assert key != service.answer_key(checked, "text/csv")
    assert key != service.answer_key(
        service.check(CITIES, default_graphs=["https://x.example/g"]), JSON
    )
    assert key != service.answer_key(service.check(CITIES + " "), JSON)
    assert len(etag(key)) == 32 and etag(key) != etag(key + "x")


def test_run_answers_then_serves_the_same_answer_from_the_cache(service):
    checked = service.check(CITIES)
    first = service.run(checked, JSON, time.monotonic() + 5)
    assert not first.cached and first.seconds is not None
    rows = json.loads(first.answer.body)["results"]["bindings"]
    assert len(rows) == 3
    again = service.run(checked, JSON, time.monotonic() + 5)
    assert again.cached and again.seconds is None and again.answer.body == first.answer.body


def test_a_syntax_error_is_a_400_that_points_at_the_place(service):
    checked = service.check("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryRefused) as caught:
        service.run(checked, JSON, time.monotonic() + 5)
    assert caught.value.status == 400 and caught.value.outcome == "syntax-error"
    assert caught.value.seconds is not None


def test_a_format_that_does_not_fit_the_answer_is_a_406(service):
    checked = service.check(CITIES)
    with pytest.raises(QueryRefused) as caught:
        service.run(checked, "text/turtle", time.monotonic() + 5)
    assert caught.value.status == 406


def test_a_query_sent_while_the_server_stops_is_a_503_that_says_to_send_it_again(store):
    executor = InProcessExecutor(store, timeout=5, max_rows=100, deadline=5, slow_queries=2)
    stopping = QueryService(store, executor, LruCache(4), QueryPolicy.from_settings(DEFAULTS))
    executor.stop()
    with pytest.raises(QueryRefused) as caught:
        stopping.run(stopping.check(CITIES), JSON, time.monotonic() + 5)
    assert caught.value.status == 503 and caught.value.outcome == "stopping"
    assert "again" in caught.value.message


@pytest.mark.parametrize(
    ("text", "streamed"),
    [
        ("SELECT ?p ?o WHERE { <https://w3id.org/rivm/id/city/vitoria-gasteiz> ?p ?o }", True),
        ("SELECT ?p ?o WHERE { <x:a> ?p ?o }\n# a client's comment", True),
        (
            "PREFIX rivm: <https://w3id.org/rivm/ontology#>\nSELECT * { ?c a rivm:City . } LIMIT 5",
            True,
        ),
        ("ASK { ?s ?p ?o }", True),
        ('SELECT ?s { ?s ?p "Clermont-Ferrand" }', True),
        ("SELECT ?x WHERE { ?x ?p ?x }", False),  # the engine skips rows that do not repeat
        ("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", False),  # skips the ones already seen
        ("SELECT * WHERE { ?s ?p ?o } OFFSET 100000", False),  # skips a hundred thousand
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o", False),  # reads every row first
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False),
        ('SELECT ?s WHERE { ?s ?p "Clermont"@fr }', False),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o > 3) }", False),
        ("SELECT * WHERE { ?s <x:p>/<x:q> ?o }", False),
        ("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }", False),
        ("SELECT * FROM <x:g> WHERE { ?s ?p ?o }", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", False),
        ("DESCRIBE <x:a>", True),
        ("PREFIX city: <https://w3id.org/rivm/id/city/>\nDESCRIBE city:cuneo city:braga", True),
        ("DESCRIBE ?s WHERE { ?s ?p ?o }", False),
        ("DESCRIBE <x:a> FROM <x:g>", False),
        ("DESCRIBE *", False),
        ("SELECT * WHERE { { ?s ?p ?o } }", False),
    ],
)
def test_queries_read_row_by_row_from_index_ranges_are_recognised(service, text, streamed):
    assert service.check(text).info.streamed is streamed


def test_the_embedded_store_stops_reading_rows_at_the_deadline(store):
    with pytest.raises(QueryTimeout):
        store.query_serialized("SELECT * WHERE { ?s ?p ?o }", JSON, until=time.monotonic() - 1)
    answer = store.query_serialized("SELECT * WHERE { ?s ?p ?o }", JSON, max_rows=5)
    assert answer.size == 5 and answer.truncated
    describe = "DESCRIBE <https://w3id.org/rivm/id/city/cuneo>"
    with pytest.raises(QueryTimeout):
        store.query_serialized(describe, "text/turtle", add_labels=True, until=time.monotonic() - 1)
    described = store.query_serialized(
        describe, "text/turtle", add_labels=True, until=time.monotonic() + 5
    )
    assert described.size > 0 and not described.truncated
