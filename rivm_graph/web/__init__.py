"""The web application: a Flask app factory and one blueprint per surface."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..config import DEFAULTS
from ..store import open_store


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; nothing is read or loaded at import time.

    Settings: defaults, then ``RIVM_*`` environment variables, then ``config`` (tests).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("RIVM")
    app.config.update(config or {})
    app.extensions["rivm_store"] = open_store(app.config)

    from .home import blueprint as home

    app.register_blueprint(home)
    return app
