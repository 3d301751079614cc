"""Choosing a media type: an explicit format parameter names a family of formats and wins over
Accept, but a specific Accept choice inside that family is honoured (q-values too).

SPARQLWrapper, for one, sends ``format=n3`` (and ``output=``, ``results=``) beside
``Accept: application/n-triples`` when its caller asks for N-Triples: N-Triples is valid N3 and
Turtle, so that client gets N-Triples.
"""

from __future__ import annotations

import functools

from flask import Request
from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.http import parse_accept_header

from ..rdf import formats

SRJ, SRX = formats.SPARQL_JSON.media_type, formats.SPARQL_XML.media_type
TURTLE, NTRIPLES = formats.TURTLE.media_type, formats.NTRIPLES.media_type

#: The parameters that name a format explicitly, as clients send them: ``format`` (Virtuoso's),
#: ``output`` (Joseki's, Fuseki's), ``results``, ``_format`` and ``_mediatype`` (the Linked Data
#: API's); SPARQLWrapper sends the first three at once.
FORMAT_PARAMETERS = ("format", "output", "results", "_format", "_mediatype")

#: Names accepted in those parameters, each with the media types it names in order of preference;
#: the first one that the answer can take is the default. ``xml`` is SPARQL results XML for SELECT
#: and RDF/XML for a graph, ``json`` SPARQL results JSON, JSON-LD or plain JSON. Every name
#: SPARQLWrapper sends is here (json, xml, turtle, n3, rdf, rdf+xml, csv, tsv, json-ld).
ALIASES: dict[str, tuple[str, ...]] = {}
for _format in formats.FORMATS:
    for _name in _format.names:
        ALIASES[_name] = (*ALIASES.get(_name, ()), _format.media_type)

#: Formats whose documents are documents of another format too, so a client naming the latter
#: can read them: N-Triples is Turtle and N-Quads, Turtle is TriG.
SUBSETS: dict[str, tuple[str, ...]] = {
    TURTLE: (NTRIPLES,),
    formats.NQUADS.media_type: (NTRIPLES,),
    formats.TRIG.media_type: (TURTLE, NTRIPLES),
}

#: Media types older clients send for the same thing.
SYNONYMS: dict[str, str] = {
    synonym: f.media_type for f in formats.FORMATS for synonym in f.synonyms
}


class NotAcceptable(Exception):
    def __init__(self, offered: list[str], asked: str):
        super().__init__(asked)
        self.offered, self.asked = offered, asked


def explicit_format(args: MultiDict) -> str | None:
    """The first non-empty format parameter of a request's query string, if any."""
    return next((v for k, v in args.items(multi=True) if k in FORMAT_PARAMETERS and v), None)


def _canonical(media_type: str) -> str:
    bare = media_type.split(";")[0].strip().lower()
    return SYNONYMS.get(bare, bare)


def family(name: str, offered: list[str]) -> list[str]:
    """The media types of ``offered`` that a format name (or media type) covers, best first."""
    named = ALIASES.get(name.strip().lower()) or (_canonical(name),)
    members: list[str] = []
    for media_type in named:
        for member in (media_type, *SUBSETS.get(media_type, ())):
            if member in offered and member not in members:
                members.append(member)
    return members


def _named_by_accept(accept: MIMEAccept, candidates: list[str]) -> str | None:
    """The candidate that Accept names itself (not through a wildcard) with the highest q; ties go
    to the earlier candidate."""
    best, best_quality = None, 0.0
    for candidate in candidates:
        quality = max((q for value, q in accept if _canonical(value) == candidate), default=0.0)
        if quality > best_quality:
            best, best_quality = candidate, quality
    return best


def choose(request: Request, offered: list[str], explicit: str | None) -> str:
    """The media type to answer in, from ``offered`` (first = default); NotAcceptable if none.

    ``explicit`` (a format parameter) wins over Accept, which may still pick inside its family.
    """
    return _choose(request.headers.get("Accept", ""), tuple(offered), explicit)


@functools.lru_cache(maxsize=1024)
def _choose(header: str, offered_types: tuple[str, ...], explicit: str | None) -> str:
    """:func:`choose` for one Accept header: the same few headers come again and again, and
    parsing one and matching it took a twentieth of a lookup's time (NotAcceptable is never
    kept: it is raised anew)."""
    offered = list(offered_types)
    accept = parse_accept_header(header, MIMEAccept)
    if explicit:
        members = family(explicit, offered)
        if not members:
            raise NotAcceptable(offered, f"format={explicit}")
        return _named_by_accept(accept, members) or members[0]
    if not accept:
        return offered[0]
    candidates = offered + [s for s, target in SYNONYMS.items() if target in offered]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(offered, header)
    return SYNONYMS.get(best, best) if best not in offered else best
