"""Where a link goes: resources of this dataset to this server's pages, others to themselves."""

from __future__ import annotations

from ..rdf.namespaces import BASE_IRI
from .i18n import with_chosen_language


def local_href(iri: str) -> str:
    """The data mints its IRIs under one base (namespaces.BASE_IRI); this server answers for all
    of them, so they link to its own pages."""
    if iri.startswith(BASE_IRI):
        return "/" + iri[len(BASE_IRI) :]
    return iri


def page_href(iri: str) -> str:
    """``local_href`` for a link on a page: a page of this server keeps the reader's chosen
    language (web/i18n.py)."""
    return with_chosen_language(local_href(iri))
