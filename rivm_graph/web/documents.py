"""What every negotiated RDF document shares: its formats, alternates, serialisation and ETag.

Used by the resource documents, the ontology and shapes, and the dataset descriptions.
"""

from __future__ import annotations

import hashlib

from flask import Response, request
from rdflib import Graph

from .state import app_state, get_store

#: extension → (media type, rdflib serialisation format)
FORMATS = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}
BY_MEDIA_TYPE = {media: ext for ext, (media, _) in FORMATS.items()}
OFFERED = [media for media, _ in FORMATS.values()]


def alternates(path: str) -> str:
    """The Link header naming every format of the document at ``path``."""
    links = [
        f'<{path}.{ext}>; rel="alternate"; type="{media}"' for ext, (media, _) in FORMATS.items()
    ]
    return ", ".join(links)


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in an rdflib format; JSON-LD compacted with the project's context."""
    if fmt == "json-ld":
        context = app_state().jsonld_context
        return graph.serialize(
            format="json-ld", context=context["@context"], auto_compact=True, encoding="utf-8"
        )
    return graph.serialize(format=fmt, encoding="utf-8")


def conditional(response: Response, *parts: str) -> Response:
    """A strong ETag from the data version and what identifies the body; 304 when it matches."""
    store = get_store()
    tag = hashlib.sha256("\x00".join((store.data_version, *parts)).encode()).hexdigest()[:32]
    response.set_etag(tag)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response.make_conditional(request)
