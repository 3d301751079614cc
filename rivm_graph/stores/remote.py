"""The graph served from a remote SPARQL engine (Virtuoso, Fuseki, GraphDB, QLever...).

:class:`SparqlStore` implements the same :class:`~rivm_graph.stores.base.GraphStore` interface
as the embedded store, over the SPARQL 1.1 Protocol, so every page, description and dump works
unchanged:

- **which data**: ``rivm-graph load --into`` (see :mod:`rivm_graph.stores.loader`) writes the
  dataset's named graphs and a *load record* graph naming them, with the data version and triple
  counts. The store reads that record at start-up: every query names the dataset's graphs as its
  default graph (their union, as in the embedded store) and as its named graphs, so an engine's own
  system graphs never show, and every front-end process serving the same load has the same data
  version (hence the same ETags and cache keys);
- **the same language**: a query is parsed by Oxigraph first, so a syntax error reads the same in
  both modes and an engine's private extensions are not accepted by one mode only;
- **deadlines**: the query deadline is passed on (Virtuoso's ``timeout`` parameter, in ms), within
  the time the client still waits, and the HTTP exchange is bounded by that time (see
  :meth:`SparqlStore._post`); an engine's partial answer at its deadline (Virtuoso's
  ``X-SQL-State: S1TAT``) or its refusal of a query estimated too long is a :class:`QueryTimeout`,
  never served as if complete;
- **normalised answers**: results are read as SPARQL JSON and N-Triples and rewritten by this
  service's own writers, so every format and the row cap behave as with the embedded store.
  Virtuoso's blank-node names (``nodeID://b1``) become blank nodes, its cut at ``ResultSetMaxRows``
  (``X-SPARQL-MaxRows``) is reported as a truncated answer, and its WKT geometries (it stores them
  as single-precision numbers and returns ``virtrdf:Geometry``) go back to ``geo:wktLiteral`` with
  each coordinate written in the shortest form that single precision keeps;
- **DESCRIBE** is a concise bounded description, as in the embedded store: Virtuoso (recognised by
  its ``Server`` header) is asked for that shape (``define sql:describe-mode "CBD"``) instead of
  its default, which adds the resource's incoming triples.
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
import time
import urllib.parse
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..rdf import formats
from ..rdf.labels import pairs
from ..rdf.literals import literal
from ..rdf.namespaces import BASE_IRI, GRAPH_BASE, bind_all
from ..rdf.query_text import QueryInfo, inspect_query
from ..rdf.results import (
    SerializedAnswer,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)
from ..rdf.terms import Value, to_rdflib, to_value
from .base import (
    WHOLE_GRAPH_DEADLINE,
    GraphStore,
    QueryNotEvaluable,
    QueryResult,
    QueryTimeout,
    StoreCounts,
    StoreError,
    query_dataset,
)
from .query_rewrite import (
    with_base,
    with_named_graphs_listed,
    with_values_inside,
    without_dataset_clauses,
)

#: The graph ``rivm-graph load`` writes last: what was loaded (graphs, counts, data version).
T = TypeVar("T")

#: A term of an engine's answer, as Oxigraph reads it.
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

LOAD_RECORD_GRAPH = GRAPH_BASE + "load-record"
LOAD_RECORD = BASE_IRI + "load-record"
#: Every triple of the dataset's graphs, once more in one graph: the default graph of queries.
#: (Virtuoso 7.2 answers property paths wrongly over a default graph made of many graphs: a
#: ``rdfs:subClassOf*`` query returned 2 of its 32 rows over the 15 graphs, all 32 over one.)
UNION_GRAPH = GRAPH_BASE + "union"
#: A graph that is never loaded: what a request naming only graphs outside the dataset gets.
NO_GRAPH = GRAPH_BASE + "none"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"

SPARQL_JSON = formats.SPARQL_JSON.media_type
N_TRIPLES = formats.NTRIPLES.media_type
WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"
VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: Virtuoso's name for the result column of ASK (see _ask_table).
ASK_COLUMN = "__ask_retval"
_BOOLEANS = {"1": "true", "0": "false"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
#: Seconds the HTTP read may take beyond the query deadline before the engine counts as hung
#: (for the service's own queries; a client's query has a time by which its client is answered).
READ_MARGIN = 5.0
#: Seconds kept between the engine's deadline and the client's (at most half of the time left):
#: the engine's own answer at its deadline (partial, or a refusal) has that long to come back.
#: Measured: Virtuoso 7.2 sent its partial answer 1.02-1.04 s after its timeout.
ENGINE_MARGIN = 2.0
#: Seconds allowed for whole-graph reads (dumps), which have no query deadline.
EXPORT_TIMEOUT = WHOLE_GRAPH_DEADLINE
#: Most triples asked for in one answer when a graph is exported (dumps).
EXPORT_PART = 500_000
#: Deepest chain of blank nodes a resource description follows.
MAX_BLANK_DEPTH = 32


#: An error line of Virtuoso's (``Virtuoso 22012 Error SR084: Division by 0.``): its SQL state.
_SQL_STATE = re.compile(r"Virtuoso (\w{5}) Error ")
#: SQL state classes that a query causes (data exception, syntax, rule violation), as against
#: the engine's trouble (deadlock 40001, connection 08, memory and the like): a query sent
#: again gets the same error, so it is the client's to change, and never a 503 to retry.
_QUERYS_FAULT = ("22", "37", "42")


class RemoteStoreError(StoreError):
    """The remote engine cannot be used: unreachable, not loaded, or an unexpected answer."""


@dataclass(frozen=True)
class _Reply:
    headers: httpx.Headers
    content: bytes
    cut: bool  # rows or triples were left out (by the engine's cap, or unread here)


def _in_time(chunks: Iterator[T], until: float | None) -> Iterator[T]:
    """The parts of a streamed answer, as long as the client still waits for it."""
    for chunk in chunks:
        if until is not None and time.monotonic() > until:
            raise QueryTimeout(_LATE)
        yield chunk


_LATE = "the engine's answer did not come within this endpoint's limit (RIVM_QUERY_DEADLINE)"


def _first_lines(
    response: httpx.Response, limit: int, until: float | None = None
) -> tuple[bytes, bool]:
    """The first ``limit`` triples of a streamed N-Triples answer, and whether more followed."""
    lines: list[str] = []
    for line in _in_time(response.iter_lines(), until):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(lines) == limit:
            return "\n".join(lines).encode() + b"\n", True
        lines.append(line)
    return ("\n".join(lines) + "\n").encode() if lines else b"", False


@dataclass(frozen=True)
class LoadRecord:
    version: str
    graphs: dict[str, int]  # graph IRI → triples
    triples: int  # distinct triples of their union


class _ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the engine asks for (Virtuoso: Digest; Fuseki: Basic)."""

    def __init__(self, user: str, password: str):
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        chosen = self.digest if scheme == "digest" else self.basic
        flow = chosen.auth_flow(request)
        request = next(flow)
        if scheme == "digest":
            # DigestAuth expects to see the challenge itself.
            request = flow.send(response)
        try:
            while True:
                response = yield request
                request = flow.send(response)
        except StopIteration:
            return


