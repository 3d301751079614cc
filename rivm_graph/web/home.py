"""The home page (what the network is, its numbers, map, timeline, entry points) and /healthz."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from markupsafe import Markup

from ..maps import timeline_svg, world_map_svg
from ..overview import build_overview
from .descriptions import schema_org_markup
from .i18n import negotiate_language, translator
from .links import local_href

blueprint = Blueprint("home", __name__)

ENTRY_POINTS = [  # (message key, kind of resource listed)
    ("cities", "city"),
    ("conferences", "conference"),
    ("events", "event"),
    ("sites", "site"),
    ("themes", "theme"),
    ("declarations", "declaration"),
    ("people", "person"),
    ("figures", "figure"),
    ("sources", "source"),
]


@blueprint.get("/")
def home():
    from flask import request

    language = negotiate_language(request)
    t = translator(language)
    store = current_app.extensions["rivm_store"]
    overview = build_overview(store, [language, "en", "fr"], local_href)
    cities = sum(1 for p in overview.points if p.kind == "city")
    sites = sum(1 for p in overview.points if p.kind == "site")
    world = world_map_svg(
        overview.points,
        title=t("map_title"),
        description=t("map_description", cities=cities, sites=sites),
        legend={"city": t("legend_city"), "site": t("legend_site")},
    )
    timeline = timeline_svg(
        overview.events,
        title=t("timeline_title"),
        description=t("timeline_description", n=len(overview.events)),
    )
    return render_template(
        "home.html",
        overview=overview,
        world=Markup(world),
        timeline=Markup(timeline),
        entry_points=ENTRY_POINTS,
        dumps=current_app.extensions["rivm_dumps"],
        dataset_jsonld=schema_org_markup(),
    )


@blueprint.get("/healthz")
def healthz():
    store = current_app.extensions["rivm_store"]
    return jsonify(status="ok", graphs=len(store.graphs()), version=store.data_version)
