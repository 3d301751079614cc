"""What changed between two releases, read from their graphs: resources added, removed and
changed, each with the statements added and removed.

A resource is a subject IRI; its statements are the triples it is the subject of, in any named
graph. A blank node in object position is written out with its own statements (``[ p o ; … ]``,
recursively), so a figure's blank-node structure compares by content and not by the names
canonicalisation happened to give it. The RDF form uses the Changeset vocabulary
(http://purl.org/vocab/changeset/schema#): one ``cs:ChangeSet`` per resource, with
``cs:addition`` / ``cs:removal`` reified statements (for the first release, whose statements are
all new, only the change sets: its dump holds the statements).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..rdf.namespaces import BASE_IRI, PREFIXES, bind_all

CS = Namespace("http://purl.org/vocab/changeset/schema#")
DCT = Namespace(PREFIXES["dct"])
PROV = Namespace(PREFIXES["prov"])


@dataclass(frozen=True, order=True)
class Statement:
    predicate: str  # IRI
    object: str  # N-Triples form; a blank node as [ p o ; … ]
    #: None for a blank node (see ``object``)
    term: ox.NamedNode | ox.Literal | None = field(compare=False)


@dataclass(frozen=True)
class ResourceChange:
    iri: str
    kind: str  # "added", "removed" or "changed"
    added: tuple[Statement, ...]
    removed: tuple[Statement, ...]


@dataclass(frozen=True)
class Changelog:
    old: str | None  # None: the first release (everything is added)
    new: str
    issued: date
    resources: tuple[ResourceChange, ...]

    def of_kind(self, kind: str) -> list[ResourceChange]:
        return [r for r in self.resources if r.kind == kind]

    @property
    def statements_added(self) -> int:
        return sum(len(r.added) for r in self.resources)

    @property
    def statements_removed(self) -> int:
        return sum(len(r.removed) for r in self.resources)


def _descriptions(quads: Iterable[ox.Quad]) -> dict[str, frozenset[Statement]]:
    outgoing: dict[object, set[tuple[str, object]]] = defaultdict(set)
    for q in quads:
        outgoing[q.subject].add((q.predicate.value, q.object))

    def text(term, seen: frozenset) -> str:
        if not isinstance(term, ox.BlankNode):
            return str(term)
        if term in seen:
            return "[]"
        inner = sorted(f"<{p}> {text(o, seen | {term})}" for p, o in outgoing.get(term, ()))
        return "[ " + " ; ".join(inner) + " ]"

    return {
        subject.value: frozenset(
            Statement(
                p, text(o, frozenset()), o if isinstance(o, ox.NamedNode | ox.Literal) else None
            )
            for p, o in pairs
        )
        for subject, pairs in outgoing.items()
        if isinstance(subject, ox.NamedNode)
    }


def changelog(
    old: Iterable[ox.Quad] | None,
    new: Iterable[ox.Quad],
    *,
    old_version: str | None,
    new_version: str,
    issued: date,
) -> Changelog:
    before = _descriptions(old or ())
    after = _descriptions(new)
    changes = []
    for iri in sorted(before.keys() | after.keys()):
        was, now = before.get(iri, frozenset()), after.get(iri, frozenset())
        if was == now:
            continue
        kind = "added" if not was else "removed" if not now else "changed"
        changes.append(
            ResourceChange(iri, kind, tuple(sorted(now - was)), tuple(sorted(was - now)))
        )
    return Changelog(old_version, new_version, issued, tuple(changes))


def changes_iri(log: Changelog) -> str:
    return f"{BASE_IRI}releases/{log.new}/changes"


def changelog_graph(log: Changelog) -> Graph:
    """The changelog in RDF: a document listing one cs:ChangeSet per resource."""
    graph = Graph()
    bind_all(graph)
    graph.bind("cs", str(CS))
    document = URIRef(changes_iri(log))
    new = URIRef(f"{BASE_IRI}releases/{log.new}")
    graph.add((document, RDF.type, PROV.Entity))
    title = f"Changes in release {log.new}" + (f" since {log.old}" if log.old else "")
    graph.add((document, DCT.title, Literal(title, lang="en")))
    graph.add((document, DCT.issued, Literal(log.issued.isoformat(), datatype=XSD.date)))
    graph.add((document, DCT.subject, new))
    if log.old:
        graph.add((document, PROV.wasDerivedFrom, URIRef(f"{BASE_IRI}releases/{log.old}")))
    else:
        note = f"The first release: every statement of {new} is new (its dump holds them)."
        graph.add((document, DCT.description, Literal(note, lang="en")))
    graph.add((document, PROV.wasDerivedFrom, new))
    created = Literal(f"{log.issued.isoformat()}T00:00:00Z", datatype=XSD.dateTime)
    for number, change in enumerate(log.resources, start=1):
        node = URIRef(f"{document}#{number}")
        graph.add((document, DCT.hasPart, node))
        graph.add((node, RDF.type, CS.ChangeSet))
        graph.add((node, CS.subjectOfChange, URIRef(change.iri)))
        graph.add((node, CS.changeReason, Literal(f"resource {change.kind}", lang="en")))
        graph.add((node, CS.createdDate, created))
        if log.old is None:  # the first release: its statements are its dump
            continue
        parts = ((CS.addition, "a", change.added), (CS.removal, "r", change.removed))
        for predicate, tag, statements in parts:
            for index, statement in enumerate(statements, start=1):
                # named, not blank: canonicalising thousands of blank nodes costs seconds
                reified = URIRef(f"{node}-{tag}{index}")
                graph.add((node, predicate, reified))
                graph.add((reified, RDF.type, RDF.Statement))
                graph.add((reified, RDF.subject, URIRef(change.iri)))
                graph.add((reified, RDF.predicate, URIRef(statement.predicate)))
                graph.add((reified, RDF.object, _object(statement)))
    return graph


def _object(statement: Statement):
    term = statement.term
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return Literal(statement.object)  # a blank node, written out


def changelog_markdown(log: Changelog, *, limit: int = 50) -> str:
    """A CHANGELOG.md section: counts, then the resources added, removed and changed."""
    since = f" since {log.old}" if log.old else " (first release)"
    lines = [
        f"## Data release {log.new} ({log.issued.isoformat()})",
        "",
        f"{len(log.of_kind('added'))} resources added, {len(log.of_kind('removed'))} removed, "
        f"{len(log.of_kind('changed'))} changed{since}; {log.statements_added} statements added, "
        f"{log.statements_removed} removed. Every statement: `/releases/{log.new}/changes`.",
        "",
    ]
    if log.old is None:
        return "\n".join(lines)
    for kind in ("added", "removed", "changed"):
        items = log.of_kind(kind)
        if not items:
            continue
        lines.append(f"- {kind.capitalize()}:")
        for change in items[:limit]:
            lines.append(f"  - `{change.iri}` (+{len(change.added)} / -{len(change.removed)})")
        if len(items) > limit:
            lines.append(f"  - … and {len(items) - limit} more")
    lines.append("")
    return "\n".join(lines)


def add_to_changelog_file(path, section: str) -> None:
    """Put ``section`` at the top of CHANGELOG.md, under its title (the file made if needed)."""
    title = "# Changelog"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    first, _, rest = text.partition("\n")
    body = rest if first.strip() == title else text  # the title once, however it was spaced
    path.write_text(
        f"{title}\n\n{section.rstrip()}\n" + (f"\n{body.strip()}\n" if body.strip() else ""),
        encoding="utf-8",
    )
