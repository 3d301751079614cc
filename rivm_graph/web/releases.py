"""Releases: /releases/ lists them, /releases/<version>/ serves one (its files, what changed),
and /ontology/<version> resolves the ontology's owl:versionIRI.

Only versions found in the releases folder at start-up are answered; anything else (an unknown
version, ``..``, odd characters) is a 404 naming the versions that exist, decided before any
file is opened.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..rdf.namespaces import ID_BASE, ONTOLOGY_IRI, bind_all
from ..rdf.terms import to_rdflib
from ..releases.archive import (
    RECORD,
    TABLES,
    Release,
    ReleaseError,
    checksums_path,
    release_iri,
    release_quads,
)
from ..releases.changelog import Changelog, changelog, changelog_graph
from .answers import error_response
from .citation import cite_context
from .dataset import cited_release, dataset_citation, known_versions, release_or_404, today
from .documents import (
    BY_MEDIA_TYPE,
    FORMATS,
    alternates,
    conditional,
    document_type,
    serialize,
)
from .i18n import negotiate_language
from .links import local_href
from .negotiation import NotAcceptable, choose, explicit_format
from .state import app_state, get_releases, rendered

blueprint = Blueprint("releases", __name__)


def _html_or_json() -> str | Response:
    try:
        return choose(request, ["text/html", "application/json"], explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))


def _validated(response: Response, media_type: str, *parts: str) -> Response:
    """An ETag for a page about the releases: besides the data version, the releases found at
    start-up and which of their files verified (none changes the data version), the address
    its links are made from, the language and the day (the citation's access date)."""
    found = "|".join(f"{r.version}:{','.join(sorted(r.locations))}" for r in get_releases())
    response.headers["Vary"] = "Accept, Accept-Language"
    return conditional(
        response,
        "releases",
        media_type,
        found,
        request.url_root,
        negotiate_language(request),
        today().isoformat(),
        *parts,
    )


def _summary(release: Release) -> dict:
    return {
        "version": release.version,
        "iri": release_iri(release.version),
        "issued": release.issued.isoformat(),
        "triples": release.triples,
        "quads": release.quads,
        "page": url_for("releases.release", version=release.version, _external=True),
        "files": [
            {
                "name": f.name,
                "url": url_for(
                    "releases.file", version=release.version, name=f.name, _external=True
                ),
                "mediaType": f.media_type,
                "format": f.label,
                "bytes": f.size,
                "sha256": f.sha256,
            }
            for f in release.files
        ],
    }


@blueprint.get("/releases/")
def index():
    releases = get_releases()
    media_type = _html_or_json()
    if isinstance(media_type, Response):
        return media_type
    if media_type == "application/json":
        response = jsonify(releases=[_summary(r) for r in reversed(releases)])
    else:
        current = cited_release()
        response = Response(
            render_template(
                "releases.html",
                releases=list(reversed(releases)),
                current=current.version if current else None,
            ),
            mimetype="text/html",
        )
    return _validated(response, media_type)


@blueprint.get("/releases/<version>/", strict_slashes=False)  # the release IRI, without "/"
def release(version: str):
    found = release_or_404(version)
    media_type = _html_or_json()
    if isinstance(media_type, Response):
        return media_type
    if media_type == "application/json":
        response = jsonify(_summary(found))
    else:
        work = dataset_citation(negotiate_language(request), found)
        cite = cite_context(work, f"/releases/{found.version}/cite")
        response = Response(
            render_template(
                "release.html",
                release=found,
                iri=release_iri(found.version),
                cite=cite,
                log=_changes_or_none(found),
            ),
            mimetype="text/html",
        )
    return _validated(response, media_type, found.version)


@blueprint.get("/releases/<version>/tables/<name>")
def table(version: str, name: str):
    return file(version, f"{TABLES}/{name}")


@blueprint.get("/releases/<version>/<name>")
def file(version: str, name: str):
    found = release_or_404(version)
    sums = checksums_path(found)
    entry = found.file(name)
    path: Path | None
    if name == RECORD:
        path, mimetype, etag = found.directory / RECORD, "application/json", found.version
    elif name == "SHA256SUMS" and sums is not None:
        path, mimetype, etag = sums, "text/plain", found.version
    elif entry is not None:
        path, mimetype, etag = found.path(name), entry.media_type, entry.sha256
    else:
        names = ", ".join([*(f.name for f in found.files), "SHA256SUMS", RECORD])
        return error_response(
            request, 404, f"Release {version} has no file {name!r}. Its files: {names}"
        )
    if path is None:
        current_app.logger.error("release %s: %s is missing or altered", version, name)
        return Response(
            f"The file {name} of release {version} is missing or altered on the server, so "
            "it is not served.\n",
            status=503,
            mimetype="text/plain",
            headers={"Retry-After": "3600"},
        )
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=name != RECORD,
        download_name=name,
        conditional=True,
        etag=etag,
        max_age=86400,
    )
    response.headers["Accept-Ranges"] = "bytes"
    return response


