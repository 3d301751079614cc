"""One way to write RDF for whatever is served under a strong ETag: the same graph gives the same
bytes in every process, after every restart and on every machine.

rdflib's writers follow the order of its store, which string hashes decide (PYTHONHASHSEED
differs between processes), and parsers and engines name blank nodes at random. So:

- documents (built by this service from its own data: resource pages, the ontology, the shapes,
  the descriptions, the dumps) have their blank nodes named by RDF Dataset Canonicalization
  (RDFC-1.0, Oxigraph's) and their statements sorted before any writer sees them;
- query answers, whose shape a client chooses, cannot afford RDFC: its worst case is factorial
  (measured: 17 s for 8 blank nodes all linked to each other, 56 triples). A graph answer's blank
  nodes are named by a hash of their surroundings, a few rounds at most, and its triples sorted;
  solutions keep the engine's order, which is the same in every process once the store's own
  blank nodes have canonical names (``OxigraphStore``), and name blank nodes in that order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import Graph

from . import formats
from .terms import from_rdflib, predicate_from_rdflib, subject_from_rdflib, to_rdflib

TURTLE, NTRIPLES = formats.TURTLE.media_type, formats.NTRIPLES.media_type
JSONLD, RDFXML = formats.JSONLD.media_type, formats.RDFXML.media_type
#: The formats of documents; the first is the default.
DOCUMENT_TYPES = tuple(formats.media_types(formats.DOCUMENT_FORMATS))


def canonical_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with blank nodes named by RDFC-1.0, sorted: equal datasets, equal lists."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def canonical_triples(graph: Graph) -> list[ox.Triple]:
    quads = (
        ox.Quad(subject_from_rdflib(s), predicate_from_rdflib(p), from_rdflib(o))
        for s, p, o in graph
    )
    return [quad.triple for quad in canonical_quads(quads)]


#: Rounds of colour refinement that name an answer's blank nodes (each costs one pass over them).
REFINEMENT_ROUNDS = 8


def _seen_from(shape: tuple, node: ox.BlankNode, colours: dict) -> str:
    def term(t) -> str:
        if isinstance(t, str):
            return t
        return "_:a" if t == node else "_:z" + colours[t]

    subject, predicate, obj = shape
    return f"{term(subject)} {predicate} {term(obj)}"


def _surroundings(triples: list[ox.Triple]) -> tuple[dict, list[int]]:
    """Each blank node (in order of appearance) with its triples, the blank nodes left as terms
    and the rest written out; and the positions of the triples that hold a blank node."""
    around: dict = {}
    holding = []
    for position, triple in enumerate(triples):
        subject, obj = triple.subject, triple.object
        blank_subject, blank_object = (
            isinstance(subject, ox.BlankNode),
            isinstance(obj, ox.BlankNode),
        )
        if not (blank_subject or blank_object):
            continue
        holding.append(position)
        shape = (
            subject if blank_subject else str(subject),
            str(triple.predicate),
            obj if blank_object else str(obj),
        )
        if blank_subject:
            around.setdefault(subject, []).append(shape)
        if blank_object and obj != subject:
            around.setdefault(obj, []).append(shape)
    return around, holding


def _colours(around: dict) -> dict:
    """A hash of each blank node's surroundings: its own triples (RDFC-1.0's first-degree hash),
    then again with the other blank nodes' hashes, until every node is told apart or no round
    tells more apart (colour refinement)."""
    colours = dict.fromkeys(around, "")
    distinct = 1
    for _ in range(REFINEMENT_ROUNDS):
        colours = {
            node: hashlib.sha256(
                "\n".join(sorted(_seen_from(shape, node, colours) for shape in shapes)).encode()
            ).hexdigest()
            for node, shapes in around.items()
        }
        count = len(set(colours.values()))
        if count in (len(around), distinct):
            break
        distinct = count
    return colours


def answer_triples(triples: Iterable[ox.Triple]) -> tuple[list[ox.Triple], bool]:
    """A graph answer's triples, sorted, with blank nodes named b0, b1… by their surroundings;
    and whether that made the bytes certain: False when two blank nodes could not be told apart
    (then the engine's order named them)."""
    triples = list(triples)
    around, holding = _surroundings(triples)
    if not around:
        return sorted(triples, key=str), True
    colours = _colours(around)
    appearance = {node: i for i, node in enumerate(around)}
    ordered = sorted(around, key=lambda node: (colours[node], appearance[node]))
    names = {node: ox.BlankNode(f"b{i}") for i, node in enumerate(ordered)}
    for position in holding:
        t = triples[position]
        subject, obj = names.get(t.subject, t.subject), names.get(t.object, t.object)
        triples[position] = ox.Triple(subject, t.predicate, obj)
    return sorted(triples, key=str), len(set(colours.values())) == len(around)


def answer_rows(rows: Iterable[Sequence]) -> list[list]:
    """Solutions with blank nodes named b0, b1… in the order they come (the rows keep theirs)."""
    names: dict = {}

    def renamed(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"b{len(names)}"))
        return term

    return [[renamed(term) for term in row] for row in rows]


