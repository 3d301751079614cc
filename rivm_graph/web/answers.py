"""Error answers a person can read: plain text by default, JSON when JSON was asked for."""

from __future__ import annotations

from flask import Request, Response, jsonify

from ..rdf import formats

_JSON_FORMATS = (formats.JSON, formats.SPARQL_JSON, formats.JSONLD)
JSON_TYPES = tuple(f.media_type for f in _JSON_FORMATS)
#: Format parameter values (``format=json`` …) that ask for JSON.
JSON_NAMES = frozenset({*(n for f in _JSON_FORMATS for n in f.names), *JSON_TYPES})


def wants_json(request: Request, explicit: str | None = None) -> bool:
    if explicit and explicit.split(";")[0].strip().lower() in JSON_NAMES:
        return True
    best = request.accept_mimetypes.best_match(["text/plain", *JSON_TYPES])
    return (
        best in JSON_TYPES
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/plain"]
    )


def error_response(
    request: Request, status: int, message: str, *, explicit: str | None = None, **headers
) -> Response:
    if wants_json(request, explicit):
        response = jsonify(error={"status": status, "message": message})
    else:
        response = Response(message.rstrip() + "\n", mimetype="text/plain")
    response.status_code = status
    response.headers["Vary"] = "Accept"
    response.headers.update(headers)
    return response
