"""Conversion between Oxigraph terms and rdflib terms, for callers that work with rdflib."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


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
