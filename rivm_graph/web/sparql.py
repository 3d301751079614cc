"""The SPARQL 1.1 endpoint (Protocol and Service Description), read-only and under a deadline."""

from __future__ import annotations

import hashlib
import math
import time
import urllib.parse

from flask import Blueprint, Response, current_app, request

from ..config import allowlist
from ..endpoint.service_description import service_description
from ..rdf.query_text import (
    QueryLimits,
    QueryTextError,
    inspect_query,
    size_refusal,
    syntax_error_message,
)
from ..rdf.results import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, SerializedAnswer
from ..rdf.serialize import serialize
from ..stores.executor import QueryTimeout, ServerStopping, TooManySlowQueries, WorkerLost
from ..stores.files import QUERIES_GRAPH
from .answers import error_response
from .negotiation import NotAcceptable, choose, explicit_format
from .protocol import ProtocolError, ProtocolRequest, read_request
from .query_page import render_query_page
from .state import app_state, get_executor, get_store, request_record

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


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type


def _endpoint_url() -> str:
    public = current_app.config.get("PUBLIC_URL") or request.url_root
    return public.rstrip("/") + "/sparql"


#: Names the graphs a request asked for that the dataset does not hold (each read as empty).
UNKNOWN_GRAPHS_HEADER = "X-Unknown-Graphs"
#: Characters of an IRI kept as they are in a header; anything else (spaces, quotes, angle
#: brackets, line breaks, non-ASCII) is percent-encoded as UTF-8.
_HEADER_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _unknown_graphs(parsed: ProtocolRequest, info, known: set[str]) -> list[str]:
    """The graphs named by FROM, FROM NAMED, default-graph-uri or named-graph-uri that the
    dataset does not hold. Each is an empty graph (as Oxigraph server and Fuseki read them), never
    fetched; the answer names them so that a mistyped graph is still seen."""
    named = [
        *info.from_graphs,
        *info.from_named_graphs,
        *parsed.default_graphs,
        *parsed.named_graphs,
    ]
    return list(dict.fromkeys(g for g in named if g not in known))


def _warn(headers: dict, text: str) -> None:
    warning = f'199 - "{text}"'
    headers["Warning"] = f"{headers['Warning']}, {warning}" if "Warning" in headers else warning


def _note_unknown_graphs(headers: dict, unknown: list[str]) -> None:
    if not unknown:
        return
    headers[UNKNOWN_GRAPHS_HEADER] = ", ".join(
        f"<{urllib.parse.quote(g, safe=_HEADER_SAFE)}>" for g in unknown
    )
    _warn(
        headers,
        f"{len(unknown)} graph(s) named are not in this dataset and were read as empty "
        f"(never fetched): see {UNKNOWN_GRAPHS_HEADER}",
    )


def _service_description(explicit: str | None) -> Response:
    offered = ["text/html", *DESCRIPTION_TYPES]
    media_type = choose(request, offered, explicit)
    if media_type == "text/html":
        return render_query_page()
    store = get_store()
    graph = service_description(
        store, _endpoint_url(), federation=bool(allowlist(current_app.config["SERVICE_ALLOWLIST"]))
    )
    response = Response(serialize(graph, media_type), content_type=_content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response


def evaluate(
    parsed: ProtocolRequest, media_type_for, *, conditional: bool = True
) -> tuple[SerializedAnswer | None, dict]:
    """Check and run a query; ``media_type_for(offered)`` negotiates once the form is known.

    Returns the answer and the response headers; the answer is None when the client's cached copy
    is current (304). Raises ProtocolError with the status and message for the client.
    """
    store = get_store()
    # Everything from here on counts against the wall-clock limit (RIVM_QUERY_DEADLINE).
    until = time.monotonic() + float(current_app.config["QUERY_DEADLINE"])
    query = parsed.query or ""
    if len(query.encode()) > int(current_app.config["MAX_QUERY_BYTES"]):
        raise ProtocolError(413, "The query is longer than this endpoint accepts.")
    limits: QueryLimits = app_state().query_limits
    try:
        info = inspect_query(query, most_tokens=limits.tokens)
    except QueryTextError as error:
        raise ProtocolError(400, f"The query cannot be read: {error}") from error
    # Before any parser: Oxigraph's recurses (a deep query overflows the stack of the process that
    # parses it, the serving process itself on a remote store) and its planner is slow on many
    # patterns.
    refusal = size_refusal(info.size, limits)
    if refusal:
        request_record().outcome = "too-big"
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
    unknown = _unknown_graphs(parsed, info, set(store.graphs()))

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
    _note_unknown_graphs(headers, unknown)
    if conditional and request.if_none_match.contains_weak(etag):
        if not request.if_none_match.contains(etag):
            headers["ETag"] = f'W/"{etag}"'  # the client's copy was one of the weak answers
        return None, headers
    cache = app_state().answers
    answer = cache.get(key)
    record = request_record()
    record.asked_query = True
    record.cached = answer is not None
    if answer is None:
        executor = get_executor()
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
            record.outcome = "syntax-error"
            raise ProtocolError(400, syntax_error_message(error)) from error
        except ValueError as error:
            raise ProtocolError(406, str(error)) from error
        except QueryTimeout as error:
            record.outcome = "timeout"
            raise ProtocolError(
                503,
                f"The query was stopped: {error}. Narrow it down (a LIMIT, a more selective "
                "pattern) and try again.",
            ) from error
        except TooManySlowQueries as error:
            record.outcome = "busy"
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
        except ServerStopping as error:
            record.outcome = "stopping"
            raise ProtocolError(
                503, "The server is stopping; the query was cut. Send it again in a moment."
            ) from error
        except WorkerLost as error:
            record.outcome = "worker-lost"
            raise ProtocolError(
                503,
                "The query worker stopped while evaluating this query "
                "(it may have needed too much memory); other queries are "
                "unaffected. Try again, or narrow the query down.",
            ) from error
        finally:
            # What the query cost, even when it failed: the client's query-time budget pays it.
            record.query_seconds = time.monotonic() - started
        cache.put(key, answer)
    if not answer.same_everywhere:
        headers["ETag"] = f'W/"{etag}"'
    if answer.truncated:
        limit = current_app.config["MAX_ROWS"]
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(limit)
        _warn(headers, f"answer cut at {limit} rows (RIVM_MAX_ROWS)")
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
    store = get_store()
    try:
        media_type = choose(request, DESCRIPTION_TYPES, explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    answer = store.query_serialized(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{QUERIES_GRAPH}> {{ ?s ?p ?o }} }}", media_type
    )
    response = Response(answer.body, content_type=_content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response
