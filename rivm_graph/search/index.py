"""The search index: every name of every resource, read from the store once per data version,
matched by SQLite's FTS5 and ranked by how the match was made, the kind of resource and how
close the name is to the query.

Matching, from the strictest (each a ``level``; a resource keeps its best):

``exact``   the query is one of its names (or identifiers: ISO code, GeoNames, Wikidata, source
            key), folded (case, accents and punctuation ignored: ``clermont ferrand``);
``words``   every word of the query is a word of one name (FTS5, words ANDed);
``prefix``  the same, the last word as a prefix (FTS5 ``"vall"*``; autocompletion only);
``typo``    the same, a word of five letters or more read as any word of the names within one
            edit (insertion, deletion, substitution or swap of two neighbours: ``valadolid``);
``some``    when nothing above matched, any word of the query.

Within a level, cities, events, people and the other main kinds come first, then the rest, and
records about them (figures, sources, memberships, participations, geometries) last; then the
closer name (rapidfuzz's normalised Indel similarity of the folded query and name, 0–100: also
the hit's score), then the English name and the IRI, so equal matches keep one order on every
store.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rdflib import Literal, URIRef
from rdflib.term import Node

from ..i18n import DEFAULT_LANGUAGE, FALLBACK, label_languages
from ..rdf.labels import LABEL_PREDICATES, best_label, compact
from ..rdf.namespaces import ID_BASE, PREFIXES
from ..stores import class_hierarchy
from ..stores.base import WHOLE_GRAPH_DEADLINE, GraphStore
from .errors import SearchError
from .text import fold, language, phrase

RIVM = PREFIXES["rivm"]
RDF_TYPE = PREFIXES["rdf"] + "type"
OWL_CLASS = PREFIXES["owl"] + "Class"
#: Names a resource is found by (the label predicates first: labels.best_label's order).
NAME_PREDICATES: tuple[str, ...] = (
    *LABEL_PREDICATES,
    PREFIXES["skos"] + "altLabel",
    PREFIXES["schema"] + "alternateName",
)
#: Codes a resource is found by when the query is exactly one of them (``FR``, ``Q42168``).
IDENTIFIER_PREDICATES: tuple[str, ...] = (
    RIVM + "iso3166Alpha2",
    RIVM + "geonamesId",
    RIVM + "wikidataId",
    RIVM + "sourceKey",
)
#: What a hit's one-line summary says, in this order, where the resource has it: an event's date
#: and host city, a city's country, a site's city, a person's post, a source's kind and date.
SUMMARY_PREDICATES: tuple[str, ...] = (
    PREFIXES["schema"] + "startDate",
    RIVM + "hostCity",
    RIVM + "country",
    RIVM + "locatedIn",
    RIVM + "nearCity",
    PREFIXES["schema"] + "jobTitle",
    RIVM + "sourceType",
    PREFIXES["dct"] + "issued",
)
SUMMARY_LENGTH = 160
#: The main kinds, ranked first for an equal match (with their subclasses: conferences, plants,
#: twinnings); a reconciliation client offers them first.
MAIN_KINDS: tuple[str, ...] = tuple(
    RIVM + name
    for name in (
        "City",
        "Event",
        "Person",
        "Country",
        "MichelinSite",
        "Organization",
        "Network",
        "Declaration",
        "Project",
    )
)
#: Records about other resources, ranked last.
LAST_KINDS = frozenset(
    (
        *(
            RIVM + name
            for name in (
                "ReportedFigure",
                "Source",
                "Membership",
                "Participation",
                "HostSelection",
                "SiteStatus",
            )
        ),
        PREFIXES["geo"] + "Geometry",
    )
)

LEVELS: tuple[str, ...] = ("exact", "words", "prefix", "typo", "some")
EXACT, WORDS, PREFIX, TYPO, SOME = range(len(LEVELS))
#: A word this long or longer may carry one typo; shorter ones must be spelt right.
TYPO_MIN_LENGTH = 5
MAX_QUERY_LENGTH = 500
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_TYPES = 20
#: Of the names that match only some of the words, the closest this many to the query are
#: ranked: a query of several common words matches hundreds, and ranking them all took most of
#: the search (FTS5's own rank, BM25, to choose them cost more than it saved: 4 ms for 18 words).
LOOSE_CANDIDATES = 200


@dataclass(frozen=True)
class Name:
    entry: int  # the resource's number in SearchIndex.entries
    text: str
    folded: str
    lang: str | None
    predicate: str


@dataclass
class Entry:
    """A resource the index finds."""

    iri: str
    types: tuple[str, ...]  # asserted, sorted
    kind: str | None  # the most specific of them (a rivm: class where there is one)
    tier: int  # 0 main kinds, 1 others, 2 records about others
    labels: list[tuple[str, Literal]] = field(default_factory=list)
    facts: list[tuple[str, Node]] = field(default_factory=list)
    sort_name: str = ""


class Match(NamedTuple):
    entry: int
    level: int
    score: float  # 0–100
    name: Name


@dataclass(frozen=True)
class Kind:
    iri: str
    label: str


@dataclass(frozen=True)
class Hit:
    """One resource found, ready to show: its name and kind in the reader's language."""

    iri: str
    label: str
    kind: Kind | None
    summary: str
    matched: str | None = None  # the name (or identifier) the query matched, as written
    matched_lang: str | None = None
    match: str | None = None  # one of LEVELS
    score: float | None = None  # 0–100

    def to_dict(self) -> dict:
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": {"iri": self.kind.iri, "label": self.kind.label} if self.kind else None,
            "summary": self.summary,
            "matched": self.matched,
            "matchedLang": self.matched_lang,
            "match": self.match,
            "score": self.score,
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    lang: str
    total: int
    offset: int
    limit: int
    hits: list[Hit]

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "lang": self.lang,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "hits": [hit.to_dict() for hit in self.hits],
        }


