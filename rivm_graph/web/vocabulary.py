"""The ontology and the shapes dereference too: documentation for people, RDF for programs."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import IdentifiedNode

from ..i18n import label_languages
from ..pages.ontology_doc import build_ontology_doc
from ..rdf.labels import best_literal
from ..rdf.namespaces import bind_all
from ..rdf.terms import read_turtle
from ..stores.files import shape_file
from .documents import (
    BY_MEDIA_TYPE,
    FORMATS,
    alternates,
    conditional,
    document_type,
    serialize,
)
from .i18n import negotiate_language
from .state import app_state, get_store, rendered

blueprint = Blueprint("vocabulary", __name__)
SHAPE_FILES = ("violations", "warnings", "ontology", "catalogue")


def _graph(paths: list[Path]) -> Graph:
    graph = Graph()
    bind_all(graph)
    for path in paths:
        read_turtle(path, graph)
    return graph


def _answer(path: str, media_type: str, html, graph_factory) -> Response:
    language = negotiate_language(request)
    if media_type == "text/html":
        response = Response(html(language), mimetype="text/html")
    else:
        body = rendered((path, media_type), lambda: serialize(graph_factory(), media_type))
        response = Response(body, content_type=media_type)
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Link"] = alternates(path)
    response.headers["Content-Location"] = f"{path}.{BY_MEDIA_TYPE[media_type]}"
    return conditional(response, path, media_type, language)


@blueprint.get("/ontology")
@blueprint.get("/ontology.<ext>")
def ontology(ext: str | None = None):
    media_type = document_type(ext, "The ontology")
    if isinstance(media_type, Response):
        return media_type
    root = Path(current_app.config["DATA_ROOT"])

    def html(language: str) -> str:
        doc = build_ontology_doc(
            app_state().ontology,
            get_store(),
            label_languages(language),
        )
        return render_template("ontology.html", doc=doc, formats=FORMATS, base_path="/ontology")

    return _answer("/ontology", media_type, html, lambda: _graph([root / "ontology" / "rivm.ttl"]))


@blueprint.get("/shapes")
@blueprint.get("/shapes.<ext>")
def shapes(ext: str | None = None):
    media_type = document_type(ext, "The shapes")
    if isinstance(media_type, Response):
        return media_type
    root = Path(current_app.config["DATA_ROOT"])
    paths = [p for p in (shape_file(root, n) for n in SHAPE_FILES) if p.exists()]

    def html(language: str) -> str:
        graph = _graph(paths)
        groups = []
        for name, path in zip(SHAPE_FILES, paths, strict=False):
            part = _graph([path])
            items = []
            node_shapes = {
                s for s in part.subjects(RDF.type, SH.NodeShape) if isinstance(s, IdentifiedNode)
            }
            for shape in sorted(node_shapes):
                names = [
                    (str(SH.name), o)
                    for o in graph.objects(shape, SH.name)
                    if isinstance(o, Literal)
                ]
                descriptions = [
                    (str(SH.name), o)
                    for o in graph.objects(shape, SH.description)
                    if isinstance(o, Literal)
                ]
                name_ = best_literal(names, [language, "en"])
                description = best_literal(descriptions, [language, "en"])
                items.append(
                    (
                        str(shape),
                        (str(name_), name_.language or "") if name_ else (str(shape), ""),
                        (str(description), description.language or "") if description else None,
                    )
                )
            groups.append((name, items))
        return render_template("shapes.html", groups=groups, formats=FORMATS, base_path="/shapes")

    return _answer("/shapes", media_type, html, lambda: _graph(paths))