def used_prefixes(triples: list[ox.Triple], namespaces: dict[str, str]) -> dict[str, str]:
    """The prefixes (of ``namespaces``) that some IRI or datatype of the triples starts with."""
    iris = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {
        prefix: namespace
        for prefix, namespace in sorted(namespaces.items())
        if prefix and any(iri.startswith(namespace) for iri in iris)
    }


def _rdflib_graph(triples: list[ox.Triple], prefixes: dict[str, str]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return graph


def _container_terms(context: dict, container: str) -> set[str]:
    return {
        term
        for term, definition in context.items()
        if isinstance(definition, dict) and definition.get("@container") == container
    }


def _sort_key(item, ids: tuple[str, ...]) -> tuple[str, str]:
    node_id = next((item[i] for i in ids if i in item), "") if isinstance(item, dict) else ""
    return str(node_id), json.dumps(item, sort_keys=True, ensure_ascii=False)


def _ordered(value, lists: set[str], ids: tuple[str, ...], key: str | None = None):
    """A JSON-LD value with its unordered arrays sorted (nodes by id); ``@list`` values and terms
    declared as lists keep their order, and the context is left as it is."""
    if key == "@context":
        return value
    if isinstance(value, dict):
        return {k: _ordered(v, lists, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v, lists, ids) for v in value]
        if key == "@list" or key in lists:
            return items
        return sorted(items, key=lambda item: _sort_key(item, ids))
    return value


def _json_ld(triples: list[ox.Triple], context: dict) -> bytes:
    graph = _rdflib_graph(triples, {})
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    ids = ("@id", *(term for term, definition in context.items() if definition == "@id"))
    ordered = _ordered(data, _container_terms(context, "@list"), ids)
    return json.dumps(ordered, indent=2, sort_keys=True, ensure_ascii=False).encode()


def serialize(graph: Graph, media_type: str, *, context: dict | None = None) -> bytes:
    """A document in one of DOCUMENT_TYPES: Turtle by rdflib (blank nodes nested, the graph's
    prefixes that are used), N-Triples and RDF/XML by Oxigraph, JSON-LD compacted by rdflib with
    ``context`` (a JSON-LD ``@context`` value; by default the graph's prefixes that are used)."""
    triples = canonical_triples(graph)
    namespaces = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    prefixes = used_prefixes(triples, namespaces)
    if media_type == NTRIPLES:
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if media_type == RDFXML:
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes) or b""
    if media_type == TURTLE:
        return _rdflib_graph(triples, prefixes).serialize(format="turtle", encoding="utf-8")
    if media_type == JSONLD:
        return _json_ld(triples, context if context is not None else prefixes)
    raise ValueError(f"{media_type} is not a document format ({', '.join(DOCUMENT_TYPES)})")