class SearchIndex:
    """Built by :meth:`build` from a store; read-only afterwards, and safe to share between
    threads (one SQLite connection per process, behind a lock: a query takes well under a
    millisecond) and across ``fork`` (each process opens its own copy of the FTS5 database)."""

    def __init__(
        self,
        entries: list[Entry],
        names: list[Name],
        terms: dict[str, list[tuple[str, Literal]]],
        term_types: dict[str, tuple[str, ...]],
        below: dict[str, frozenset[str]],
        data_version: str,
    ):
        self.entries = entries
        self.names = names
        self.terms = terms  # labels of the classes, properties and other IRIs the data uses
        self.term_types = term_types
        self.below = below  # every class → itself and its subclasses
        self.data_version = data_version
        self.by_iri = {entry.iri: number for number, entry in enumerate(entries)}
        self._exact: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(names):
            self._exact[name.folded].append(number)
        self._name_words = [frozenset(name.folded.split()) for name in names]
        self._entry_of = [name.entry for name in names]
        self._known_words = frozenset().union(*self._name_words)
        #: The words a typo may stand for.
        self.vocabulary = sorted(word for word in self._known_words if word.isalpha())
        #: The beginnings of those words, by length: what a typo in a word being typed may stand
        #: for (built on first use, for the lengths people type).
        self._beginnings: dict[int, frozenset[str]] = {}
        self._near_beginnings: dict[int, list[str]] = {}
        self._folded_names: dict[int, set[str]] = defaultdict(set)
        for name in names:
            self._folded_names[name.entry].add(name.folded)
        #: What ranks resources of equal match (kind's tier, name, IRI), per entry number.
        self._order = [(entry.tier, entry.sort_name, entry.iri) for entry in entries]
        #: Labels and summaries shown, by (IRI or entry, language): the data never changes, and
        #: a summary took a quarter of a millisecond to make (a tenth of a search).
        self._shown: dict[tuple[str, str, str], str] = {}
        self._image = _fts_image(names)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    # ---- building

    @classmethod
    def build(cls, store: GraphStore) -> SearchIndex:
        """Read names, identifiers, types and summary facts with four SELECTs of plain triple
        patterns and VALUES (answered alike by Oxigraph and Virtuoso), then index them."""
        labelled: dict[str, list[tuple[str, Literal]]] = defaultdict(list)
        for row in _rows(store, NAME_PREDICATES + IDENTIFIER_PREDICATES, literals=True):
            labelled[str(row["s"])].append((str(row["p"]), row["o"]))
        types: dict[str, set[str]] = defaultdict(set)
        for row in store.query(
            f"SELECT ?s ?o WHERE {{ ?s <{RDF_TYPE}> ?o FILTER(isIRI(?s) && isIRI(?o)) }}",
            deadline=WHOLE_GRAPH_DEADLINE,
        ).rows:
            types[str(row["s"])].add(str(row["o"]))
        facts: dict[str, list[tuple[str, Node]]] = defaultdict(list)
        for row in _rows(store, SUMMARY_PREDICATES, literals=False):
            facts[str(row["s"])].append((str(row["p"]), row["o"]))
        classes = {c for found in types.values() for c in found}
        below = {c: frozenset(class_hierarchy.subclasses(store, c)) for c in sorted(classes)}
        above = _superclasses(below)

        entries: list[Entry] = []
        names: list[Name] = []
        for iri in sorted(labelled):
            if not iri.startswith(ID_BASE):
                continue
            asserted = tuple(sorted(types.get(iri, ())))
            every = {c for t in asserted for c in above.get(t, {t})}
            entry = Entry(
                iri=iri,
                types=asserted,
                kind=_most_specific(asserted, below),
                tier=_tier(every),
                labels=sorted((p, o) for p, o in labelled[iri] if p not in IDENTIFIER_PREDICATES),
                facts=sorted(facts.get(iri, []), key=lambda pair: (pair[0], str(pair[1]))),
            )
            entry.sort_name = fold(best_label(entry.labels, FALLBACK) or iri)
            names.extend(_names(len(entries), labelled[iri]))
            entries.append(entry)
        terms = {
            iri: sorted(pairs) for iri, pairs in labelled.items() if not iri.startswith(ID_BASE)
        }
        term_types = {iri: tuple(sorted(types.get(iri, ()))) for iri in terms}
        return cls(entries, names, terms, term_types, below, store.data_version)

    # ---- the FTS5 database, one per process

    def _fts(self, expression: str) -> list[int]:
        """Name numbers whose words match an FTS5 expression (built only by this module, from
        quoted words)."""
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                self._connection = sqlite3.connect(":memory:", check_same_thread=False)
                self._connection.deserialize(self._image)
                self._pid = os.getpid()
            rows = self._connection.execute(
                "SELECT rowid FROM names WHERE names MATCH ?", (expression,)
            ).fetchall()
        return [rowid - 1 for (rowid,) in rows]

    # ---- matching

    def matches(
        self, text: str, *, prefix: bool = False, keep: Callable[[int], bool] | None = None
    ) -> list[Match]:
        """Each resource matching ``text`` once, with its best match, in rank order; ``keep``
        (an entry number → bool) leaves others out before the looser levels are tried."""
        query = fold(_checked(text))
        words = query.split()
        if not words:
            return []
        last = len(words) - 1
        found: dict[int, int] = {}  # name number → its best level

        def add(numbers: Iterable[int], level_of: Callable[[int], int]) -> None:
            for number in numbers:
                if keep is None or keep(self._entry_of[number]):
                    found[number] = min(level_of(number), found.get(number, SOME))

        add(self._exact.get(query, ()), lambda _: EXACT)
        whole = set(words)
        every = " ".join(phrase(w, prefix=prefix and i == last) for i, w in enumerate(words))
        add(self._fts(every), lambda n: WORDS if whole <= self._name_words[n] else PREFIX)
        options = [
            _any_of(o, prefix and i == last) for i, o in enumerate(self._typos(words, prefix))
        ]
        if any(" OR " in o for o in options):
            add(self._fts(" AND ".join(options)), lambda _: TYPO)
        if not found and len(words) > 1:
            add(self._fts(" OR ".join(options)), lambda _: SOME)
            return self._best(query, found, LOOSE_CANDIDATES)
        return self._best(query, found)

    def _best(self, query: str, found: dict[int, int], most: int | None = None) -> list[Match]:
        """Each resource's best name (level, then similarity to the query), in rank order; with
        ``most``, of the names that many closest to the query only.

        The similarities are computed in one call (rapidfuzz's C loop): a query of many words
        ORed matches up to a thousand names; scored and compared one by one in Python they took
        most of a 9 ms search, this way the whole search takes 2.4 ms.
        """
        folded = {number: self.names[number].folded for number in found}
        closest = process.extract(query, folded, scorer=fuzz.ratio, limit=most)
        scores = {number: score for _, score, number in closest}
        best: dict[int, tuple[int, float, int]] = {}
        for number in scores:
            level, entry = found[number], self._entry_of[number]
            key = (level, -100.0 if level == EXACT else -scores[number], number)
            if entry not in best or key < best[entry]:
                best[entry] = key
        order = self._order
        ranked = sorted(
            (level, order[entry][0], round(negative, 1), order[entry][1:], entry, number)
            for entry, (level, negative, number) in best.items()
        )
        return [
            Match(entry, level, -negative, self.names[number])
            for level, _, negative, _, entry, number in ranked
        ]

    def _typos(self, words: Sequence[str], prefix: bool) -> list[list[str]]:
        """Each word with the indexed words one edit away, where it is long, alphabetic and not
        itself indexed; a word being typed (prefix mode), with the beginnings of indexed words
        one edit away, where no indexed word begins with it."""
        alternatives = []
        for i, word in enumerate(words):
            options = [word]
            typed = prefix and i == len(words) - 1
            if len(word) >= TYPO_MIN_LENGTH and word.isalpha():
                if typed and word not in self._beginnings_of_length(len(word)):
                    candidates: list[str] = self._beginnings_near_length(len(word))
                elif not typed and word not in self._known_words:
                    candidates = self.vocabulary
                else:
                    candidates = []
                options += [
                    found
                    for found, _, _ in process.extract(
                        word, candidates, scorer=OSA.distance, score_cutoff=1, limit=None
                    )
                ]
            alternatives.append(options)
        return alternatives

    def _beginnings_near_length(self, length: int) -> list[str]:
        """The beginnings one letter shorter, as long, or one longer (an edit may drop or add a
        letter), sorted."""
        found = self._near_beginnings.get(length)
        if found is None:
            near = (self._beginnings_of_length(length + d) for d in (-1, 0, 1))
            found = sorted(frozenset[str]().union(*near))
            self._near_beginnings[length] = found
        return found

    def _beginnings_of_length(self, length: int) -> frozenset[str]:
        found = self._beginnings.get(length)
        if found is None:
            found = frozenset(w[:length] for w in self.vocabulary if len(w) >= length)
            self._beginnings[length] = found  # a race only builds the same set twice
        return found

    # ---- searching

    def search(
        self,
        text: str,
        *,
        types: Sequence[str] = (),
        lang: str | None = None,
        limit: int | str = DEFAULT_LIMIT,
        offset: int | str = 0,
        prefix: bool = False,
    ) -> SearchResults:
        """A page of the resources matching ``text``, of any of ``types`` (class IRIs or
        ``prefix:Name``; subclasses count), named in ``lang``. Limits are capped (MAX_LIMIT);
        bad input raises :class:`SearchError`."""
        reader = language(lang, DEFAULT_LANGUAGE)
        limit, offset = _page(limit, offset)
        classes = self.classes(types)
        keep = None if classes is None else (lambda entry: self.is_a(entry, classes))
        found = self.matches(text, prefix=prefix, keep=keep)
        hits = [self.hit(m, reader) for m in found[offset : offset + limit]]
        return SearchResults(text, reader, len(found), offset, limit, hits)

    def classes(self, types: Sequence[str] | str) -> frozenset[str] | None:
        """The classes a filter on ``types`` lets through (with subclasses); None: no filter."""
        if isinstance(types, str):
            types = [types]
        if not isinstance(types, list | tuple) or not all(isinstance(t, str) for t in types):
            raise SearchError("types must be class IRIs")
        if not types:
            return None
        if len(types) > MAX_TYPES:
            raise SearchError(f"at most {MAX_TYPES} types in one filter")
        allowed: set[str] = set()
        for given in types:
            allowed |= self.class_and_below(given)
        return frozenset(allowed)

    def class_and_below(self, given: str) -> frozenset[str]:
        """One class (IRI or ``prefix:local``) and its subclasses; SearchError if unknown."""
        iri = expand(given)
        if iri not in self.below:
            raise SearchError(f"unknown type: {str(given)[:200]}")
        return self.below[iri]

    def is_a(self, match: Match | int, classes: frozenset[str]) -> bool:
        number = match if isinstance(match, int) else match.entry
        return not classes.isdisjoint(self.entries[number].types)

    # ---- showing

    def hit(self, match: Match, lang: str) -> Hit:
        entry = self.entries[match.entry]
        return Hit(
            iri=entry.iri,
            label=self.label(entry.iri, lang),
            kind=self.kind(entry, lang),
            summary=self.summary(entry, lang),
            matched=match.name.text,
            matched_lang=match.name.lang,
            match=LEVELS[match.level],
            score=match.score,
        )

    def describe(self, iri: str, lang: str | None = None) -> Hit | None:
        """The hit for one resource without a query (a preview, a flyout); None if unknown."""
        number = self.by_iri.get(iri)
        if number is None:
            return None
        reader = language(lang, DEFAULT_LANGUAGE)
        entry = self.entries[number]
        return Hit(
            entry.iri,
            self.label(iri, reader),
            self.kind(entry, reader),
            self.summary(entry, reader),
        )

    def label(self, iri: str, lang: str) -> str:
        """The name of any IRI of the data in the reader's language, else its compact form."""
        shown = self._shown.get(("label", iri, lang))
        if shown is None:
            number = self.by_iri.get(iri)
            pairs = self.entries[number].labels if number is not None else self.terms.get(iri, ())
            shown = best_label(pairs, label_languages(lang)) or compact(iri)
            if number is not None or iri in self.terms:  # (any text may be asked: keep known)
                self._shown[("label", iri, lang)] = shown
        return shown

    def kind(self, entry: Entry, lang: str) -> Kind | None:
        return Kind(entry.kind, self.label(entry.kind, lang)) if entry.kind else None

    def summary(self, entry: Entry, lang: str) -> str:
        shown = self._shown.get(("summary", entry.iri, lang))
        if shown is None:
            shown = self._shown[("summary", entry.iri, lang)] = self._summary(entry, lang)
        return shown

    def _summary(self, entry: Entry, lang: str) -> str:
        languages = label_languages(lang)
        parts = []
        for predicate in SUMMARY_PREDICATES:
            values = [o for p, o in entry.facts if p == predicate]
            literals = [(predicate, o) for o in values if isinstance(o, Literal)]
            shown = [self.label(str(o), lang) for o in values if isinstance(o, URIRef)]
            if literals:
                shown.append(best_label(literals, languages) or "")
            if shown:
                parts.append(", ".join(shown))
        line = " · ".join(parts)
        return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"

    def names_of(self, iri: str) -> set[str]:
        """Every folded name and identifier of a resource (to compare a property's value)."""
        number = self.by_iri.get(iri)
        if number is None:
            return {fold(str(o)) for _, o in self.terms.get(iri, ())}
        return self._folded_names[number]


