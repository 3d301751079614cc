"""One test per bug found, named for what went wrong (pySHACL keeps test/issues/test_NNN.py)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS


def test_an_error_asked_as_json_by_a_format_parameter_is_json(client):
    """`format=json` made the error writer raise TypeError (a tuple joined to a set), so every
    error of a request with a format parameter became another error."""
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {", "format": "json"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert "syntax error" in response.get_json()["error"]["message"]


CITY = "https://w3id.org/rivm/id/city/clermont-ferrand"
FRANCE = "https://w3id.org/rivm/id/country/fr"


def test_a_document_names_what_it_links_to_in_every_language_with_its_type(client):
    """The names of linked resources came from five label fetchers over three term models; now
    from GraphStore.names(): the document carries each linked resource's labels and type."""
    response = client.get("/doc/city/clermont-ferrand", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    france = URIRef(FRANCE)
    assert (france, RDFS.label, Literal("France", lang="en")) in graph
    assert (france, RDFS.label, Literal("France", lang="fr")) in graph
    assert (france, RDF.type, URIRef("https://w3id.org/rivm/ontology#Country")) in graph


def test_a_describe_answer_carries_the_labels_of_what_it_points_to_once(client):
    """DESCRIBE answers add the labels of linked IRIs (both stores share that code now)."""
    response = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{CITY}>"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    lines = response.data.decode().splitlines()
    label = f'<{FRANCE}> <http://www.w3.org/2000/01/rdf-schema#label> "France"@fr .'
    assert lines.count(label) == 1


def test_the_query_page_shows_labels_in_the_readers_language(client):
    query = (
        f"SELECT ?country WHERE {{ <{CITY}> <https://w3id.org/rivm/ontology#country> ?country }}"
    )
    response = client.get("/query", query_string={"query": query, "lang": "fr"})
    assert response.status_code == 200
    page = response.data.decode()
    assert ">France<" in page and f'title="{FRANCE}"' in page
