"""Choosing a media type: an explicit format parameter wins over Accept (q-values honoured)."""

from __future__ import annotations

from flask import Request

#: Short names accepted in ?format= (and output=, results=): the first of their media types that
#: the answer can take is used, so ``xml`` is SPARQL results XML for SELECT and RDF/XML for a graph.
ALIASES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/ld+json", "application/json"),
    "srj": ("application/sparql-results+json",),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srx": ("application/sparql-results+xml",),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "n3": ("text/turtle",),
    "ntriples": ("application/n-triples",),
    "nt": ("application/n-triples",),
    "jsonld": ("application/ld+json",),
    "json-ld": ("application/ld+json",),
    "rdfxml": ("application/rdf+xml",),
    "rdf": ("application/rdf+xml",),
    "nquads": ("application/n-quads",),
    "nq": ("application/n-quads",),
    "trig": ("application/trig",),
    "html": ("text/html",),
}

#: Media types older clients send for the same thing.
SYNONYMS: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
}


class NotAcceptable(Exception):
    def __init__(self, offered: list[str], asked: str):
        super().__init__(asked)
        self.offered, self.asked = offered, asked


def choose(request: Request, offered: list[str], explicit: str | None) -> str:
    """The media type to answer in, from ``offered`` (first = default); NotAcceptable if none."""
    if explicit:
        name = explicit.lower().strip()
        for wanted in (*ALIASES.get(name, ()), name, SYNONYMS.get(name, name)):
            if wanted in offered:
                return wanted
        raise NotAcceptable(offered, f"format={explicit}")
    accept = request.accept_mimetypes
    if not accept:
        return offered[0]
    candidates = offered + [s for s, target in SYNONYMS.items() if target in offered]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(offered, request.headers.get("Accept", ""))
    return SYNONYMS.get(best, best) if best not in offered else best
