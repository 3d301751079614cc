"""Where a link goes: resources of this dataset to this server's pages, others to themselves."""

from __future__ import annotations

import re

from ..rdf.namespaces import BASE_IRI, ID_BASE, KINDS
from .i18n import with_chosen_language

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def minted_iri(kind: str, slug: str) -> str | None:
    """The IRI the data would mint for ``kind``/``slug``, or None where it mints none."""
    if kind not in KINDS or not SLUG.match(slug):
        return None
    return f"{ID_BASE}{kind}/{slug}"


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
