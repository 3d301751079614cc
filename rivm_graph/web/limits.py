"""Per-client budgets (flask-limiter): requests per minute, and query seconds per minute.

Answers from the cache and 304 revalidations cost nothing. Query time is charged after the answer,
for what the query really cost, failures and timeouts included. Exceeding either budget gives 429
with Retry-After. Counters live in each server process unless RIVM_RATELIMIT_STORAGE_URI names a
shared store (redis://…), as flask-limiter supports.
"""

from __future__ import annotations

import math

from flask import Flask, Response, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window")


def _evaluated(response: Response) -> bool:
    """A query was evaluated (not answered from the cache, not a 304)."""
    return response.status_code != 304 and not g.get("rivm_cached", False)


def _query_seconds() -> int:
    # Before the request it is 1 (is there any budget left?); after, what the query took.
    return max(1, math.ceil(g.get("rivm_query_seconds", 0)))


def init_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    request_limit = limiter.limit(
        lambda: app.config["RATE_LIMIT"],
        deduct_when=_evaluated,
        error_message="Too many requests from this client; see Retry-After.",
    )
    budget_limit = limiter.limit(
        lambda: app.config["QUERY_BUDGET"],
        cost=_query_seconds,
        deduct_when=lambda response: "rivm_query_seconds" in g,
        scope="query-seconds",
        error_message="This client has used its query time for now; see Retry-After.",
    )
    for endpoint in ("sparql.endpoint", "sparql.endpoint_slash", "query_page.page"):
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = budget_limit(request_limit(view))
