"""The embedded store: Oxigraph, loaded from the repository's files (in memory, or once per data
version on disk: see :mod:`.on_disk`).

SPARQL is evaluated by Oxigraph from the query text, over the union of the named graphs unless the
query or the protocol names its dataset; the data's blank nodes get canonical names at load so
every process answers with the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..rdf.namespaces import BASE_IRI, bind_all
from ..rdf.results import SerializedAnswer, paced, serialize_answer
from ..rdf.serialize import canonical_quads
from ..rdf.terms import Value, to_rdflib, to_value
from .base import DataFileError, GraphStore, QueryResult, QueryTimeout, query_dataset
from .files import GraphFile, files_version, graph_files


def load_files(files: Sequence[GraphFile], into: ox.Store | None = None) -> ox.Store:
    """The files loaded each into its graph, the data's blank nodes given canonical names: in
    memory (optimised), or into ``into``, a store on disk being built (by its bulk loader, which
    writes sorted files straight to disk)."""
    store = ox.Store() if into is None else into
    add = store.load if into is None else store.bulk_load
    for f in files:
        try:
            add(path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.graph))
        except SyntaxError as error:
            message = error.args[0] if error.args else str(error)
            raise DataFileError(f.path, message, error.lineno, error.offset) from error
        except OSError as error:
            raise DataFileError(f.path, error.strerror or str(error)) from error
    _name_blank_nodes(store)
    if into is None:
        store.optimize()
    return store


def _name_blank_nodes(store: ox.Store) -> None:
    """Give the data's blank nodes canonical (RDFC-1.0) names instead of the parser's random
    ones. Answers come in an order that follows those names (a path through an RDF list, say),
    so only then does every process give the same answer in the same order, as its ETag says.
    Measured: one scan, 1.5-2.2 s for 1M triples on a busy 2-core machine (naming them in
    Python while reloading every file cost 8 s more)."""
    rows = store.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    found = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
    for quad in found:
        store.remove(quad)
    store.extend(canonical_quads(found))


def _by(until: float) -> Callable[[], None]:
    """Raises QueryTimeout once ``until`` (a ``time.monotonic()``) has passed: checked between
    the rows of an answer, which is all this engine lets anyone interrupt."""

    def pace() -> None:
        if time.monotonic() > until:
            raise QueryTimeout("it had no answer by the deadline (RIVM_QUERY_DEADLINE)")

    return pace


class OxigraphStore(GraphStore):
    """Oxigraph holding the repository's files, each in its own named graph."""

    def __init__(
        self,
        files: Iterable[GraphFile],
        *,
        store: ox.Store | None = None,
        version: str | None = None,
    ):
        """The files loaded into memory, or ``store`` if given: the same files already loaded
        (the on-disk store of their ``version``, see :mod:`.on_disk`)."""
        self.files = list(files)
        self._store = load_files(self.files) if store is None else store
        # The data never changes once loaded: the graph names are read once.
        self._graphs = tuple(
            sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        )
        self._version = version or files_version(self.files)

    @property
    def data_version(self) -> str:
        return self._version

    def quads(self) -> Iterable[ox.Quad]:
        return cast(Iterator[ox.Quad], iter(self._store))  # pyoxigraph leaves it untyped

    @classmethod
    def from_root(cls, root: Path | str, *, with_queries: bool = True) -> OxigraphStore:
        return cls(graph_files(Path(root), with_queries=with_queries))

    def graphs(self) -> list[str]:
        return list(self._graphs)

    def describe(self, iri: str) -> Graph:
        graph = Graph()
        bind_all(graph)
        seen: set[ox.NamedNode | ox.BlankNode] = set()
        frontier: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        linked: set[str] = set()
        while frontier:
            subject = frontier.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for quad in self._store.quads_for_pattern(subject, None, None, None):
                obj = quad.object
                graph.add((to_rdflib(subject), URIRef(quad.predicate.value), to_rdflib(obj)))
                if isinstance(obj, ox.BlankNode):
                    frontier.append(obj)
                elif isinstance(obj, ox.NamedNode):
                    linked.add(obj.value)
        self.names(linked - {iri}, into=graph)
        return graph

    def _run(
        self,
        text: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        default_graphs, named_graphs = query_dataset(
            text, default_graphs, named_graphs, self._graphs
        )
        # Relative IRIs in a query resolve against the dataset's base (the service's choice).
        options: dict[str, Any] = {"base_iri": BASE_IRI}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(text, **options)

    def query_serialized(
        self,
        text: str,
        media_type: str,
        *,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
        until: float | None = None,
    ) -> SerializedAnswer:
        answer = self._run(text, default_graphs, named_graphs)
        pace = None if until is None else _by(until)
        if add_labels and isinstance(answer, ox.QueryTriples):
            triples = answer if pace is None else paced(answer, pace)
            return serialize_answer(
                self._with_labels(triples, max_rows, until), media_type, max_rows
            )
        return serialize_answer(answer, media_type, max_rows, pace)

    def _statements_about(
        self, iris: Sequence[str], predicates: Sequence[str], until: float | None = None
    ) -> Iterator[ox.Triple]:
        seen: set[ox.Triple] = set()  # a statement held in two graphs is one statement
        pace = None if until is None else _by(until)
        for iri in iris:
            if pace is not None:
                pace()
            for predicate in predicates:
                for quad in self._store.quads_for_pattern(
                    ox.NamedNode(iri), ox.NamedNode(predicate), None, None
                ):
                    if (triple := quad.triple) not in seen:
                        seen.add(triple)
                        yield triple

    def select_values(
        self, text: str, *, deadline: float | None = None
    ) -> list[tuple[Value | None, ...]]:
        answer = self._run(text)
        if not isinstance(answer, ox.QuerySolutions):
            raise ValueError("select_values reads SELECT queries only")
        return [tuple(None if t is None else to_value(t) for t in row) for row in answer]

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,  # evaluated in this process: nothing stops it
    ) -> QueryResult:
        answer = self._run(text, default_graphs, named_graphs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [
                {name: to_rdflib(value) for name in variables if (value := row[name]) is not None}
                for row in answer
            ]
            return QueryResult(kind="select", variables=variables, rows=rows)
        graph = Graph()
        for triple in answer:
            graph.add(
                (
                    to_rdflib(triple.subject),
                    URIRef(triple.predicate.value),
                    to_rdflib(triple.object),
                )
            )
        return QueryResult(kind="graph", graph=graph)
