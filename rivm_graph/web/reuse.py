"""The graph for the tools researchers already use: CSV tables with their CSVW and Data Package
metadata under /tables/, GeoJSON under /geo/, and both by content negotiation on the listings."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, send_file, url_for

from ..publish.geojson import COLLECTIONS, MEDIA_TYPE, GeoData, build_geojson, encode
from ..publish.tables import (
    CHECKSUMS,
    CSV_MEDIA_TYPE,
    METADATA,
    TABLE_OF_KIND,
    TABLES,
    TableSet,
)
from ..rdf import formats
from ..rdf.namespaces import ID_BASE
from .answers import error_response
from .documents import conditional
from .i18n import negotiate_language
from .negotiation import NotAcceptable, choose, explicit_format
from .state import app_state

blueprint = Blueprint("reuse", __name__)

CSVM_MEDIA_TYPE = formats.CSVW_METADATA.media_type
#: Kinds whose resources have a GeoJSON feature, and the collection holding them.
GEO_KINDS = {kind: name for name, kind in COLLECTIONS.items()}


def get_tables() -> TableSet:
    tables = app_state().tables
    assert tables is not None, "create_app builds the tables"
    return tables


def get_geodata() -> GeoData:
    state = app_state()
    if state.geodata is None:  # once per process: the data never changes
        state.geodata = build_geojson(state.store)
    return state.geodata


def described_by() -> str:
    return f'<{url_for("reuse.file", name=METADATA)}>; rel="describedby"; type="{CSVM_MEDIA_TYPE}"'


def _send(name: str) -> Response:
    tables = get_tables()
    found = tables.file(name)
    if found is None:
        files = ", ".join([*(f.name for f in tables.files), CHECKSUMS])
        return error_response(request, 404, f"No table file {name!r} here. There are: {files}")
    media_type = CSVM_MEDIA_TYPE if name == METADATA else found.media_type
    # The ETag is the file's SHA-256: the same in every process and on every machine.
    response = send_file(
        found.path,
        mimetype=media_type,
        conditional=True,
        etag=found.sha256,
        max_age=3600,
        download_name=name,
    )
    if media_type == CSV_MEDIA_TYPE:
        response.headers["Link"] = described_by()
        response.headers["Content-Location"] = url_for("reuse.file", name=name)
    return response


@blueprint.get("/tables/")
def index():
    tables = get_tables()
    try:
        media_type = choose(
            request, ["text/html", "application/json"], explicit_format(request.args)
        )
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    files = [
        {
            "name": f.name,
            "url": url_for("reuse.file", name=f.name),
            "mediaType": f.media_type,
            "bytes": f.size,
            "sha256": f.sha256,
        }
        for f in tables.files
    ]
    if media_type == "application/json":
        response = jsonify(version=tables.version, files=files)
    else:
        titles = {f"{t.name}.csv": t.title for t in TABLES}
        response = Response(
            render_template(
                "tables.html", tables=tables, titles=titles, collections=list(COLLECTIONS)
            ),
            mimetype="text/html",
        )
    response.headers["Vary"] = "Accept"
    # the page is in the reader's language: one validator per language
    return conditional(response, "tables", media_type, tables.version, negotiate_language(request))


@blueprint.get("/tables/<name>")
def file(name: str):
    if name == CHECKSUMS:
        tables = get_tables()
        return send_file(
            tables.directory / CHECKSUMS,
            mimetype="text/plain",
            conditional=True,
            etag=tables.version,
            max_age=3600,
        )
    return _send(name)


def _geojson(document: dict, *parts: str) -> Response:
    response = Response(encode(document), content_type=MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response, "geo", *parts)


@blueprint.get("/geo/<name>.geojson")
def collection(name: str):
    collections = get_geodata().collections
    if name not in collections:
        offered = ", ".join(f"/geo/{n}.geojson" for n in collections)
        return error_response(request, 404, f"No collection {name!r}. There are: {offered}")
    return _geojson(collections[name], name)


@blueprint.get("/geo/<kind>/<name>.geojson")
def feature(kind: str, name: str):
    if kind not in GEO_KINDS:
        kinds = ", ".join(f"/geo/{k}/<name>.geojson" for k in GEO_KINDS)
        return error_response(
            request, 404, f"No GeoJSON for {kind!r} resources. There are: {kinds}"
        )
    found = get_geodata().feature(f"{ID_BASE}{kind}/{name}")
    if found is None:
        return error_response(
            request,
            404,
            f"No {kind} {name!r} with a place on the map; see /geo/{GEO_KINDS[kind]}.geojson",
        )
    return _geojson(found, kind, name)


# ----------------------------------------------------------------------------------------------
# For the listings (/id/<kind>/) and pages
# ----------------------------------------------------------------------------------------------


def listing_formats(kind: str) -> list[str]:
    """The media types a listing of ``kind`` offers besides its own: its table, its map."""
    offered = []
    if kind in TABLE_OF_KIND:
        offered.append(CSV_MEDIA_TYPE)
    if kind in GEO_KINDS:
        offered.append(MEDIA_TYPE)
    return offered


def listing_answer(kind: str, media_type: str) -> Response:
    """The whole listing of ``kind`` as its table or its GeoJSON collection (not paged)."""
    if media_type == MEDIA_TYPE:
        return _geojson(get_geodata().collections[GEO_KINDS[kind]], GEO_KINDS[kind])
    return _send(f"{TABLE_OF_KIND[kind]}.csv")


def resource_links(iri: str) -> dict[str, tuple[str, str]]:
    """Links from a resource's page (name → href, media type): its GeoJSON feature, and the
    table of its kind."""
    kind, _, slug = iri[len(ID_BASE) :].partition("/")
    links = {}
    if kind in GEO_KINDS and get_geodata().feature(iri) is not None:
        links["GeoJSON"] = (url_for("reuse.feature", kind=kind, name=slug), MEDIA_TYPE)
    if kind in TABLE_OF_KIND:
        table = url_for("reuse.file", name=f"{TABLE_OF_KIND[kind]}.csv")
        links["CSV"] = (table, CSV_MEDIA_TYPE)
    return links


@blueprint.get("/geo/", defaults={"rest": ""})
@blueprint.get("/geo/<path:rest>")
def geo_unknown(rest: str):
    """Anything else under /geo/ (another extension, a deeper path): a 404 naming what exists."""
    offered = [f"/geo/{n}.geojson" for n in COLLECTIONS] + [
        f"/geo/{k}/<name>.geojson" for k in GEO_KINDS
    ]
    return error_response(
        request, 404, f"No GeoJSON at /geo/{rest}. There are: {', '.join(offered)}"
    )
