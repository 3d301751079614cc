"""Per-client budgets: requests per minute, and query seconds per minute (counted to the
millisecond, so quick answers cost what they took, not a second each).

Answers from the cache and 304 revalidations cost nothing. Query time is charged after the answer,
for what the query really cost, failures and timeouts included.

Both budgets are fixed windows, as the `limits` library's ``FixedWindowRateLimiter`` counts them:
a client's window opens with its first charge and lasts the limit's period. `limits` parses the
settings (``"60 per minute"``) and, when RIVM_RATELIMIT_STORAGE_URI names a shared store
(``redis://…``), counts across processes. Counted in this process (``memory://``, the default),
the windows are a dictionary under a lock: `limits`' own memory storage starts a timer thread
after nearly every charge to expire its keys, which cost a tenth of a lookup's CPU time under load
(measured with py-spy on a loaded server) and can race ("threads can only be started once",
alisaifee/limits#352).

flask-limiter (built on `limits`) was used first; its decorator machinery cost about 0.5 ms of CPU
per request, a fifth of the endpoint's lookup throughput, so the two budgets call `limits` directly.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from limits import RateLimitItem, parse, storage, strategies


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds


class Windows(Protocol):
    """Where fixed windows are counted."""

    def allows(self, limit: RateLimitItem, key: str) -> bool:
        """Whether one more unit fits in ``key``'s current window."""
        ...

    def charge(self, limit: RateLimitItem, key: str, cost: int) -> None: ...

    def reset_time(self, limit: RateLimitItem, key: str) -> float:
        """When ``key``'s current window ends (seconds since the epoch)."""
        ...


class ProcessWindows:
    """Fixed windows counted in this process; expired windows are swept once a minute at most,
    while charging, so the dictionary holds about one entry per client seen in a window."""

    SWEEP_EVERY = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key: (when it ends, units used)
        self._next_sweep = 0.0

    def _used(self, key: str, now: float) -> tuple[float, int]:
        ends, used = self._windows.get(key, (0.0, 0))
        return (ends, used) if ends > now else (0.0, 0)

    def allows(self, limit: RateLimitItem, key: str) -> bool:
        with self._lock:
            return self._used(key, time.time())[1] < limit.amount

    def charge(self, limit: RateLimitItem, key: str, cost: int) -> None:
        now = time.time()
        with self._lock:
            ends, used = self._used(key, now)
            self._windows[key] = (ends or now + limit.get_expiry(), used + cost)
            if now >= self._next_sweep:
                self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
                self._next_sweep = now + self.SWEEP_EVERY

    def reset_time(self, limit: RateLimitItem, key: str) -> float:
        with self._lock:
            ends, _ = self._used(key, time.time())
        return ends or time.time()


class SharedWindows:
    """Fixed windows counted by `limits` in the store its URI names, shared by processes."""

    def __init__(self, uri: str):
        self._limiter = strategies.FixedWindowRateLimiter(storage.storage_from_string(uri))

    def allows(self, limit: RateLimitItem, key: str) -> bool:
        return self._limiter.test(limit, key)

    def charge(self, limit: RateLimitItem, key: str, cost: int) -> None:
        self._limiter.hit(limit, key, cost=cost)

    def reset_time(self, limit: RateLimitItem, key: str) -> float:
        return self._limiter.get_window_stats(limit, key).reset_time


class Budgets:
    def __init__(self, settings: Mapping[str, Any]):
        uri = settings.get("RATELIMIT_STORAGE_URI") or "memory://"
        self.windows: Windows = ProcessWindows() if uri == "memory://" else SharedWindows(uri)
        self.requests = parse(settings["RATE_LIMIT"])
        seconds = parse(settings["QUERY_BUDGET"])
        #: Query time is counted in milliseconds: a lookup of 2 ms costs 2, not a whole second.
        self.milliseconds = type(seconds)(seconds.amount * 1000, seconds.multiples)

    def refusal(self, client: str) -> Refusal | None:
        """Why ``client`` may not ask now, and when it may again; None if it may."""
        for limit, scope, message in (
            (self.requests, "requests", "Too many requests from this client; see Retry-After."),
            (
                self.milliseconds,
                "query-time",
                "This client has used its query time for now; see Retry-After.",
            ),
        ):
            key = f"{scope}/{client}"
            if not self.windows.allows(limit, key):
                reset = self.windows.reset_time(limit, key)
                return Refusal(message, max(1, math.ceil(reset - time.time())))
        return None

    def charge(self, client: str, query_seconds: float | None) -> None:
        """One request that evaluated a query, and what the query cost."""
        self.windows.charge(self.requests, f"requests/{client}", 1)
        if query_seconds is not None:
            cost = max(1, math.ceil(query_seconds * 1000))
            self.windows.charge(self.milliseconds, f"query-time/{client}", cost)
