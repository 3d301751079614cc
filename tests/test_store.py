"""The embedded store: one named graph per file, the union as default graph, read-only answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from rivm_graph.rdf.namespaces import GRAPH_BASE
from rivm_graph.stores.base import DataFileError, GraphStore
from rivm_graph.stores.files import QUERIES_GRAPH
from rivm_graph.stores.oxigraph import OxigraphStore

EX = "https://w3id.org/rivm/id/city/"


def _tiny_root(tmp_path: Path, cities: str, sites: str = "") -> Path:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "ontology" / "rivm.ttl").write_text(
        "<https://w3id.org/rivm/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
    )
    (tmp_path / "data" / "cities.ttl").write_text(cities)
    if sites:
        (tmp_path / "data" / "sites.ttl").write_text(sites)
    return tmp_path


def test_each_data_file_is_its_own_named_graph(store, root):
    expected = {GRAPH_BASE + p.stem for p in (root / "data").glob("*.ttl")}
    expected |= {GRAPH_BASE + p.stem for p in (root / "ontology").glob("*.ttl")}
    assert expected <= set(store.graphs())


def test_graph_tells_where_a_triple_came_from(tmp_path):
    root = _tiny_root(
        tmp_path,
        f'<{EX}a> <{RDFS.label}> "A" .\n',
        f'<{EX}b> <{RDFS.label}> "B" .\n',
    )
    store = OxigraphStore.from_root(root)
    result = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}b> ?p ?o }} }}")
    assert [str(r["g"]) for r in result.rows] == [GRAPH_BASE + "sites"]
    union = store.query(f"SELECT ?s WHERE {{ ?s <{RDFS.label}> ?o }} ORDER BY ?s")
    assert [str(r["s"]) for r in union.rows] == [EX + "a", EX + "b"]


def test_default_graph_can_be_narrowed_to_one_file(tmp_path):
    root = _tiny_root(
        tmp_path, f'<{EX}a> <{RDFS.label}> "A" .\n', f'<{EX}b> <{RDFS.label}> "B" .\n'
    )
    store = OxigraphStore.from_root(root)
    result = store.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[GRAPH_BASE + "cities"])
    assert [str(r["s"]) for r in result.rows] == [EX + "a"]


def test_query_catalogue_is_loaded_into_its_own_graph(store):
    assert QUERIES_GRAPH in store.graphs()


def test_a_corrupt_file_is_refused_naming_file_line_and_column(tmp_path):
    root = _tiny_root(tmp_path, f'<{EX}a> <{RDFS.label}> "A" .\n<{EX}b> <{RDFS.label}> .\n')
    with pytest.raises(DataFileError) as caught:
        OxigraphStore.from_root(root)
    assert caught.value.path.name == "cities.ttl"
    assert caught.value.line == 2
    assert "cities.ttl, line 2" in str(caught.value)


def test_counts_report_distinct_triples_once_even_if_two_files_repeat_one(tmp_path):
    triple = f'<{EX}a> <{RDFS.label}> "A" .\n'
    store = OxigraphStore.from_root(_tiny_root(tmp_path, triple, triple))
    counts = store.counts()
    assert counts.graphs[GRAPH_BASE + "cities"] == 1
    assert counts.graphs[GRAPH_BASE + "sites"] == 1
    assert counts.triples == 2  # the ontology header and the shared triple


def test_select_ask_and_construct_answers(tmp_path):
    store = OxigraphStore.from_root(_tiny_root(tmp_path, f'<{EX}a> <{RDFS.label}> "A"@en .\n'))
    select = store.query(f"SELECT ?l WHERE {{ <{EX}a> <{RDFS.label}> ?l }}")
    assert select.rows == [{"l": Literal("A", lang="en")}]
    assert store.query(f"ASK {{ <{EX}a> ?p ?o }}").boolean is True
    graph = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}a>) }}").graph
    assert (URIRef(EX + "a"), RDFS.label, Literal("A", lang="en")) in graph


def test_describe_follows_blank_nodes_and_adds_labels_of_linked_resources(tmp_path):
    data = f"""
        <{EX}a> <{RDFS.label}> "A" ;
            <https://schema.org/geo> [ <https://schema.org/latitude> 1.5 ] ;
            <https://schema.org/near> <{EX}b> .
        <{EX}b> <{RDFS.label}> "B" ; <https://schema.org/near> <{EX}c> .
        <{EX}c> <{RDFS.label}> "C" .
    """
    store = OxigraphStore.from_root(_tiny_root(tmp_path, data))
    graph = store.describe(EX + "a")
    assert (URIRef(EX + "b"), RDFS.label, Literal("B")) in graph
    assert any(p == URIRef("https://schema.org/latitude") for _, p, _ in graph)
    assert (URIRef(EX + "b"), URIRef("https://schema.org/near"), URIRef(EX + "c")) not in graph
    assert not any(s == URIRef(EX + "c") for s, _, _ in graph)


def test_serialized_answers_use_the_requested_format(tmp_path):
    store = OxigraphStore.from_root(_tiny_root(tmp_path, f'<{EX}a> <{RDFS.label}> "A" .\n'))
    csv = store.query_serialized("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "text/csv")
    assert csv.body.decode().splitlines()[0] == "s"
    assert csv.size == 2 and not csv.truncated
    capped = store.query_serialized("SELECT ?s WHERE { ?s ?p ?o }", "text/csv", max_rows=1)
    assert capped.truncated and capped.size == 1
    assert len(capped.body.decode().splitlines()) == 2
    with pytest.raises(ValueError):
        store.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")


def test_from_in_the_query_text_makes_its_dataset_in_the_store_itself(store):
    """Every caller (the endpoint, the command line) gets SPARQL 1.1 section 13.2: a FROM sets
    the default graph, although the store's default graph is otherwise the union."""
    cities = "https://w3id.org/rivm/graph/cities"
    in_cities = len(store.query(f"SELECT * WHERE {{ GRAPH <{cities}> {{ ?s ?p ?o }} }}").rows)
    everything = len(store.query("SELECT * WHERE { ?s ?p ?o }").rows)
    assert in_cities < everything
    counted = store.query(f"SELECT (COUNT(*) AS ?n) FROM <{cities}> WHERE {{ ?s ?p ?o }}")
    assert int(counted.rows[0]["n"]) == in_cities
    named_only = store.query(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{cities}> WHERE {{ ?s ?p ?o }}")
    assert int(named_only.rows[0]["n"]) == 0


def test_plain_values_are_the_terms_query_gives(store):
    """``select_values`` reads the embedded store's own terms; GraphStore's, for any other
    store, goes through ``query``'s rdflib terms: the same values (IRIs, language tags,
    datatypes, unbound variables) either way."""
    text = (
        "SELECT ?s ?p ?o ?g ?missing WHERE { GRAPH ?g { ?s ?p ?o } "
        "OPTIONAL { ?s <https://example.org/never> ?missing } }"
    )
    fast = store.select_values(text)
    through_rdflib = GraphStore.select_values(store, text)
    assert len(fast) == len(through_rdflib) > 10_000
    assert fast == through_rdflib
    kinds = {
        (v.kind, v.language is not None, v.datatype is not None) for row in fast for v in row if v
    }
    assert {("iri", False, False), ("literal", True, False), ("literal", False, True)} <= kinds
    assert {("literal", False, False), ("blank", False, False)} <= kinds
    assert all(row[4] is None for row in fast)
