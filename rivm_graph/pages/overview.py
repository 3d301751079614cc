"""The network at a glance, from the graph: what it is, its numbers, map points, a timeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import Literal

from ..pictures.maps import MapPoint
from ..pictures.timeline import TimelineEvent
from ..rdf.labels import best_label
from ..rdf.namespaces import ID_BASE, PREFIXES, sparql_prologue
from ..stores.base import GraphStore
from ..stores.class_hierarchy import values

EVENT = PREFIXES["rivm"] + "Event"
SITE = PREFIXES["rivm"] + "MichelinSite"

NETWORK = ID_BASE + "organization/rivm"


@dataclass
class Overview:
    summary: str | None
    summary_lang: str | None
    numbers: list[tuple[str, int]]  # (message key, count)
    points: list[MapPoint]
    events: list[TimelineEvent]


def _select(store: GraphStore, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def to_date(literal: Literal) -> dt.date | None:
    """The first day of an xsd:date, xsd:gYearMonth or xsd:gYear, for placing it on a timeline."""
    text = str(literal)
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date(int(text[:4]), 1, 1)
    except ValueError:
        return None


def counts(store: GraphStore) -> list[tuple[str, int]]:
    events, sites = values(store, "eventClass", EVENT), values(store, "siteClass", SITE)
    rows = _select(
        store,
        f"""
        SELECT
          (COUNT(DISTINCT ?member) AS ?members) (COUNT(DISTINCT ?city) AS ?cities)
          (COUNT(DISTINCT ?country) AS ?countries) (COUNT(DISTINCT ?event) AS ?events)
          (COUNT(DISTINCT ?site) AS ?sites) (COUNT(DISTINCT ?source) AS ?sources)
        WHERE {{
          {{ ?m a rivm:Membership ; org:organization organization:rivm ; org:role role:member ;
               org:member ?member }}
          UNION {{ ?city a rivm:City . OPTIONAL {{ ?city rivm:country ?country }} }}
          UNION {{ {events} ?event a ?eventClass }}
          UNION {{ {sites} ?site a ?siteClass }}
          UNION {{ ?source a rivm:Source }}
        }}""",
    )
    row = rows[0]
    return [
        (key, int(row[key]))
        for key in ("members", "cities", "countries", "events", "sites", "sources")
    ]


def map_points(
    store: GraphStore, languages: Sequence[str], local_href: Callable[[str], str]
) -> list[MapPoint]:
    """Cities at their point; each Michelin site at the point of the city it is in or near."""
    rows = _select(
        store,
        f"""
        SELECT ?thing ?lat ?long ?kind WHERE {{
          {{ ?thing a rivm:City ; geo:hasGeometry ?g . BIND("city" AS ?kind) }}
          UNION
          {{ {values(store, "siteClass", SITE)} ?thing a ?siteClass .
            ?thing rivm:locatedIn|rivm:nearCity ?city . ?city geo:hasGeometry ?g .
            BIND("site" AS ?kind) }}
          ?g wgs:lat ?lat ; wgs:long ?long .
        }}""",
    )
    seen, points = set(), []
    labels = store.labels({str(r["thing"]) for r in rows}, languages)
    for r in rows:
        iri = str(r["thing"])
        if iri in seen:
            continue
        seen.add(iri)
        points.append(
            MapPoint(
                iri,
                labels.get(iri, iri),
                float(r["lat"]),
                float(r["long"]),
                local_href(iri),
                str(r["kind"]),
            )
        )
    return sorted(points, key=lambda p: (p.kind, p.label))


def timeline(
    store: GraphStore, languages: Sequence[str], local_href: Callable[[str], str]
) -> list[TimelineEvent]:
    rows = _select(
        store,
        f"""
        SELECT ?event ?start ?conference WHERE {{
          {values(store, "eventClass", EVENT)}
          ?event a ?eventClass ; schema:startDate ?start .
          OPTIONAL {{ ?event a rivm:Conference . BIND(rivm:Conference AS ?conference) }}
        }}""",
    )
    figures = _select(
        store,
        """
        SELECT ?event ?value ?quantity ?source WHERE {
          ?f a rivm:ReportedFigure ; rivm:about ?event ; rivm:value ?value ;
             rivm:quantity ?quantity ; dct:source ?source .
          ?event a rivm:Conference .
          FILTER(?quantity IN (quantity:cities, quantity:participants, quantity:delegates))
          FILTER NOT EXISTS { ?f rivm:isForecast true }
        } ORDER BY ?event ?quantity ?value""",
    )
    names = store.labels(
        {str(r["event"]) for r in rows}
        | {str(f["quantity"]) for f in figures}
        | {str(f["source"]) for f in figures},
        languages,
    )
    # One entry per distinct value, naming every source that reports it.
    sources_of: dict[str, dict[tuple, list[str]]] = defaultdict(dict)
    for f in figures:
        key = (f["value"].toPython(), names.get(str(f["quantity"]), ""))
        sources_of[str(f["event"])].setdefault(key, []).append(names.get(str(f["source"]), ""))
    by_event = {
        event: [
            (value, quantity, "; ".join(sorted(srcs))) for (value, quantity), srcs in values.items()
        ]
        for event, values in sources_of.items()
    }
    events, seen = [], set()
    for r in rows:
        iri = str(r["event"])
        when = to_date(r["start"])
        if iri in seen or when is None:
            continue
        seen.add(iri)
        is_conference = "conference" in r
        events.append(
            TimelineEvent(
                iri,
                names.get(iri, iri),
                when,
                local_href(iri),
                "conference" if is_conference else "event",
                tuple(by_event.get(iri, ())),
            )
        )
    return sorted(events, key=lambda e: e.date)


def network_summary(store: GraphStore, languages: Sequence[str]) -> tuple[str | None, str | None]:
    rows = _select(store, "SELECT ?d WHERE { organization:rivm schema:description ?d }")
    pairs = [("https://schema.org/description", r["d"]) for r in rows]
    chosen = best_label(pairs, languages)
    lang = next((r["d"].language for r in rows if str(r["d"]) == chosen), None)
    return chosen, lang


def build_overview(
    store: GraphStore, languages: Sequence[str], local_href: Callable[[str], str]
) -> Overview:
    summary, lang = network_summary(store, languages)
    return Overview(
        summary,
        lang,
        counts(store),
        map_points(store, languages, local_href),
        timeline(store, languages, local_href),
    )
