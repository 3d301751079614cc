"""The dataset as this server serves it: its public address, the facts its descriptions report,
the release it is (if any) and how to cite it. Shared by the descriptions, the citation
downloads and the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, current_app, request

from ..pages.resource_description import DATASET_IRI
from ..publish.citation import Work, dataset_work, formatted
from ..publish.dataset_facts import DatasetFacts, gather_facts
from ..publish.descriptions import Publisher
from ..releases.archive import Release, current_release, release_iri
from .answers import error_response
from .state import app_state, get_dumps, get_releases, get_store


def public_base() -> str:
    """The server's public URL without the trailing slash: RIVM_PUBLIC_URL, else the request's."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def dataset_facts() -> DatasetFacts:
    state = app_state()
    if state.dataset_facts is None:  # once per process: the data never changes
        state.dataset_facts = gather_facts(state.store)
    return state.dataset_facts


def known_versions() -> str:
    names = [r.version for r in get_releases()]
    return ", ".join(names) if names else "none yet"


def release_or_404(version: str) -> Release:
    """The release, or a 404 listing the releases there are (no file is looked at)."""
    for found in get_releases():
        if found.version == version:
            return found
    abort(error_response(request, 404, f"No release {version!r}. Releases: {known_versions()}"))


def today() -> date:
    """The access date a citation carries (UTC)."""
    return datetime.now(UTC).date()


def cited_release() -> Release | None:
    return current_release(get_releases(), get_store().data_version)


def dataset_citation(language: str, release: Release | None = None) -> Work:
    """The dataset as it is served now (cited at its release if it is one), or at ``release``."""
    release = release or cited_release()
    facts = dataset_facts()
    if release is not None:
        version, issued, url = release.version, release.issued, release_iri(release.version)
    else:
        version, url = get_dumps().version, public_base() + "/"
        modified = facts.modified.toPython() if facts.modified is not None else None
        issued = modified if isinstance(modified, date) else today()
    return dataset_work(
        names=facts.names,
        publisher=Publisher.from_settings(current_app.config).name,
        version=version,
        issued=issued,
        url=url,
        identifier=release_iri(release.version) if release else DATASET_IRI,
        accessed=today(),
        language=language,
    )


def citation_text() -> str:
    """The recommended citation of the data served now, in English (dct:bibliographicCitation)."""
    return formatted(dataset_citation("en"))