def expand(name: str) -> str:
    """A class or property IRI from its IRI or its ``prefix:local`` form."""
    name = str(name).strip()
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise SearchError("the query must be text")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            f"the query has {len(text)} characters; at most {MAX_QUERY_LENGTH} are searched"
        )
    return text


def _page(limit, offset) -> tuple[int, int]:
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError):
        raise SearchError("limit and offset must be whole numbers") from None
    if limit < 1 or offset < 0 or offset > MAX_OFFSET:
        raise SearchError(f"limit must be 1 or more and offset between 0 and {MAX_OFFSET}")
    return min(limit, MAX_LIMIT), offset


def _any_of(options: Sequence[str], prefix: bool) -> str:
    return "(" + " OR ".join(phrase(o, prefix=prefix) for o in options) + ")"


def _rows(store: GraphStore, predicates: Sequence[str], *, literals: bool) -> list[dict]:
    kind = "isLiteral(?o)" if literals else "(isLiteral(?o) || isIRI(?o))"
    values = " ".join(f"<{p}>" for p in predicates)
    where = f"VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?s) && {kind})"
    return store.query(f"SELECT ?s ?p ?o WHERE {{ {where} }}", deadline=WHOLE_GRAPH_DEADLINE).rows


def _names(entry: int, pairs: Iterable[tuple[str, Literal]]) -> list[Name]:
    """One name per distinct text of a resource (``Cuneo``@en, @fr and @it index once), in
    best_label's predicate order so the name shown as matched is its most usual one."""
    order = {p: i for i, p in enumerate(NAME_PREDICATES + IDENTIFIER_PREDICATES)}
    seen: set[str] = set()
    names = []
    for predicate, literal in sorted(
        pairs, key=lambda pair: (order.get(pair[0], 99), pair[1].language or "", str(pair[1]))
    ):
        text = str(literal)
        folded = fold(text)
        if folded and text not in seen:
            seen.add(text)
            names.append(Name(entry, text, folded, literal.language, predicate))
    return names


