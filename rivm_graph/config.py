"""Settings shared by the command line and the web application.

Precedence: the defaults below, then ``RIVM_*`` environment variables, then explicit overrides
(tests). The web application applies the same order with Flask's ``from_prefixed_env``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PREFIX = "RIVM_"

#: Every setting, with its default. The README's configuration table documents each key.
DEFAULTS: dict[str, Any] = {
    # Folder holding ontology/, data/, shapes/ and queries/ (the repository by default).
    "DATA_ROOT": str(Path(__file__).resolve().parent.parent),
    # Which store serves the graph: "oxigraph" (embedded, in memory).
    "STORE": "oxigraph",
    # Address the production server binds to.
    "HOST": "127.0.0.1",
    "PORT": 8080,
    # gunicorn worker processes (each holds the whole graph in memory).
    "WORKERS": 2,
    # Public base of the IRIs minted by the data.
    "BASE_IRI": "https://w3id.org/rivm/",
}


def _decode(raw: str) -> Any:
    """Read an environment value as JSON when it is JSON (numbers, booleans), else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = dict(DEFAULTS)
    for key, raw in os.environ.items():
        if key.startswith(PREFIX):
            settings[key[len(PREFIX) :]] = _decode(raw)
    settings.update(overrides or {})
    return settings
