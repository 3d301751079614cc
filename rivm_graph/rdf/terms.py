"""Conversion between Oxigraph terms and rdflib terms, for callers that work with rdflib."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)

IRI, BLANK, LITERAL = "iri", "blank", "literal"


class Value(NamedTuple):
    """A term of an answer as plain text, for reads of the whole graph: an rdflib term costs
    ten times more to make (at 1M triples the search index's four SELECTs gave 1.2M terms,
    which took 10 of its 35 s as rdflib terms)."""

    text: str  # an IRI, a blank node's name, or a literal's lexical form
    kind: str  # IRI, BLANK or LITERAL
    language: str | None = None
    datatype: str | None = None  # a literal's, None for a plain or language-tagged string


def to_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
    # exact types, not isinstance: called for every value of a whole-graph read
    if type(term) is ox.NamedNode:
        return Value(term.value, IRI)
    if type(term) is ox.Literal:
        language = term.language
        if language:
            return Value(term.value, LITERAL, language)
        datatype = term.datatype.value
        return Value(term.value, LITERAL, None, None if datatype == _XSD_STRING else datatype)
    if type(term) is ox.BlankNode:
        return Value(term.value, BLANK)
    raise TypeError(f"RDF-star triple terms are not used in this graph: {term!r}")


def value_of(node: Node) -> Value:
    """An rdflib term as a :class:`Value` (a typed literal's lexical form as rdflib keeps it)."""
    if isinstance(node, URIRef):
        return Value(str(node), IRI)
    if isinstance(node, Literal):
        if node.language:
            return Value(str(node), LITERAL, node.language)
        datatype = None if node.datatype is None else str(node.datatype)
        return Value(str(node), LITERAL, None, None if datatype == _XSD_STRING else datatype)
    if isinstance(node, BNode):
        return Value(str(node), BLANK)
    raise TypeError(f"not an RDF term: {node!r}")


def value_literal(value: Value) -> Literal:
    """A literal :class:`Value` as the rdflib literal :func:`to_rdflib` makes of the same term."""
    if value.language:
        return Literal(value.text, lang=value.language)
    if value.datatype is None:
        return Literal(value.text)
    return Literal(value.text, datatype=URIRef(value.datatype))


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"RDF-star triple terms are not used in this graph: {term!r}")


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def subject_from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode:
    """An rdflib subject as Oxigraph's (a literal cannot be one)."""
    node = from_rdflib(term)
    if isinstance(node, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {term!r}")
    return node


def predicate_from_rdflib(term: Node) -> ox.NamedNode:
    node = from_rdflib(term)
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"a predicate is an IRI: {term!r}")
    return node


def read_turtle(path: Path, into: Graph | None = None) -> Graph:
    """A Turtle file as an rdflib graph (added to ``into`` if given), read by Oxigraph's parser:
    the same triples as rdflib's own parser gives, faster (the app reads the ontology and the 43
    query files at every start; create_app took 1.86 s with rdflib's parser, 0.66 s with this)."""
    graph = Graph() if into is None else into
    add = graph.add
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()):
        add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
