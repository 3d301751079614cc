"""``rivm-graph load --into URL``: the dataset's named graphs into a remote engine, idempotently.

The files are parsed locally first (a broken file stops the load before anything is written);
each named graph is then *replaced* over the SPARQL 1.1 Graph Store HTTP Protocol (PUT, then POST
for the rest of a large graph), so loading twice leaves the same graphs. The triple count of every
graph is checked by a query afterwards, and only then is the *load record* written: the graph
that tells :class:`~rivm_graph.stores.remote.SparqlStore` which graphs make up the dataset, with the
data version and the counts. A load that stops half-way leaves the previous record (or none), so
front-ends never take a half-loaded dataset for a complete one. Graphs named by an earlier record
but no longer in the dataset are deleted.

Virtuoso answers the Graph Store Protocol at ``/sparql-graph-crud-auth`` (HTTP Digest, a user with
the SPARQL_UPDATE role, ``dba`` on a fresh database); Fuseki at ``/<dataset>/data``.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from ..rdf.formats import NTRIPLES
from .base import GraphStore
from .remote import (
    DCT,
    LOAD_RECORD,
    LOAD_RECORD_GRAPH,
    OWL_VERSION_INFO,
    UNION_GRAPH,
    VOID,
    RemoteStoreError,
    SparqlStore,
    credentials,
)

#: Triples per Graph Store request; a graph's blank-node triples all go in its first request
#: (blank node names only hold within one request).
CHUNK = 100_000
N_TRIPLES = NTRIPLES.media_type


class LoadError(Exception):
    """The load could not be completed or verified; the message says what to do."""


@dataclass
class LoadReport:
    url: str
    version: str
    graphs: dict[str, int] = field(default_factory=dict)
    skipped: bool = False  # the same version was already loaded and verified
    removed: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def default_graph_store_url(query_url: str, with_credentials: bool) -> str:
    """Virtuoso's Graph Store endpoint next to its ``/sparql`` endpoint."""
    base = query_url.rstrip("/")
    if base.endswith("/sparql"):
        base = base[: -len("/sparql")]
    return base + ("/sparql-graph-crud-auth" if with_credentials else "/sparql-graph-crud")


def _chunks(triples: list[ox.Triple]) -> Iterable[list[ox.Triple]]:
    with_blank = [
        t
        for t in triples
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
    ]
    blank = set(with_blank)
    plain = iter([t for t in triples if t not in blank])
    first = with_blank + list(itertools.islice(plain, max(0, CHUNK - len(with_blank))))
    yield first
    while batch := list(itertools.islice(plain, CHUNK)):
        yield batch


def _record(version: str, graphs: dict[str, int], total: int) -> list[ox.Triple]:
    record = ox.NamedNode(LOAD_RECORD)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    triples = [
        ox.Triple(record, ox.NamedNode(OWL_VERSION_INFO), ox.Literal(version)),
        ox.Triple(record, ox.NamedNode(VOID + "triples"), ox.Literal(str(total), datatype=_INT)),
        ox.Triple(record, ox.NamedNode(DCT + "modified"), ox.Literal(now, datatype=_DATETIME)),
    ]
    for graph, count in graphs.items():
        triples.append(ox.Triple(record, ox.NamedNode(DCT + "hasPart"), ox.NamedNode(graph)))
        size = ox.Literal(str(count), datatype=_INT)
        triples.append(ox.Triple(ox.NamedNode(graph), ox.NamedNode(VOID + "triples"), size))
    return triples


_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


class Loader:
    def __init__(
        self,
        query_url: str,
        *,
        graph_store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 600.0,
    ):
        self.query_url = query_url
        self.graph_store_url = graph_store_url or default_graph_store_url(query_url, bool(user))
        self.client = httpx.Client(auth=credentials(user, password), timeout=timeout)

    def _send(self, method: str, graph: str, triples: list[ox.Triple] | None = None) -> None:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples is not None else None
        try:
            response = self.client.request(
                method,
                self.graph_store_url,
                params={"graph-uri": graph, "graph": graph},
                content=body,
                headers={"Content-Type": N_TRIPLES} if body is not None else {},
            )
        except httpx.HTTPError as error:
            raise LoadError(f"{self.graph_store_url}: {error}") from error
        if method == "DELETE" and response.status_code == 404:
            return
        if response.status_code == 401:
            raise LoadError(
                f"{self.graph_store_url} refused the credentials: set RIVM_SPARQL_USER and "
                "RIVM_SPARQL_PASSWORD to a user allowed to write (Virtuoso: SPARQL_UPDATE role)"
            )
        if response.status_code >= 300:
            raise LoadError(
                f"{method} <{graph}> at {self.graph_store_url}: HTTP {response.status_code} "
                f"{response.text.strip()[:500]}"
            )

    def remote_counts(self, graphs: Iterable[str]) -> dict[str, int]:
        values = " ".join(f"<{g}>" for g in graphs)
        text = (
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        try:
            response = self.client.post(
                self.query_url,
                data={"query": text},
                headers={"Accept": "application/sparql-results+json"},
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise LoadError(f"{self.query_url}: {error}") from error
        found = {
            b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]
        }
        return {g: found.get(g, 0) for g in graphs}

    def previous(self) -> tuple[str | None, list[str]]:
        """The version and graphs of the dataset loaded before, if any."""
        try:
            store = SparqlStore(self.query_url)
        except RemoteStoreError:
            return None, []
        return store.record.version, list(store.record.graphs)

    def load(self, store: GraphStore, *, force: bool = False) -> LoadReport:
        by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
        for quad in store.quads():
            if not isinstance(quad.graph_name, ox.NamedNode):  # a store keeps files in graphs
                raise LoadError(f"a triple outside the named graphs: {quad}")
            by_graph[quad.graph_name.value].append(
                ox.Triple(quad.subject, quad.predicate, quad.object)
            )
        counts = {g: len(set(triples)) for g, triples in sorted(by_graph.items())}
        union = {t for triples in by_graph.values() for t in triples}
        expected = {**counts, UNION_GRAPH: len(union)}
        report = LoadReport(self.query_url, store.data_version, counts)
        version, old_graphs = self.previous()
        if not force and version == store.data_version and self.remote_counts(expected) == expected:
            report.skipped = True
            self.check_served()
            return report
        for graph, triples in [*sorted(by_graph.items()), (UNION_GRAPH, union)]:
            for number, chunk in enumerate(_chunks(sorted(set(triples), key=str))):
                self._send("PUT" if number == 0 else "POST", graph, chunk)
        for graph in old_graphs:
            if graph not in counts:
                self._send("DELETE", graph)
                report.removed.append(graph)
        found = self.remote_counts(expected)
        wrong = {g: (found[g], n) for g, n in expected.items() if found[g] != n}
        if wrong:
            details = "; ".join(f"<{g}>: {got} of {n}" for g, (got, n) in wrong.items())
            raise LoadError(f"the engine does not hold what was sent ({details})")
        self._send("PUT", LOAD_RECORD_GRAPH, _record(store.data_version, counts, len(union)))
        self.check_served()
        return report

    def check_served(self) -> None:
        """Open the engine as a front-end does at start-up (which checks that its answers read
        as SPARQL says): counts that match do not yet make a dataset this service can serve."""
        try:
            SparqlStore(self.query_url)
        except RemoteStoreError as error:
            raise LoadError(f"loaded and counted, but not servable: {error}") from error
