"""Search and lookup (rivm_graph.search) in-process over the real data.

Every expected IRI, label and summary below was read in data/*.ttl and ontology/rivm.ttl by a
person; none comes from the code under test.
"""

from __future__ import annotations

import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rivm_graph.search import SearchError, SearchIndex, index_for
from rivm_graph.search.index import LOOSE_CANDIDATES, MAX_LIMIT
from rivm_graph.search.text import fold
from rivm_graph.stores.base import GraphStore

ID = "https://w3id.org/rivm/id/"
RIVM = "https://w3id.org/rivm/ontology#"
CITY = RIVM + "City"


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:
    return SearchIndex.build(store)


def iris(results) -> list[str]:
    return [hit.iri for hit in results.hits]


def first(index, text, **options):
    results = index.search(text, **options)
    assert results.hits, text
    return results.hits[0]


# ---- what matches


def test_a_name_in_another_spelling_finds_the_city_with_its_name_and_kind(index):
    hit = first(index, "queretaro")
    assert hit.iri == ID + "city/queretaro"
    assert hit.label == "Santiago de Querétaro"
    assert (hit.matched, hit.matched_lang) == ("Querétaro", "en")  # skos:altLabel
    assert hit.match == "exact" and hit.score == 100
    assert (hit.kind.iri, hit.kind.label) == (CITY, "City")
    assert hit.summary == "Mexico"  # rivm:country country:mx


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("QUERÉTARO", "city/queretaro"),
        ("Santiago de Queretaro", "city/queretaro"),
        ("clermont ferrand", "city/clermont-ferrand"),
        ("Clermont-Ferrand", "city/clermont-ferrand"),
        ("  clermont -- FERRAND!", "city/clermont-ferrand"),
        ("nyiregyhaza", "city/nyiregyhaza"),  # Nyíregyháza
        ("zalau", "city/zalau"),  # Zalău
        ("Gasteiz", "city/vitoria-gasteiz"),  # "Gasteiz"@eu
        ("Vitoria", "city/vitoria-gasteiz"),  # "Vitoria"@es
        ("Krementchouk", "city/kremenchuk"),  # the French name
        ("Homyel'", "city/gomel"),
        ("Kings County", "city/county-of-kings"),
        ("Deutschland", "country/de"),  # "Deutschland"@de
        ("Q42168", "city/clermont-ferrand"),  # rivm:wikidataId
        ("3991164", "city/queretaro"),  # rivm:geonamesId
        ("MX", "country/mx"),  # rivm:iso3166Alpha2
    ],
)
def test_every_name_and_code_in_every_language_case_and_accents_aside(index, text, iri):
    hit = first(index, text)
    assert hit.iri == ID + iri
    assert hit.match == "exact"


def test_all_the_words_of_a_longer_name(index):
    hit = first(index, "Michelin Cataroux")
    assert hit.iri == ID + "site/michelin-cataroux"
    assert hit.match == "words"
    assert hit.summary == "Clermont-Ferrand"  # rivm:locatedIn city:clermont-ferrand


@pytest.mark.parametrize(
    ("typed", "iri"),
    [
        ("Valadolid", "city/valladolid"),  # a letter missing
        ("Karlsruhee", "city/karlsruhe"),  # one too many
        ("Karlsurhe", "city/karlsruhe"),  # two swapped
        ("Monteral", "city/montreal"),
        ("Regensbourg", "city/regensburg"),  # one changed
        ("aranda de deuro", "city/aranda-de-duero"),
    ],
)
def test_one_typo_in_a_longer_word(index, typed, iri):
    hit = first(index, typed)
    assert hit.iri == ID + iri
    assert hit.match == "typo"
    assert 0 < hit.score < 100


def test_no_typo_in_a_short_word(index):
    assert ID + "city/braga" in iris(index.search("Braga"))
    assert ID + "city/braga" not in iris(index.search("Brga"))


def test_prefix_mode_completes_the_last_word(index):
    assert first(index, "vall", prefix=True).iri == ID + "city/valladolid"
    assert ID + "city/valladolid" not in iris(index.search("vall"))
    assert first(index, "santiago de quer", prefix=True).iri == ID + "city/queretaro"
    hit = first(index, "karlsr", prefix=True)
    assert (hit.iri, hit.match) == (ID + "city/karlsruhe", "prefix")


@pytest.mark.parametrize(
    ("typed", "iri"),
    [
        ("Regnes", "city/regensburg"),  # two swapped in the beginning being typed
        ("Clremo", "city/clermont-ferrand"),
        ("Vitroia", "city/vitoria-gasteiz"),
        ("Krmench", "city/kremenchuk"),  # a letter missing
        ("santiago de qeuret", "city/queretaro"),  # in the last word only
    ],
)
def test_prefix_mode_forgives_one_typo_in_the_word_being_typed(index, typed, iri):
    hit = first(index, typed, prefix=True)
    assert (hit.iri, hit.match) == (ID + iri, "typo")


def test_prefix_mode_prefers_a_real_beginning_to_a_typo(index):
    assert first(index, "vall", prefix=True).match == "prefix"  # too short for a typo
    assert first(index, "Regens", prefix=True).match == "prefix"


