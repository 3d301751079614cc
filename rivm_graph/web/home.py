"""The home page (what the network is, its numbers, map, timeline, entry points), /healthz and
the favicon."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from ..i18n import label_languages
from ..i18n.messages import translator
from ..pages.overview import build_overview
from ..pictures.maps import EUROPE, Inset, inside_bounds, world_map_svg
from ..pictures.timeline import timeline_svg
from .citation import dataset_cite_context
from .dataset import today
from .descriptions import schema_org_markup
from .i18n import negotiate_language
from .links import page_href
from .state import get_dumps, get_executor, get_store, rendered

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


#: The narrowest the home page's maps are shown, in CSS pixels: site.css keeps them from
#: shrinking further (`.picture svg.rivm-map { min-width: 40rem }`; on a phone they scroll in their
#: own box), so that every marker's hit area is 24 px wide there.
SMALLEST_MAP = 640


@blueprint.get("/")
def home():
    language = negotiate_language(request)
    t = translator(language)

    def page() -> str:
        store = get_store()
        overview = build_overview(store, label_languages(language), page_href)
        cities = sum(1 for p in overview.points if p.kind == "city")
        sites = sum(1 for p in overview.points if p.kind == "site")
        legend = {"city": t("legend_city"), "site": t("legend_site")}
        # Most of the network is in Europe, where the world map's markers crowd: a map of its own,
        # and on the world map one link to it.
        in_europe = [p for p in overview.points if inside_bounds(p, EUROPE)]
        world = world_map_svg(
            overview.points,
            title=t("map_title"),
            description=t("map_description", cities=cities, sites=sites),
            legend=legend,
            smallest=SMALLEST_MAP,
            inset=Inset(EUROPE, "#europe", t("europe_inset", n=len(in_europe))),
        )
        europe = world_map_svg(
            in_europe,
            title=t("europe_title"),
            description=t(
                "europe_description",
                cities=sum(1 for p in in_europe if p.kind == "city"),
                sites=sum(1 for p in in_europe if p.kind == "site"),
            ),
            legend=legend,
            bounds=EUROPE,
            width=640,
            separate=True,
            smallest=SMALLEST_MAP,
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
            europe=Markup(europe),
            timeline=Markup(timeline),
            entry_points=ENTRY_POINTS,
            dumps=get_dumps(),
            dataset_jsonld=schema_org_markup(),
            cite=dataset_cite_context(language),
        )

    # The same page for every request with this language, address and query string, on one
    # day (the citation's access date).
    key = ("home", language, request.url_root, request.query_string, today())
    return rendered(key, page)


@blueprint.get("/readyz")
def readyz():
    """Ready: the graph is loaded, the dumps are verified, a query worker answers, and the store
    still holds the data version this process serves (a remote engine may have been reloaded)."""
    executor = get_executor()
    try:
        answer = executor.run("ASK { ?s ?p ?o }", "application/sparql-results+json")
        ready = b"true" in answer.body
        held = get_store().current_version()
    except Exception as error:
        return jsonify(ready=False, reason=str(error) or type(error).__name__), 503
    dumps = get_dumps()
    serving = get_store().data_version
    if held != serving:
        reason = (
            f"the store now holds data version {held}, this process serves {serving} "
            "(its caches, ETags and dumps): restart it"
        )
        return jsonify(ready=False, reason=reason, version=dumps.version), 503
    return jsonify(ready=ready, triples=dumps.triples, version=dumps.version), 200 if ready else 503


@blueprint.get("/healthz")
def healthz():
    """Alive: the process answers (it does not query: a busy server is still alive)."""
    store = get_store()
    return jsonify(status="ok", graphs=len(store.graphs()), version=store.data_version)


@blueprint.get("/favicon.ico")
def favicon():
    """Pages name their icon (``<link rel="icon">``, an SVG); clients that ask for the old
    address are sent to it."""
    response = redirect(url_for("static", filename="favicon.svg"), code=301)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
