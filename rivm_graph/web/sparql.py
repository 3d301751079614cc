"""The SPARQL 1.1 endpoint (Protocol and Service Description), read-only and under a deadline."""

from __future__ import annotations

import urllib.parse

from flask import Blueprint, Response, current_app, request

from ..endpoint.service import QueryRefused, etag
from ..endpoint.service_description import service_description
from ..rdf.formats import DOCUMENT_FORMATS, content_type, media_types
from ..rdf.serialize import serialize
from ..stores.files import QUERIES_GRAPH
from . import querying
from .answers import error_response
from .negotiation import NotAcceptable, choose, explicit_format
from .protocol import ProtocolError, ProtocolRequest, read_request
from .query_page import render_query_page
from .state import get_query_service, get_store

blueprint = Blueprint("sparql", __name__)

DESCRIPTION_TYPES = media_types(DOCUMENT_FORMATS)


def _endpoint_url() -> str:
    public = current_app.config.get("PUBLIC_URL") or request.url_root
    return public.rstrip("/") + "/sparql"


#: Names the graphs a request asked for that the dataset does not hold (each read as empty).
UNKNOWN_GRAPHS_HEADER = "X-Unknown-Graphs"
#: Characters of an IRI kept as they are in a header; anything else (spaces, quotes, angle
#: brackets, line breaks, non-ASCII) is percent-encoded as UTF-8.
_HEADER_SAFE = "!#$%&'()*+,/:;=?@[]~"


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
    graph = service_description(
        get_store(),
        _endpoint_url(),
        federation=bool(get_query_service().policy.allowed_services),
    )
    response = Response(serialize(graph, media_type), content_type=content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response


def evaluate(parsed: ProtocolRequest, explicit: str | None) -> Response:
    """Check the query, negotiate its format, answer it (or 304), with the headers that say what
    the answer is. Raises QueryRefused or NotAcceptable."""
    service = get_query_service()
    # Everything from here on counts against the wall-clock limit (RIVM_QUERY_DEADLINE).
    until = service.deadline_from_now()
    query = querying.check(parsed.query or "", parsed.default_graphs, parsed.named_graphs)
    media_type = choose(request, query.offered, explicit)
    tag = etag(service.answer_key(query, media_type))
    headers = {"Vary": "Accept", "ETag": f'"{tag}"', "Cache-Control": "public, max-age=3600"}
    _note_unknown_graphs(headers, query.unknown_graphs)
    if request.if_none_match.contains_weak(tag):
        if not request.if_none_match.contains(tag):
            headers["ETag"] = f'W/"{tag}"'  # the client's copy was one of the weak answers
        return Response(status=304, headers=headers)
    answer = querying.run(query, media_type, until).answer
    if not answer.same_everywhere:
        headers["ETag"] = f'W/"{tag}"'
    if answer.truncated:
        limit = service.policy.max_rows
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(limit)
        _warn(headers, f"answer cut at {limit} rows (RIVM_MAX_ROWS)")
    return Response(answer.body, content_type=content_type(answer.media_type), headers=headers)


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
        return evaluate(parsed, explicit)
    except (ProtocolError, QueryRefused) as error:
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
    response = Response(answer.body, content_type=content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response
