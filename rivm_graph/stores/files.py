"""The repository's RDF files and the named graph each one is loaded into."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..rdf.namespaces import GRAPH_BASE

QUERIES_GRAPH = GRAPH_BASE + "queries"


@dataclass(frozen=True)
class GraphFile:
    """One Turtle file and the IRI of the named graph that holds its triples."""

    path: Path
    graph: str


def ontology_files(root: Path) -> list[Path]:
    return sorted((root / "ontology").glob("*.ttl"))


def data_files(root: Path) -> list[Path]:
    return sorted((root / "data").glob("*.ttl"))


def query_files(root: Path) -> list[Path]:
    return sorted((root / "queries").glob("*.ttl"))


def shape_file(root: Path, name: str) -> Path:
    return root / "shapes" / f"{name}.ttl"


def graph_files(root: Path, *, with_queries: bool = True) -> list[GraphFile]:
    """Ontology and data files each in a graph named after the file's stem; queries in one graph.

    Two files with the same stem would share a graph and hide where a triple came from, so that is
    refused.
    """
    files = [GraphFile(p, GRAPH_BASE + p.stem) for p in ontology_files(root) + data_files(root)]
    seen: dict[str, Path] = {}
    for f in files:
        if f.graph in seen:
            raise ValueError(f"{f.path} and {seen[f.graph]} would share the graph <{f.graph}>")
        seen[f.graph] = f.path
    if with_queries:
        files += [GraphFile(p, QUERIES_GRAPH) for p in query_files(root)]
    return files


def files_version(files: Iterable[GraphFile]) -> str:
    """The data version of these files: a hash of each file's graph and bytes, in a fixed order
    (the same files give the same version in every process, without loading them)."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: (f.graph, str(f.path.name))):
        digest.update(f.graph.encode() + b"\0" + f.path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
