"""The budgets (budgets.py) applied to the endpoints that evaluate queries, search and
reconcile: a client past either budget gets 429 with Retry-After; cached answers and 304
revalidations cost nothing."""

from __future__ import annotations

from flask import Flask, Response, request

from .budgets import Budgets
from .state import app_state, request_record

LIMITED_ENDPOINTS = frozenset(
    {
        "sparql.endpoint",
        "sparql.endpoint_slash",
        "query_page.page",
        "query_page.view_svg",
        "query_page.embed",
        "query_page.labels",
        # search and reconciliation: each answer is a lookup in the index (and the store)
        "search.search",
        "reconcile.service",
        "reconcile.service_slash",
        "reconcile.suggest_entity",
        "reconcile.suggest_type",
        "reconcile.suggest_property",
        "reconcile.propose_properties",
    }
)


def init_limits(app: Flask) -> None:
    budgets = app_state(app).budgets = Budgets(app.config)

    @app.before_request
    def check_budgets() -> Response | None:
        if request.endpoint not in LIMITED_ENDPOINTS:
            return None
        refusal = budgets.refusal(request.remote_addr or "?")
        if refusal is None:
            return None
        return Response(
            refusal.message + "\n",
            status=429,
            mimetype="text/plain",
            headers={"Retry-After": str(refusal.retry_after), "Vary": "Accept"},
        )

    @app.after_request
    def charge_budgets(response: Response) -> Response:
        record = request_record()
        if (
            request.endpoint in LIMITED_ENDPOINTS
            and record.asked_query
            and not record.cached
            and response.status_code != 304
        ):
            budgets.charge(request.remote_addr or "?", record.query_seconds)
        return response
