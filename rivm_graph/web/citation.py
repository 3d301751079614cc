"""Citations: the dataset (now, or at a release) and each resource, in BibTeX, RIS, CSL-JSON and
formatted text, by extension or by ``Accept`` as DOI resolvers negotiate them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, Response, abort, current_app, request

from ..i18n import label_languages
from ..labels import fetch_labels
from ..pages.resource_description import DATASET_IRI, resource_exists
from ..publish.citation import FORMATS, Work, dataset_work, render, resource_work
from ..publish.descriptions import Publisher
from ..releases.archive import Release, current_release, release_iri
from .answers import error_response
from .descriptions import dataset_facts, public_base
from .documents import conditional
from .i18n import negotiate_language
from .links import minted_iri
from .negotiation import NotAcceptable, choose, explicit_format
from .releases import release_or_404
from .state import get_dumps, get_releases, get_store

blueprint = Blueprint("citation", __name__)

BY_MEDIA_TYPE = {f.media_type: ext for ext, f in FORMATS.items()}
#: Formatted text first: what a browser (Accept: */*) is given.
OFFERED = [FORMATS["txt"].media_type, *(f.media_type for e, f in FORMATS.items() if e != "txt")]


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


def resource_citation(dataset: Work, iri: str, label: str) -> Work:
    return resource_work(dataset, label, iri, iri)


def _answer(work: Work, ext: str | None, *etag_parts: str) -> Response:
    if ext is not None:
        if ext not in FORMATS:
            return error_response(
                request, 404, f"No citation format {ext!r}; there are: " + ", ".join(FORMATS)
            )
        media_type = FORMATS[ext].media_type
    else:
        try:
            media_type = choose(request, OFFERED, explicit_format(request.args))
        except NotAcceptable as error:
            return error_response(request, 406, "Offered: " + ", ".join(error.offered))
        ext = BY_MEDIA_TYPE[media_type]
    response = Response(render(work, ext), content_type=media_type + "; charset=utf-8")
    if ext != "txt":
        response.headers["Content-Disposition"] = f'inline; filename="{work.key}.{ext}"'
    response.headers["Vary"] = "Accept, Accept-Language"
    # The access date is part of the body: the ETag changes with it.
    return conditional(response, "cite", work.key, ext, work.language, work.accessed.isoformat())


@blueprint.get("/cite")
@blueprint.get("/cite.<ext>")
def dataset(ext: str | None = None):
    return _answer(dataset_citation(negotiate_language(request)), ext)


@blueprint.get("/releases/<version>/cite")
@blueprint.get("/releases/<version>/cite.<ext>")
def release(version: str, ext: str | None = None):
    found = release_or_404(version)
    return _answer(dataset_citation(negotiate_language(request), found), ext)


@blueprint.get("/cite/<kind>/<name>")
def resource(kind: str, name: str):
    slug, dot, ext = name.partition(".")
    iri = minted_iri(kind, slug)
    store = get_store()
    if iri is None or not resource_exists(store, iri):
        abort(404)
    language = negotiate_language(request)
    label = fetch_labels(store, [iri], label_languages(language)).get(iri, iri)
    work = resource_citation(dataset_citation(language), iri, label)
    return _answer(work, ext if dot else None)
