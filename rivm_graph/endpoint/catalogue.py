"""The catalogue of example queries in ``queries/``: one Turtle file per query (SIB's format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..rdf.literals import literal
from ..rdf.namespaces import QUERY_BASE, RIVMQ, SCHEMA, SH
from ..rdf.terms import read_turtle
from ..stores.files import query_files

#: The SHACL property holding the query text, and the kind of query it is.
TEXT_PROPERTIES: dict[URIRef, str] = {
    SH.select: "select",
    SH.ask: "ask",
    SH.construct: "construct",
    SH.describe: "describe",
}


def _by_language(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    texts = map(literal, graph.objects(subject, predicate))
    return {(text.language or ""): str(text) for text in texts}


def _optional_int(graph: Graph, subject: URIRef, predicate: URIRef) -> int | None:
    value = graph.value(subject, predicate)
    return None if value is None else int(literal(value))


@dataclass(frozen=True)
class ExampleQuery:
    slug: str
    iri: str
    kind: str
    text: str
    path: Path
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    expected_boolean: bool | None = None
    default_view: str = "table"  # rivmq:defaultView: how the query page first shows the answer

    @property
    def is_quality_check(self) -> bool:
        return self.max_rows == 0

    def title(self, language: str = "en") -> str:
        return self.titles.get(language) or self.titles.get("en") or self.slug

    def description(self, language: str = "en") -> str:
        return self.descriptions.get(language) or self.descriptions.get("en", "")


def read_query_file(path: Path) -> ExampleQuery:
    graph = read_turtle(path)
    iri = URIRef(QUERY_BASE + path.stem)
    if (iri, RDF.type, SH.SPARQLExecutable) not in graph:
        raise ValueError(
            f"{path}: no sh:SPARQLExecutable named <{iri}> (the file name is its slug)"
        )
    texts = [(kind, graph.value(iri, p)) for p, kind in TEXT_PROPERTIES.items()]
    texts = [(kind, text) for kind, text in texts if text is not None]
    if len(texts) != 1:
        raise ValueError(f"{path}: expected exactly one query text, found {len(texts)}")
    kind, text = texts[0]
    expected = graph.value(iri, RIVMQ.expectedBoolean)
    view = graph.value(iri, RIVMQ.defaultView)
    return ExampleQuery(
        slug=path.stem,
        iri=str(iri),
        kind=kind,
        text=str(text),
        path=path,
        titles=_by_language(graph, iri, RDFS.label),
        descriptions=_by_language(graph, iri, RDFS.comment),
        hints=_by_language(graph, iri, RIVMQ.resultHint),
        keywords=tuple(sorted(str(k) for k in graph.objects(iri, SCHEMA.keywords))),
        min_rows=_optional_int(graph, iri, RIVMQ.minRows),
        max_rows=_optional_int(graph, iri, RIVMQ.maxRows),
        expected_boolean=None if expected is None else bool(literal(expected).toPython()),
        default_view=str(view) if view is not None else "table",
    )


def load_catalogue(root: Path) -> list[ExampleQuery]:
    """Every example query, sorted by slug."""
    return [read_query_file(path) for path in query_files(root)]


def find_query(catalogue: list[ExampleQuery], slug: str) -> ExampleQuery | None:
    return next((q for q in catalogue if q.slug == slug), None)
