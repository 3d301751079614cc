"""Search and reconciliation answers as the budgets see queries: such a request asked a query;
an answer from the per-process cache, or a 304, costs the client nothing, a new one the time it
took (as SPARQL answers do, web/sparql.py)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from flask import request

from .state import app_state, get_store, request_record

T = TypeVar("T")
CACHE_CONTROL = "public, max-age=3600"


def answer_key(*parts: str) -> str:
    """A short key for what identifies an answer (the data version included): the cache's key
    and the answer's strong ETag, so a long batch of queries is never kept as a key."""
    text = "\x00".join((get_store().data_version, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def not_modified(key: str) -> bool:
    """Whether the client's copy is current (answer 304, free); the request asked a query."""
    record = request_record()
    record.asked_query = True
    record.cached = request.if_none_match.contains(key)
    return record.cached


def answered(key: str, compute: Callable[[], T]) -> T:
    """The answer from this process's cache, or computed, timed for the query-time budget and
    kept; what ``compute`` raises (a SearchError) is charged and not kept."""
    record = request_record()
    record.asked_query = True
    cache = app_state().answers
    answer = cache.get(key)
    record.cached = answer is not None
    if answer is None:
        started = time.monotonic()
        try:
            answer = compute()
        finally:
            record.query_seconds = time.monotonic() - started
        cache.put(key, answer)
    return answer