def credentials(user: str | None, password: str | None) -> httpx.Auth | None:
    return _ChallengeAuth(user, password or "") if user else None


def _shortest_single(text: str) -> str:
    """A number as stored in single precision, written back in its shortest faithful form."""
    value = struct.unpack("f", struct.pack("f", float(text)))[0]
    for digits in range(1, 10):
        candidate = f"{value:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(candidate)))[0] == value:
            if "e" in candidate:
                candidate = repr(float(candidate))
            return candidate
    return repr(value)


def normalise_term(term: OxTerm) -> OxTerm:
    """Undo an engine's private rewriting of a term: Virtuoso's geometries, and its booleans
    written ``1`` and ``0`` (valid, but not the canonical ``true`` and ``false``)."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == VIRTUOSO_GEOMETRY:
            wkt = _NUMBER.sub(lambda m: _shortest_single(m.group(0)), term.value)
            return ox.Literal(wkt, datatype=ox.NamedNode(WKT_LITERAL))
        if datatype == XSD_BOOLEAN and term.value in _BOOLEANS:
            return ox.Literal(_BOOLEANS[term.value], datatype=term.datatype)
    return term


def json_term(binding: dict[str, str]) -> OxTerm:
    """One SPARQL JSON binding (1.0 ``typed-literal`` included) as an Oxigraph term."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(_blank_id(value))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return ox.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return normalise_term(ox.Literal(value, datatype=ox.NamedNode(binding["datatype"])))
        return ox.Literal(value)
    raise RemoteStoreError(f"unknown term type {kind!r} in the engine's answer")


