"""Reading a table from the store (SPARQL of triple patterns and VALUES, alike on every engine)
and writing it as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from ...i18n import LANGUAGES
from ...rdf.namespaces import ID_BASE
from ...stores.base import GraphStore
from .specs import XSD, Column, TableSpec

#: IRIs in one cell are separated by a space (IRIs hold none), other values by " | ".
IRI_SEPARATOR, TEXT_SEPARATOR = " ", " | "
#: IRIs per VALUES block: small enough for any engine's query text limits.
CHUNK = 200


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _resources(store: GraphStore, kinds: tuple[str, ...]) -> list[str]:
    found: set[str] = set()
    for kind in kinds:
        prefix = f"{ID_BASE}{kind}/"
        rows = store.query(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{prefix}")) }}'
        ).rows
        found.update(str(r["s"]) for r in rows)
    return sorted(found)


def objects_of(
    store: GraphStore, subjects: set[str], predicate: str, inverse: bool = False
) -> dict[str, list[Node]]:
    """For each subject, the values of ``predicate`` (subjects of it when ``inverse``)."""
    found: dict[str, list[Node]] = {}
    pattern = f"?v <{predicate}> ?s" if inverse else f"?s <{predicate}> ?v"
    for chunk in _chunks(sorted(subjects)):
        values = " ".join(f"<{iri}>" for iri in chunk)
        rows = store.query(f"SELECT ?s ?v WHERE {{ VALUES ?s {{ {values} }} {pattern} }}").rows
        for row in rows:
            found.setdefault(str(row["s"]), []).append(row["v"])
    return found


def _sort_key(term: Node) -> tuple[str, str]:
    return (str(term), getattr(term, "language", None) or "")


@dataclass
class ColumnData:
    """A column as built: its spec, its cells (one list of values per row), what they hold."""

    spec: Column
    cells: list[list[Node]]
    datatypes: set[str] = field(default_factory=set)

    @property
    def multiple(self) -> bool:
        return any(len(values) > 1 for values in self.cells)

    def cell(self, row: int) -> str:
        values = self.cells[row]
        separator = IRI_SEPARATOR if self.spec.link else TEXT_SEPARATOR
        return separator.join(str(v) for v in values)


@dataclass
class BuiltTable:
    spec: TableSpec
    subjects: list[str]
    columns: list[ColumnData]

    def header(self) -> list[str]:
        return ["iri", *(c.spec.name for c in self.columns)]

    def rows(self) -> list[list[str]]:
        return [
            [subject, *(c.cell(i) for c in self.columns)] for i, subject in enumerate(self.subjects)
        ]


def _expand_languages(spec: TableSpec) -> list[Column]:
    """The spec's columns, with a column per other language (that has names) after a translated
    label column."""
    columns: list[Column] = []
    for column in spec.columns:
        columns.append(column)
        if column.name in spec.translated:
            for lang in LANGUAGES:
                if lang != column.lang:
                    columns.append(
                        Column(
                            f"{column.name}_{lang}",
                            column.predicate,
                            column.description.replace("(en)", f"({lang})"),
                            of=column.of,
                            lang=lang,
                        )
                    )
    return columns


def _keep(column: Column, value: Node) -> bool:
    if column.link:
        return isinstance(value, URIRef)
    if not isinstance(value, Literal):
        return False
    return column.lang is None or (value.language or "").lower() == column.lang


def build_table(store: GraphStore, spec: TableSpec) -> BuiltTable:
    resources = _resources(store, spec.kinds)
    subjects: list[str] = []
    per_values: list[list[Node]] = []
    if spec.per:
        found = objects_of(store, set(resources), spec.per, False)
        for iri in resources:
            for value in sorted(found.get(iri, []), key=_sort_key):
                subjects.append(iri)
                per_values.append([value])
    else:
        subjects = resources
    built: dict[str, ColumnData] = {}
    columns = _expand_languages(spec)
    translations = {c.name for c in columns} - {c.name for c in spec.columns}
    for column in columns:
        if spec.per and column.predicate == spec.per and column.of is None:
            cells = per_values
        else:
            sources = (
                [[URIRef(s)] for s in subjects] if column.of is None else built[column.of].cells
            )
            asked = {str(v) for values in sources for v in values if isinstance(v, URIRef)}
            found = objects_of(store, asked, column.predicate, column.inverse) if asked else {}
            cells = []
            for values in sources:
                cell = {
                    v for source in values for v in found.get(str(source), []) if _keep(column, v)
                }
                cells.append(sorted(cell, key=_sort_key))
        data = ColumnData(column, cells)
        data.datatypes = {
            str(v.datatype or (XSD + "string"))
            for values in cells
            for v in values
            if isinstance(v, Literal)
        }
        built[column.name] = data
    # a language column nobody has a name in does not help
    kept = [d for name, d in built.items() if name not in translations or any(d.cells)]
    return BuiltTable(spec, subjects, kept)


def to_csv(table: BuiltTable) -> bytes:
    """RFC 4180: UTF-8, CRLF, fields quoted where they must be, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header())
    writer.writerows(table.rows())
    return out.getvalue().encode("utf-8")
