"""What the application holds, built once in ``create_app`` and reached through typed accessors
(as flaskr's ``get_db()``), and what a request records about itself for the log and budgets.

Nothing else reads ``app.extensions`` or ``flask.g`` for the application's own state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g
from rdflib import Graph

from ..endpoint.catalogue import ExampleQuery
from ..endpoint.service import QueryService
from ..publish.dataset_facts import DatasetFacts
from ..publish.dumps import DumpSet
from ..publish.geojson import GeoData
from ..publish.tables import TableSet
from ..releases import Release
from ..search import Reconciler, SearchIndex
from ..stores.base import GraphStore
from ..stores.executor import InProcessExecutor, QueryExecutor
from .budgets import Budgets
from .cache import LruCache

EXTENSION = "rivm"


@dataclass
class AppState:
    store: GraphStore
    catalogue: list[ExampleQuery]
    ontology: Graph
    jsonld_context: dict[str, Any]
    dumps: DumpSet
    executor: QueryExecutor | InProcessExecutor
    query_service: QueryService  # the SPARQL policy, answer keys and evaluation
    answers: LruCache  # SPARQL answers by request (query, format, graphs, data version)
    pages: LruCache  # rendered pages and documents
    #: built before gunicorn forks, shared by its processes (each opens its own FTS5 database)
    search: SearchIndex
    reconciler: Reconciler
    releases: tuple[Release, ...] = ()  # oldest first, each with its files verified
    budgets: Budgets | None = None  # set by init_limits
    dataset_facts: DatasetFacts | None = None  # gathered on first use, once per process
    tables: TableSet | None = None  # built in create_app, once per data version (on disk)
    geodata: GeoData | None = None  # gathered on first use, once per process


def install(app: Flask, state: AppState) -> None:
    app.extensions[EXTENSION] = state


def app_state(app: Flask | None = None) -> AppState:
    return (app or current_app).extensions[EXTENSION]


def get_store() -> GraphStore:
    return app_state().store


def get_executor() -> QueryExecutor | InProcessExecutor:
    return app_state().executor


def get_query_service() -> QueryService:
    return app_state().query_service


def get_dumps() -> DumpSet:
    return app_state().dumps


def get_releases() -> tuple[Release, ...]:
    return app_state().releases


def get_catalogue() -> list[ExampleQuery]:
    return app_state().catalogue


def get_search_index() -> SearchIndex:
    return app_state().search


def get_reconciler() -> Reconciler:
    return app_state().reconciler


def rendered(key: Hashable, render: Callable[[], bytes | str]) -> bytes | str:
    """A page body from the page cache, rendered once per process."""
    pages = app_state().pages
    body = pages.get(key)
    if body is None:
        body = render()
        pages.put(key, body)
    return body


@dataclass
class RequestRecord:
    """What a request did, for the access log and the budgets."""

    started: float = field(default_factory=time.monotonic)
    #: whether the request asked for a query to be answered (endpoint, query page)
    asked_query: bool = False
    #: answered from the cache (or with 304): costs the client nothing
    cached: bool = False
    #: what evaluating the query cost, failures and timeouts included
    query_seconds: float | None = None
    #: how it ended, where that is more than the status says ("timeout", "syntax-error" …)
    outcome: str | None = None


def request_record() -> RequestRecord:
    """This request's record (made at its start by the access log, or on first use)."""
    if "rivm_record" not in g:
        g.rivm_record = RequestRecord()
    return g.rivm_record
