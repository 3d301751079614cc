"""The query page: an editor, the example catalogue, results with labels; no JavaScript needed."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template, request, url_for
from rdflib import Graph

from ..endpoint.service import RESULT_TYPES, QueryRefused
from ..i18n import label_languages
from ..rdf.formats import DOCUMENT_FORMATS, RESULT_FORMATS
from ..rdf.labels import compact
from . import querying
from .i18n import negotiate_language
from .links import page_href
from .state import get_catalogue, get_query_service, get_store

blueprint = Blueprint("query_page", __name__)

#: (label, format parameter) of each download link under an answer
RESULT_DOWNLOADS = [(f.label, f.name) for f in RESULT_FORMATS]
GRAPH_DOWNLOADS = [(f.label, f.extension) for f in DOCUMENT_FORMATS]
DEFAULT_EXAMPLE = "cities-by-country"


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


def _table(body: bytes, language: str) -> dict:
    doc = json.loads(body)
    if "boolean" in doc:
        return {"boolean": doc["boolean"]}
    variables = doc["head"]["vars"]
    bindings = doc["results"]["bindings"]
    iris = {b["value"] for row in bindings for b in row.values() if b["type"] == "uri"}
    labels = get_store().labels(iris, label_languages(language))
    rows = [[_cell(row.get(v), labels) for v in variables] for row in bindings]
    return {"variables": variables, "rows": rows}


def render_query_page():
    language = negotiate_language(request)
    catalogue = get_catalogue()
    by_slug = {q.slug: q for q in catalogue}
    example = by_slug.get(request.args.get("example", ""))
    query = request.args.get("query")
    run = query is not None or example is not None
    if query is None:
        query = (example or by_slug.get(DEFAULT_EXAMPLE) or catalogue[0]).text
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
                outcome.update(_table(answer.body, language))
                outcome["size"] = answer.size
            outcome["truncated"] = answer.truncated
            downloads = GRAPH_DOWNLOADS if graph_answer else RESULT_DOWNLOADS
            outcome["downloads"] = [
                (name, url_for("sparql.endpoint", query=query, format=fmt))
                for name, fmt in downloads
            ]
        except QueryRefused as refused:
            outcome["error"] = refused.message
    examples = [q for q in catalogue if not q.is_quality_check]
    checks = [q for q in catalogue if q.is_quality_check]
    return render_template(
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
    )


@blueprint.get("/query")
def page():
    return render_query_page()
