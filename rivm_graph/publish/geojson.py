"""The cities and Michelin sites as GeoJSON (RFC 7946), for QGIS, GeoPandas and web maps.

Read from the store by SPARQL of plain triple patterns, UNION and VALUES (the same on Oxigraph
and Virtuoso). A city is at its own point (``geo:hasGeometry``, WGS84 latitude and longitude); a
Michelin site has no point of its own in the graph, so it is drawn at the point of the city it is
in or near, and says so (``located``: ``in`` or ``near``, ``city_iri``). Coordinates are
[longitude, latitude], as RFC 7946 orders them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from ..i18n import LANGUAGES
from ..rdf import formats
from ..rdf.namespaces import ID_BASE, PREFIXES, sparql_prologue
from ..stores.base import GraphStore
from ..stores.class_hierarchy import values
from .tables import LABEL

RIVM = PREFIXES["rivm"]
SITE = RIVM + "MichelinSite"
NETWORK = ID_BASE + "organization/rivm"
MEMBER_ROLE = ID_BASE + "role/member"
MEDIA_TYPE = formats.GEOJSON.media_type
#: The collections served at /geo/<name>.geojson, and the kind of resource each holds.
COLLECTIONS = {"cities": "city", "sites": "site"}


@dataclass(frozen=True)
class GeoData:
    """Both collections, and each feature by the IRI of its resource."""

    collections: dict[str, dict[str, Any]]

    def feature(self, iri: str) -> dict[str, Any] | None:
        for collection in self.collections.values():
            for feature in collection["features"]:
                if feature["id"] == iri:
                    return feature
        return None


def _rows(store: GraphStore, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def _names(store: GraphStore, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each resource's rdfs:label in each language of the site (one per language)."""
    names: dict[str, dict[str, str]] = {}
    for subject, label in sorted(store.names(iris).subject_objects(URIRef(LABEL)), key=str):
        lang = label.language if isinstance(label, Literal) else None
        if lang in LANGUAGES:
            names.setdefault(str(subject), {}).setdefault(lang, str(label))
    return names


def _point(long: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [long, lat]}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": sorted(features, key=lambda f: f["id"])}


def _cities(store: GraphStore) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    rows = _rows(
        store,
        """
        SELECT ?city ?lat ?long ?country ?code WHERE {
          ?city a rivm:City ; geo:hasGeometry ?g . ?g wgs:lat ?lat ; wgs:long ?long .
          OPTIONAL { ?city rivm:country ?country OPTIONAL { ?country rivm:iso3166Alpha2 ?code } }
        }""",
    )
    members = {
        str(r["city"])
        for r in _rows(
            store,
            f"""
            SELECT DISTINCT ?city WHERE {{
              ?m a rivm:Membership ; org:organization <{NETWORK}> ; org:role <{MEMBER_ROLE}> ;
                 org:member ?city }}""",
        )
    }
    iris = {str(r["city"]) for r in rows} | {str(r["country"]) for r in rows if "country" in r}
    names = _names(store, iris)
    labels = store.labels(iris, ["en"])
    features = {}
    for r in rows:
        iri = str(r["city"])
        if iri in features:
            continue
        country = str(r["country"]) if "country" in r else None
        features[iri] = {
            "type": "Feature",
            "id": iri,
            "geometry": _point(float(r["long"]), float(r["lat"])),
            "properties": {
                "iri": iri,
                "label": labels.get(iri, iri),
                "labels": names.get(iri, {}),
                "kind": "city",
                "kind_iri": RIVM + "City",
                "country": labels.get(country) if country else None,
                "country_code": str(r["code"]) if "code" in r else None,
                "country_iri": country,
                "member": iri in members,
            },
        }
    return _collection(list(features.values())), features


def _sites(store: GraphStore, cities: dict[str, dict[str, Any]]) -> dict[str, Any]:
    rows = _rows(
        store,
        f"""
        SELECT ?site ?kind ?city ?located WHERE {{
          {values(store, "kind", SITE)} ?site a ?kind .
          {{ ?site rivm:locatedIn ?city BIND("in" AS ?located) }}
          UNION {{ ?site rivm:nearCity ?city BIND("near" AS ?located) }}
        }}""",
    )
    sites = {str(r["site"]) for r in rows}
    kinds = values(store, "kind", SITE)
    products: dict[str, list[str]] = {}
    for r in _rows(
        store, f"SELECT DISTINCT ?site ?p WHERE {{ {kinds} ?site a ?kind ; rivm:product ?p }}"
    ):
        products.setdefault(str(r["site"]), []).append(str(r["p"]))
    reports: dict[str, list[str]] = {}
    statuses: dict[str, set[str]] = {}
    for r in _rows(
        store,
        f"""SELECT DISTINCT ?site ?report ?status WHERE {{
              {kinds} ?site a ?kind ; rivm:statusReport ?report
              OPTIONAL {{ ?report rivm:status ?status }} }}""",
    ):
        reports.setdefault(str(r["site"]), []).append(str(r["report"]))
        if "status" in r:
            statuses.setdefault(str(r["site"]), set()).add(str(r["status"]))
    linked = (
        {str(r["kind"]) for r in rows}
        | {p for ps in products.values() for p in ps}
        | {s for ss in statuses.values() for s in ss}
    )
    labels = store.labels(sites | linked, ["en"])
    names = _names(store, sites)
    # One feature per site, whatever order the engine answers in: the most specific kind (a
    # site typed rivm:MichelinSite and a subclass), the city it is in before one it is near,
    # among the cities that have a point (a site without one is not drawn).
    chosen: dict[str, dict] = {}
    for r in sorted(rows, key=_preference):
        if str(r["city"]) in cities:
            chosen.setdefault(str(r["site"]), r)
    features = []
    for iri, r in chosen.items():
        city = cities[str(r["city"])]
        site_products = sorted(set(products.get(iri, [])))
        site_reports = sorted(set(reports.get(iri, [])))
        site_statuses = sorted({labels.get(s, s) for s in statuses.get(iri, ())})
        place = city["properties"]
        features.append(
            {
                "type": "Feature",
                "id": iri,
                "geometry": city["geometry"],
                "properties": {
                    "iri": iri,
                    "label": labels.get(iri, iri),
                    "labels": names.get(iri, {}),
                    "kind": labels.get(str(r["kind"]), str(r["kind"])),
                    "kind_iri": str(r["kind"]),
                    "located": str(r["located"]),
                    "city": place["label"],
                    "city_iri": place["iri"],
                    "country": place["country"],
                    "country_code": place["country_code"],
                    "country_iri": place["country_iri"],
                    "member": place["member"],
                    "status": " | ".join(site_statuses) or None,
                    "status_reports": site_reports,
                    "products": [labels.get(p, p) for p in site_products],
                    "product_iris": site_products,
                },
            }
        )
    return _collection(features)


def _preference(row: dict) -> tuple:
    kind, located = str(row["kind"]), str(row["located"])
    return (str(row["site"]), kind == SITE, kind, located != "in", str(row["city"]))


def build_geojson(store: GraphStore) -> GeoData:
    cities, by_iri = _cities(store)
    return GeoData({"cities": cities, "sites": _sites(store, by_iri)})


def encode(document: dict[str, Any]) -> bytes:
    """The same document gives the same bytes (keys sorted), in UTF-8."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
