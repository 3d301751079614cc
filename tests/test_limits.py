"""Per-client budgets: 429 with Retry-After; cached answers are free; logs are structured."""

from __future__ import annotations

import json

from rivm_graph.web import create_app
from tests.conftest import running_server
from tests.test_sparql_protocol import get
from tests.test_sparql_safety import RUNAWAY_PRODUCT


def ask(n: int) -> str:
    return f"ASK {{ ?s ?p {n} }}"


def test_request_budget_counts_evaluated_queries_only():
    # In-process: the budgets are per process, and what is tested is how they count.
    client = create_app({"TESTING": True, "RATE_LIMIT": "5 per minute"}).test_client()

    def status(n: int) -> int:
        return client.get("/sparql", query_string={"query": ask(n)}).status_code

    assert [status(n) for n in range(4)] == [200] * 4
    assert [status(0) for _ in range(10)] == [200] * 10, "cache is free"
    assert status(4) == 200
    refused = client.get("/sparql", query_string={"query": ask(5)})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert b"Too many requests" in refused.data


def test_query_time_budget_charges_what_queries_cost():
    with running_server(QUERY_BUDGET="3 per minute", QUERY_TIMEOUT=2) as base:
        status, _, _ = get(base, query=RUNAWAY_PRODUCT)
        assert status == 503  # stopped at the deadline, and its 2+ s are charged
        status, headers, body = get(base, query=ask(1))
        assert status == 429
        assert b"query time" in body and int(headers["Retry-After"]) > 0


def test_access_log_has_time_and_outcome_but_no_query_or_client(tmp_path, monkeypatch):
    log = tmp_path / "server.log"
    monkeypatch.setenv("RIVM_TEST_SERVER_LOG", str(log))
    with running_server(QUERY_TIMEOUT=2) as base:
        get(base, query="SELECT * WHERE { ?s ?p 'secret words' } LIMIT 1")
        get(base, query="SELECT * WHERE {")
        get(base, query=RUNAWAY_PRODUCT)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    sparql = [r for r in records if r["path"] == "/sparql"]
    assert [r["outcome"] for r in sparql] == ["ok", "syntax-error", "timeout"]
    assert all("query_ms" in r and "ms" in r and "status" in r for r in sparql)
    text = log.read_text()
    assert "secret words" not in text and "127.0.0.1 -" not in text
    assert not any("client" in r or "query" in r for r in sparql)
