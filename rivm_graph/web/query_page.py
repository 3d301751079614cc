"""The query page: an editor, the example catalogue, results with labels and views (map,
timeline, bar chart) drawn on the server, code to run the query elsewhere; no JavaScript needed.

Each view also has its own addresses: the SVG alone (`/query/view.svg`) and a page other sites
may frame (`/query/embed`, the only page of the query surface that relaxes `frame-ancestors`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup
from rdflib import Graph

from ..endpoint.catalogue import ExampleQuery
from ..endpoint.completions import completion_vocabulary
from ..endpoint.service import RESULT_TYPES, QueryRefused
from ..endpoint.snippets import snippets
from ..endpoint.views import (
    CAPS,
    VIEWS,
    Picture,
    ViewError,
    draw,
    fitting_views,
    require_picture,
)
from ..i18n import label_languages
from ..i18n.messages import translator
from ..rdf.formats import DOCUMENT_FORMATS, RESULT_FORMATS
from ..rdf.labels import compact
from . import querying
from .descriptions import public_base
from .i18n import negotiate_language
from .links import local_href, page_href
from .security import allow_framing
from .state import app_state, get_catalogue, get_query_service, get_store, rendered

blueprint = Blueprint("query_page", __name__)

#: (label, format parameter) of each download link under an answer
RESULT_DOWNLOADS = [(f.label, f.name) for f in RESULT_FORMATS]
GRAPH_DOWNLOADS = [(f.label, f.extension) for f in DOCUMENT_FORMATS]
DEFAULT_EXAMPLE = "cities-by-country"
#: The size of the frame the embed snippet proposes.
EMBED_WIDTH, EMBED_HEIGHT = 960, 600
#: The editor's bundle, built by scripts/build-editor.sh (never committed): the page loads it
#: only where it was built, and works as a plain form without it.
EDITOR_BUNDLE = "editor/query-editor.js"
#: Where the engine says a syntax error is (rdf/query_text.syntax_error_message).
_ERROR_AT = re.compile(r"at line (\d+), column (\d+)")


def _error_at(query: str, message: str) -> dict | None:
    """The line of the query a syntax error is at, and a caret under its column."""
    match = _ERROR_AT.search(message)
    if not match:
        return None
    line, column = int(match.group(1)), int(match.group(2))
    lines = query.split("\n")
    if not 1 <= line <= len(lines) + 1:
        return None
    text = lines[line - 1] if line <= len(lines) else ""
    return {"line": line, "column": column, "text": text, "caret": " " * (column - 1) + "^"}


def _editor_script() -> str | None:
    static = current_app.static_folder or ""
    if os.path.exists(os.path.join(static, EDITOR_BUNDLE)):
        return url_for("static", filename=EDITOR_BUNDLE)
    return None


def _cell(binding: dict | None, labels: dict[str, str]) -> dict:
    if binding is None:
        return {"text": ""}
    if binding["type"] == "uri":
        iri = binding["value"]
        return {"text": labels.get(iri) or compact(iri), "href": page_href(iri), "title": iri}
    if binding["type"] == "bnode":
        return {"text": "_:" + binding["value"]}
    lang = binding.get("xml:lang")
    return {"text": binding["value"], "lang": lang}


class Answer:
    """A SELECT or ASK answer as the page shows it: columns, rows, and the names of its IRIs."""

    def __init__(self, body: bytes, language: str):
        doc = json.loads(body)
        self.boolean: bool | None = doc.get("boolean")
        self.variables: list[str] = doc.get("head", {}).get("vars", [])
        self.rows: list[dict] = doc.get("results", {}).get("bindings", [])
        iris = {b["value"] for row in self.rows for b in row.values() if b["type"] == "uri"}
        self.labels = get_store().labels(iris, label_languages(language)) if iris else {}

    def table(self) -> dict:
        if self.boolean is not None:
            return {"boolean": self.boolean}
        rows = [[_cell(row.get(v), self.labels) for v in self.variables] for row in self.rows]
        return {"variables": self.variables, "rows": rows}

    def views(self) -> list[str]:
        return [] if self.boolean is not None else fitting_views(self.variables, self.rows)

    def draw(self, view: str, language: str, title: str, href: Callable[[str], str]) -> Picture:
        return draw(
            view,
            self.variables,
            self.rows,
            labels=self.labels,
            href=href,
            language=language,
            title=title,
        )


def _asked() -> tuple[str | None, ExampleQuery | None]:
    """The query text the request gives (`query`, else the example's), and the example named."""
    catalogue = get_catalogue()
    example = next((q for q in catalogue if q.slug == request.args.get("example", "")), None)
    query = request.args.get("query")
    return (query if query is not None else example.text if example else None), example


def _query_args(query: str, example: ExampleQuery | None, language: str) -> dict:
    """The parameters that name this query in a link: the example's name while it is unchanged.
    A chosen language rides along by itself (web/i18n.py); ``language`` is for the embed, which
    another site shows in the language it was made in."""
    del language
    if example is not None and request.args.get("query") is None:
        return {"example": example.slug}
    return {"query": query}


def _absolute(iri: str) -> str:
    href = local_href(iri)
    return public_base() + href if href.startswith("/") else href


def render_query_page():
    language = negotiate_language(request)
    t = translator(language)
    catalogue = get_catalogue()
    asked, example = _asked()
    run = asked is not None
    query = (
        asked
        if asked is not None
        else (next((q for q in catalogue if q.slug == DEFAULT_EXAMPLE), catalogue[0]).text)
    )
    view = request.args.get("view")
    status = 200
    outcome: dict = {}
    if run and query.strip():
        try:
            until = get_query_service().deadline_from_now()
            checked = querying.check(query)
            graph_answer = checked.answers_with_graph
            media_type = "text/turtle" if graph_answer else RESULT_TYPES[0]
            answer = querying.run(checked, media_type, until).answer
            outcome["unknown_graphs"] = ", ".join(f"<{g}>" for g in checked.unknown_graphs)
            if graph_answer:
                graph = Graph().parse(data=answer.body, format="turtle")
                outcome["turtle"] = answer.body.decode()
                outcome["size"] = len(graph)
            else:
                result = Answer(answer.body, language)
                outcome.update(result.table())
                outcome["size"] = answer.size
                status = _views(outcome, result, view, example, query, language, t)
            outcome["truncated"] = answer.truncated
            downloads = GRAPH_DOWNLOADS if graph_answer else RESULT_DOWNLOADS
            outcome["downloads"] = [
                (name, url_for("sparql.endpoint", query=query, format=fmt))
                for name, fmt in downloads
            ]
            outcome["snippets"] = snippets(
                public_base() + url_for("sparql.endpoint"), query, graph=graph_answer
            )
        except QueryRefused as refused:
            outcome["error"] = refused.message
            outcome["error_at"] = _error_at(query, refused.message)
    examples = [q for q in catalogue if not q.is_quality_check]
    checks = [q for q in catalogue if q.is_quality_check]
    body = render_template(
        "query.html",
        query=query,
        example=example,
        examples=examples,
        checks=checks,
        outcome=outcome,
        ran=run,
        share=url_for("query_page.page", query=query, _external=False),
        timeout=current_app.config["QUERY_DEADLINE"],
        max_rows=current_app.config["MAX_ROWS"],
        caps=CAPS,
        editor_script=_editor_script(),
    )
    return body, status


def _views(outcome: dict, result: Answer, view: str | None, example, query, language, t) -> int:
    """Fill in the views the answer offers and the one shown; the status of the page."""
    offered = result.views()
    if view is not None and view not in VIEWS:
        outcome["view_error"] = t("view_unknown", view=view, views=", ".join(VIEWS))
        return 400
    if view is None:
        view = example.default_view if example is not None else "table"
        view = view if view in offered else "table"
    args = _query_args(query, example, language)
    outcome["views"] = [
        (v, t(f"view_{v}"), url_for("query_page.page", view=v, **args)) for v in offered
    ]
    outcome["view"] = view
    if view == "table":
        return 200
    if view not in offered:
        outcome["view_notice"] = t("view_does_not_fit", view=t(f"view_{view}"))
        outcome["view"] = "table"
        return 200
    title = example.title(language) if example is not None else ""
    picture = result.draw(view, language, title, page_href)
    outcome["picture"] = Markup(picture.svg)
    outcome["picture_note"] = (
        t("view_capped", drawn=picture.drawn, total=picture.total, cap=CAPS[view])
        if picture.capped
        else ""
    )
    outcome["view_svg"] = url_for("query_page.view_svg", view=view, **args)
    embed = public_base() + url_for("query_page.embed", view=view, lang=language, **args)
    outcome["view_link"] = url_for("query_page.page", view=view, **args)
    outcome["embed"] = embed
    outcome["iframe"] = (
        f'<iframe src="{Markup.escape(embed)}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}"'
        f' title="{Markup.escape(title or t(f"view_{view}_title"))}" loading="lazy"></iframe>'
    )
    return 200


def _picture_for_request() -> tuple[Picture, str, ExampleQuery | None]:
    """The view the request names, drawn from its query; ViewError, QueryRefused otherwise."""
    language = negotiate_language(request)
    t = translator(language)
    query, example = _asked()
    if query is None or not query.strip():
        raise ViewError(t("view_no_query"))
    view = request.args.get("view") or (example.default_view if example else "")
    require_picture(view, language)
    until = get_query_service().deadline_from_now()
    checked = querying.check(query)
    if checked.answers_with_graph:
        raise ViewError(t("view_does_not_fit", view=t(f"view_{view}")))
    answer = querying.run(checked, RESULT_TYPES[0], until).answer
    result = Answer(answer.body, language)
    if result.boolean is not None:
        raise ViewError(t("view_does_not_fit", view=t(f"view_{view}")))
    title = example.title(language) if example is not None else ""
    return result.draw(view, language, title, _absolute), language, example


def _refusal(error: Exception) -> Response:
    if isinstance(error, QueryRefused):
        return Response(error.message + "\n", status=error.status, mimetype="text/plain")
    return Response(str(error) + "\n", status=400, mimetype="text/plain")


@blueprint.get("/query")
def page():
    return render_query_page()


@blueprint.get("/query/view.svg")
def view_svg():
    """The view alone, as an SVG file (its links absolute, so it works where it is saved)."""
    try:
        picture, _, _ = _picture_for_request()
    except (ViewError, QueryRefused) as error:
        return _refusal(error)
    response = Response(picture.svg, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'inline; filename="query-{picture.view}.svg"'
    response.headers["Vary"] = "Accept-Language"
    return response


@blueprint.get("/query/embed")
def embed():
    """The view on a page of its own that other sites may show in a frame."""
    try:
        picture, language, example = _picture_for_request()
    except (ViewError, QueryRefused) as error:
        return _refusal(error)
    args = _query_args(_asked()[0] or "", example, language)
    body = render_template(
        "query_embed.html",
        picture=picture,
        svg=Markup(picture.for_frame()),
        cap=CAPS[picture.view],
        page=public_base() + url_for("query_page.page", view=picture.view, **args),
    )
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept-Language"
    return allow_framing(response)


@blueprint.get("/query/vocabulary.json")
def vocabulary():
    """What the editor completes: the prefixes, the ontology's terms with their labels."""
    language = negotiate_language(request)

    def build() -> str:
        doc = completion_vocabulary(app_state().ontology, label_languages(language))
        return json.dumps(doc, ensure_ascii=False)

    response = Response(
        rendered(("query-vocabulary", language), build), mimetype="application/json"
    )
    response.headers["Vary"] = "Accept-Language"
    return response


#: The most IRIs one request to /query/labels.json may name.
MAX_LABELS = 50


@blueprint.get("/query/labels.json")
def labels():
    """The names of the resources the editor shows a tooltip for (`iri=…`, repeated): the store's
    labels in the reader's language, as the table shows them."""
    iris = request.args.getlist("iri")
    if not iris or len(iris) > MAX_LABELS:
        message = f"Give between 1 and {MAX_LABELS} iri parameters.\n"
        return Response(message, status=400, mimetype="text/plain")
    language = negotiate_language(request)
    found = get_store().labels(iris, label_languages(language))
    response = Response(json.dumps(found, ensure_ascii=False), mimetype="application/json")
    response.headers["Vary"] = "Accept-Language"
    return response
