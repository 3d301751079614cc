"""Dereferenceable IRIs: /id/… answers 303 to /doc/…, which negotiates HTML and RDF formats."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from rdflib import Graph

from ..i18n import label_languages
from ..i18n.messages import translator
from ..pages.resource_description import describe_resource, document_iri, resource_exists
from ..pages.resource_page import build_page
from ..pictures.maps import locator_map_svg
from ..rdf.literals import literal
from ..rdf.namespaces import ID_BASE, KINDS, bind_all
from ..stores.base import WHOLE_GRAPH_DEADLINE, GraphStore, QueryNotEvaluable, StoreError
from .answers import error_response
from .citation import resource_cite_context
from .dataset import today
from .documents import BY_MEDIA_TYPE, FORMATS, OFFERED, alternates, conditional, serialize
from .i18n import negotiate_language
from .links import minted_iri, page_href
from .negotiation import NotAcceptable, choose, explicit_format
from .reuse import listing_answer, listing_formats, resource_links
from .state import app_state, get_store, rendered

blueprint = Blueprint("resources", __name__)

PAGE_SIZE = 100


def resource_iri(kind: str, slug: str) -> str:
    iri = minted_iri(kind, slug)
    if iri is None:
        abort(404)
    return iri


def _not_found(iri: str):
    if choose_html():
        response = Response(
            render_template("not_found.html", iri=iri, kind=iri[len(ID_BASE) :].split("/")[0]),
            status=404,
            mimetype="text/html",
        )
    else:
        response = Response(
            f"Nothing is known about <{iri}> in this dataset.\n", status=404, mimetype="text/plain"
        )
    response.headers["Vary"] = "Accept"
    return response


def choose_html() -> bool:
    try:
        return choose(request, OFFERED, None) == "text/html"
    except NotAcceptable:
        return False


def _locator(page, language: str) -> Markup | None:
    """A small map for a resource with a point (a city), titled and described for screen readers."""
    if page.point is None:
        return None
    t = translator(language)
    lat, long = page.point
    return Markup(
        locator_map_svg(
            lat,
            long,
            label=page.title,
            title=f"{t('map')}: {page.title}",
            description=f"{page.title} ({lat:.2f}, {long:.2f})",
        )
    )


@blueprint.get("/id/<kind>/<slug>")
def thing(kind: str, slug: str):
    iri = resource_iri(kind, slug)
    if not resource_exists(get_store(), iri):
        return _not_found(iri)
    query: dict[str, Any] = request.args.to_dict()
    target = url_for("resources.document", kind=kind, name=slug, **query)
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@blueprint.get("/doc/<kind>/<name>")
def document(kind: str, name: str):
    slug, dot, ext = name.partition(".")
    if dot and ext not in FORMATS:
        abort(404)
    iri = resource_iri(kind, slug)
    store = get_store()
    if not resource_exists(store, iri):
        return _not_found(iri)
    try:
        media_type = (
            FORMATS[ext][0] if dot else choose(request, OFFERED, explicit_format(request.args))
        )
    except NotAcceptable as error:
        return error_response(
            request, 406, "This document is offered as: " + ", ".join(error.offered)
        )
    base_path = f"/doc/{kind}/{slug}"
    language = negotiate_language(request)
    if media_type == "text/html":

        def html() -> str:
            page = build_page(store, iri, label_languages(language), page_href)
            return render_template(
                "resource.html",
                page=page,
                base_path=base_path,
                formats=FORMATS,
                doc_iri=document_iri(iri),
                locator_svg=_locator(page, language),
                cite=resource_cite_context(language, iri, page.title, kind, slug),
                reuse_links=resource_links(iri),
            )

        # One day's page: the citation line carries the access date.
        response = Response(
            rendered((base_path, media_type, language, request.query_string, today()), html),
            mimetype="text/html",
        )
    else:
        response = Response(
            rendered(
                (base_path, media_type),
                lambda: serialize(describe_resource(store, iri), media_type),
            ),
            content_type=media_type + ("; charset=utf-8" if media_type.startswith("text/") else ""),
        )
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Link"] = alternates(base_path) + f', <{iri}>; rel="about"'
    response.headers["Content-Location"] = f"{base_path}.{BY_MEDIA_TYPE[media_type]}"
    day = today().isoformat() if media_type == "text/html" else ""
    return conditional(response, base_path, media_type, language, day)


def _listed(store: GraphStore, kind: str, deadline: float | None = None) -> int:
    """How many resources the listing of ``kind`` pages through."""
    counted = store.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) "
        f'WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{ID_BASE}{kind}/")) }}',
        deadline=deadline,
    )
    return int(literal(counted.rows[0]["n"]))


def _page(store: GraphStore, kind: str, number: int, deadline: float | None = None) -> list[str]:
    """The IRIs on page ``number`` of the listing of ``kind``, in order."""
    rows = store.query(
        f"""SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{ID_BASE}{kind}/")) }}
            ORDER BY ?s LIMIT {PAGE_SIZE} OFFSET {(number - 1) * PAGE_SIZE}""",
        deadline=deadline,
    ).rows
    return [str(r["s"]) for r in rows]


def check_listings(store: GraphStore) -> None:
    """Refuse an engine that cannot page a listing to its end, before serving anything.

    Virtuoso sorts at most MaxSortedTopRows rows (10,000 unless virtuoso.ini sets it; Debian's
    file does not) for ORDER BY with LIMIT and OFFSET, and refuses a page past that: a listing
    of more resources would fail on its deeper pages, which its earlier pages link to. Each
    listing's last page is asked for, as a reader would (the engine decides by its plan)."""
    for kind in KINDS:
        total = _listed(store, kind, WHOLE_GRAPH_DEADLINE)
        last = max(1, -(-total // PAGE_SIZE))
        if last == 1:
            continue
        try:
            _page(store, kind, last, WHOLE_GRAPH_DEADLINE)
        except QueryNotEvaluable as error:
            raise StoreError(
                f"the listing /id/{kind}/ ({total:,} resources) cannot be paged to its end on "
                f"this engine ({error}): on Virtuoso, set MaxSortedTopRows in the [Parameters] "
                f"section of virtuoso.ini to at least {last * PAGE_SIZE} and restart it"
            ) from error


@blueprint.get("/id/<kind>/")
def listing(kind: str):
    if kind not in KINDS:
        abort(404)
    store = get_store()
    try:
        page_number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        return error_response(request, 400, "page must be a positive whole number")
    language = negotiate_language(request)
    total = _listed(store, kind)
    last = max(1, -(-total // PAGE_SIZE))
    if page_number > last:
        # Before any query: an OFFSET past the end finds nothing, and a huge one is refused
        # by the parser (past 2^64) or by Virtuoso (past the rows it may sort).
        abort(404)
    # The reader's language first, then the fallback languages (a label only in English still
    # beats the IRI on a Spanish page).
    iris = _page(store, kind, page_number)
    names = store.labels(iris, label_languages(language))
    items = [(iri, names.get(iri, iri)) for iri in iris]
    links = []
    if page_number < last:
        links.append(f'<{url_for(".listing", kind=kind, page=page_number + 1)}>; rel="next"')
    if page_number > 1:
        links.append(f'<{url_for(".listing", kind=kind, page=page_number - 1)}>; rel="prev"')
    try:
        media_type = choose(request, OFFERED + listing_formats(kind), explicit_format(request.args))
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    if media_type not in OFFERED:  # the whole table or map of the kind
        return _vary(listing_answer(kind, media_type))
    if media_type == "text/html":
        body = render_template(
            "listing.html",
            kind=kind,
            items=items,
            page_number=page_number,
            last=last,
            total=total,
            local_href=page_href,
        )
        response = Response(body, mimetype="text/html")
    else:
        response = Response(
            serialize(_listing_graph(kind, items, page_number, last, total), media_type),
            content_type=media_type,
        )
    _vary(response)
    if links:
        response.headers["Link"] = ", ".join(links)
    return conditional(response, "listing", kind, str(page_number), media_type, language)


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def _listing_graph(kind: str, items, page_number: int, last: int, total: int) -> Graph:
    """The page as a Hydra partial collection, with each member's label."""
    graph = Graph()
    bind_all(graph)
    graph.bind("hydra", "http://www.w3.org/ns/hydra/core#")
    collection = f"{ID_BASE}{kind}/"
    view = f"{collection}?page={page_number}"
    data = {
        "@context": {
            "hydra": "http://www.w3.org/ns/hydra/core#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        },
        "@id": collection,
        "@type": "hydra:Collection",
        "hydra:totalItems": total,
        "hydra:member": [{"@id": iri, "rdfs:label": label} for iri, label in items],
        "hydra:view": {
            "@id": view,
            "@type": "hydra:PartialCollectionView",
            "hydra:first": {"@id": f"{collection}?page=1"},
            "hydra:last": {"@id": f"{collection}?page={last}"},
            **(
                {"hydra:next": {"@id": f"{collection}?page={page_number + 1}"}}
                if page_number < last
                else {}
            ),
        },
    }
    graph.parse(data=json.dumps(data), format="json-ld")
    return graph


@blueprint.get("/context.jsonld")
def context():
    body = json.dumps(app_state().jsonld_context, indent=1, ensure_ascii=False)
    response = Response(body, content_type="application/ld+json")
    return conditional(response, "context")
