"""The baseline: rdflib-endpoint 0.6.3 serving a data root, the way its README deploys a graph.

    python -m bench.baseline --root DIR --host 127.0.0.1 --port 8001

loads the same files as the project's server, each into its own named graph of an rdflib
``Dataset`` whose default graph is the union (as ``rdflib-endpoint serve`` does), wraps it in
``SparqlEndpoint`` and runs it with ``uvicorn.run`` in one process, at ``/sparql``. No tuning:
this is what a new user of rdflib-endpoint gets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import uvicorn
from rdflib import Dataset, URIRef
from rdflib_endpoint import SparqlEndpoint

from rivm_graph.stores.files import graph_files


def build_dataset(root: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    for f in graph_files(root):
        dataset.graph(URIRef(f.graph)).parse(f.path, format="turtle")
    return dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    dataset = build_dataset(args.root)
    print(
        f"rdflib Dataset: {len(dataset)} triples from {args.root} "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="RIVM graph (rdflib-endpoint)")
    uvicorn.run(app, host=args.host, port=args.port)  # defaults, as `rdflib-endpoint serve`
    return 0


if __name__ == "__main__":
    sys.exit(main())