def test_an_event_is_summarised_by_its_date_and_host_city(index):
    hit = first(index, "1st INMC Conference")
    assert hit.iri == ID + "conference/2017-clermont-ferrand"
    assert hit.summary == "2017-11-29 · Clermont-Ferrand"


def test_a_query_of_several_words_some_absent_still_finds_the_closest(index):
    hit = first(index, "Regensburg, Germany")
    assert hit.iri == ID + "city/regensburg"
    assert hit.match == "some"


# ---- ranking


def test_the_exact_name_ranks_first_then_main_kinds_before_records(index):
    found = iris(index.search("Karlsruhe", limit=MAX_LIMIT))
    assert found[0] == ID + "city/karlsruhe"
    # "Michelin Karlsruhe plant" is further from the query than the source's title "S-wikiital-
    # karlsruhe" is, but a site ranks before a source for a match of the same kind.
    assert found.index(ID + "site/michelin-karlsruhe") < found.index(
        ID + "source/wikiital-karlsruhe"
    )
    assert found.index(ID + "site/michelin-karlsruhe") < found.index(
        ID + "membership/karlsruhe-member"
    )


def test_events_and_cities_before_figures_and_sources(index):
    found = index.search("Anderson", limit=MAX_LIMIT).hits
    tiers = [hit.kind.iri.rsplit("#", 1)[1] for hit in found if hit.match == "words"]
    records = {"ReportedFigure", "Source", "Membership", "Participation", "Geometry"}
    main = {"City", "Conference", "Event", "Person", "Organization", "Plant", "Headquarters"}
    last_main = max(i for i, kind in enumerate(tiers) if kind in main)
    first_record = min(i for i, kind in enumerate(tiers) if kind in records)
    assert last_main < first_record


def test_the_order_is_stable(store, index):
    again = SearchIndex.build(store)
    for text in ("clermont", "michelin", "2019", "vall"):
        assert iris(index.search(text, limit=MAX_LIMIT)) == iris(
            again.search(text, limit=MAX_LIMIT)
        )


# ---- filters and pages


def test_a_type_filter_keeps_that_class_and_its_subclasses(index):
    assert iris(index.search("valladolid", types=[CITY])) == [ID + "city/valladolid"]
    # site:michelin-valladolid is a rivm:Plant, a subclass of rivm:MichelinSite
    sites = iris(index.search("valladolid", types=["rivm:MichelinSite"]))
    assert sites == [ID + "site/michelin-valladolid"]
    both = iris(index.search("valladolid", types=[CITY, RIVM + "MichelinSite"]))
    assert both == [ID + "city/valladolid", ID + "site/michelin-valladolid"]
    events = index.search("Clermont-Ferrand", types=[RIVM + "Event"], limit=MAX_LIMIT).hits
    assert ID + "conference/2017-clermont-ferrand" in [hit.iri for hit in events]
    assert {hit.kind.iri for hit in events} <= {
        RIVM + kind for kind in ("Conference", "GeneralAssembly", "Visit", "Workshop", "Event")
    } | {RIVM + "ExecutiveCommitteeMeeting", RIVM + "Announcement", RIVM + "OnlineConference"}


def test_a_type_filter_applies_before_the_looser_matches(index):
    # No City's name has "ferrand" and "france" both: the words some of them have are tried.
    assert first(index, "Clermont-Ferrand France", types=[CITY]).iri == ID + "city/clermont-ferrand"


def test_labels_and_kinds_in_the_readers_language(index):
    hit = first(index, "Kremenchuk", lang="fr")
    assert (hit.label, hit.kind.label) == ("Krementchouk", "Ville")
    assert first(index, "queretaro", lang="es").summary == "México"
    assert first(index, "queretaro", lang="fr-CA").summary == "Mexique"
    assert first(index, "Germany", lang="de").label == "Deutschland"
    assert first(index, "Karlsruhe", lang="ja").label == "Karlsruhe"  # English, then French…


def test_pages(index):
    every = iris(index.search("clermont", limit=20))
    assert iris(index.search("clermont", limit=10, offset=10)) == every[10:20]
    results = index.search("clermont", limit=5, offset=3)
    assert (results.total, results.limit, results.offset) == (index.search("clermont").total, 5, 3)
    assert index.search("clermont", limit=10**6).limit == MAX_LIMIT
    assert index.search("clermont", offset=9999).hits == []


# ---- bad input


