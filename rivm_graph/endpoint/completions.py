"""What the query editor completes and explains: the prefixes of the one prefix map, and the
ontology's classes, properties and individuals with their labels in the reader's language.

Resources of the data are completed by name through `/search` (the search index), not here. No
Flask: the query page serves this as JSON, and the tests read it in-process.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ..rdf.labels import LABEL_PREDICATES, best_label, compact
from ..rdf.namespaces import PREFIXES

_KINDS: dict[Node, str] = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
    RDF.Property: "property",
    OWL.NamedIndividual: "individual",
}


def completion_vocabulary(ontology: Graph, languages: Sequence[str]) -> dict[str, object]:
    """{"prefixes": {prefix: namespace}, "terms": [{"iri", "name", "label", "kind"}]}, the terms
    sorted by their prefixed name; only terms a prefixed name can write are listed."""
    terms = []
    for subject in set(ontology.subjects()):
        if not isinstance(subject, URIRef):
            continue
        iri = str(subject)
        name = compact(iri)
        if name == iri:
            continue
        kinds = [_KINDS[t] for t in ontology.objects(subject, RDF.type) if t in _KINDS]
        candidates = [
            (p, o)
            for p in LABEL_PREDICATES
            for o in ontology.objects(subject, URIRef(p))
            if isinstance(o, Literal)
        ]
        label = best_label(candidates, languages)
        if label is None and not kinds:
            continue
        kind = "class" if "class" in kinds else kinds[0] if kinds else "term"
        terms.append({"iri": iri, "name": name, "label": label or "", "kind": kind})
    terms.sort(key=lambda t: t["name"])
    return {"prefixes": dict(PREFIXES), "terms": terms}
