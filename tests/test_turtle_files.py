"""Every Turtle file of the repository parses and binds prefixes only as the one prefix map does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rivm_graph.rdf.namespaces import PREFIXES
from rivm_graph.rdf.terms import read_turtle

ROOT = Path(__file__).resolve().parent.parent
TURTLE_FILES = sorted(
    p
    for folder in ("ontology", "data", "shapes", "queries", "tests")
    for p in (ROOT / folder).rglob("*.ttl")
    # third-party test material keeps its publishers' prefixes
    if (ROOT / "tests" / "vendor") not in p.parents
)


def test_the_repository_has_turtle_files_in_every_folder():
    folders = {p.relative_to(ROOT).parts[0] for p in TURTLE_FILES}
    assert {"ontology", "data", "shapes", "queries"} <= folders


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_file_parses_and_uses_the_one_prefix_map(path: Path):
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    assert len(graph) > 0, f"{path.name} holds no triples"
    declared = dict(graph.namespaces())
    unknown = {p: str(ns) for p, ns in declared.items() if p and p not in PREFIXES}
    assert not unknown, f"prefixes outside the prefix map: {unknown}"
    different = {p: str(ns) for p, ns in declared.items() if p and str(ns) != PREFIXES[p]}
    assert not different, f"prefixes bound to other namespaces: {different}"


def test_prefix_map_has_no_namespace_twice():
    namespaces = list(PREFIXES.values())
    assert len(namespaces) == len(set(namespaces))


@pytest.mark.parametrize(
    "path",
    [p for p in TURTLE_FILES if p.relative_to(ROOT).parts[0] in ("ontology", "shapes", "queries")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_oxigraphs_reading_gives_the_triples_rdflib_reads(path: Path):
    """The app reads the ontology, shapes and query files with Oxigraph's parser (read_turtle):
    the graph must be the one rdflib's own parser gives, blank nodes and literals alike."""
    ours = read_turtle(path)
    assert len(ours) > 0
    assert isomorphic(ours, Graph().parse(path, format="turtle"))
