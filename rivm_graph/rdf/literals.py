"""rdflib terms read as the literals the data or the query promises (a count, a number, a name).

rdflib types every term of a graph or an answer as a ``Node``; where the code knows it holds a
literal, :func:`literal` says so to the type checker, and a term of another kind is a TypeError
naming it rather than an AttributeError further on.
"""

from __future__ import annotations

from rdflib.term import Literal, Node


def literal(term: Node | None) -> Literal:
    if isinstance(term, Literal):
        return term
    raise TypeError(f"expected a literal, found {term!r}")