def _blank_id(value: str) -> str:
    """A valid blank node name from an engine's (``nodeID://b10001`` → ``b10001``)."""
    name = value.rsplit("/", 1)[-1] if value.startswith("nodeID://") else value
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return name if name[:1].isalpha() else f"b{name}"


def _normalise_triple(triple: ox.Triple) -> ox.Triple:
    obj = normalise_term(triple.object)
    return triple if obj is triple.object else ox.Triple(triple.subject, triple.predicate, obj)


def _iri(term: str) -> str:
    return f"<{term}>"


class SparqlStore(GraphStore):
    """A dataset loaded by ``rivm-graph load`` into a remote engine, read over HTTP."""

    needs_query_workers = False  # the engine enforces the deadline; no worker processes needed

    def __init__(
        self,
        query_url: str,
        *,
        timeout: float = 10.0,
        user: str | None = None,
        password: str | None = None,
        max_rows: int | None = None,
    ):
        self.query_url, self.timeout = query_url, float(timeout)
        self.max_rows = max_rows  # the service's row cap, checked against the engine's
        self._auth = credentials(user, password)
        self._clients: dict[int, httpx.Client] = {}
        self._lock = threading.Lock()
        self.virtuoso = False  # set from the engine's Server header when the record is read
        self.record = self._read_record()
        self._check_answers()
        self._check_row_cap()

    # -- HTTP ---------------------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        """One connection pool per process: a pool inherited through fork is not ours to use."""
        pid = os.getpid()
        with self._lock:
            client = self._clients.get(pid)
            if client is None:
                client = httpx.Client(auth=self._auth, headers={"User-Agent": "rivm-graph"})
                self._clients = {pid: client}
            return client

    def _post(
        self,
        text: str,
        accept: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,
        max_rows: int | None = None,
        until: float | None = None,
    ) -> _Reply:
        """Send a query; with ``max_rows``, read at most that many rows (Virtuoso's ``maxrows``)
        or N-Triples lines (the rest of the answer is never read, whatever the engine's cap).

        ``deadline`` is the engine's, in seconds; ``until``, the ``time.monotonic()`` by which
        the client must have its answer: the engine's deadline then ends ENGINE_MARGIN earlier,
        and waiting for the engine and reading its answer both stop there.
        """
        deadline = self.timeout if deadline is None else deadline
        wait = deadline + READ_MARGIN
        if until is not None:
            wait = until - time.monotonic()
            if wait <= 0:
                raise QueryTimeout(_LATE)
            deadline = min(deadline, max(wait - ENGINE_MARGIN, wait / 2))
        form: list[tuple[str, str]] = [("query", text)]
        form += [("default-graph-uri", g) for g in self._within(default_graphs, default=True)]
        form += [("named-graph-uri", g) for g in self._within(named_graphs, default=False)]
        # Virtuoso's own deadline (ms) and row cap; other engines ignore the parameters.
        form.append(("timeout", str(max(1, int(deadline * 1000)))))
        if max_rows is not None:
            form.append(("maxrows", str(max_rows)))
        client = self._client()
        request = client.build_request(
            "POST",
            self.query_url,
            content=urllib.parse.urlencode(form),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=httpx.Timeout(wait, connect=min(wait, 5.0)),
        )
        try:
            response = client.send(request, stream=True)
            try:
                if response.status_code < 400 and max_rows is not None and accept == N_TRIPLES:
                    content, cut = _first_lines(response, max_rows, until)
                else:
                    content, cut = b"".join(_in_time(response.iter_bytes(), until)), False
            finally:
                response.close()
        except httpx.TimeoutException as error:
            if until is not None:
                raise QueryTimeout(_LATE) from error
            raise QueryTimeout(f"the engine did not answer within {deadline:g} s") from error
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"{self.query_url}: {error}") from error
        if response.headers.get("X-SQL-State") == "S1TAT":
            raise QueryTimeout(
                f"the engine stopped it after {round(deadline, 1):g} s (its answer was partial)"
            )
        if response.status_code >= 400:
            message = content.decode("utf-8", "replace").strip()
            if "S1TAT" in message[-2000:]:
                # Stopped by its timeout after it began to answer: a 500 whose body is the
                # partial answer, the error at its end (measured on Virtuoso 7.2.5 at 1M triples).
                raise QueryTimeout(
                    f"the engine stopped it after {round(deadline, 1):g} s (its answer was partial)"
                )
            if "estimated execution time" in message:
                raise QueryTimeout(f"the engine estimated it would run too long: {message}")
            # Virtuoso follows its reason with the text it was sent (our rewrite: pragmas, the
            # dataset's graphs), which is not the client's query: only the reason is told.
            reason = message.split("\n\nSPARQL query:", 1)[0].strip()
            state = _SQL_STATE.match(reason)
            if response.status_code == 400 or (state and state[1][:2] in _QUERYS_FAULT):
                raise QueryNotEvaluable(reason.splitlines()[0] if reason else "bad request")
            raise RemoteStoreError(
                f"{self.query_url} answered {response.status_code}: {reason[:500]}"
            )
        return _Reply(response.headers, content, cut or "X-SPARQL-MaxRows" in response.headers)

    def _within(self, asked: Sequence[str] | None, *, default: bool) -> list[str]:
        """The graphs a request asks for, kept to the dataset's (never an engine's own); if it
        asks for none, the union graph as default graph and every graph as named graphs."""
        record = getattr(self, "record", None)
        if record is None:  # reading the load record for the first time
            return list(asked or [])
        if asked is None:
            return [UNION_GRAPH] if default else list(record.graphs)
        # (the load record is the service's own: a query's graphs never name it, query_dataset
        # keeps them to the dataset's; an empty list is an empty graph, never the engine's all)
        known = {*record.graphs, LOAD_RECORD_GRAPH}
        return [g for g in asked if g in known] or [NO_GRAPH]

    def _read_record(self) -> LoadRecord:
        text = f"""SELECT ?p ?o ?n WHERE {{ GRAPH {_iri(LOAD_RECORD_GRAPH)} {{
            {{ {_iri(LOAD_RECORD)} ?p ?o }} UNION {{ ?o {_iri(VOID + "triples")} ?n }}
        }} }}"""
        response = self._post(
            text,
            SPARQL_JSON,
            default_graphs=[LOAD_RECORD_GRAPH],
            named_graphs=[LOAD_RECORD_GRAPH],
            deadline=30.0,
        )
        self.virtuoso = response.headers.get("Server", "").startswith("Virtuoso")
        version, total, graphs = None, None, {}
        for row in _solutions_from(json.loads(response.content))[1]:
            p, o, n = (
                str(t.value) if isinstance(t, ox.NamedNode | ox.Literal) else None for t in row
            )
            if p == OWL_VERSION_INFO and o is not None:
                version = o
            elif p == VOID + "triples" and o is not None:
                total = int(o)
            elif n is not None and o is not None and o not in (LOAD_RECORD, UNION_GRAPH):
                graphs[o] = int(n)
        if version is None or total is None or not graphs:
            raise RemoteStoreError(
                f"{self.query_url} holds no dataset loaded by rivm-graph (no load record in "
                f"<{LOAD_RECORD_GRAPH}>): run `rivm-graph load --into {self.query_url}` first"
            )
        return LoadRecord(version, dict(sorted(graphs.items())), total)

    def _check_answers(self) -> None:
        """Refuse an engine whose answers this service would misread, before serving anything:
        resource pages and /readyz rest on ASK, so an ASK read wrongly serves nothing (404s)."""
        found: bool | str | None
        nothing: bool | str | None
        try:
            found = self.query("ASK { ?s ?p ?o }").boolean
            nothing = self.query("ASK { FILTER(false) }").boolean
        except (RemoteStoreError, QueryNotEvaluable) as error:
            found = nothing = str(error)
        if found is not True or nothing is not False:
            raise RemoteStoreError(
                f"{self.query_url} does not answer ASK as SPARQL says (ASK {{ ?s ?p ?o }}: "
                f"{found!r}; ASK {{ FILTER(false) }}: {nothing!r}), so this service would find "
                "no resource. On Virtuoso, set CaseMode = 2 in the [Parameters] section of "
                "virtuoso.ini (as Debian's file and the Docker images do) and restart it"
            )

    def _check_row_cap(self) -> None:
        """Refuse an engine that cuts answers below the service's own cap (Virtuoso's
        ResultSetMaxRows below RIVM_MAX_ROWS): answers would stop short of the documented
        limit. The engine is asked for that many rows of a product of the data (cheap: the
        rows are empty); a cut answer names the engine's cap (``X-SPARQL-MaxRows``)."""
        if not self.max_rows:
            return
        probe = f"SELECT ?x WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {self.max_rows}"
        reply = self._post(probe, "text/csv", max_rows=self.max_rows, deadline=30.0)
        cap = reply.headers.get("X-SPARQL-MaxRows", "")
        if cap.isdigit() and int(cap) < self.max_rows:
            raise RemoteStoreError(
                f"{self.query_url} cuts every answer at {int(cap):,} rows, fewer than this "
                f"service's RIVM_MAX_ROWS ({self.max_rows:,}): on Virtuoso, raise "
                f"ResultSetMaxRows in the [SPARQL] section of virtuoso.ini to at least "
                f"{self.max_rows} and restart it, or lower RIVM_MAX_ROWS"
            )

    # -- GraphStore -----------------------------------------------------------------------------

    @property
    def data_version(self) -> str:
        return self.record.version

    def graphs(self) -> list[str]:
        return list(self.record.graphs)

    def current_version(self) -> str:
        try:
            return self._read_record().version
        except RemoteStoreError:
            return "none"

    def counts(self) -> StoreCounts:
        per_class = self.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        )
        return StoreCounts(
            triples=self.record.triples,
            graphs=dict(self.record.graphs),
            classes={str(r["c"]): int(literal(r["n"])) for r in per_class.rows},
        )

    def _check(self, text: str) -> tuple[QueryInfo, list[str] | None]:
        """Parse with Oxigraph (an empty store): the same grammar and messages in both modes.
        Also the variables a SELECT projects, in Oxigraph's order: the answer's head is the
        query's, whatever the engine names (Virtuoso answers ``SELECT * {}`` with a column of
        its own, ``_star_fake``)."""
        info = inspect_query(text)
        parsed = ox.Store().query(text, base_iri=BASE_IRI)  # SyntaxError if not SPARQL 1.1
        if isinstance(parsed, ox.QuerySolutions):
            return info, [v.value for v in parsed.variables]
        return info, None

    @staticmethod
    def _for_engine(text: str, named_graphs: Sequence[str]) -> str:
        """The text the engine is sent: its dataset clauses are in the protocol parameters, a
        trailing VALUES block goes inside, ``GRAPH ?g { }`` lists ``named_graphs`` (those sent
        as ``named-graph-uri``), relative IRIs get the service's base (see
        :mod:`rivm_graph.stores.query_rewrite`)."""
        plain = without_dataset_clauses(text)
        if "from" in plain.lower():  # never left: the engine would add its graphs
            left = inspect_query(plain)
            if left.from_graphs or left.from_named_graphs:
                raise RemoteStoreError("a FROM clause of the query could not be taken out")
        moved = with_values_inside(plain)
        if moved is not plain:
            try:
                ox.Store().query(moved, base_iri=BASE_IRI)
            except SyntaxError:  # a text whose nesting the rewrite misread: sent as it came
                moved = plain
        listed = with_named_graphs_listed(moved, [g for g in named_graphs if g != NO_GRAPH])
        return with_base(listed, BASE_IRI)

    def _answer(
        self,
        text: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_rows: int | None = None,
        until: float | None = None,
        deadline: float | None = None,
    ) -> tuple[str, Any, bool]:
        """(kind, payload, truncated): payload is (variables, rows), a boolean or triples; with
        ``max_rows``, at most one more than that is read."""
        info, projected = self._check(text)
        default_graphs, named_graphs = query_dataset(
            text, default_graphs, named_graphs, self.record.graphs
        )
        text = self._for_engine(text, self._within(named_graphs, default=False))
        graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
        if info.form == "DESCRIBE" and self.virtuoso:
            text = f'define sql:describe-mode "CBD"\n{text}'
        response = self._post(
            text,
            N_TRIPLES if graph_form else SPARQL_JSON,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_rows=None if max_rows is None else max_rows + 1,
            until=until,
            deadline=deadline,
        )
        truncated = response.cut
        if graph_form:
            return "graph", _triples(response.content), truncated
        document = json.loads(response.content)
        if "boolean" in document:
            return "ask", bool(document["boolean"]), False
        if info.form == "ASK":
            return "ask", _ask_table(document), False
        return "select", _solutions_from(document, projected), truncated

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
        kind, payload, truncated = self._answer(text, default_graphs, named_graphs, max_rows, until)
        if kind == "ask":
            return serialize_boolean(payload, media_type)
        if kind == "select":
            variables, rows = payload
            return serialize_solutions(
                variables, iter(rows), media_type, max_rows, truncated=truncated
            )
        triples = list(payload)
        if add_labels:
            triples = self._with_labels(triples, max_rows, until)
        return serialize_triples(iter(triples), media_type, max_rows, truncated=truncated)

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,
    ) -> QueryResult:
        kind, payload, _ = self._answer(text, default_graphs, named_graphs, deadline=deadline)
        if kind == "ask":
            return QueryResult(kind="ask", boolean=payload)
        if kind == "select":
            variables, rows = payload
            return QueryResult(
                kind="select",
                variables=variables,
                rows=[
                    {v: to_rdflib(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows
                ],
            )
        graph = Graph()
        for t in payload:
            graph.add((to_rdflib(t.subject), URIRef(t.predicate.value), to_rdflib(t.object)))
        return QueryResult(kind="graph", graph=graph)

    def select_values(
        self, text: str, *, deadline: float | None = None
    ) -> list[tuple[Value | None, ...]]:
        kind, payload, _ = self._answer(text, None, None, deadline=deadline)
        if kind != "select":
            raise ValueError("select_values reads SELECT queries only")
        return [tuple(None if t is None else to_value(t) for t in row) for row in payload[1]]

    def _statements_about(
        self, iris: Sequence[str], predicates: Sequence[str], until: float | None = None
    ) -> list[ox.Triple]:
        found: list[ox.Triple] = []
        for start in range(0, len(iris), 200):
            values = pairs(iris[start : start + 200], predicates, "?x ?p")
            text = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ {values} ?x ?p ?o }}"
            found += _triples(self._post(text, N_TRIPLES, until=until).content)
        return found

    def describe(self, iri: str) -> Graph:
        """The concise bounded description, then the labels of the IRIs it links to.

        Blank nodes cannot be named from one query to the next, so the whole description comes
        from one query: it is asked again one blank-node level deeper while the answer still
        ends in blank nodes that have no triples of their own.
        """
        for depth in range(MAX_BLANK_DEPTH):
            triples = _triples(self._post(_description_query(iri, depth), N_TRIPLES).content)
            described = {t.subject for t in triples}
            if all(t.object in described for t in triples if isinstance(t.object, ox.BlankNode)):
                break
        graph = Graph()
        bind_all(graph)
        linked = set()
        for t in triples:
            graph.add((to_rdflib(t.subject), URIRef(t.predicate.value), to_rdflib(t.object)))
            if isinstance(t.object, ox.NamedNode) and t.object.value != iri:
                linked.add(t.object.value)
        self.names(linked, into=graph)
        return graph

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, graph by graph, each graph read in parts small enough for the engine.

        A graph of more than EXPORT_PART triples is read in 16 (or 256) parts by the first hex
        digits of the MD5 of the subject, plus one part for blank-node subjects: Virtuoso refuses
        to build one answer of more than about a million triples (``FRVEC ... max vector
        length``), and its result cap applies to each part. The parts must add up to the graph's
        count in the load record, or nothing is returned.
        """
        for graph, expected in self.record.graphs.items():
            triples: set[ox.Triple] = set()
            for condition in _parts(expected):
                text = (
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} "
                    f"{{ ?s ?p ?o FILTER({condition}) }} }}"
                )
                response = self._post(
                    text,
                    N_TRIPLES,
                    default_graphs=[graph],
                    named_graphs=[graph],
                    deadline=EXPORT_TIMEOUT,
                )
                if response.cut:
                    raise RemoteStoreError(
                        f"<{graph}>: the engine cut an answer of {len(triples)} triples (raise "
                        "its result cap, e.g. Virtuoso's ResultSetMaxRows, above "
                        f"{EXPORT_PART:,})"
                    )
                triples.update(_triples(response.content))
            if len(triples) != expected:
                raise RemoteStoreError(
                    f"<{graph}>: the engine returned {len(triples)} of its {expected} triples"
                )
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))


def _parts(expected: int) -> list[str]:
    """FILTER conditions splitting a graph's triples into parts of about EXPORT_PART or fewer."""
    if expected <= EXPORT_PART:
        return ["true"]
    digits = 1 if expected <= EXPORT_PART * 16 else 2
    prefixes = [format(n, f"0{digits}x") for n in range(16**digits)]
    return [f'isIRI(?s) && STRSTARTS(MD5(STR(?s)), "{p}")' for p in prefixes] + ["isBlank(?s)"]


