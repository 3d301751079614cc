"""The SPARQL 1.1 Service Description of the endpoint, built from the store itself."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..rdf.formats import GRAPH_FORMATS, RESULT_FORMATS
from ..rdf.namespaces import SD, VOID, bind_all
from ..stores.base import GraphStore

#: The formats the endpoint answers in, as W3C format IRIs.
ANSWER_FORMATS = [f.w3c_iri for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.w3c_iri]


def service_description(store: GraphStore, endpoint_url: str, *, federation: bool) -> Graph:
    graph = Graph()
    bind_all(graph)
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if federation:  # SERVICE works only for the allow-listed endpoints
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for iri in ANSWER_FORMATS:
        graph.add((service, SD.resultFormat, URIRef(iri)))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    counts = store.counts()
    graph.add((default, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    for name, triples in counts.graphs.items():
        named = BNode()
        inner = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph
