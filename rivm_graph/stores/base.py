"""The read-only store that serves the graph, behind one small interface.

Callers (the command line, the web application, the tests) only use :class:`GraphStore`; the
embedded default is :class:`OxigraphStore`, which evaluates SPARQL in Oxigraph from the query text.
A remote SPARQL store can implement the same interface later without touching the callers.
"""

from __future__ import annotations

import abc
import hashlib
import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..rdf.literals import literal
from ..rdf.namespaces import BASE_IRI, bind_all
from ..rdf.results import SerializedAnswer, serialize_answer
from ..rdf.serialize import canonical_quads
from ..rdf.terms import to_rdflib
from .files import GraphFile, graph_files

#: Predicates whose values name a resource, in order of preference (see labels.py).
LABEL_PREDICATES: tuple[str, ...] = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)


class StoreError(RuntimeError):
    """The configured store cannot serve: misconfigured, unreachable, or holding no dataset."""


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped (or waited that long for a worker)."""


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
        from ..rdf.query_text import inspect_query

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
    ) -> QueryResult:
        """Evaluate a SPARQL query; the default graph is the union of all graphs unless given."""

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
        cannot stop itself ignores it: its caller runs it in a worker process that is killed).
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


class OxigraphStore(GraphStore):
    """Oxigraph in memory, loaded once from the repository's files, each in its own named graph."""

    def __init__(self, files: Iterable[GraphFile]):
        self._store = ox.Store()
        self.files = list(files)
        for f in self.files:
            try:
                self._store.load(
                    path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.graph)
                )
            except SyntaxError as error:
                message = error.args[0] if error.args else str(error)
                raise DataFileError(f.path, message, error.lineno, error.offset) from error
            except OSError as error:
                raise DataFileError(f.path, error.strerror or str(error)) from error
        self._name_blank_nodes()
        self._store.optimize()
        # The data never changes once loaded: the graph names are read once.
        self._graphs = tuple(
            sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        )
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: (f.graph, str(f.path.name))):
            digest.update(f.graph.encode() + b"\0" + f.path.read_bytes() + b"\0")
        self._version = digest.hexdigest()[:16]

    def _name_blank_nodes(self) -> None:
        """Give the data's blank nodes canonical (RDFC-1.0) names instead of the parser's random
        ones. Answers come in an order that follows those names (a path through an RDF list, say),
        so only then does every process give the same answer in the same order, as its ETag says.
        Measured: one scan, 1.5-2.2 s for 1M triples on a busy 2-core machine (naming them in
        Python while reloading every file cost 8 s more)."""
        rows = self._store.query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"
        )
        assert isinstance(rows, ox.QuerySolutions)
        found = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
        for quad in found:
            self._store.remove(quad)
        self._store.extend(canonical_quads(found))

    @property
    def data_version(self) -> str:
        return self._version

    def quads(self) -> Iterable[ox.Quad]:
        return iter(self._store)

    @classmethod
    def from_root(cls, root: Path | str, *, with_queries: bool = True) -> OxigraphStore:
        return cls(graph_files(Path(root), with_queries=with_queries))

    def graphs(self) -> list[str]:
        return list(self._graphs)

    def describe(self, iri: str) -> Graph:
        graph = Graph()
        bind_all(graph)
        seen: set = set()
        frontier: list = [ox.NamedNode(iri)]
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
        for other in linked - {iri}:
            for predicate in LABEL_PREDICATES:
                for quad in self._store.quads_for_pattern(
                    ox.NamedNode(other), ox.NamedNode(predicate), None, None
                ):
                    graph.add((URIRef(other), URIRef(predicate), to_rdflib(quad.object)))
        return graph

    def _run(self, text: str, default_graphs=None, named_graphs=None):
        default_graphs, named_graphs = query_dataset(
            text, default_graphs, named_graphs, self._graphs
        )
        # Relative IRIs in a query resolve against the dataset's base (the service's choice).
        options: dict = {"base_iri": BASE_IRI}
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
        if add_labels and isinstance(answer, ox.QueryTriples):
            answer = self._with_labels(answer, max_rows)
        return serialize_answer(answer, media_type, max_rows)

    def _with_labels(self, triples: Iterable[ox.Triple], max_rows: int | None) -> list[ox.Triple]:
        """The triples (at most one past the cap), then the labels of the IRIs they point to."""
        kept = list(itertools.islice(triples, None if max_rows is None else max_rows + 1))
        seen = set(kept)
        linked = {t.object for t in kept if isinstance(t.object, ox.NamedNode)}
        linked -= {t.subject for t in kept}
        for node in sorted(linked, key=lambda n: n.value):
            for predicate in LABEL_PREDICATES:
                for quad in self._store.quads_for_pattern(
                    node, ox.NamedNode(predicate), None, None
                ):
                    triple = ox.Triple(quad.subject, quad.predicate, quad.object)
                    if triple not in seen:
                        seen.add(triple)
                        kept.append(triple)
        return kept

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
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


def open_store(settings: dict) -> GraphStore:
    """The store the settings name: the embedded Oxigraph, or a remote SPARQL engine."""
    kind = settings.get("STORE", "oxigraph")
    if kind == "oxigraph":
        return OxigraphStore.from_root(settings["DATA_ROOT"])
    if kind == "sparql":
        from .remote import SparqlStore

        url = settings.get("SPARQL_QUERY_URL")
        if not url:
            raise StoreError("RIVM_STORE=sparql needs RIVM_SPARQL_QUERY_URL (the engine's URL)")
        return SparqlStore(
            url,
            timeout=float(settings["QUERY_TIMEOUT"]),
            user=settings.get("SPARQL_USER") or None,
            password=settings.get("SPARQL_PASSWORD") or None,
            max_rows=int(settings.get("MAX_ROWS") or 0) or None,
        )
    raise StoreError(f"RIVM_STORE={kind!r} is not a known store; use 'oxigraph' or 'sparql'")
