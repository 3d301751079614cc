"""What harvesters read: the VoID and DCAT-AP descriptions, the sitemap and robots.txt."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request
from markupsafe import Markup
from rdflib import Graph

from ..publish.dataset_versions import (
    add_schema_org_versions,
    add_versions,
    add_void_versions,
    cited_sources,
)
from ..publish.descriptions import Publisher, dcat_catalog, schema_org_dataset, void_description
from ..publish.reuse_descriptions import add_distributions, offered_files, schema_org_downloads
from ..rdf.formats import content_type
from ..rdf.namespaces import ID_BASE, KINDS
from ..rdf.serialize import DOCUMENT_TYPES, serialize
from .answers import error_response
from .dataset import citation_text, cited_release, dataset_facts, public_base
from .documents import conditional
from .links import SLUG
from .negotiation import NotAcceptable, choose, explicit_format
from .reuse import get_geodata, get_tables
from .state import get_dumps, get_releases, get_store, rendered

blueprint = Blueprint("descriptions", __name__)

#: The formats offered; the first is the default (Turtle for clients that say nothing).
RDF_FORMATS = list(DOCUMENT_TYPES)
#: Pages of the site besides the resource pages, for the sitemap.
SITE_PAGES = ("/", "/query", "/ontology", "/shapes", "/dumps/", "/releases/")


def _arguments() -> tuple:
    publisher = Publisher.from_settings(current_app.config)
    return get_store(), get_dumps(), public_base(), publisher


def _offered(base: str):
    """The tables and GeoJSON collections, offered beside the dumps."""
    return offered_files(get_tables(), get_geodata().collections, base)


def schema_org_markup() -> Markup:
    """The schema.org Dataset as the body of a <script type="application/ld+json"> element."""
    store, dumps, base, publisher = _arguments()
    data = schema_org_dataset(store, dumps, base, publisher=publisher, facts=dataset_facts())
    data["distribution"] += schema_org_downloads(_offered(base))
    release = cited_release()
    add_schema_org_versions(
        data,
        version=release.version if release else dumps.version,
        releases=get_releases(),
        base_url=base,
        sources=cited_sources(store),
    )
    # No "<" may close the element early: JSON allows \u003c anywhere in a string.
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c"))


def _rdf_answer(build, path: str) -> Response:
    try:
        media_type = choose(request, RDF_FORMATS, explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    store, dumps, base, publisher = _arguments()

    def body() -> bytes:
        graph = build(store, dumps, base, publisher=publisher, facts=dataset_facts())
        add_distributions(graph, _offered(base))
        return serialize(graph, media_type)

    response = Response(
        rendered((path, media_type, base), body), content_type=content_type(media_type)
    )
    response.headers["Vary"] = "Accept"
    # The body depends only on the data, the dumps and the public URL: a strong ETag from those.
    return conditional(response, path, media_type, base, dumps.version)


def _void(store, dumps, base, **options) -> Graph:
    graph = void_description(store, dumps, base, **options)
    return add_void_versions(graph, get_releases(), citation=citation_text())


def _catalog(store, dumps, base, **options) -> Graph:
    graph = dcat_catalog(store, dumps, base, **options)
    return add_versions(graph, get_releases(), base, citation=citation_text())


@blueprint.get("/.well-known/void")
def void():
    return _rdf_answer(_void, "void")


@blueprint.get("/catalog")
def catalog():
    return _rdf_answer(_catalog, "catalog")


def resource_pages() -> list[str]:
    """The path of every resource page: /doc/<kind>/<slug> for each subject the data mints."""
    rows = get_store().query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID_BASE}")) }}'
    )
    paths = []
    for row in rows.rows:
        kind, _, slug = str(row["s"])[len(ID_BASE) :].partition("/")
        if kind in KINDS and SLUG.match(slug):
            paths.append(f"/doc/{kind}/{slug}")
    return sorted(paths)


@blueprint.get("/sitemap.xml")
def sitemap():
    base = public_base()

    def body() -> str:
        releases = [f"/releases/{r.version}/" for r in reversed(get_releases())]
        urls = [*SITE_PAGES, *releases, *resource_pages()]
        return "".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
                *(f"<url><loc>{escape(base + path)}</loc></url>\n" for path in urls),
                "</urlset>\n",
            ]
        )

    response = Response(
        rendered(("sitemap", base), body), content_type="application/xml; charset=utf-8"
    )
    return conditional(response, "sitemap", base)


@blueprint.get("/robots.txt")
def robots():
    base = public_base()
    body = (
        "# Everything may be crawled; query answers are left out (each one runs a query).\n"
        "User-agent: *\n"
        "Disallow: /sparql?\n"
        "Disallow: /query?\n"
        "Allow: /\n"
        f"Sitemap: {base}/sitemap.xml\n"
    )
    response = Response(body, content_type="text/plain; charset=utf-8")
    return conditional(response, "robots", base)
