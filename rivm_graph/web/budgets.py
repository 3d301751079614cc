"""Per-client budgets: requests per minute, and query seconds per minute (the `limits` library).

Answers from the cache and 304 revalidations cost nothing. Query time is charged after the answer,
for what the query really cost, failures and timeouts included. Counters live in each server
process unless RIVM_RATELIMIT_STORAGE_URI names a shared store (``redis://…``), as `limits`
supports.

flask-limiter (built on `limits`) was used first; its decorator machinery cost about 0.5 ms of CPU
per request, a fifth of the endpoint's lookup throughput, so the two budgets call `limits` directly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limits import parse, storage, strategies


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds


class Budgets:
    def __init__(self, settings: Mapping[str, Any]):
        backend = storage.storage_from_string(settings.get("RATELIMIT_STORAGE_URI", "memory://"))
        self.limiter = strategies.FixedWindowRateLimiter(backend)
        self.requests = parse(settings["RATE_LIMIT"])
        self.seconds = parse(settings["QUERY_BUDGET"])

    def refusal(self, client: str) -> Refusal | None:
        """Why ``client`` may not ask now, and when it may again; None if it may."""
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
                return Refusal(message, max(1, math.ceil(reset - time.time())))
        return None

    def charge(self, client: str, query_seconds: float | None) -> None:
        """One request that evaluated a query, and what the query cost."""
        self.limiter.hit(self.requests, client, "requests")
        if query_seconds is not None:
            cost = max(1, math.ceil(query_seconds))
            self.limiter.hit(self.seconds, client, "query-seconds", cost=cost)
