"""What harvesters read: the VoID and DCAT-AP descriptions, the sitemap and robots.txt."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request
from markupsafe import Markup

from ..publish.dataset_facts import DatasetFacts, gather_facts
from ..publish.descriptions import Publisher, dcat_catalog, schema_org_dataset, void_description
from ..publish.reuse_descriptions import add_distributions, offered_files, schema_org_downloads
from ..rdf.formats import content_type
from ..rdf.namespaces import ID_BASE, KINDS
from ..rdf.serialize import DOCUMENT_TYPES, serialize
from .answers import error_response
from .documents import conditional
from .negotiation import NotAcceptable, choose, explicit_format
from .resources import SLUG
from .reuse import get_geodata, get_tables
from .state import app_state, get_dumps, get_store, rendered

blueprint = Blueprint("descriptions", __name__)

#: The formats offered; the first is the default (Turtle for clients that say nothing).
RDF_FORMATS = list(DOCUMENT_TYPES)
#: Pages of the site besides the resource pages, for the sitemap.
SITE_PAGES = ("/", "/query", "/ontology", "/shapes", "/dumps/")


def public_base() -> str:
    """The server's public URL without the trailing slash: RIVM_PUBLIC_URL, else the request's."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def _facts() -> DatasetFacts:
    state = app_state()
    if state.dataset_facts is None:  # once per process: the data never changes
        state.dataset_facts = gather_facts(state.store)
    return state.dataset_facts


def _arguments() -> tuple:
    publisher = Publisher.from_settings(current_app.config)
    return get_store(), get_dumps(), public_base(), publisher


def _offered(base: str):
    """The tables and GeoJSON collections, offered beside the dumps."""
    return offered_files(get_tables(), get_geodata().collections, base)


def schema_org_markup() -> Markup:
    """The schema.org Dataset as the body of a <script type="application/ld+json"> element."""
    store, dumps, base, publisher = _arguments()
    data = schema_org_dataset(store, dumps, base, publisher=publisher, facts=_facts())
    data["distribution"] += schema_org_downloads(_offered(base))
    # No "<" may close the element early: JSON allows \u003c anywhere in a string.
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c"))


def _rdf_answer(build, path: str) -> Response:
    try:
        media_type = choose(request, RDF_FORMATS, explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    store, dumps, base, publisher = _arguments()

    def body() -> bytes:
        graph = build(store, dumps, base, publisher=publisher, facts=_facts())
        add_distributions(graph, _offered(base))
        return serialize(graph, media_type)

    response = Response(
        rendered((path, media_type, base), body), content_type=content_type(media_type)
    )
    response.headers["Vary"] = "Accept"
    # The body depends only on the data, the dumps and the public URL: a strong ETag from those.
    return conditional(response, path, media_type, base, dumps.version)


@blueprint.get("/.well-known/void")
def void():
    return _rdf_answer(void_description, "void")


@blueprint.get("/catalog")
def catalog():
    return _rdf_answer(dcat_catalog, "catalog")


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
        urls = [*SITE_PAGES, *resource_pages()]
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
