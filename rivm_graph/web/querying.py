"""Asking the query service (``endpoint/service.py``) on a request's behalf: what the request
records of it for the access log and the budgets (asked a query, from the cache, what it cost,
how it ended). Shared by the endpoint and the query page."""

from __future__ import annotations

from collections.abc import Sequence

from ..endpoint.service import Answered, CheckedQuery, QueryRefused
from .state import get_query_service, request_record


def check(
    text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> CheckedQuery:
    """The query as the policy lets it through; :class:`QueryRefused` otherwise."""
    try:
        return get_query_service().check(text, default_graphs, named_graphs)
    except QueryRefused as refused:
        request_record().outcome = refused.outcome
        raise


def run(query: CheckedQuery, media_type: str, until: float) -> Answered:
    """The answer, from the cache or evaluated by ``until``; :class:`QueryRefused` otherwise."""
    record = request_record()
    record.asked_query = True
    try:
        answered = get_query_service().run(query, media_type, until)
    except QueryRefused as refused:
        record.outcome = refused.outcome
        record.query_seconds = refused.seconds
        raise
    record.cached = answered.cached
    record.query_seconds = answered.seconds
    return answered
