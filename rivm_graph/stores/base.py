"""What every store offers, behind one small read-only interface, and what it answers with.

Callers (the command line, the web application, the tests) only use :class:`GraphStore`; the
embedded store is :class:`~rivm_graph.stores.oxigraph.OxigraphStore`, a remote SPARQL engine is
:class:`~rivm_graph.stores.remote.SparqlStore`, and :func:`~rivm_graph.stores.factory.open_store`
picks one from the settings. Answers cross this boundary as rdflib terms (``QueryResult``, graphs)
or as bytes (``SerializedAnswer``), or for the service's own reads of the whole graph as plain
``Value`` rows (``select_values``); pyoxigraph terms stay inside the stores.
"""

from __future__ import annotations

import abc
import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

from ..i18n import FALLBACK
from ..rdf.labels import LABEL_PREDICATES, best_label
from ..rdf.literals import literal
from ..rdf.query_text import inspect_query
from ..rdf.results import SerializedAnswer
from ..rdf.terms import Value, to_rdflib, value_of

#: Seconds a remote engine may take for the service's own reads of the whole graph (dumps, and at
#: start-up the search index and the tables): at 1M triples on Virtuoso they take longer than a
#: client's query may (RIVM_QUERY_TIMEOUT), and a start-up cut short by it failed.
WHOLE_GRAPH_DEADLINE = 600.0


class StoreError(RuntimeError):
    """The configured store cannot serve: misconfigured, unreachable, or holding no dataset."""


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped (or waited that long for a worker)."""


class QueryNotEvaluable(Exception):
    """A query that is valid SPARQL 1.1 (Oxigraph parsed it) but that the store's engine will
    not evaluate: a feature it lacks, or an error where SPARQL has none (Virtuoso's division by
    zero). The query's to change, not the service's fault: the message says which."""


class DataFileError(Exception):
    """A data file cannot be loaded: names the file and the place, and nothing is served."""

    def __init__(
        self, path: Path, message: str, line: int | None = None, column: int | None = None
    ):
        self.path, self.message, self.line, self.column = path, message, line, column
        where = (
            f"{path}"
            + (f", line {line}" if line else "")
            + (f", column {column}" if column else "")
        )
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Picklable: a process that built the store apart sends it back (``apart``)."""
        return (type(self), (self.path, self.message, self.line, self.column))


