"""The ontology's header carries the package's identity and version (conventions 4 and 5)."""

from __future__ import annotations

import tomllib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from rivm_graph.rdf.namespaces import ONTOLOGY_IRI, VANN


def _ontology(root) -> Graph:
    return Graph().parse(root / "ontology" / "rivm.ttl")


def _package_version(root) -> str:
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_version_info_equals_the_package_version(root):
    graph, version = _ontology(root), _package_version(root)
    iri = URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in graph
    assert graph.value(iri, OWL.versionInfo) == Literal(version)
    assert graph.value(iri, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")


def test_header_has_titles_licence_and_preferred_prefix(root):
    graph, iri = _ontology(root), URIRef(ONTOLOGY_IRI)
    titles = {t.language for t in graph.objects(iri, DCTERMS.title)}
    assert {"en", "fr"} <= titles
    assert graph.value(iri, DCTERMS.license) is not None
    assert str(graph.value(iri, VANN.preferredNamespacePrefix)) == "rivm"
    assert str(graph.value(iri, VANN.preferredNamespaceUri)) == ONTOLOGY_IRI + "#"