def _previous(release: Release) -> Release | None:
    releases = list(get_releases())
    at = releases.index(release)
    return releases[at - 1] if at > 0 else None


def changes_of(release: Release) -> Changelog:
    """What changed in ``release`` since the one before it (once per process)."""
    pages = app_state().pages
    key = ("changelog", release.version)
    found = pages.get(key)
    if found is None:
        previous = _previous(release)
        found = changelog(
            release_quads(previous) if previous else None,
            release_quads(release),
            old_version=previous.version if previous else None,
            new_version=release.version,
            issued=release.issued,
        )
        pages.put(key, found)
    return found


def _changes_or_none(release: Release) -> Changelog | None:
    try:
        return changes_of(release)
    except ReleaseError as error:  # a damaged release: its page still lists what is intact
        current_app.logger.error("%s", error)
        return None


def _page_href(iri: str) -> str | None:
    """A link to the page of a resource of the data; ontology terms and queries get none."""
    return local_href(iri) if iri.startswith(ID_BASE) else None


@blueprint.get("/releases/<version>/changes")
@blueprint.get("/releases/<version>/changes.<ext>")
def changes(version: str, ext: str | None = None):
    found = release_or_404(version)
    media_type = document_type(ext, "The changelog")
    if isinstance(media_type, Response):
        return media_type
    if _changes_or_none(found) is None:
        return error_response(
            request,
            503,
            f"The changes of release {version} cannot be computed: its N-Quads (or those of the "
            "release before) are missing or altered on the server.",
        )
    path = f"/releases/{version}/changes"
    language = negotiate_language(request)
    if media_type == "text/html":
        body = rendered(
            (path, media_type, language),
            lambda: render_template(
                "changes.html",
                log=changes_of(found),
                base_path=path,
                formats=FORMATS,
                page_href=_page_href,
            ),
        )
        response = Response(body, mimetype="text/html")
    else:
        body = rendered(
            (path, media_type), lambda: serialize(changelog_graph(changes_of(found)), media_type)
        )
        response = Response(body, content_type=media_type)
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Link"] = alternates(path)
    response.headers["Content-Location"] = f"{path}.{BY_MEDIA_TYPE[media_type]}"
    return conditional(response, path, media_type, language, found.version)


def _ontology_graph(release: Release) -> Graph:
    """The ontology as it was in ``release``: the named graph that declares it."""
    quads = release_quads(release)
    declaration = ox.Triple(
        ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology))
    )
    declaring = {q.graph_name for q in quads if q.triple == declaration}
    graph = Graph()
    bind_all(graph)
    for q in quads:
        if q.graph_name in declaring:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def _current_ontology_version() -> str | None:
    value = app_state().ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    return str(value) if value is not None else None


@blueprint.get("/ontology/<version>")
def ontology(version: str):
    """The owl:versionIRI https://w3id.org/rivm/ontology/<version>."""
    name, ext = version, None
    for extension in FORMATS:
        if version.endswith("." + extension):
            name, ext = version[: -len(extension) - 1], extension
    found = next((r for r in get_releases() if r.version == name), None)
    if found is None:
        if version == _current_ontology_version():
            return redirect(url_for("vocabulary.ontology"), code=303)
        return error_response(
            request, 404, f"No ontology version {version!r}. Releases: {known_versions()}"
        )
    media_type = document_type(ext, "The ontology")
    if isinstance(media_type, Response):
        return media_type
    if media_type == "text/html":  # its documentation is the release's page
        return redirect(url_for(".release", version=found.version), code=303)
    path = f"/ontology/{found.version}"
    body = rendered((path, media_type), lambda: serialize(_ontology_graph(found), media_type))
    response = Response(body, content_type=media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = alternates(path)
    return conditional(response, path, media_type, found.version)
