"""/search: a resource found by any of its names, as a page (the box in every page's header
sends here, no JavaScript needed) or as JSON, a lookup API in the style of DBpedia Lookup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from ..rdf.formats import HTML, JSON
from ..rdf.labels import compact
from ..search import SearchError, SearchResults
from ..search.build import MAIN_KINDS
from ..search.index import DEFAULT_LIMIT, MAX_QUERY_LENGTH
from .answer_cache import CACHE_CONTROL, answer_key, answered, not_modified
from .answers import error_response
from .i18n import negotiate_language
from .links import local_href, page_href
from .negotiation import NotAcceptable, choose
from .state import get_search_index

blueprint = Blueprint("search", __name__)

OFFERED = [HTML.media_type, JSON.media_type]
YES, NO = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off", ""})
VARY = "Accept, Accept-Language"


@dataclass(frozen=True)
class Asked:
    """A search as the address asks it (the core checks the values)."""

    text: str
    types: tuple[str, ...]
    reader: str  # the language of the names shown
    limit: str
    offset: str
    prefix: bool


@dataclass(frozen=True)
class Answer:
    """What is kept in the cache: the body and its Link header."""

    body: str
    links: str


def _asked(language: str) -> Asked:
    args = request.args
    prefix = args.get("prefix", "").strip().lower()
    if prefix not in YES | NO:
        raise SearchError("prefix must be true or false")
    return Asked(
        text=args.get("q", ""),
        types=tuple(t for t in args.getlist("type") if t.strip()),
        reader=args.get("lang") or language,
        limit=args.get("limit", str(DEFAULT_LIMIT)),
        offset=args.get("offset", "0"),
        prefix=prefix in YES,
    )


def _search(asked: Asked) -> SearchResults:
    return get_search_index().search(
        asked.text,
        types=asked.types,
        lang=asked.reader,
        limit=asked.limit,
        offset=asked.offset,
        prefix=asked.prefix,
    )


def _url(**changed: str) -> str:
    """This search's address with some parameters changed."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.update({name: [value] for name, value in changed.items()})
    return url_for("search.search", **args)


def _page_url(results: SearchResults, offset: int) -> str:
    """Another page of this search (the limit as capped)."""
    if "limit" in request.args:
        return _url(offset=str(offset), limit=str(results.limit))
    return _url(offset=str(offset))


def _paging(results: SearchResults) -> dict[str, str]:
    """The next and previous pages, where there are any."""
    links = {}
    if results.offset + results.limit < results.total:
        links["next"] = _page_url(results, results.offset + results.limit)
    if results.offset > 0:
        links["prev"] = _page_url(results, max(0, results.offset - results.limit))
    return links


def _json(results: SearchResults, links: dict[str, str]) -> str:
    document = results.to_dict()
    for hit in document["hits"]:
        hit["href"] = local_href(hit["iri"])
    document.update(links)
    return json.dumps(document, ensure_ascii=False)


def _html(asked: Asked, results: SearchResults | None, links: dict, error: str = "") -> str:
    index = get_search_index()
    kinds = [(compact(k), index.label(k, asked.reader)) for k in MAIN_KINDS if k in index.below]
    return render_template(
        "search.html",
        search_query=asked.text,
        types=asked.types,
        kinds=kinds,
        results=results,
        links=links,
        error=error,
        local_href=page_href,
        max_length=MAX_QUERY_LENGTH,
        json_url=_url(format="json"),
    )


def _response(body: str, media_type: str, status: int = 200, links: str = "") -> Response:
    response = Response(body, status=status, mimetype=media_type)
    response.headers["Vary"] = VARY
    if links:
        response.headers["Link"] = links
    return response


@blueprint.get("/search")
def search():
    explicit = request.args.get("format")
    try:
        media_type = choose(request, OFFERED, explicit)
    except NotAcceptable as error:
        return error_response(request, 406, "Offered: " + ", ".join(error.offered))
    language = negotiate_language(request)
    html = media_type == "text/html"
    blank = Asked(request.args.get("q", ""), (), language, "", "", False)
    try:
        asked = _asked(language)
        if html and not asked.text.strip():
            return _response(_html(asked, None, {}), media_type)  # nothing typed yet
        key = answer_key("search", media_type, language, asked.reader, request.query_string.hex())
        headers = {"ETag": f'"{key}"', "Cache-Control": CACHE_CONTROL, "Vary": VARY}
        if not_modified(key):
            return Response(status=304, headers=headers)

        def compute() -> Answer:
            results = _search(asked)
            links = _paging(results)
            body = _html(asked, results, links) if html else _json(results, links)
            header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
            return Answer(body, header)

        answer = answered(key, compute)
    except SearchError as error:
        if html:
            return _response(_html(blank, None, {}, error.message), media_type, error.status)
        return error_response(request, error.status, error.message, explicit="json")
    response = _response(answer.body, media_type, links=answer.links)
    response.headers.update(headers)
    return response