@pytest.mark.parametrize("text", ["", "   ", "!!!", "-- ; ,", "«»", "\x00"])
def test_nothing_to_search_finds_nothing(index, text):
    assert index.search(text).total == 0


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"clermont',
        "clermont*",
        "*",
        "NEAR(clermont ferrand)",
        "clermont AND ferrand",
        "clermont OR",
        "NOT clermont",
        "folded:clermont",
        "^clermont",
        "{folded}: clermont",
        "clermont + ferrand - (",
        "'; DROP TABLE names; --",
    ],
)
def test_fts5_syntax_is_only_ever_words(index, text):
    results = index.search(text, prefix=True)
    assert all(hit.iri.startswith(ID) for hit in results.hits)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text_is_answered(index, text):
    for prefix in (False, True):
        index.search(text, prefix=prefix)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ix: ix.search("x" * 2000), "at most 500"),
        (lambda ix: ix.search("clermont", types=[RIVM + "Town"]), "unknown type"),
        (lambda ix: ix.search("clermont", types=["not a class"]), "unknown type"),
        (lambda ix: ix.search("clermont", types=[7]), "class IRIs"),
        (lambda ix: ix.search("clermont", types=[CITY] * 21), "at most 20 types"),
        (lambda ix: ix.search("clermont", lang="fr;drop"), "language tag"),
        (lambda ix: ix.search("clermont", limit=0), "limit"),
        (lambda ix: ix.search("clermont", offset=-1), "offset"),
        (lambda ix: ix.search("clermont", limit="ten"), "whole numbers"),
        (lambda ix: ix.search(None), "text"),
    ],
)
def test_bad_input_is_a_clear_error(index, call, message):
    with pytest.raises(SearchError, match=message) as raised:
        call(index)
    assert raised.value.status == 400
    assert raised.value.to_dict() == {"status": "error", "message": raised.value.message}


# ---- the index itself


def test_the_index_is_read_from_the_store_through_select_queries_only(store):
    """A store that answers SELECT queries and nothing else (no files, no quads) is enough."""

    class SelectOnly(GraphStore):
        data_version = "select-only"
        query_serialized = quads = graphs = describe = _statements_about = None

        def __init__(self):
            self.asked: list[str] = []

        def query(self, text, **_):
            self.asked.append(text)
            return store.query(text)

    only = SelectOnly()
    built = SearchIndex.build(only)
    assert first(built, "queretaro").iri == ID + "city/queretaro"
    assert all(text.lstrip().upper().startswith("SELECT") for text in only.asked)
    assert not any("*" in text or "+" in text for text in only.asked)  # no property paths
    assert index_for(only) is index_for(only)


def test_fts5_indexes_the_words_fold_makes(index):
    """Names are indexed folded; SQLite's unicode61 tokenizer splits a folded name into exactly
    fold's words (none split further, none dropped), so a quoted word matches that word."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    connection.executemany(
        "INSERT INTO t (rowid, x) VALUES (?, ?)",
        [(i + 1, fold(name.text)) for i, name in enumerate(index.names)],
    )
    tokens: dict[int, list[str]] = {}
    for rowid, term in connection.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        tokens.setdefault(rowid, []).append(term)
    differ = [
        name.text
        for i, name in enumerate(index.names)
        if tokens.get(i + 1, []) != fold(name.text).split()
    ]
    assert not differ


def test_threads_share_an_index(index):
    texts = ["queretaro", "clermont", "vall", "Valadolid", "Regensburg, Germany", "michelin"] * 20
    alone = [iris(index.search(text, prefix=True)) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda text: iris(index.search(text, prefix=True)), texts))
    assert together == alone


def test_a_forked_process_opens_its_own_fts5_database(index):
    """gunicorn forks its workers: SQLite must not be used through a connection opened in the
    parent, so a child process opens its own copy of the index's database."""
    assert first(index, "queretaro").iri == ID + "city/queretaro"  # the parent's connection
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            hit = index.search("queretaro").hits[0].iri
            os.write(writer, json.dumps([hit, index._pid == os.getpid()]).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as answer:
        reported = json.loads(answer.read() or "null")
    os.waitpid(child, 0)
    assert reported == [ID + "city/queretaro", True]


@pytest.mark.virtuoso
def test_virtuoso_gives_the_same_index(virtuoso, index):
    from rivm_graph.stores.remote import SparqlStore

    remote = SparqlStore(virtuoso.query_url, timeout=30.0)
    built = SearchIndex.build(remote)
    assert [e.iri for e in built.entries] == [e.iri for e in index.entries]
    assert {(n.text, n.lang) for n in built.names} == {(n.text, n.lang) for n in index.names}
    for text in ("queretaro", "clermont", "Valadolid", "vall", "michelin"):
        assert (
            built.search(text, limit=MAX_LIMIT).to_dict()
            == index.search(text, limit=MAX_LIMIT).to_dict()
        )


def test_a_loose_query_of_many_common_words_ranks_only_the_closest_names(index):
    """Eighteen words, none in one name together: 918 names share some word with it. Only the
    LOOSE_CANDIDATES closest to the query are ranked (ranking them all took most of a search)."""
    text = (
        "S-inmc-about: Network presentation: launched 2014, ~50 eligible cities, "
        "Clermont-Ferrand runs administration, calls for proposals city"
    )
    results = index.search(text, limit=100)
    assert 0 < results.total <= LOOSE_CANDIDATES
    assert {hit.match for hit in results.hits} == {"some"}
    scores = [
        hit.score for hit in results.hits if hit.kind and hit.kind.iri == results.hits[0].kind.iri
    ]
    assert scores == sorted(scores, reverse=True), "closer names first within a kind"
