"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template_string

blueprint = Blueprint("home", __name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>International Network of Michelin Cities — Linked Data</title></head>
<body><main>
<h1>International Network of Michelin Cities</h1>
<p>Réseau international des villes Michelin (RIVM / INMC) as a Linked Open Data knowledge graph.</p>
<p>{{ triples }} triples in {{ graphs }} named graphs.</p>
</main></body></html>
"""


@blueprint.get("/")
def home():
    counts = current_app.extensions["rivm_store"].counts()
    return render_template_string(PAGE, triples=counts.triples, graphs=len(counts.graphs))


@blueprint.get("/healthz")
def healthz():
    store = current_app.extensions["rivm_store"]
    return jsonify(status="ok", graphs=len(store.graphs()))
