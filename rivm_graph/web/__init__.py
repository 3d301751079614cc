"""The web application: a Flask app factory and one blueprint per surface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from rdflib import Graph

from ..config import DEFAULTS, dump_base, release_cache, releases_base
from ..endpoint.catalogue import load_catalogue
from ..endpoint.service import QueryPolicy, QueryService
from ..publish.dumps import dumps_for
from ..publish.jsonld_context import build_context
from ..publish.tables import tables_for
from ..rdf.terms import read_turtle
from ..releases.archive import restored_releases
from ..search import Reconciler, index_for
from ..stores.executor import executor_for
from ..stores.factory import open_store
from ..stores.files import ontology_files
from .access_log import init_access_log
from .cache import LruCache
from .citation import blueprint as citation
from .compression import init_compression
from .cors import init_cors
from .descriptions import blueprint as descriptions
from .downloads import blueprint as downloads
from .errors import register_error_pages
from .home import blueprint as home
from .i18n import init_language
from .limits import init_limits
from .query_page import blueprint as query_page
from .reconcile import blueprint as reconcile
from .releases import blueprint as releases
from .resources import blueprint as resources
from .resources import check_listings
from .reuse import blueprint as reuse
from .search import blueprint as search
from .security import register_security_headers
from .sparql import blueprint as sparql
from .state import AppState, install
from .unknowns import blueprint as unknowns
from .vocabulary import blueprint as vocabulary


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; nothing is read or loaded at import time.

    Settings: defaults, then ``RIVM_*`` environment variables, then ``config`` (tests).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("RIVM")
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_QUERY_BYTES"])
    root = Path(app.config["DATA_ROOT"])
    # the query limits first: a setting the service cannot run with stops it before any work
    policy = QueryPolicy.from_settings(app.config)
    store = open_store(app.config)
    if app.config["STORE"] == "sparql":
        check_listings(store)  # the engine's own limits (the embedded store has none)
    ontology = Graph()
    for path in ontology_files(root):
        read_turtle(path, ontology)
    entries = int(app.config["CACHE_ENTRIES"])
    # Opened here, in gunicorn's master, before its processes fork (each then opens its own
    # connection); built on disk once per data version (18 s at 1M triples).
    index = index_for(store, dump_base(app.config))
    # the executor's worker pool starts in each server process (server.py)
    executor = executor_for(
        store,
        workers=int(app.config["QUERY_WORKERS"]),
        timeout=float(app.config["QUERY_TIMEOUT"]),
        max_rows=int(app.config["MAX_ROWS"]) or None,
        deadline=float(app.config["QUERY_DEADLINE"]),
        slow_queries=int(app.config["SLOW_QUERIES"]),
    )
    answers = LruCache(entries)
    install(
        app,
        AppState(
            store=store,
            catalogue=load_catalogue(root),
            ontology=ontology,
            jsonld_context=build_context(ontology),
            dumps=dumps_for(store, app.config),
            releases=tuple(restored_releases(releases_base(app.config), release_cache(app.config))),
            executor=executor,
            query_service=QueryService(store, executor, answers, policy),
            answers=answers,
            pages=LruCache(entries),
            search=index,
            reconciler=Reconciler(store, index),
            tables=tables_for(store, app.config),
        ),
    )
    app.register_blueprint(home)
    app.register_blueprint(sparql)
    app.register_blueprint(query_page)
    app.register_blueprint(resources)
    app.register_blueprint(vocabulary)
    app.register_blueprint(downloads)
    app.register_blueprint(descriptions)
    app.register_blueprint(search)
    app.register_blueprint(reconcile)
    app.register_blueprint(unknowns)
    app.register_blueprint(citation)
    app.register_blueprint(releases)
    app.register_blueprint(reuse)
    register_error_pages(app)
    register_security_headers(app)
    init_limits(app)
    init_access_log(app)
    init_language(app)
    init_compression(app)
    init_cors(app)  # open data: any origin may read, nobody sends credentials

    return app