def _description_query(iri: str, depth: int) -> str:
    """CONSTRUCT the triples of ``iri`` and of the blank nodes up to ``depth`` links from it."""
    branches = []
    for level in range(depth + 1):
        path = "".join(
            f"{'?b' + str(k) if k else _iri(iri)} ?q{k} ?b{k + 1} . FILTER(isBlank(?b{k + 1})) "
            for k in range(level)
        )
        subject = f"?b{level}" if level else _iri(iri)
        branches.append(f"{{ {path}{subject} ?p ?o . BIND({subject} AS ?s) }}")
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {' UNION '.join(branches)} }}"


def _ask_table(document: dict[str, Any]) -> bool:
    """An ASK answer that came back as a table: Virtuoso run with a CaseMode other than 2 writes
    its result column upper-cased (``__ASK_RETVAL``), which its own endpoint then fails to
    recognise, and sends one row (``1``) for true, none for false."""
    variables = document.get("head", {}).get("vars", [])
    if [v.lower() for v in variables] != [ASK_COLUMN]:
        raise RemoteStoreError(f"the engine answered an ASK query with a table of {variables}")
    rows = document.get("results", {}).get("bindings", [])
    return any(row.get(variables[0], {}).get("value") not in ("0", "false") for row in rows)


def _solutions_from(
    document: dict[str, Any], variables: list[str] | None = None
) -> tuple[list[str], list[list[OxTerm | None]]]:
    """The rows of a JSON answer, by ``variables`` (the head's own if not given)."""
    if variables is None:
        variables = list(document.get("head", {}).get("vars", []))
    rows = [
        [json_term(b[v]) if v in b else None for v in variables]
        for b in document.get("results", {}).get("bindings", [])
    ]
    return variables, rows


def _triples(body: bytes) -> list[ox.Triple]:
    return [
        _normalise_triple(ox.Triple(q.subject, q.predicate, q.object))
        for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    ]
