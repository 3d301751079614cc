"""What the dataset descriptions say about the graph, read from the graph itself.

One pass of small SPARQL queries gathers every number, date, place, language and name that VoID,
DCAT-AP and schema.org report, so the three descriptions cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from ..pages.overview import EVENT, NETWORK
from ..pages.overview import counts as overview_counts
from ..rdf.namespaces import ID_BASE, ONTOLOGY_IRI, PREFIXES, sparql_prologue
from ..stores.base import GraphStore, StoreCounts
from ..stores.class_hierarchy import values

#: Resources worth showing first (void:exampleResource), kept if the graph holds them.
EXAMPLES = (
    ID_BASE + "city/clermont-ferrand",
    ID_BASE + "conference/2017-clermont-ferrand",
    ID_BASE + "declaration/queretaro-2022",
)


@dataclass(frozen=True)
class LinkTarget:
    """A dataset the graph links to with owl:sameAs."""

    key: str
    title: str
    homepage: str
    uri_space: str  # the IRIs the data uses for it
    host_pattern: str  # regex over the link's object, either scheme


LINK_TARGETS = (
    LinkTarget(
        "geonames",
        "GeoNames",
        "https://www.geonames.org/",
        "https://sws.geonames.org/",
        r"^https?://sws\\.geonames\\.org/",
    ),
    LinkTarget(
        "wikidata",
        "Wikidata",
        "https://www.wikidata.org/",
        "http://www.wikidata.org/entity/",
        r"^https?://www\\.wikidata\\.org/",
    ),
)


@dataclass(frozen=True)
class Country:
    iri: str
    alpha2: str
    labels: dict[str, str]  # language → name


@dataclass(frozen=True)
class DatasetFacts:
    names: dict[str, str]  # language → the network's name
    numbers: dict[str, int]  # members, cities, countries, events, sites, sources
    counts: StoreCounts
    entities: int  # distinct subjects under the dataset's URI space
    distinct_subjects: int
    distinct_objects: int
    properties: dict[str, int]  # predicate → distinct triples
    links: dict[str, int]  # LinkTarget.key → owl:sameAs triples
    countries: tuple[Country, ...]
    languages: tuple[str, ...]  # primary language subtags of the data's literals
    start: Literal | None  # earliest event date
    end: Literal | None  # latest event date
    issued: Literal | None
    modified: Literal | None
    keywords: dict[str, tuple[str, ...]]  # language → the network's themes
    examples: tuple[str, ...]
    vocabularies: tuple[str, ...]  # namespaces of the predicates and classes used
    box: tuple[float, float, float, float] | None  # min lat, min long, max lat, max long
    centroid: tuple[float, float] | None  # mean lat, mean long of the points


def _rows(store: GraphStore, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def _one(store: GraphStore, text: str) -> int:
    return int(_rows(store, text)[0]["n"])


def namespace_of(iri: str) -> str:
    """The longest namespace of the prefix map holding ``iri``, else the IRI up to # or /."""
    known = [ns for ns in PREFIXES.values() if iri.startswith(ns) and len(iri) > len(ns)]
    if known:
        return max(known, key=len)
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _dates(store: GraphStore) -> list[Literal]:
    events = values(store, "class", EVENT)
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?d WHERE {{ {events} ?e a ?class .
             {{ ?e schema:startDate ?d }} UNION {{ ?e schema:endDate ?d }} }}""",
    )
    return sorted((r["d"] for r in rows), key=str)


def _countries(store: GraphStore) -> tuple[Country, ...]:
    rows = _rows(
        store,
        """SELECT DISTINCT ?country ?code ?label WHERE {
             ?city a rivm:City ; rivm:country ?country . ?country rivm:iso3166Alpha2 ?code .
             OPTIONAL { ?country rdfs:label ?label } }""",
    )
    found: dict[str, Country] = {}
    for r in rows:
        iri = str(r["country"])
        country = found.setdefault(iri, Country(iri, str(r["code"]).upper(), {}))
        label = r.get("label")
        if label is not None and label.language:
            country.labels.setdefault(label.language, str(label))
    return tuple(sorted(found.values(), key=lambda c: c.alpha2))


def _labels(store: GraphStore, text: str) -> dict[str, list[str]]:
    by_language: dict[str, list[str]] = {}
    for r in _rows(store, text):
        label = r["label"]
        by_language.setdefault(label.language or "", []).append(str(label))
    return {lang: sorted(set(values)) for lang, values in by_language.items()}


def gather_facts(store: GraphStore) -> DatasetFacts:
    counts = store.counts()
    distinct = "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    properties = {
        str(r["p"]): int(r["n"])
        for r in _rows(store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {distinct} GROUP BY ?p")
    }
    links = {
        t.key: _one(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { ?s owl:sameAs ?o "
            f'FILTER(isIRI(?o) && REGEX(STR(?o), "{t.host_pattern}")) }} }}',
        )
        for t in LINK_TARGETS
    }
    languages = sorted(
        {
            str(r["tag"]).split("-")[0].lower()
            for r in _rows(
                store,
                "SELECT DISTINCT (LANG(?o) AS ?tag) WHERE { ?s ?p ?o "
                'FILTER(isLiteral(?o) && LANG(?o) != "") }',
            )
        }
    )
    dates = _dates(store)
    header = _rows(
        store,
        f"SELECT ?issued ?modified WHERE {{ OPTIONAL {{ <{ONTOLOGY_IRI}> dct:created ?issued }} "
        f"OPTIONAL {{ <{ONTOLOGY_IRI}> dct:modified ?modified }} }}",
    )[0]
    names = {
        lang: values[0]
        for lang, values in _labels(
            store, f"SELECT ?label WHERE {{ <{NETWORK}> rdfs:label ?label }}"
        ).items()
    }
    keywords = _labels(
        store,
        f"SELECT ?label WHERE {{ <{NETWORK}> dct:subject ?theme . ?theme skos:prefLabel ?label }}",
    )
    used = {
        str(r["term"])
        for r in _rows(
            store, "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } }"
        )
    }
    vocabularies = sorted(
        {namespace_of(t) for t in used if not t.startswith(ID_BASE) and "://" in t}
    )
    examples = tuple(iri for iri in EXAMPLES if store.query(f"ASK {{ <{iri}> ?p ?o }}").boolean)
    points = _rows(
        store,
        """SELECT (MIN(?lat) AS ?s) (MIN(?long) AS ?w) (MAX(?lat) AS ?n) (MAX(?long) AS ?e)
                  (AVG(?lat) AS ?clat) (AVG(?long) AS ?clong)
           WHERE { ?point wgs:lat ?lat ; wgs:long ?long }""",
    )[0]
    has_points = "s" in points
    return DatasetFacts(
        names=names,
        numbers=dict(overview_counts(store)),
        counts=counts,
        entities=_one(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
            f'FILTER(STRSTARTS(STR(?s), "{ID_BASE}")) }}',
        ),
        distinct_subjects=_one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        distinct_objects=_one(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        properties=properties,
        links=links,
        countries=_countries(store),
        languages=tuple(languages),
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        issued=header.get("issued"),
        modified=header.get("modified"),
        keywords={lang: tuple(values) for lang, values in keywords.items()},
        examples=examples,
        vocabularies=tuple(vocabularies),
        box=(
            tuple(float(points[k]) for k in ("s", "w", "n", "e"))  # type: ignore[arg-type]
            if has_points
            else None
        ),
        centroid=(float(points["clat"]), float(points["clong"])) if has_points else None,
    )
