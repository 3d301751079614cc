"""The JSON-LD context: short names a developer reads ("label", "country"); nothing remote.

Built from the one prefix map and the ontology, so a new property is in the context as soon as it is
in the ontology.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..rdf.namespaces import ID_BASE, PREFIXES

#: Terms of other vocabularies that the data uses most, by the short name the context gives them.
LANGUAGE_MAPS = {
    "label": "rdfs:label",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "comment": "rdfs:comment",
    "definition": "skos:definition",
    "description": "schema:description",
    "title": "dct:title",
    "jobTitle": "schema:jobTitle",
    "keywords": "schema:keywords",
}
LINKS = {
    "source": "dct:source",
    "subject": "dct:subject",
    "license": "dct:license",
    "language": "dct:language",
    "publisher": "dct:publisher",
    "sameAs": "owl:sameAs",
    "url": "schema:url",
    "location": "schema:location",
    "organizer": "schema:organizer",
    "eventAttendanceMode": "schema:eventAttendanceMode",
    "eventStatus": "schema:eventStatus",
    "member": "org:member",
    "organization": "org:organization",
    "role": "org:role",
    "hasGeometry": "geo:hasGeometry",
    "inScheme": "skos:inScheme",
    "broader": "skos:broader",
    "narrower": "skos:narrower",
    "primaryTopic": "foaf:primaryTopic",
    "inDataset": "void:inDataset",
    "isDefinedBy": "rdfs:isDefinedBy",
}
VALUES = {
    "name": "schema:name",
    "startDate": "schema:startDate",
    "endDate": "schema:endDate",
    "date": "dct:date",
    "issued": "dct:issued",
    "lat": "wgs:lat",
    "long": "wgs:long",
    "asWKT": "geo:asWKT",
}


def build_context(ontology: Graph) -> dict:
    context: dict = {"id": "@id", "type": "@type"}
    # Vocabulary prefixes only: resources keep their full IRIs, which a client can dereference.
    context.update(
        {p: ns for p, ns in PREFIXES.items() if not ns.startswith(ID_BASE) and p != "query"}
    )
    rivm = PREFIXES["rivm"]
    for term, iri in VALUES.items():
        context[term] = iri
    for term, iri in LANGUAGE_MAPS.items():
        context[term] = {"@id": iri, "@container": "@language"}
    for term, iri in LINKS.items():
        context[term] = {"@id": iri, "@type": "@id"}
    for kind, definition in (
        (OWL.Class, None),
        (OWL.DatatypeProperty, None),
        (OWL.ObjectProperty, "@id"),
        (OWL.NamedIndividual, None),
    ):
        named = (s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef))
        for subject in sorted(named):
            iri = str(subject)
            if not iri.startswith(rivm):
                continue
            name = iri[len(rivm) :]
            if name in context:
                continue
            context[name] = (
                {"@id": f"rivm:{name}", "@type": definition} if definition else (f"rivm:{name}")
            )
    return {"@context": context}
