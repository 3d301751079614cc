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

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar, overload

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..i18n import DEFAULT_LANGUAGE, label_languages
from ..rdf.labels import best_text, compact
from ..rdf.namespaces import PREFIXES
from ..rdf.terms import IRI, LITERAL, Value
from ..stores.base import GraphStore
from .build import SUMMARY_PREDICATES, Name, read_content
from .database import Database, memory_image
from .errors import SearchError
from .text import fold, language, phrase

SUMMARY_LENGTH = 160
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
#: Resources kept ready to show in each process (read from the database otherwise: 0.1 ms at
#: 1M triples).
SHOWN_ENTRIES = 4096


@dataclass
class Entry:
    """A resource the index finds."""

    iri: str
    types: tuple[str, ...]  # asserted, sorted
    kind: str | None  # the most specific of them (a rivm: class where there is one)
    tier: int  # 0 main kinds, 1 others, 2 records about others
    labels: list[tuple[str, Value]] = field(default_factory=list)  # (predicate, literal)
    facts: list[tuple[str, Value]] = field(default_factory=list)  # (predicate, IRI or literal)
    sort_name: str = ""


class Match(NamedTuple):
    entry: int
    level: int
    score: float  # 0–100
    name_number: int  # the name matched, in SearchIndex.names


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
    """The index held in an SQLite database (:mod:`.database`): a file built once per data
    version (:mod:`.stored`), or an image in memory (:meth:`build`). Read-only, and safe to
    share between threads and across ``fork``: each process opens its own connection.

    Held in memory, in every process: the arrays matching reads for each candidate name (the
    entry of a name; the types, tier and alphabetical rank of an entry), the words a typo may
    stand for, the classes and the names of the ontology's terms. Read from the database when
    needed: the names matching a query (FTS5, or the exact folded name), and the resources and
    names shown (``entries``, ``names`` and ``by_iri`` read them one by one).
    """

    def __init__(self, source: Path | bytes, data_version: str | None = None):
        """The index in ``source`` (a database file, or an image of one); IndexFileError if it
        is not an index of this format (and of ``data_version``, if given)."""
        self._database = Database(source)
        lean = self._database.lean(data_version)
        self.data_version: str = lean["data_version"]
        self._entry_of = lean["entry_of"]  # name number → entry number (ascending)
        self._folded: list[str] = lean["folded"]  # name number → the name folded
        self._typeset_of = lean["typeset_of"]
        self._tier = lean["tier"]
        self._alphabetical = lean["alphabetical"]  # entry → its rank by (sort name, IRI)
        rows = self._database.rows
        self._typesets = [
            tuple(json.loads(t)) for (t,) in rows("SELECT types FROM typeset ORDER BY number")
        ]
        self._typeset_sets = [frozenset(types) for types in self._typesets]
        #: Labels of the classes, properties and other IRIs the data uses.
        self.terms: dict[str, list[tuple[str, Value]]] = {}
        self.term_types: dict[str, tuple[str, ...]] = {}
        for iri, labels, types in rows("SELECT iri, labels, types FROM term"):
            self.terms[iri] = [(p, Value(*v)) for p, *v in json.loads(labels)]
            self.term_types[iri] = tuple(json.loads(types))
        #: Every class → itself and its subclasses.
        self.below: dict[str, frozenset[str]] = {
            c: frozenset(json.loads(below)) for c, below in rows("SELECT iri, below FROM class")
        }
        self._database.close()  # each process opens its own when it first searches
        #: The words a typo may stand for.
        self.vocabulary: list[str] = lean["vocabulary"]
        self._words = frozenset(self.vocabulary)
        self.entries = _Entries(self)
        self.names = _Names(self)
        self.by_iri = _Numbers(self)
        #: The beginnings of those words, by length: what a typo in a word being typed may stand
        #: for (built on first use, for the lengths people type).
        self._beginnings: dict[int, frozenset[str]] = {}
        self._near_beginnings: dict[int, list[str]] = {}
        #: Labels and summaries shown, by (IRI or entry, language): the data never changes, and
        #: a summary took a quarter of a millisecond to make (a tenth of a search).
        self._shown: dict[tuple[str, str, str], str] = {}
        self._entry = lru_cache(maxsize=SHOWN_ENTRIES)(self._read_entry)

    @property
    def _pid(self) -> int:
        """The process whose connection is open (0: none yet)."""
        return self._database.pid

    # ---- building

    @classmethod
    def build(cls, store: GraphStore) -> SearchIndex:
        """The index of a store's data, held in memory only (:func:`.stored.index_for` keeps
        it on disk, once per data version)."""
        return cls(memory_image(read_content(store)))

    # ---- reading the database

    def _fts(self, expression: str) -> list[int]:
        """Name numbers whose words match an FTS5 expression (built only by this module, from
        quoted words)."""
        rows = self._database.rows("SELECT rowid FROM names WHERE names MATCH ?", (expression,))
        return [number for (number,) in rows]

    def _read_entry(self, number: int) -> Entry:
        iri, kind, typeset, tier, sort_name, labels, facts = self._database.rows(
            "SELECT iri, kind, typeset, tier, sort_name, labels, facts FROM entry WHERE number = ?",
            (number,),
        )[0]
        return _entry(iri, kind, self._typesets[typeset], tier, sort_name, labels, facts)

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
        entry_of, folded = self._entry_of, self._folded

        def add(numbers: Iterable[int], level_of: Callable[[str], int]) -> None:
            for number in numbers:
                if keep is None or keep(entry_of[number]):
                    found[number] = min(level_of(folded[number]), found.get(number, SOME))

        exact = self._database.rows(
            "SELECT number FROM name WHERE folded = ? ORDER BY number", (query,)
        )
        add((number for (number,) in exact), lambda _: EXACT)
        whole = set(words)
        every = " ".join(phrase(w, prefix=prefix and i == last) for i, w in enumerate(words))
        add(self._fts(every), lambda name: WORDS if whole.issubset(name.split()) else PREFIX)
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
        folded = {number: self._folded[number] for number in found}
        closest = process.extract(query, folded, scorer=fuzz.ratio, limit=most)
        scores = {number: score for _, score, number in closest}
        best: dict[int, tuple[int, float, int]] = {}
        for number in scores:
            level, entry = found[number], self._entry_of[number]
            key = (level, -100.0 if level == EXACT else -scores[number], number)
            if entry not in best or key < best[entry]:
                best[entry] = key
        tier, alphabetical = self._tier, self._alphabetical
        ranked = sorted(
            (level, tier[entry], round(negative, 1), alphabetical[entry], entry, number)
            for entry, (level, negative, number) in best.items()
        )
        return [
            Match(entry, level, -negative, number)
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
                elif not typed and word not in self._words:
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
        hits = self.hits(found[offset : offset + limit], reader)
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
        return not classes.isdisjoint(self._typeset_sets[self._typeset_of[number]])

    # ---- showing

    def hits(self, matches: Sequence[Match], lang: str) -> list[Hit]:
        """The hits of a page of matches (their names read at once: one read per hit cost a
        quarter of a small search)."""
        numbers = sorted({m.name_number for m in matches})
        names: dict[int, Name] = {}
        for start in range(0, len(numbers), MAX_LIMIT):
            chunk = numbers[start : start + MAX_LIMIT]
            rows = self._database.rows(
                "SELECT number, entry, text, folded, lang, predicate FROM name "
                f"WHERE number IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            names.update((number, Name(*row)) for number, *row in rows)
        return [self._hit(m, names[m.name_number], lang) for m in matches]

    def hit(self, match: Match, lang: str) -> Hit:
        return self._hit(match, self.names[match.name_number], lang)

    def _hit(self, match: Match, name: Name, lang: str) -> Hit:
        entry = self.entries[match.entry]
        return Hit(
            iri=entry.iri,
            label=self.label(entry.iri, lang),
            kind=self.kind(entry, lang),
            summary=self.summary(entry, lang),
            matched=name.text,
            matched_lang=name.lang,
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
            names = ((p, o.text, o.language) for p, o in pairs)
            shown = best_text(names, label_languages(lang)) or compact(iri)
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
            literals = [(predicate, o.text, o.language) for o in values if o.kind == LITERAL]
            shown = [self.label(o.text, lang) for o in values if o.kind == IRI]
            if literals:
                shown.append(best_text(literals, languages) or "")
            if shown:
                parts.append(", ".join(shown))
        line = " · ".join(parts)
        return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"

    def names_of(self, iri: str) -> set[str]:
        """Every folded name and identifier of a resource (to compare a property's value)."""
        number = self.by_iri.get(iri)
        if number is None:
            return {fold(o.text) for _, o in self.terms.get(iri, ())}
        # names are numbered resource by resource
        first, end = bisect_left(self._entry_of, number), bisect_right(self._entry_of, number)
        return set(self._folded[first:end])


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


T = TypeVar("T")


class _ReadWhenAsked(Sequence[T]):
    """Items of the index, numbered from 0, each read from the database when asked for."""

    def __init__(self, index: SearchIndex):
        self._index = index

    def _read(self, number: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, number: int) -> T: ...
    @overload
    def __getitem__(self, number: slice) -> list[T]: ...
    def __getitem__(self, number: int | slice) -> T | list[T]:
        if isinstance(number, slice):
            return [self[n] for n in range(*number.indices(len(self)))]
        return self._read(_checked_number(number, len(self)))


class _Entries(_ReadWhenAsked[Entry]):
    """The resources, in IRI order."""

    def __len__(self) -> int:
        return len(self._index._typeset_of)

    def _read(self, number: int) -> Entry:
        return self._index._entry(number)

    def __iter__(self) -> Iterator[Entry]:
        index = self._index
        rows = index._database.rows(
            "SELECT iri, kind, typeset, tier, sort_name, labels, facts FROM entry ORDER BY number"
        )
        for iri, kind, typeset, tier, sort_name, labels, facts in rows:
            yield _entry(iri, kind, index._typesets[typeset], tier, sort_name, labels, facts)


class _Names(_ReadWhenAsked[Name]):
    """Every name of every resource, resource by resource."""

    def __len__(self) -> int:
        return len(self._index._entry_of)

    def _read(self, number: int) -> Name:
        (row,) = self._index._database.rows(
            "SELECT entry, text, folded, lang, predicate FROM name WHERE number = ?", (number,)
        )
        return Name(*row)

    def __iter__(self) -> Iterator[Name]:
        rows = self._index._database.rows(
            "SELECT entry, text, folded, lang, predicate FROM name ORDER BY number"
        )
        return (Name(*row) for row in rows)


class _Numbers(Mapping[str, int]):
    """A resource's IRI → its entry number, read from the database."""

    def __init__(self, index: SearchIndex):
        self._index = index

    def __getitem__(self, iri: str) -> int:
        if not isinstance(iri, str):
            raise KeyError(iri)
        rows = self._index._database.rows("SELECT number FROM entry WHERE iri = ?", (iri,))
        if not rows:
            raise KeyError(iri)
        return rows[0][0]

    def __len__(self) -> int:
        return len(self._index._typeset_of)

    def __iter__(self) -> Iterator[str]:
        rows = self._index._database.rows("SELECT iri FROM entry ORDER BY number")
        return (iri for (iri,) in rows)


def _checked_number(number: int, length: int) -> int:
    if number < 0:
        number += length
    if not 0 <= number < length:
        raise IndexError("no such number in the search index")
    return number


def _entry(
    iri: str,
    kind: str | None,
    types: tuple[str, ...],
    tier: int,
    sort_name: str,
    labels: str,
    facts: str,
) -> Entry:
    """An entry as the database holds it (labels and facts as JSON of plain values)."""
    return Entry(
        iri=iri,
        types=types,
        kind=kind,
        tier=tier,
        labels=[(p, Value(*v)) for p, *v in json.loads(labels)],
        facts=[(p, Value(*v)) for p, *v in json.loads(facts)],
        sort_name=sort_name,
    )