def _tier(classes: set[str]) -> int:
    if not classes.isdisjoint(MAIN_KINDS):
        return 0
    return 2 if not classes.isdisjoint(LAST_KINDS) else 1


def _superclasses(below: dict[str, frozenset[str]]) -> dict[str, set[str]]:
    above: dict[str, set[str]] = defaultdict(set)
    for cls, subs in below.items():
        for sub in subs:
            above[sub].add(cls)
    return above


def _most_specific(types: Sequence[str], below: dict[str, frozenset[str]]) -> str | None:
    """The asserted type no other asserted type lies below, a rivm: class before others."""
    lowest = [t for t in types if not any(o != t and o in below.get(t, ()) for o in types)]
    return min(lowest, key=lambda t: (not t.startswith(RIVM), t)) if lowest else None


def _fts_image(names: Sequence[Name]) -> bytes:
    """The FTS5 database of the folded names, serialised so each process opens its own."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE names USING fts5(folded, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.executemany(
        "INSERT INTO names (rowid, folded) VALUES (?, ?)",
        ((number + 1, name.folded) for number, name in enumerate(names)),
    )
    connection.commit()
    image = connection.serialize()
    connection.close()
    return image


_cache: dict[tuple[int, str], SearchIndex] = {}
_cache_lock = threading.Lock()


def index_for(store: GraphStore) -> SearchIndex:
    """The index of a store's data, built on first use and kept per data version."""
    key = (id(store), store.data_version)
    with _cache_lock:
        index = _cache.get(key)
        if index is None:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            index = _cache[key] = SearchIndex.build(store)
    return index
