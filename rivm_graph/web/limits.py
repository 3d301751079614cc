"""Per-client budgets: requests per minute, and query seconds per minute (the `limits` library).

Answers from the cache and 304 revalidations cost nothing. Query time is charged after the answer,
for what the query really cost, failures and timeouts included. A client past either budget gets 429
with Retry-After. Counters live in each server process unless RIVM_RATELIMIT_STORAGE_URI names a
shared store (``redis://…``), as `limits` supports.

flask-limiter (built on `limits`) was used first; its decorator machinery cost about 0.5 ms of CPU
per request, a fifth of the endpoint's lookup throughput, so the two budgets call `limits` directly.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, g, request
from limits import parse, storage, strategies

LIMITED_ENDPOINTS = frozenset({"sparql.endpoint", "sparql.endpoint_slash", "query_page.page"})


class Budgets:
    def __init__(self, app: Flask):
        backend = storage.storage_from_string(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        self.limiter = strategies.FixedWindowRateLimiter(backend)
        self.requests = parse(app.config["RATE_LIMIT"])
        self.seconds = parse(app.config["QUERY_BUDGET"])

    def refusal(self, client: str) -> Response | None:
        for limit, scope, message in (
            (self.requests, "requests", "Too many requests from this client; see Retry-After."),
            (
                self.seconds,
                "query-seconds",
                "This client has used its query time for now; see Retry-After.",
            ),
        ):
            if not self.limiter.test(limit, client, scope):
                reset = self.limiter.get_window_stats(limit, client, scope).reset_time
                wait = max(1, math.ceil(reset - time.time()))
                return Response(
                    message + "\n",
                    status=429,
                    mimetype="text/plain",
                    headers={"Retry-After": str(wait), "Vary": "Accept"},
                )
        return None

    def charge(self, client: str, response: Response) -> None:
        if response.status_code == 304 or g.get("rivm_cached", True):
            return
        self.limiter.hit(self.requests, client, "requests")
        seconds = g.get("rivm_query_seconds")
        if seconds is not None:
            self.limiter.hit(self.seconds, client, "query-seconds", cost=max(1, math.ceil(seconds)))


def init_limits(app: Flask) -> None:
    app.extensions["rivm_budgets"] = Budgets(app)

    @app.before_request
    def check_budgets() -> Response | None:
        if request.endpoint not in LIMITED_ENDPOINTS:
            return None
        return current_app.extensions["rivm_budgets"].refusal(request.remote_addr or "?")

    @app.after_request
    def charge_budgets(response: Response) -> Response:
        if request.endpoint in LIMITED_ENDPOINTS:
            current_app.extensions["rivm_budgets"].charge(request.remote_addr or "?", response)
        return response
