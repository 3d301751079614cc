"""The Reconciliation Service API 0.2 (W3C Entity Reconciliation CG), as OpenRefine speaks it:
the manifest, batches of queries, suggest (entities, types, properties), data extension and its
property proposals — each a function from decoded JSON to JSON-ready dicts, for the web layer to
serve. Names come from the search index; property values are read from the store at request time
with plain triple patterns and VALUES, holding only IRIs the index knows (a client's text never
reaches SPARQL).
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..i18n.messages import translator
from ..rdf.namespaces import ID_BASE, PREFIXES
from ..stores.base import GraphStore
from .build import MAIN_KINDS
from .errors import SearchError
from .index import EXACT, MAX_LIMIT, Match, SearchIndex, expand
from .stored import index_for
from .text import fold, language

RIVM = PREFIXES["rivm"]
#: Where the web layer serves each part; the manifest names them under the public base URL.
PATHS = {
    "service": "/reconcile",
    "view": "/reconcile/view?id={{id}}",
    "preview": "/reconcile/preview?id={{id}}",
    "suggest_entity": "/reconcile/suggest/entity",
    "suggest_type": "/reconcile/suggest/type",
    "suggest_property": "/reconcile/suggest/property",
    "propose_properties": "/reconcile/extend/propose",
}
PREVIEW_SIZE = (400, 90)
#: Most queries in one batch (OpenRefine sends 10 at a time unless told otherwise).
MAX_BATCH = 100
DEFAULT_CANDIDATES = 5
#: How far the best exact candidate's score must stand above the next for OpenRefine to match it
#: on its own.
MATCH_MARGIN = 10.0
#: A candidate's score is its name's similarity times (PROPERTY_FLOOR + the rest × the share of
#: the query's properties it has): one with none of them keeps half its score.
PROPERTY_FLOOR = 0.5
#: With type_strict "should", a candidate of none of the types keeps this share of its score.
TYPE_MISS_FACTOR = 0.8
#: Candidates of one query whose properties are read and compared.
CANDIDATES_COMPARED = 50
MAX_PROPERTIES = 20
MAX_VALUES = 20
MAX_EXTEND_IDS = 500
SUGGEST_LIMIT = 10
QUERY_KEYS = frozenset({"query", "type", "limit", "properties", "type_strict"})
#: IRIs a property id may be (no character that could end an IRI in SPARQL).
_SAFE_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class Property:
    """A property the service reads for a resource: triple patterns from ``?s`` to ``?v`` (and
    ``?w`` for a point's longitude), and where its name comes from."""

    id: str
    pattern: str
    point: bool = False  # a pair (?v latitude, ?w longitude), given as "lat,long"
    term: str | None = None  # the ontology term naming it (and an alias of its id)
    message: str | None = None  # else the interface message naming it
    range: str | None = None  # the class of its entity values


def _p(prefix: str, local: str) -> str:
    return f"<{PREFIXES[prefix]}{local}>"


GEOMETRY = f"?s {_p('geo', 'hasGeometry')} ?g . "
PROPERTIES: tuple[Property, ...] = (
    Property(
        "country",
        f"?s {_p('rivm', 'country')} ?v",
        term=RIVM + "country",
        range=RIVM + "Country",
    ),
    Property(
        "coordinates",
        GEOMETRY + f"?g {_p('wgs', 'lat')} ?v ; {_p('wgs', 'long')} ?w",
        point=True,
        message="reconcile_coordinates",
    ),
    Property("latitude", GEOMETRY + f"?g {_p('wgs', 'lat')} ?v", term=PREFIXES["wgs"] + "lat"),
    Property("longitude", GEOMETRY + f"?g {_p('wgs', 'long')} ?v", term=PREFIXES["wgs"] + "long"),
    Property("geonamesId", f"?s {_p('rivm', 'geonamesId')} ?v", term=RIVM + "geonamesId"),
    Property("wikidataId", f"?s {_p('rivm', 'wikidataId')} ?v", term=RIVM + "wikidataId"),
    Property(
        "sites",
        f"VALUES ?near {{ {_p('rivm', 'locatedIn')} {_p('rivm', 'nearCity')} }} ?v ?near ?s",
        message="reconcile_sites",
        range=RIVM + "MichelinSite",
    ),
    Property(
        "memberships",
        f"?v {_p('org', 'member')} ?s",
        message="reconcile_memberships",
        range=RIVM + "Membership",
    ),
    Property(
        "events",
        f"?x {_p('rivm', 'participant')} ?s ; {_p('rivm', 'inEvent')} ?v",
        message="reconcile_events",
        range=RIVM + "Event",
    ),
)
BY_ID = {p.id: p for p in PROPERTIES}
BY_TERM = {p.term: p for p in PROPERTIES if p.term}
PROPERTY_TYPES = frozenset(
    PREFIXES["owl"] + name for name in ("ObjectProperty", "DatatypeProperty")
)


class Reconciler:
    """The reconciliation service over one store; its index is built on first use."""

    def __init__(self, store: GraphStore, index: SearchIndex | None = None):
        self.store = store
        self._index = index
        self._proposals: dict[tuple[str, str], list[Property]] = {}
        self._lock = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        return self._index or index_for(self.store)

    # ---- the manifest

    def manifest(self, base_url: str, lang: str | None = None) -> dict:
        """The service manifest, its URLs under ``base_url`` (the server's public URL)."""
        reader = language(lang, DEFAULT_LANGUAGE)
        base = base_url.rstrip("/")

        def service(key: str) -> dict:
            return {"service_url": base, "service_path": PATHS[key]}

        return {
            "versions": ["0.2"],
            "name": translator(reader)("site"),
            "identifierSpace": ID_BASE,
            "schemaSpace": RIVM,
            "view": {"url": base + PATHS["view"]},
            "preview": {
                "url": base + PATHS["preview"],
                "width": PREVIEW_SIZE[0],
                "height": PREVIEW_SIZE[1],
            },
            "defaultTypes": [self._type(c, reader) for c in MAIN_KINDS if c in self.index.below],
            "suggest": {
                "entity": service("suggest_entity"),
                "type": service("suggest_type"),
                "property": service("suggest_property"),
            },
            "extend": {
                "propose_properties": service("propose_properties"),
                "property_settings": [],
            },
        }

    # ---- reconciliation

    def reconcile(self, queries: dict, lang: str | None = None) -> dict:
        """Candidates for each query of a batch (``{"q0": {"query": …}, …}``), by key."""
        reader = language(lang, DEFAULT_LANGUAGE)
        if not isinstance(queries, dict):
            raise SearchError("a reconciliation batch is a JSON object of queries by key")
        if len(queries) > MAX_BATCH:
            raise SearchError(
                f"the batch has {len(queries)} queries; at most {MAX_BATCH} are answered at once",
                status=413,
            )
        asked = {str(key): self._query(key, value) for key, value in queries.items()}
        found = {key: self._candidates(query) for key, query in asked.items()}
        values = self._property_values(
            (prop, m.entry)
            for key, query in asked.items()
            for prop, _ in query.properties
            for m in found[key]
        )
        return {
            key: {"result": self._result(asked[key], found[key], values, reader)} for key in asked
        }

    def _candidates(self, query: _Query) -> list[Match]:
        """The names matching the query, of its types unless they are only preferred."""
        index = self.index
        if query.types and not query.classes:
            return []  # only types this graph does not have: nothing is of them
        keep = None
        if query.classes and query.type_strict != "should":
            combine = all if query.type_strict == "all" else any
            keep = lambda entry: combine(index.is_a(entry, c) for c in query.classes)  # noqa: E731
        return index.matches(query.text, keep=keep)[:CANDIDATES_COMPARED]

    def _result(self, query: _Query, found: list[Match], values, reader: str) -> list[dict]:
        index = self.index
        scored = []
        for rank, m in enumerate(found):
            agreed = [
                _agrees(index, wanted, values.get((prop, m.entry), ()))
                for prop, wanted in query.properties
            ]
            score = m.score
            if agreed:
                score *= PROPERTY_FLOOR + (1 - PROPERTY_FLOOR) * sum(agreed) / len(agreed)
            typed = not query.classes or any(index.is_a(m, c) for c in query.classes)
            if not typed:
                score *= TYPE_MISS_FACTOR
            scored.append((round(score, 1), rank, m, all(agreed) and typed))
        scored.sort(key=lambda item: (-item[0], item[1]))
        candidates = []
        kept = scored[: query.limit]
        hits = index.hits([m for _, _, m, _ in kept], reader)
        for i, ((score, _, m, fits), hit) in enumerate(zip(kept, hits, strict=True)):
            runner_up = scored[i + 1][0] if i + 1 < len(scored) else -math.inf
            candidate = {
                "id": hit.iri,
                "name": hit.label,
                "score": score,
                "match": i == 0 and m.level == EXACT and fits and score - runner_up >= MATCH_MARGIN,
                "type": [{"id": hit.kind.iri, "name": hit.kind.label}] if hit.kind else [],
            }
            if hit.summary:
                candidate["description"] = hit.summary
            candidates.append(candidate)
        return candidates

    def _property_values(self, wanted: Iterable[tuple[Property, int]]) -> dict:
        """``(property, entry) → [value, …]`` for every pair asked, one query per property."""
        entries: dict[Property, set[int]] = defaultdict(set)
        for prop, entry in wanted:
            entries[prop].add(entry)
        values: dict = defaultdict(list)
        for prop, numbers in entries.items():
            iris = [self.index.entries[n].iri for n in sorted(numbers)]
            for iri, value in self._read(prop, iris):
                values[(prop, self.index.by_iri[iri])].append(value)
        return values

    def _read(self, prop: Property, iris: Sequence[str]) -> list[tuple[str, object]]:
        """``(subject, value)`` pairs of a property, ``value`` an rdflib term (a pair of them
        for a point); only IRIs of the index go into the query."""
        if not iris:
            return []
        subjects = " ".join(f"<{iri}>" for iri in iris)
        point = prop.point
        rows = self.store.query(
            f"SELECT ?s ?v {'?w' if point else ''} WHERE {{ VALUES ?s {{ {subjects} }} "
            f"{prop.pattern} }}"
        ).rows
        pairs = [(str(r["s"]), (r["v"], r["w"]) if point else r["v"]) for r in rows]
        return sorted(set(pairs), key=lambda pair: (pair[0], str(pair[1])))

    # ---- suggest

    def suggest_entities(
        self,
        prefix: str,
        *,
        types: Sequence[str] | str = (),
        cursor: int = 0,
        limit: int = SUGGEST_LIMIT,
        lang: str | None = None,
    ) -> dict:
        """Autocompletion of entity names: ``{"result": [{id, name, description, notable}]}``."""
        found = self.index.search(
            prefix, types=types, offset=cursor, limit=limit, prefix=True, lang=lang
        )
        return {
            "result": [
                {
                    "id": hit.iri,
                    "name": hit.label,
                    **({"description": hit.summary} if hit.summary else {}),
                    "notable": [{"id": hit.kind.iri, "name": hit.kind.label}] if hit.kind else [],
                }
                for hit in found.hits
            ]
        }

    def suggest_types(
        self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT, lang=None
    ) -> dict:
        """The ontology's classes whose name has a word starting with ``prefix``."""
        reader = language(lang, DEFAULT_LANGUAGE)
        index = self.index
        classes = sorted(c for c in index.below if c.startswith(RIVM) and index.terms.get(c))
        found = _by_prefix(prefix, classes, index.names_of)
        page = _page_of(found, cursor, limit)
        return {"result": [self._type(c, reader) for c in page]}

    def suggest_properties(
        self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT, lang=None
    ) -> dict:
        """The properties reconciliation and extension read whose name or id starts with
        ``prefix``: the service's own (``country``, ``coordinates``…), then the ontology's."""
        reader = language(lang, DEFAULT_LANGUAGE)
        found = _by_prefix(prefix, self._offered(), self._names_of)
        return {"result": [self._property(p, reader) for p in _page_of(found, cursor, limit)]}

    # ---- data extension

    def propose_properties(
        self, type_id: str, *, limit: int | str | None = None, lang=None
    ) -> dict:
        """The properties instances of a type (or its subclasses) have values for."""
        reader = language(lang, DEFAULT_LANGUAGE)
        if not isinstance(type_id, str):
            raise SearchError("type must be a type id")
        if limit is not None:
            limit = min(_count(limit, "limit", 1), MAX_LIMIT)
        index = self.index
        key = (type_id, index.data_version)
        with self._lock:
            proposed = self._proposals.get(key)
        if proposed is None:
            classes = index.classes(type_id)  # SearchError for an unknown type
            proposed = [p for p in self._offered() if self._used_by(p, classes)]
            with self._lock:
                self._proposals[key] = proposed
        if limit is not None:
            proposed = proposed[:limit]
        return {
            "type": type_id,
            "properties": [self._property(p, reader) for p in proposed],
            **({"limit": limit} if limit is not None else {}),
        }

    def extend(self, query: dict, lang: str | None = None) -> dict:
        """Values of the asked properties for the asked entities (``{ids, properties}``)."""
        reader = language(lang, DEFAULT_LANGUAGE)
        if not isinstance(query, dict) or not isinstance(query.get("ids"), list):
            raise SearchError("a data extension query is an object with 'ids' and 'properties'")
        ids, asked = query["ids"], query.get("properties")
        if not isinstance(asked, list) or not all(isinstance(i, str) for i in ids):
            raise SearchError("'ids' must be a list of strings and 'properties' a list")
        if len(ids) > MAX_EXTEND_IDS or len(asked) > MAX_PROPERTIES:
            raise SearchError(
                f"at most {MAX_EXTEND_IDS} ids and {MAX_PROPERTIES} properties in one query",
                status=413,
            )
        props = []
        for item in asked:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise SearchError("each property of a data extension query needs an 'id'")
            props.append((item["id"], self.resolve_property(item["id"])))
        known = [i for i in dict.fromkeys(ids) if i in self.index.by_iri]
        rows: dict[str, dict[str, list]] = {i: {pid: [] for pid, _ in props} for i in ids}
        for pid, prop in props:
            for iri, value in self._read(prop, known):
                rows[iri][pid].append(self._cell(prop, value, reader))
        return {
            "meta": [self._meta(pid, prop, reader) for pid, prop in props],
            "rows": rows,
        }

    def preview(self, iri: str, lang: str | None = None):
        """What a preview shows (a :class:`Hit` without match), or None for an unknown id."""
        return self.index.describe(iri, lang)

    def _query(self, key, value) -> _Query:
        """One query of a batch, checked against the API's query schema."""
        where = f"query {str(key)[:40]!r}"
        if not isinstance(value, dict):
            raise SearchError(f"{where} must be an object")
        unknown = set(value) - QUERY_KEYS
        if unknown:
            raise SearchError(f"{where} has unknown fields: {', '.join(sorted(unknown))[:200]}")
        text = value.get("query", "")
        types = value.get("type", [])
        types = [types] if isinstance(types, str) else types
        limit = value.get("limit", DEFAULT_CANDIDATES)
        strict = value.get("type_strict", "any")
        properties = value.get("properties", [])
        if not isinstance(text, str):
            raise SearchError(f"{where}: 'query' must be text")
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise SearchError(f"{where}: 'type' must be a type id or a list of them")
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit >= 0:
            raise SearchError(f"{where}: 'limit' must be a number of candidates")
        if strict not in ("any", "should", "all"):
            raise SearchError(f"{where}: 'type_strict' must be 'any', 'should' or 'all'")
        if not isinstance(properties, list) or len(properties) > MAX_PROPERTIES:
            raise SearchError(f"{where}: 'properties' must be a list of at most {MAX_PROPERTIES}")
        if len(types) > MAX_PROPERTIES:
            raise SearchError(f"{where}: at most {MAX_PROPERTIES} types")
        return _Query(
            text=text,
            types=tuple(types),
            classes=tuple(self._known_classes(types)),
            type_strict=strict,
            limit=min(int(limit), MAX_LIMIT),
            properties=tuple(self._property_value(where, p) for p in properties),
        )

    def _known_classes(self, types: Iterable[str]) -> Iterable[frozenset[str]]:
        for given in types:
            try:
                yield self.index.class_and_below(given)
            except SearchError:
                continue  # a type this graph does not have: nothing is of it

    def _property_value(self, where: str, item) -> tuple[Property, tuple[str, ...]]:
        """A query's property: the Property and the values wanted, as text (an entity by id)."""
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
            raise SearchError(f"{where}: each property needs 'pid' and 'v'")
        given = item["v"] if isinstance(item["v"], list) else [item["v"]]
        if len(given) > MAX_VALUES:
            raise SearchError(f"{where}: at most {MAX_VALUES} values for one property")
        wanted = []
        for value in given:
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                wanted.append(value["id"])
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                wanted.append(str(value))
            elif isinstance(value, bool):
                wanted.append(str(value).lower())
            else:
                raise SearchError(f"{where}: a property value is text, a number or {{id}}")
        return self.resolve_property(item["pid"]), tuple(wanted)

    # ---- properties

    def resolve_property(self, pid: str) -> Property:
        """A property by the service's id, an ontology term's IRI or ``prefix:local`` form, or
        another property of the data by IRI; SearchError otherwise."""
        if pid in BY_ID:
            return BY_ID[pid]
        iri = expand(pid)
        if iri in BY_TERM:
            return BY_TERM[iri]
        if _SAFE_IRI.fullmatch(iri) and iri in self.index.terms:
            return Property(iri, f"?s <{iri}> ?v", term=iri)
        raise SearchError(f"unknown property: {str(pid)[:200]} (see the property suggestions)")

    def _offered(self) -> list[Property]:
        """The service's properties, then every property the ontology declares."""
        index = self.index
        declared = sorted(
            iri
            for iri, types in index.term_types.items()
            if iri.startswith(RIVM) and not PROPERTY_TYPES.isdisjoint(types) and iri not in BY_TERM
        )
        return [*PROPERTIES, *(self.resolve_property(iri) for iri in declared)]

    def _used_by(self, prop: Property, classes: frozenset[str] | None) -> bool:
        if classes is None:
            return True
        kinds = " ".join(f"<{c}>" for c in sorted(classes))
        rows = self.store.query(
            f"SELECT ?s WHERE {{ VALUES ?class {{ {kinds} }} ?s a ?class . {prop.pattern} }} "
            "LIMIT 1"
        ).rows
        return bool(rows)

    def _names_of(self, prop: Property) -> set[str]:
        names = {fold(prop.id)}
        if prop.message:
            names |= {fold(translator(lang)(prop.message)) for lang in LANGUAGES}
        if prop.term:
            names |= self.index.names_of(prop.term)
        return names

    def _property(self, prop: Property, reader: str) -> dict:
        return {"id": prop.id, "name": self._property_name(prop, reader)}

    def _property_name(self, prop: Property, reader: str) -> str:
        if prop.message:
            return translator(reader)(prop.message)
        return self.index.label(prop.term or prop.id, reader)

    def _meta(self, pid: str, prop: Property, reader: str) -> dict:
        meta: dict[str, Any] = {"id": pid, "name": self._property_name(prop, reader)}
        if prop.range:
            meta["type"] = self._type(prop.range, reader)
        return meta

    def _type(self, iri: str, reader: str) -> dict:
        return {"id": iri, "name": self.index.label(iri, reader)}

    def _cell(self, prop: Property, value, reader: str) -> dict:
        if prop.point:
            return {"str": f"{float(value[0])},{float(value[1])}"}
        if isinstance(value, URIRef):
            return {"id": str(value), "name": self.index.label(str(value), reader)}
        if isinstance(value, Literal) and value.datatype in (XSD.decimal, XSD.double, XSD.float):
            return {"float": float(value)}
        if isinstance(value, Literal) and value.datatype == XSD.integer:
            return {"int": int(value)}
        return {"str": str(value)}


@dataclass(frozen=True)
class _Query:
    text: str
    types: tuple[str, ...]
    classes: tuple[frozenset[str], ...]  # those of the types the graph has, with subclasses
    type_strict: str
    limit: int
    properties: tuple[tuple[Property, tuple[str, ...]], ...]


def _agrees(index: SearchIndex, wanted: Sequence[str], values: Sequence) -> bool:
    """Whether a candidate has one of the wanted values: an entity by IRI, name or code (``FR``,
    ``fr``, ``France``, ``Mexique``), a literal by its folded text or as a number."""
    for value in values:
        if isinstance(value, tuple):  # a point
            have = {fold(f"{float(value[0])},{float(value[1])}")}
        elif isinstance(value, URIRef):
            if any(expand(w) == str(value) for w in wanted):
                return True
            have = index.names_of(str(value))
        else:
            have = {fold(str(value))}
            if any(_same_number(w, value) for w in wanted):
                return True
        if any(fold(w) in have for w in wanted):
            return True
    return False


def _same_number(text: str, value) -> bool:
    try:
        return math.isclose(float(text), float(value))
    except (TypeError, ValueError):
        return False


def _by_prefix(prefix: str, items: Sequence, names) -> list:
    """Items with a name starting with ``prefix`` first, then those with a word of a name
    starting with it (folded); all of them for an empty prefix."""
    if not isinstance(prefix, str):
        raise SearchError("prefix must be text")
    wanted = fold(prefix)
    starts, inside = [], []
    for item in items:
        folded = names(item)
        if any(name.startswith(wanted) for name in folded):
            starts.append(item)
        elif any(f" {wanted}" in f" {name}" for name in folded):
            inside.append(item)
    return starts + inside


def _page_of(items: Sequence, cursor, limit) -> list:
    cursor = _count(cursor, "cursor", 0)
    return list(items[cursor : cursor + min(_count(limit, "limit", 1), MAX_LIMIT)])


def _count(value, name: str, least: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name} must be a whole number") from None
    if number < least:
        raise SearchError(f"{name} must be {least} or more")
    return number
