"""The limit of this stack: a minimal Flask app over pyoxigraph, with none of our safety.

    python -m bench.minimal --root DIR --host 127.0.0.1 --port 8002 [--workers 2]

loads the same files as the project's server the same way (each Turtle file into its own named
graph of an in-memory ``pyoxigraph.Store``, queries evaluated over the union of the named graphs)
and answers ``GET /sparql?query=`` as the few lines anyone would write: SELECT and ASK in SPARQL
JSON results, CONSTRUCT and DESCRIBE in Turtle, a syntax error as 400. No deadline, no guard, no
cache, no budgets, no logs, no content negotiation. It runs under gunicorn's sync workers with
``--preload`` (the store is loaded once, before the fork, and the workers share its pages), one
worker per usable core by default: a sync worker answers one request at a time in a single
thread, and every request here is CPU-bound, so one per core keeps the cores busy without making
requests queue behind each other's GIL. This is the contender the issue measured (2 workers on 2
cores); ``--workers`` sets another count.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response, request
from gunicorn.app.base import BaseApplication

from rivm_graph.config import usable_cores
from rivm_graph.stores.files import graph_files


def load_store(root: Path) -> ox.Store:
    store = ox.Store()
    for f in graph_files(root):
        store.load(path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.graph))
    store.optimize()
    return store


def create_app(store: ox.Store) -> Flask:
    app = Flask(__name__)

    @app.get("/sparql")
    def sparql() -> Response:
        try:
            answer = store.query(request.args["query"], use_default_graph_as_union=True)
        except (KeyError, SyntaxError) as error:
            return Response(f"{error}\n", status=400, mimetype="text/plain")
        if isinstance(answer, ox.QueryTriples):
            return Response(answer.serialize(format=ox.RdfFormat.TURTLE), mimetype="text/turtle")
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")

    return app


class Gunicorn(BaseApplication):
    """gunicorn with these options, serving ``app`` (what ``gunicorn --preload -w N`` does)."""

    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # a WSGI app, which typeshed's stubs type otherwise than Flask
        return self.application


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.minimal")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--workers", type=int, default=usable_cores())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    store = load_store(args.root)  # before the fork: --preload
    print(
        f"pyoxigraph Store: {len(store)} quads from {args.root} "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        "worker_class": "sync",
        "preload_app": True,
        "accesslog": None,
    }
    Gunicorn(create_app(store), options).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
