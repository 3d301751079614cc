"""Reading a SPARQL 1.1 Protocol request: where the query is, which graphs, which format.

Bytes are decoded strictly: a request that is not UTF-8, repeats ``query``, mixes ``query`` with
``update`` or posts an unknown content type is refused with a message, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from flask import Request

from .negotiation import FORMAT_PARAMETERS

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class ProtocolRequest:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400, f"The {what} is not valid UTF-8 (byte {error.start}); SPARQL requests are UTF-8."
        ) from error


def _pairs(raw: bytes, what: str) -> list[tuple[str, str]]:
    text = _decode(raw, what)
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"A percent-encoded value in the {what} is not UTF-8.") from error
    except ValueError as error:
        raise ProtocolError(400, f"The {what} is not a valid form encoding: {error}") from error


def _collect(request: ProtocolRequest, pairs: list[tuple[str, str]], *, body_query: bool) -> None:
    queries = [v for k, v in pairs if k == "query"]
    updates = [v for k, v in pairs if k == "update"]
    if len(queries) > 1:
        raise ProtocolError(400, "The request has more than one 'query' parameter; send one.")
    if len(updates) > 1:
        raise ProtocolError(400, "The request has more than one 'update' parameter.")
    if queries and body_query:
        raise ProtocolError(400, "A 'query' parameter cannot come with a query in the body.")
    if queries:
        request.query = queries[0]
    if updates:
        request.update = updates[0]
    request.default_graphs += [v for k, v in pairs if k == "default-graph-uri"]
    request.named_graphs += [v for k, v in pairs if k == "named-graph-uri"]
    formats = [v for k, v in pairs if k in FORMAT_PARAMETERS and v]
    if formats:
        request.format = formats[0]


def read_request(request: Request) -> ProtocolRequest:
    parsed = ProtocolRequest()
    _collect(parsed, _pairs(request.query_string, "URL query string"), body_query=False)
    if request.method == "POST":
        content_type = (request.mimetype or "").lower()
        body = request.get_data(cache=True)
        if content_type == FORM:
            url_had_query = parsed.query is not None
            _collect(parsed, _pairs(body, "form body"), body_query=url_had_query)
        elif content_type == SPARQL_QUERY:
            if parsed.query is not None:
                raise ProtocolError(
                    400, "A 'query' parameter cannot come with a query in the body."
                )
            parsed.query = _decode(body, "request body")
        elif content_type == SPARQL_UPDATE:
            parsed.update = _decode(body, "request body")
        else:
            shown = content_type or "none"
            raise ProtocolError(
                400,
                f"POST needs Content-Type {FORM} or {SPARQL_QUERY} (got {shown}).",
            )
    if parsed.query is not None and parsed.update is not None:
        raise ProtocolError(400, "A request carries either 'query' or 'update', not both.")
    return parsed
