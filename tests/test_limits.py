"""Per-client budgets: 429 with Retry-After; cached answers are free; logs are structured."""

from __future__ import annotations

import json
import threading
import time

from limits import parse

from rivm_graph.web import create_app
from rivm_graph.web.budgets import Budgets, ProcessWindows, SharedWindows
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
    with running_server(QUERY_BUDGET="2 per minute", QUERY_TIMEOUT=2) as base:
        status, _, _ = get(base, query=RUNAWAY_PRODUCT)
        assert status == 503  # stopped at the deadline, and its 2+ s are charged
        status, headers, body = get(base, query=ask(1))
        assert status == 429
        assert b"query time" in body and int(headers["Retry-After"]) > 0


def test_quick_queries_cost_the_time_they_took_not_a_second_each():
    """Charged a whole second each, a client could ask no more queries a minute than the budget
    has seconds (120 by default), however quick they were."""
    client = create_app(
        {"TESTING": True, "RATE_LIMIT": "1000 per minute", "QUERY_BUDGET": "1 per minute"}
    ).test_client()
    statuses = [
        client.get("/sparql", query_string={"query": ask(n)}).status_code for n in range(20)
    ]
    assert statuses == [200] * 20


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


def test_windows_counted_in_process_agree_with_limits_fixed_windows():
    """The in-process windows against `limits`' own FixedWindowRateLimiter (its memory storage as
    the reference): the same answers, step by step, and the same end of window."""
    limit = parse("5 per minute")
    ours, reference = ProcessWindows(), SharedWindows("memory://")
    steps = [("a", 1), ("a", 3), ("b", 1), ("a", 1), ("a", 1), ("b", 4), ("b", 1), ("c", 7)]
    for key, cost in steps:
        assert ours.allows(limit, key) == reference.allows(limit, key), (key, cost)
        ours.charge(limit, key, cost)
        reference.charge(limit, key, cost)
        assert ours.allows(limit, key) == reference.allows(limit, key), (key, cost)
        assert abs(ours.reset_time(limit, key) - reference.reset_time(limit, key)) < 1
    assert not ours.allows(limit, "a") and not ours.allows(limit, "c")


def test_a_window_ends_after_its_period():
    limit, windows = parse("2 per second"), ProcessWindows()
    windows.charge(limit, "a", 2)
    assert not windows.allows(limit, "a")
    assert 0 < windows.reset_time(limit, "a") - time.time() <= 1
    time.sleep(1.05)
    assert windows.allows(limit, "a")


def test_charging_budgets_starts_no_thread():
    """`limits`' memory storage started a timer thread after nearly every charge (a tenth of a
    lookup's CPU time under load)."""
    budgets = Budgets({"RATE_LIMIT": "1000 per minute", "QUERY_BUDGET": "1000 per minute"})
    before = threading.active_count()
    for n in range(50):
        budgets.charge(f"client-{n % 3}", 0.01)
        assert threading.active_count() == before
    assert budgets.refusal("client-0") is None
