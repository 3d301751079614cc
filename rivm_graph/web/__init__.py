"""The web application: a Flask app factory and one blueprint per surface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request, url_for
from flask_cors import CORS
from rdflib import Graph

from ..catalogue import load_catalogue
from ..config import DEFAULTS
from ..files import ontology_files
from ..i18n import LANGUAGES
from ..i18n.messages import translator
from ..publish.dumps import dumps_for
from ..publish.jsonld_context import build_context
from ..store import open_store
from .access_log import init_access_log
from .errors import register_error_pages
from .i18n import negotiate_language
from .limits import init_limits
from .security import register_security_headers


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; nothing is read or loaded at import time.

    Settings: defaults, then ``RIVM_*`` environment variables, then ``config`` (tests).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("RIVM")
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_QUERY_BYTES"])
    app.extensions["rivm_store"] = open_store(app.config)
    app.extensions["rivm_catalogue"] = load_catalogue(Path(app.config["DATA_ROOT"]))
    ontology = Graph()
    for path in ontology_files(Path(app.config["DATA_ROOT"])):
        ontology.parse(path, format="turtle")
    app.extensions["rivm_ontology"] = ontology
    app.extensions["rivm_jsonld_context"] = build_context(ontology)
    app.extensions["rivm_dumps"] = dumps_for(app.extensions["rivm_store"], app.config)

    from . import sparql
    from .descriptions import blueprint as descriptions
    from .downloads import blueprint as downloads
    from .home import blueprint as home
    from .query_page import blueprint as query_page
    from .resources import blueprint as resources
    from .vocabulary import blueprint as vocabulary

    sparql.init_app(app)
    app.register_blueprint(home)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(query_page)
    app.register_blueprint(resources)
    app.register_blueprint(vocabulary)
    app.register_blueprint(downloads)
    app.register_blueprint(descriptions)
    register_error_pages(app)
    register_security_headers(app)
    init_limits(app)
    init_access_log(app)
    # Open data: any origin may read, nobody sends credentials.
    CORS(
        app,
        resources={r"/*": {"origins": "*"}},
        send_wildcard=True,
        supports_credentials=False,
        max_age=86400,
    )

    @app.context_processor
    def page_context() -> dict:
        language = negotiate_language(request)

        def lang_url(code: str) -> str:
            args = {k: v for k, v in request.args.items(multi=False) if k != "lang"}
            return url_for(
                request.endpoint or "home.home", **(request.view_args or {}), **args, lang=code
            )

        return {
            "lang": language,
            "languages": LANGUAGES,
            "t": translator(language),
            "lang_url": lang_url,
        }

    return app
