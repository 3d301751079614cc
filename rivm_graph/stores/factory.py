"""The store the settings name: the embedded Oxigraph, or a remote SPARQL engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import GraphStore, StoreError
from .oxigraph import OxigraphStore
from .remote import SparqlStore


def open_store(settings: Mapping[str, Any]) -> GraphStore:
    """The store the settings name: the embedded Oxigraph, or a remote SPARQL engine."""
    kind = settings.get("STORE", "oxigraph")
    if kind == "oxigraph":
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
    raise StoreError(f"RIVM_STORE={kind!r} is not a known store; use 'oxigraph' or 'sparql'")
