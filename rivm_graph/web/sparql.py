"""The SPARQL 1.1 endpoint (Protocol and Service Description), read-only and under a deadline."""

from __future__ import annotations

import hashlib
import math
import time

from flask import Blueprint, Response, current_app, g, request

from ..config import allowlist
from ..executor import QueryExecutor, QueryTimeout, TooManySlowQueries, WorkerLost, executor_for
from ..files import QUERIES_GRAPH
from ..query_text import (
    QueryLimits,
    QueryTextError,
    inspect_query,
    size_refusal,
    syntax_error_message,
)
from ..results import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, SerializedAnswer
from ..service_description import service_description
from .answers import error_response
from .cache import LruCache
from .negotiation import NotAcceptable, choose
from .protocol import ProtocolError, ProtocolRequest, read_request
from .query_page import render_query_page

blueprint = Blueprint("sparql", __name__)

RESULT_TYPES = list(RESULTS_MEDIA_TYPES)  # JSON first: the default for SELECT and ASK
GRAPH_TYPES = list(GRAPH_MEDIA_TYPES)  # Turtle first: the default for CONSTRUCT and DESCRIBE
DESCRIPTION_TYPES = [
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
]
TEXT_TYPES = ("text/csv", "text/tab-separated-values", "text/turtle")


def init_app(app) -> None:
    """Per-app state: the executor (its pool starts lazily in each server process) and the cache."""
    store = app.extensions["rivm_store"]
    app.extensions["rivm_executor"] = executor_for(
        store,
        workers=int(app.config["QUERY_WORKERS"]),
        timeout=float(app.config["QUERY_TIMEOUT"]),
        max_rows=int(app.config["MAX_ROWS"]) or None,
        deadline=float(app.config["QUERY_DEADLINE"]),
        slow_queries=int(app.config["SLOW_QUERIES"]),
    )
    app.extensions["rivm_cache"] = LruCache(int(app.config["CACHE_ENTRIES"]))
    app.extensions["rivm_query_limits"] = QueryLimits.from_settings(app.config)
    app.extensions["rivm_page_cache"] = LruCache(int(app.config["CACHE_ENTRIES"]))


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type


def _endpoint_url() -> str:
    public = current_app.config.get("PUBLIC_URL") or request.url_root
    return public.rstrip("/") + "/sparql"


def _check_graphs(names: list[str], known: set[str], what: str) -> None:
    unknown = [g for g in names if g not in known]
    if unknown:
        raise ProtocolError(
            400,
            f"{what} <{unknown[0]}> is not a graph of this dataset; this endpoint never fetches "
            f"remote data. Its graphs: " + ", ".join(f"<{g}>" for g in sorted(known)),
        )


