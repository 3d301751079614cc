"""Where a link goes: resources of this dataset to this server's pages, others to themselves."""

from __future__ import annotations

from flask import current_app


def local_href(iri: str) -> str:
    base = current_app.config["BASE_IRI"]
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    return iri