@dataclass
class QueryResult:
    """An answer as rdflib terms: rows for SELECT, a boolean for ASK, else a graph."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.graph or ())
        return 1


@dataclass(frozen=True)
class StoreCounts:
    triples: int  # distinct triples of the union graph
    graphs: dict[str, int]  # triples per named graph
    classes: dict[str, int]  # distinct instances per rdf:type


def query_dataset(
    text: str,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    known: Collection[str],
) -> tuple[Sequence[str] | None, Sequence[str] | None]:
    """The graphs a query runs over: the protocol's if given, else the query's own FROM and FROM
    NAMED (SPARQL 1.1 section 13.2: a FROM without FROM NAMED leaves no named graphs, and the
    other way round), else (None, None): the union default graph and every named graph.

    A graph the dataset does not hold (``known``) is left out, as Oxigraph server and Fuseki do
    with a graph they do not have: it is never fetched, a default graph made only of such graphs
    is empty (``[]``), and it adds no named graph.

    Said explicitly because neither store reads FROM on its own here: Oxigraph's union default
    graph overrides it, and a remote engine would add it to the graphs it is sent.
    """
    if default_graphs is None and named_graphs is None and "from" in text.lower():
        info = inspect_query(text)
        if info.from_graphs or info.from_named_graphs:
            default_graphs, named_graphs = info.from_graphs, info.from_named_graphs
    return _held(default_graphs, known), _held(named_graphs, known)


def _held(graphs: Sequence[str] | None, known: Collection[str]) -> list[str] | None:
    return None if graphs is None else [g for g in graphs if g in known]


class GraphStore(abc.ABC):
    """What every store offers. All of it is read-only."""

    #: Whether queries must run in killable worker processes to meet their deadline (an
    #: embedded engine that cannot interrupt itself), or may be sent from the request's thread.
    needs_query_workers = True

    @abc.abstractmethod
    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; the default graph is the union of all graphs unless given.
        ``deadline``: the seconds an engine that can stop itself may take (default: the store's
        query timeout); the service's own reads of the whole graph pass WHOLE_GRAPH_DEADLINE."""

    def select_values(
        self, text: str, *, deadline: float | None = None
    ) -> list[tuple[Value | None, ...]]:
        """A SELECT's rows as plain values, each row in the order of the query's variables
        (None where unbound), over the whole dataset: for the service's own reads of the whole
        graph, where an rdflib term per value cost most of the time. A store that holds its
        answers as terms of its own converts them directly."""
        result = self.query(text, deadline=deadline)
        return [
            tuple(
                None if (node := row.get(v)) is None else value_of(node) for v in result.variables
            )
            for row in result.rows
        ]

    @abc.abstractmethod
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
        """Evaluate a query and write its answer in ``media_type`` (a SPARQL results format for
        SELECT/ASK, an RDF format for CONSTRUCT/DESCRIBE), reading at most ``max_rows`` rows or
        triples; ``add_labels`` appends the labels of the IRIs a graph answer points to (DESCRIBE).
        ``until`` is the ``time.monotonic()`` past which the caller no longer waits (a store that
        cannot stop itself checks it between rows only: its caller runs a query that may be slow
        between two rows in a worker process that is killed).
        ValueError if the format does not fit the answer, SyntaxError for bad SPARQL; QueryTimeout
        past ``until``."""

    @abc.abstractmethod
    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the dataset, each in the named graph of the file it came from."""

    @property
    @abc.abstractmethod
    def data_version(self) -> str:
        """A content hash of the loaded data: equal across processes serving the same data."""

    def current_version(self) -> str:
        """The data version the store holds now (a remote engine can be reloaded under a running
        front-end, whose ``data_version`` is the one it started with)."""
        return self.data_version

    @abc.abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def counts(self) -> StoreCounts:
        total = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        )
        per_graph = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        per_class = self.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        )
        return StoreCounts(
            triples=int(literal(total.rows[0]["n"])),
            graphs={str(r["g"]): int(literal(r["n"])) for r in per_graph.rows},
            classes={str(r["c"]): int(literal(r["n"])) for r in per_class.rows},
        )

    @abc.abstractmethod
    def describe(self, iri: str) -> Graph:
        """The concise bounded description of ``iri``, plus labels of what it links to."""

    @abc.abstractmethod
    def _statements_about(
        self, iris: Sequence[str], predicates: Sequence[str], until: float | None = None
    ) -> Iterable[ox.Triple]:
        """Every statement whose subject is one of ``iris`` and whose predicate one of
        ``predicates`` (the store's fastest way: a pattern scan, or one query per chunk)."""

    def names(
        self, iris: Iterable[str], *, with_types: bool = False, into: Graph | None = None
    ) -> Graph:
        """The names (every label predicate, every language) of these resources, and their
        types if asked: the one way every page, description and answer gets them. Added to
        ``into`` if given (no graph to merge), else to a new graph."""
        predicates = (*LABEL_PREDICATES, str(RDF.type)) if with_types else LABEL_PREDICATES
        graph = Graph() if into is None else into
        for t in self._statements_about(sorted(set(iris)), predicates):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    def labels(self, iris: Iterable[str], languages: Sequence[str] = FALLBACK) -> dict[str, str]:
        """The name to show for each of these resources that has one, in the reader's languages
        (:func:`~rivm_graph.rdf.labels.best_label`)."""
        found: dict[str, list[tuple[str, Literal]]] = {}
        for t in self._statements_about(sorted(set(iris)), LABEL_PREDICATES):
            if isinstance(t.object, ox.Literal) and isinstance(t.subject, ox.NamedNode):
                found.setdefault(t.subject.value, []).append(
                    (t.predicate.value, literal(to_rdflib(t.object)))
                )
        return {
            iri: label
            for iri, candidates in found.items()
            if (label := best_label(candidates, list(languages))) is not None
        }

    def _with_labels(
        self, triples: Iterable[ox.Triple], max_rows: int | None, until: float | None = None
    ) -> list[ox.Triple]:
        """The triples (at most one past the cap, so the cap is still seen), then the label
        statements of the IRIs they point to and do not describe (a DESCRIBE answer's names)."""
        kept = list(itertools.islice(triples, None if max_rows is None else max_rows + 1))
        seen = set(kept)
        linked = {t.object.value for t in kept if isinstance(t.object, ox.NamedNode)}
        linked -= {t.subject.value for t in kept if isinstance(t.subject, ox.NamedNode)}
        for triple in self._statements_about(sorted(linked), LABEL_PREDICATES, until):
            if triple not in seen:
                seen.add(triple)
                kept.append(triple)
        return kept
