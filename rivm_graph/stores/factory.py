"""The store the settings name: the embedded Oxigraph (on disk or in memory), or a remote SPARQL
engine."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config import dump_base
from .base import GraphStore, StoreError
from .files import graph_files
from .on_disk import open_shared
from .oxigraph import OxigraphStore
from .remote import SparqlStore


def open_store(settings: Mapping[str, Any]) -> GraphStore:
    """The store the settings name: the embedded Oxigraph, or a remote SPARQL engine."""
    kind = settings.get("STORE", "oxigraph")
    if kind == "oxigraph":
        return open_shared(graph_files(Path(settings["DATA_ROOT"])), dump_base(dict(settings)))
    if kind == "oxigraph-memory":
        return OxigraphStore.from_root(settings["DATA_ROOT"])
    if kind == "sparql":
        url = settings.get("SPARQL_QUERY_URL")
        if not url:
            raise StoreError("RIVM_STORE=sparql needs RIVM_SPARQL_QUERY_URL (the engine's URL)")
        return SparqlStore(
            url,
            timeout=float(settings["QUERY_TIMEOUT"]),
            user=settings.get("SPARQL_USER") or None,
            password=settings.get("SPARQL_PASSWORD") or None,
            max_rows=int(settings.get("MAX_ROWS") or 0) or None,
        )
    raise StoreError(
        f"RIVM_STORE={kind!r} is not a known store; use 'oxigraph', 'oxigraph-memory' or 'sparql'"
    )
