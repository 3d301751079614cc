"""/reconcile: the Reconciliation Service API 0.2 (W3C Entity Reconciliation CG) as OpenRefine
speaks it, over the core in rivm_graph/search/reconcile.py: the manifest, batches of queries and
data extension (form fields ``queries`` and ``extend``, POST or GET), JSONP for GET, the view and
preview of an entity, suggest and property proposals. Every error is JSON with a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask import Blueprint, Response, current_app, redirect, render_template, request

from ..search import SearchError
from ..search.reconcile import PATHS, SUGGEST_LIMIT
from .answer_cache import CACHE_CONTROL, answer_key, answered, not_modified
from .i18n import negotiate_language
from .links import local_href
from .security import allow_framing
from .state import get_reconciler, get_search_index

blueprint = Blueprint("reconcile", __name__)

#: A JSONP callback: a JavaScript name or a dotted path of names, nothing that could be code.
CALLBACK = re.compile(r"[A-Za-z_$][\w$.]*", re.ASCII)
MAX_CALLBACK = 100


def _path(key: str) -> str:
    return PATHS[key].split("?")[0]


def _reader() -> str:
    """The language of names and messages: ``lang=``, else Accept-Language (the core checks)."""
    return request.values.get("lang") or negotiate_language(request)


def _error(error: SearchError) -> Response:
    return Response(
        json.dumps(error.to_dict(), ensure_ascii=False),
        status=error.status,
        mimetype="application/json",
    )


def _json(text: str) -> Response:
    """JSON, or JSONP for a GET with ``callback`` (checked before any work was done)."""
    callback = request.args.get("callback") if request.method == "GET" else None
    if callback is None:
        return Response(text, mimetype="application/json")
    # U+2028 and U+2029 end a line in older JavaScript, not in JSON; /**/ keeps the body from
    # starting with bytes a plugin could read as something else.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Response(f"/**/{callback}({text});", mimetype="text/javascript")


@blueprint.before_request
def check_callback() -> Response | None:
    callback = request.args.get("callback")
    if request.method != "GET" or callback is None:
        return None
    if len(callback) > MAX_CALLBACK or not CALLBACK.fullmatch(callback):
        return _error(
            SearchError(
                "callback must be a JavaScript function name (letters, digits, _, $ and dots, "
                f"not starting with a digit; at most {MAX_CALLBACK} characters)"
            )
        )
    return None


def _decoded(field: str, text: str):
    try:
        return json.loads(text)
    except ValueError as error:
        raise SearchError(f"'{field}' is not valid JSON: {error}") from None
    except RecursionError:
        raise SearchError(f"'{field}' is nested too deeply") from None


def _answer(work: str, payload: str, compute: Callable[[str], dict]) -> Response:
    """A charged answer (budgets), kept in the cache; a GET's has an ETag and may be a 304."""
    reader = _reader()
    key = answer_key("reconcile", work, reader, request.query_string.hex(), payload)
    get = request.method == "GET"
    headers = {"ETag": f'"{key}"', "Cache-Control": CACHE_CONTROL} if get else {}
    if get and not_modified(key):
        return Response(status=304, headers=headers)
    text = answered(key, lambda: json.dumps(compute(reader), ensure_ascii=False))
    response = _json(text)
    response.headers.update(headers)
    response.headers["Vary"] = "Accept-Language"
    return response


def _base_url() -> str:
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


@blueprint.route(_path("service"), methods=["GET", "POST"])
def service():
    queries, extend = request.values.get("queries"), request.values.get("extend")
    reconciler = get_reconciler()
    try:
        if queries is not None and extend is not None:
            raise SearchError("send 'queries' or 'extend', not both")
        if queries is not None:
            return _answer(
                "queries", queries, lambda r: reconciler.reconcile(_decoded("queries", queries), r)
            )
        if extend is not None:
            return _answer(
                "extend", extend, lambda r: reconciler.extend(_decoded("extend", extend), r)
            )
        if request.method == "POST":
            raise SearchError(
                "a POST carries 'queries' (a batch to reconcile) or 'extend' (a data extension "
                "query) as a form field, its value JSON"
            )
        manifest = reconciler.manifest(_base_url(), _reader())
    except SearchError as error:
        return _error(error)
    response = _json(json.dumps(manifest, ensure_ascii=False))
    response.headers["Vary"] = "Accept-Language"
    return response


# The address as people type it into OpenRefine, with a slash or without.
blueprint.add_url_rule(_path("service") + "/", "service_slash", service, methods=["GET", "POST"])


def _types() -> list[str]:
    return [t for t in request.args.getlist("type") if t.strip()]


def _suggest(work: str, suggest: Callable[..., dict]) -> Response:
    args = request.args
    try:
        return _answer(
            work,
            "",
            lambda reader: suggest(
                args.get("prefix", ""),
                cursor=args.get("cursor", "0"),
                limit=args.get("limit", str(SUGGEST_LIMIT)),
                lang=reader,
            ),
        )
    except SearchError as error:
        return _error(error)


@blueprint.get(_path("suggest_entity"))
def suggest_entity():
    reconciler = get_reconciler()
    return _suggest(
        "suggest-entity", lambda *a, **k: reconciler.suggest_entities(*a, types=_types(), **k)
    )


@blueprint.get(_path("suggest_type"))
def suggest_type():
    return _suggest("suggest-type", get_reconciler().suggest_types)


@blueprint.get(_path("suggest_property"))
def suggest_property():
    return _suggest("suggest-property", get_reconciler().suggest_properties)


@blueprint.get(_path("propose_properties"))
def propose_properties():
    type_id, limit = request.args.get("type", ""), request.args.get("limit")
    try:
        if not type_id.strip():
            raise SearchError(
                "'type' names the type whose properties are proposed, e.g. "
                "https://w3id.org/rivm/ontology#City"
            )
        return _answer(
            "propose",
            "",
            lambda reader: get_reconciler().propose_properties(type_id, limit=limit, lang=reader),
        )
    except SearchError as error:
        return _error(error)


def _entity() -> str:
    """The ``id`` asked for, one the index holds; SearchError (400, 404) otherwise."""
    iri = request.args.get("id", "")
    if not iri.strip():
        raise SearchError("'id' names the entity (its IRI)")
    if iri not in get_search_index().by_iri:
        raise SearchError(f"no entity of this dataset has the id {iri[:200]!r}", status=404)
    return iri


@blueprint.get(_path("view"))
def view():
    """The entity's page: ids are IRIs of this dataset, which has a page for each."""
    try:
        iri = _entity()
    except SearchError as error:
        return _error(error)
    return redirect(local_href(iri), code=303)


@blueprint.get(_path("preview"))
def preview():
    """A small card (OpenRefine shows it in a frame as the manifest sizes it)."""
    try:
        hit = get_reconciler().preview(_entity(), _reader())
    except SearchError as error:
        return _error(error)
    body = render_template("reconcile_preview.html", hit=hit, href=local_href(hit.iri))
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept-Language"
    return allow_framing(response)
