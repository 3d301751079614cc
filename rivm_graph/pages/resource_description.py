"""What a resource's document says: its own triples, who points to it, and every name needed.

A client gets, in one request, the resource's concise bounded description, the incoming links (who
hosts it, who signed it, where it took part), the labels and types of every resource mentioned, and
a description of the document itself (its topic, licence and dataset).
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from ..rdf.namespaces import BASE_IRI, ID_BASE, PREFIXES, VOID, bind_all
from ..stores.base import GraphStore

DATASET_IRI = BASE_IRI + "dataset"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DCT_LICENSE = URIRef(PREFIXES["dct"] + "license")
MAX_INCOMING = 2000


def document_iri(iri: str) -> str:
    """``…/id/city/x`` → ``…/doc/city/x``: the document about a thing (not the thing itself)."""
    return BASE_IRI + "doc/" + iri[len(ID_BASE) :] if iri.startswith(ID_BASE) else iri


def resource_exists(store: GraphStore, iri: str) -> bool:
    return bool(store.query(f"ASK {{ <{iri}> ?p ?o }}").boolean)


def describe_resource(store: GraphStore, iri: str) -> Graph:
    graph = store.describe(iri)
    incoming = store.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} LIMIT {MAX_INCOMING}"
    )
    subject = URIRef(iri)
    for row in incoming.rows:
        graph.add((row["s"], row["p"], subject))
    mentioned = {str(o) for o in graph.objects() if isinstance(o, URIRef)}
    mentioned |= {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    store.names((m for m in mentioned if m != iri), with_types=True, into=graph)
    document = URIRef(document_iri(iri))
    graph.add((document, RDF.type, FOAF.Document))
    graph.add((document, FOAF.primaryTopic, subject))
    graph.add((document, DCT_LICENSE, LICENSE))
    graph.add((document, VOID.inDataset, URIRef(DATASET_IRI)))
    bind_all(graph)
    return graph
