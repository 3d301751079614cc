"""Citations: the dataset (now, or at a release) and each resource, in BibTeX, RIS, CSL-JSON and
formatted text, by extension or by ``Accept`` as DOI resolvers negotiate them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, request
from markupsafe import Markup

from ..i18n import label_languages
from ..pages.resource_description import resource_exists
from ..publish.citation import (
    FORMATS,
    Work,
    formatted,
    meta_tags,
    render,
    resource_work,
)
from ..rdf.formats import CITATION_FORMATS, media_types
from .answers import error_response
from .dataset import cited_release, dataset_citation, release_or_404
from .documents import conditional
from .i18n import negotiate_language
from .links import local_href, minted_iri
from .negotiation import NotAcceptable, choose, explicit_format
from .state import get_store

blueprint = Blueprint("citation", __name__)

BY_MEDIA_TYPE = {f.media_type: ext for ext, f in FORMATS.items()}
#: In the registry's order: formatted text first, what a browser (Accept: */*) is given.
OFFERED = media_types(CITATION_FORMATS)


def resource_citation(dataset: Work, iri: str, label: str) -> Work:
    return resource_work(dataset, label, iri, iri)


@dataclass(frozen=True)
class CiteContext:
    """What a page shows of a citation: the text, the fields, the downloads, the <meta> tags."""

    work: Work
    href: str  # the work's URL as a link on this server
    text: Markup
    links: list[tuple[str, str, str, str]]  # extension, label, href, media type
    tags: list[tuple[str, str]]
    unreleased: bool = False


def cite_context(work: Work, href: str, *, unreleased: bool = False) -> CiteContext:
    """``href`` is the citation's address without extension (``/cite``, ``/cite/city/cuneo``)."""
    links = [(ext, f.label, f"{href}.{ext}", f.media_type) for ext, f in FORMATS.items()]
    text = Markup(formatted(work, html=True))
    return CiteContext(work, local_href(work.url), text, links, meta_tags(work), unreleased)


def dataset_cite_context(language: str) -> CiteContext:
    """The home page's box: the data served now, at its release if it is one."""
    release = cited_release()
    href = f"/releases/{release.version}/cite" if release else "/cite"
    return cite_context(dataset_citation(language, release), href, unreleased=release is None)


def resource_cite_context(language: str, iri: str, label: str, kind: str, slug: str) -> CiteContext:
    work = resource_citation(dataset_citation(language), iri, label)
    return cite_context(work, f"/cite/{kind}/{slug}")


def _answer(work: Work, ext: str | None) -> Response:
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
    response = Response(render(work, ext), content_type=FORMATS[ext].content_type)
    if ext != "txt":
        response.headers["Content-Disposition"] = f'inline; filename="{work.key}.{ext}"'
    response.headers["Vary"] = "Accept, Accept-Language"
    # The access date is part of the body: the ETag changes with it (and with the URL cited,
    # which for data that is not a release is this server's).
    parts = (work.key, ext, work.language, work.url, work.accessed.isoformat())
    return conditional(response, "cite", *parts)


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
    label = store.labels([iri], label_languages(language)).get(iri, iri)
    work = resource_citation(dataset_citation(language), iri, label)
    return _answer(work, ext if dot else None)
