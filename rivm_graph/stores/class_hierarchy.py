"""The subclasses of a class, read once from the store and closed in Python.

The service's own queries name the classes they mean (``VALUES ?class { … }``) instead of using a
``rdfs:subClassOf*`` path: one query of plain triples works alike on every engine, whereas
Virtuoso 7.2 answers such paths wrongly beside OPTIONAL, UNION or NOT EXISTS (its answers then
change with its query plan).
"""

from __future__ import annotations

import threading

from .base import WHOLE_GRAPH_DEADLINE, GraphStore

RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

_cache: dict[tuple[int, str], dict[str, set[str]]] = {}
_lock = threading.Lock()


def _direct_subclasses(store: GraphStore) -> dict[str, set[str]]:
    key = (id(store), store.data_version)
    with _lock:
        found = _cache.get(key)
    if found is None:
        rows = store.query(
            f"SELECT ?sub ?super WHERE {{ ?sub <{RDFS_SUBCLASS_OF}> ?super "
            "FILTER(isIRI(?sub) && isIRI(?super)) }",
            deadline=WHOLE_GRAPH_DEADLINE,
        ).rows
        found = {}
        for row in rows:
            found.setdefault(str(row["super"]), set()).add(str(row["sub"]))
        with _lock:
            _cache[key] = found
    return found


def subclasses(store: GraphStore, iri: str) -> list[str]:
    """``iri`` and every class below it, sorted."""
    below = _direct_subclasses(store)
    seen, frontier = {iri}, [iri]
    while frontier:
        for sub in below.get(frontier.pop(), ()):
            if sub not in seen:
                seen.add(sub)
                frontier.append(sub)
    return sorted(seen)


def values(store: GraphStore, variable: str, iri: str) -> str:
    """``VALUES ?variable { <iri> <sub> … }``: the class and its subclasses, for a query."""
    return f"VALUES ?{variable} {{ {' '.join(f'<{c}>' for c in subclasses(store, iri))} }}"
