"""The ontology's documentation, built from the ontology graph and the data that uses it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..rdf.labels import best_literal, compact
from ..rdf.literals import literal
from ..rdf.namespaces import ONTOLOGY_IRI, PREFIXES
from ..stores.base import GraphStore

KIND_ORDER = (
    (OWL.Class, "classes"),
    (OWL.ObjectProperty, "object_properties"),
    (OWL.DatatypeProperty, "datatype_properties"),
    (OWL.NamedIndividual, "individuals"),
)


@dataclass
class TermRef:
    iri: str
    text: str
    anchor: str | None  # a fragment on this page, for our own terms


@dataclass
class Term:
    iri: str
    anchor: str
    label: str
    labels: dict[str, str]
    definition: str | None
    definitions: dict[str, str]
    #: the languages of `label` and `definition` ("" when untagged or a compact IRI)
    label_lang: str = ""
    definition_lang: str = ""
    parents: list[TermRef] = field(default_factory=list)
    domains: list[TermRef] = field(default_factory=list)
    ranges: list[TermRef] = field(default_factory=list)
    types: list[TermRef] = field(default_factory=list)
    usage: int = 0


@dataclass
class OntologyDoc:
    iri: str
    title: str
    description: str | None
    version: str | None
    sections: dict[str, list[Term]]
    title_lang: str = ""
    description_lang: str = ""


def _by_language(graph: Graph, subject, predicate) -> dict[str, str]:
    return {
        (o.language or ""): str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal)
    }


def _picked(values: dict[str, str], languages: Sequence[str]) -> tuple[str | None, str]:
    """The text in the first language that has one, and that language ("" if untagged)."""
    pairs = [(str(RDFS.label), Literal(v, lang=k or None)) for k, v in values.items()]
    best = best_literal(pairs, languages)
    return (str(best), best.language or "") if best is not None else (None, "")


def _pick(values: dict[str, str], languages: Sequence[str]) -> str | None:
    return _picked(values, languages)[0]


def _usage(store: GraphStore) -> dict[str, int]:
    """How often each term is used in the data: as a predicate, or as a class of instances."""
    used: dict[str, int] = {}
    for row in store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p").rows:
        used[str(row["p"])] = int(literal(row["n"]))
    for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
    ).rows:
        used[str(row["c"])] = used.get(str(row["c"]), 0) + int(literal(row["n"]))
    for row in store.query(
        "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o) && "
        f'STRSTARTS(STR(?o), "{PREFIXES["rivm"]}")) }} GROUP BY ?o'
    ).rows:
        used[str(row["o"])] = used.get(str(row["o"]), 0) + int(literal(row["n"]))
    return used


def build_ontology_doc(ontology: Graph, store: GraphStore, languages: Sequence[str]) -> OntologyDoc:
    own = (PREFIXES["rivm"], PREFIXES["rivmq"])
    usage = _usage(store)

    def ref(node) -> TermRef | None:
        if not isinstance(node, URIRef):
            members = [m for m in ontology.objects(node, OWL.unionOf)]
            if members:
                names = [ref(m) for m in Collection(ontology, members[0])]
                text = " ∪ ".join(r.text for r in names if r)
                return TermRef("", text, None)
            return None
        iri = str(node)
        label = _pick(_by_language(ontology, node, RDFS.label), languages)
        anchor = iri.split("#", 1)[1] if iri.startswith(own) else None
        return TermRef(iri, label or compact(iri), anchor)

    sections: dict[str, list[Term]] = {}
    seen: set[URIRef] = set()
    for kind, name in KIND_ORDER:
        terms = []
        named = (s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef))
        for subject in sorted(named):
            if not str(subject).startswith(own):
                continue
            if subject in seen:
                continue
            seen.add(subject)
            labels = _by_language(ontology, subject, RDFS.label)
            definitions = _by_language(ontology, subject, SKOS.definition)
            parents = list(ontology.objects(subject, RDFS.subClassOf)) + list(
                ontology.objects(subject, RDFS.subPropertyOf)
            )
            label, label_lang = _picked(labels, languages)
            definition, definition_lang = _picked(definitions, languages)
            terms.append(
                Term(
                    iri=str(subject),
                    anchor=str(subject).split("#", 1)[1],
                    label=label or compact(str(subject)),
                    labels=labels,
                    definition=definition,
                    definitions=definitions,
                    label_lang=label_lang if label else "",
                    definition_lang=definition_lang,
                    parents=[r for r in map(ref, parents) if r],
                    domains=[r for r in map(ref, ontology.objects(subject, RDFS.domain)) if r],
                    ranges=[r for r in map(ref, ontology.objects(subject, RDFS.range)) if r],
                    types=[
                        r for r in map(ref, ontology.objects(subject, RDF.type)) if r and r.anchor
                    ],
                    usage=usage.get(str(subject), 0),
                )
            )
        sections[name] = sorted(terms, key=lambda t: t.label.lower())
    header = URIRef(ONTOLOGY_IRI)
    title, title_lang = _picked(
        _by_language(ontology, header, URIRef(PREFIXES["dct"] + "title")), languages
    )
    description, description_lang = _picked(
        _by_language(ontology, header, URIRef(PREFIXES["dct"] + "description")), languages
    )
    version = ontology.value(header, OWL.versionInfo)
    return OntologyDoc(
        ONTOLOGY_IRI,
        title or "RIVM ontology",
        description,
        str(version) if version else None,
        sections,
        title_lang=title_lang if title else "en",
        description_lang=description_lang,
    )