def _service_description(explicit: str | None) -> Response:
    offered = ["text/html", *DESCRIPTION_TYPES]
    media_type = choose(request, offered, explicit)
    if media_type == "text/html":
        return render_query_page()
    store = current_app.extensions["rivm_store"]
    graph = service_description(
        store, _endpoint_url(), federation=bool(allowlist(current_app.config["SERVICE_ALLOWLIST"]))
    )
    fmt = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
        "application/n-triples": "nt",
    }[media_type]
    response = Response(graph.serialize(format=fmt), content_type=_content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response


def evaluate(
    parsed: ProtocolRequest, media_type_for, *, conditional: bool = True
) -> tuple[SerializedAnswer | None, dict]:
    """Check and run a query; ``media_type_for(offered)`` negotiates once the form is known.

    Returns the answer and the response headers; the answer is None when the client's cached copy
    is current (304). Raises ProtocolError with the status and message for the client.
    """
    store = current_app.extensions["rivm_store"]
    # Everything from here on counts against the wall-clock limit (RIVM_QUERY_DEADLINE).
    until = time.monotonic() + float(current_app.config["QUERY_DEADLINE"])
    query = parsed.query or ""
    if len(query.encode()) > int(current_app.config["MAX_QUERY_BYTES"]):
        raise ProtocolError(413, "The query is longer than this endpoint accepts.")
    limits: QueryLimits = current_app.extensions["rivm_query_limits"]
    try:
        info = inspect_query(query, most_tokens=limits.tokens)
    except QueryTextError as error:
        raise ProtocolError(400, f"The query cannot be read: {error}") from error
    # Before any parser: Oxigraph's recurses (a deep query overflows the stack of the process that
    # parses it, the serving process itself on a remote store) and its planner is slow on many
    # patterns.
    refusal = size_refusal(info.size, limits)
    if refusal:
        g.rivm_outcome = "too-big"
        raise ProtocolError(400, refusal)
    if info.is_update:
        raise ProtocolError(
            403,
            "This endpoint is read-only: SPARQL Update "
            f"({info.form}) is not accepted, and the data is unchanged.",
        )
    allowed = allowlist(current_app.config["SERVICE_ALLOWLIST"])
    for service in info.services:
        if service not in allowed:
            raise ProtocolError(
                400,
                f"SERVICE <{service}> is refused: federated queries are disabled on this endpoint "
                "(the server makes no outbound request). An operator can allow named endpoints "
                "with RIVM_SERVICE_ALLOWLIST.",
            )
    known = set(store.graphs())
    _check_graphs(info.from_graphs, known, "FROM")
    _check_graphs(info.from_named_graphs, known, "FROM NAMED")
    _check_graphs(parsed.default_graphs, known, "default-graph-uri")
    _check_graphs(parsed.named_graphs, known, "named-graph-uri")

    graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
    media_type = media_type_for(GRAPH_TYPES if graph_form else RESULT_TYPES)
    default_graphs = parsed.default_graphs or None
    named_graphs = parsed.named_graphs or None
    key = "\x00".join(
        [
            store.data_version,
            media_type,
            query,
            ",".join(parsed.default_graphs),
            ",".join(parsed.named_graphs),
            str(current_app.config["MAX_ROWS"]),
        ]
    )
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    headers = {"Vary": "Accept", "ETag": f'"{etag}"', "Cache-Control": "public, max-age=3600"}
    if conditional and request.if_none_match.contains(etag):
        return None, headers
    cache = current_app.extensions["rivm_cache"]
    answer = cache.get(key)
    g.rivm_cached = answer is not None
    if answer is None:
        executor: QueryExecutor = current_app.extensions["rivm_executor"]
        started = time.monotonic()
        try:
            answer = executor.run(
                query,
                media_type,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                add_labels=info.form == "DESCRIBE",
                until=until,
            )
        except SyntaxError as error:
            g.rivm_outcome = "syntax-error"
            raise ProtocolError(400, syntax_error_message(error)) from error
        except ValueError as error:
            raise ProtocolError(406, str(error)) from error
        except QueryTimeout as error:
            g.rivm_outcome = "timeout"
            raise ProtocolError(
                503,
                f"The query was stopped: {error}. Narrow it down (a LIMIT, a more selective "
                "pattern) and try again.",
            ) from error
        except TooManySlowQueries as error:
            g.rivm_outcome = "busy"
            raise ProtocolError(
                503,
                f"The query was stopped as soon as it turned out to be long: {error}, and "
                "quick queries keep the rest. Try again later, or narrow it down.",
                {"Retry-After": str(math.ceil(error.retry_after))},
            ) from error
        except (OSError, RuntimeError) as error:
            if info.services:
                raise ProtocolError(502, f"A SERVICE endpoint failed: {error}") from error
            raise ProtocolError(503, f"The query engine could not answer: {error}") from error
        except WorkerLost as error:
            g.rivm_outcome = "worker-lost"
            raise ProtocolError(
                503,
                "The query worker stopped while evaluating this query "
                "(it may have needed too much memory); other queries are "
                "unaffected. Try again, or narrow the query down.",
            ) from error
        finally:
            # What the query cost, even when it failed: the client's query-time budget pays it.
            g.rivm_query_seconds = time.monotonic() - started
        cache.put(key, answer)
    if answer.truncated:
        limit = current_app.config["MAX_ROWS"]
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(limit)
        headers["Warning"] = f'199 - "answer cut at {limit} rows (RIVM_MAX_ROWS)"'
    return answer, headers


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint():
    explicit = None
    try:
        parsed = read_request(request)
        explicit = parsed.format
        if parsed.update is not None:
            raise ProtocolError(
                403,
                "This endpoint is read-only: SPARQL Update is not accepted, "
                "and the data is unchanged.",
            )
        if parsed.query is None:
            if request.method == "POST":
                raise ProtocolError(400, "The request has no 'query'.")
            return _service_description(explicit)
        if not parsed.query.strip():
            raise ProtocolError(400, "The 'query' parameter is empty.")
        answer, headers = evaluate(parsed, lambda offered: choose(request, offered, explicit))
        if answer is None:
            return Response(status=304, headers=headers)
        return Response(answer.body, content_type=_content_type(answer.media_type), headers=headers)
    except ProtocolError as error:
        return error_response(
            request, error.status, error.message, explicit=explicit, **error.headers
        )
    except NotAcceptable as error:
        return error_response(
            request,
            406,
            f"None of the formats asked for ({error.asked}) can be served here. Offered: "
            + ", ".join(error.offered),
            explicit=None,
        )


# Some clients (the W3C protocol tests among them) post to /sparql/.
blueprint.add_url_rule("/sparql/", "endpoint_slash", endpoint, methods=["GET", "POST"])


@blueprint.get("/.well-known/sparql-examples")
def examples():
    """The query catalogue as RDF (SIB serves its sparql-examples at this address)."""
    store = current_app.extensions["rivm_store"]
    try:
        media_type = choose(request, DESCRIPTION_TYPES, request.args.get("format"))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    answer = store.query_serialized(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{QUERIES_GRAPH}> {{ ?s ?p ?o }} }}", media_type
    )
    response = Response(answer.body, content_type=_content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response
