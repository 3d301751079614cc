"""What every negotiated RDF document shares: its formats, alternates, serialisation and ETag.

Used by the resource documents, the ontology and shapes, and the dataset descriptions.
"""

from __future__ import annotations

import hashlib

from flask import Response, request
from rdflib import Graph

from ..rdf import serialize as rdf_serialize
from ..rdf.formats import DOCUMENT_FORMATS, HTML
from .answers import error_response
from .negotiation import NotAcceptable, choose, explicit_format
from .state import app_state, get_store

#: extension → (media type, label): the page, then the RDF documents (rdf/formats.py)
FORMATS = {f.extension: (f.media_type, f.label) for f in (HTML, *DOCUMENT_FORMATS)}
BY_MEDIA_TYPE = {media: ext for ext, (media, _) in FORMATS.items()}
OFFERED = [media for media, _ in FORMATS.values()]


def document_type(ext: str | None, what: str) -> str | Response:
    """The media type of a document asked for by extension or negotiated; an unknown extension
    is a 404, a format not offered a 406, each naming the formats ``what`` ("The ontology") is
    offered in."""
    if ext is not None:
        if ext not in FORMATS:
            offered = ", ".join(f".{e}" for e in FORMATS)
            return error_response(request, 404, f"{what} has no format .{ext}; it has: {offered}")
        return FORMATS[ext][0]
    try:
        return choose(request, OFFERED, explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, f"{what} is offered as: " + ", ".join(error.offered))


def alternates(path: str) -> str:
    """The Link header naming every format of the document at ``path``."""
    links = [
        f'<{path}.{ext}>; rel="alternate"; type="{media}"' for ext, (media, _) in FORMATS.items()
    ]
    return ", ".join(links)


def serialize(graph: Graph, media_type: str) -> bytes:
    """The graph in ``media_type``, the same bytes in every process; JSON-LD compacted with the
    project's context."""
    context = app_state().jsonld_context["@context"]
    return rdf_serialize.serialize(graph, media_type, context=context)


def conditional(response: Response, *parts: str) -> Response:
    """A strong ETag from the data version and what identifies the body; 304 when it matches."""
    store = get_store()
    tag = hashlib.sha256("\x00".join((store.data_version, *parts)).encode()).hexdigest()[:32]
    response.set_etag(tag)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.make_conditional(request)  # in place: 304, or a range of the body
    return response
