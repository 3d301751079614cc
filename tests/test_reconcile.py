"""The reconciliation service's core (rivm_graph.search.reconcile) in-process over the real data,
driven as OpenRefine drives it, every manifest, request and response checked against the
Reconciliation API 0.2 JSON Schemas (tests/vendor/reconciliation-api/0.2).

Expected IRIs and values were read in data/*.ttl by a person (city:…, geometry:…, membership:…,
participation:…), never produced by the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from rivm_graph.search import Reconciler, SearchError, SearchIndex
from rivm_graph.search.reconcile import MAX_BATCH
from rivm_graph.stores.oxigraph import OxigraphStore

SCHEMAS = Path(__file__).parent / "vendor" / "reconciliation-api" / "0.2"
ID = "https://w3id.org/rivm/id/"
RIVM = "https://w3id.org/rivm/ontology#"
CITY = RIVM + "City"
BASE = "https://rivm.example.org"


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text())
        uri = contents["$id"].rstrip("#")
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def valid(schema_file: str, document) -> None:
    """Raise unless ``document`` is valid against the API's schema of that name."""
    schema = json.loads((SCHEMAS / schema_file).read_text())
    Draft7Validator(schema, registry=REGISTRY).validate(document)


@pytest.fixture(scope="module")
def service(store) -> Reconciler:
    return Reconciler(store, SearchIndex.build(store))


def reconcile(service, queries: dict) -> dict:
    valid("reconciliation-query-batch.json", queries)
    answer = service.reconcile(queries)
    valid("reconciliation-result-batch.json", answer)
    assert set(answer) == set(queries)
    return answer


# ---- the manifest


def test_the_manifest_is_valid_and_names_the_services_under_the_base_url(service):
    manifest = service.manifest(BASE + "/")
    valid("manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"] == "International Network of Michelin Cities"
    assert manifest["identifierSpace"] == ID
    assert manifest["schemaSpace"] == RIVM
    assert manifest["view"]["url"] == BASE + "/reconcile/view?id={{id}}"
    assert manifest["preview"]["url"] == BASE + "/reconcile/preview?id={{id}}"
    for kind in ("entity", "type", "property"):
        assert manifest["suggest"][kind]["service_url"] == BASE
        assert manifest["suggest"][kind]["service_path"] == f"/reconcile/suggest/{kind}"
    assert manifest["extend"]["propose_properties"]["service_path"] == "/reconcile/extend/propose"
    types = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert types[CITY] == "City"
    assert types[RIVM + "Event"] == "Network event"
    assert types[RIVM + "Person"] == "Person"
    assert manifest["defaultTypes"][0]["id"] == CITY
    assert service.manifest(BASE, lang="fr")["defaultTypes"][0]["name"] == "Ville"


# ---- a batch as OpenRefine sends it

#: A spreadsheet's column of city names: misspelt, in other languages, with other punctuation.
#: Each maps to the city of data/cities.ttl a person reads it as, and whether the name is one of
#: that city's names once case, accents and punctuation are set aside (then OpenRefine may match
#: it on its own) or a misspelling (then it is the first candidate, for a person to confirm).
COLUMN = [
    ("Clermont Ferrand", "clermont-ferrand", True),
    ("Queretaro", "queretaro", True),  # "Querétaro" (altLabel)
    ("Santiago de Querétaro", "queretaro", True),
    ("Vitoria", "vitoria-gasteiz", True),  # "Vitoria"@es
    ("Gasteiz", "vitoria-gasteiz", True),  # "Gasteiz"@eu
    ("Valadolid", "valladolid", False),
    ("Karlsruhe", "karlsruhe", True),
    ("KARLSRUHE ", "karlsruhe", True),
    ("Krementchouk", "kremenchuk", True),  # "Krementchouk"@fr
    ("Nyiregyhaza", "nyiregyhaza", True),  # "Nyíregyháza"
    ("Zalau", "zalau", True),  # "Zalău"
    ("Montréal", "montreal", True),
    ("Monteral", "montreal", False),
    ("Homyel'", "gomel", True),  # altLabel
    ("Kings County", "county-of-kings", True),  # altLabel
    ("Bad-Kreuznach", "bad-kreuznach", True),
    ("Aranda de Deuro", "aranda-de-duero", False),
    ("Landau", "landau-in-der-pfalz", True),  # "Landau"@de
    ("Cuneo", "cuneo", True),
    ("Braga", "braga", True),
]


def check_column(answer: dict, keys: list[str]) -> None:
    for key, (text, slug, exact) in zip(keys, COLUMN, strict=True):
        candidates = answer[key]["result"]
        best = candidates[0]
        assert best["id"] == ID + "city/" + slug, text
        assert best["match"] is exact, text
        assert not any(c["match"] for c in candidates[1:]), text
        if exact:
            assert best["score"] == 100, text
        else:
            assert 80 <= best["score"] < 100, text


def test_a_column_of_city_names_with_the_city_type(service):
    queries = {f"q{i}": {"query": text, "type": CITY} for i, (text, _, _) in enumerate(COLUMN)}
    answer = reconcile(service, queries)
    check_column(answer, list(queries))
    queretaro = answer["q1"]["result"][0]
    assert queretaro["name"] == "Santiago de Querétaro"
    assert queretaro["type"] == [{"id": CITY, "name": "City"}]
    assert queretaro["description"] == "Mexico"
    assert all(len(a["result"]) <= 5 for a in answer.values())  # the default limit


def test_a_column_of_city_names_without_a_type(service):
    """With no type the other resources named after a city (its geometry, membership, sites,
    sources) are candidates too, and still the city comes first and alone is matched."""
    queries = {f"q{i}": {"query": text, "limit": 8} for i, (text, _, _) in enumerate(COLUMN)}
    answer = reconcile(service, queries)
    check_column(answer, list(queries))
    assert len(answer["q0"]["result"]) == 8


def test_a_column_with_the_country_beside_it(service):
    queries = {
        "code": {"query": "Valladolid", "properties": [{"pid": "country", "v": "ES"}]},
        "lower": {"query": "Valladolid", "properties": [{"pid": "country", "v": "es"}]},
        "iri": {
            "query": "Karlsruhe",
            "type": CITY,
            "properties": [{"pid": RIVM + "country", "v": {"id": ID + "country/de"}}],
        },
        "name": {"query": "Cuneo", "properties": [{"pid": "rivm:country", "v": "Italia"}]},
        "french": {"query": "Queretaro", "properties": [{"pid": "country", "v": "Mexique"}]},
        "wrong": {"query": "Valladolid", "properties": [{"pid": "country", "v": "FR"}]},
        "none": {
            "query": "Michelin Valladolid plant",
            "properties": [{"pid": "country", "v": "ES"}],
        },
    }
    answer = reconcile(service, queries)
    for key, slug in [
        ("code", "valladolid"),
        ("lower", "valladolid"),
        ("iri", "karlsruhe"),
        ("name", "cuneo"),
        ("french", "queretaro"),
    ]:
        best = answer[key]["result"][0]
        assert (best["id"], best["match"], best["score"]) == (ID + "city/" + slug, True, 100)
    wrong = answer["wrong"]["result"][0]
    assert wrong["id"] == ID + "city/valladolid"
    assert wrong["match"] is False and wrong["score"] == 50
    # a plant has no rivm:country: its name matches, its property cannot
    plant = answer["none"]["result"][0]
    assert (plant["id"], plant["match"], plant["score"]) == (
        ID + "site/michelin-valladolid",
        False,
        50,
    )


def test_a_property_narrows_a_name_several_resources_share(service):
    """'Regensburg, Germany' is no name; with the country given the city stands out."""
    answer = reconcile(
        service,
        {"q": {"query": "Regensburg, Germany", "properties": [{"pid": "country", "v": "DE"}]}},
    )
    candidates = answer["q"]["result"]
    assert candidates[0]["id"] == ID + "city/regensburg"
    assert candidates[0]["match"] is False  # not its name: a person confirms


def test_two_resources_of_the_same_name_are_never_matched_alone(root, tmp_path):
    """OpenRefine must not pick one of two cities both called Braga: the best score has to stand
    clearly above the next. A second city of that name is added to the real data."""
    from rivm_graph.stores.files import GraphFile, graph_files

    extra = tmp_path / "braga.ttl"
    extra.write_text(
        "@prefix rivm: <https://w3id.org/rivm/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/rivm/id/city/braga-2> a rivm:City ; rdfs:label "Braga"@pt .\n'
    )
    files = [*graph_files(root, with_queries=False), GraphFile(extra, ID + "test")]
    twice = Reconciler(OxigraphStore(files))
    answer = twice.reconcile({"q": {"query": "Braga", "type": CITY}})
    valid("reconciliation-result-batch.json", answer)
    candidates = answer["q"]["result"]
    assert {c["id"] for c in candidates[:2]} == {ID + "city/braga", ID + "city/braga-2"}
    assert [c["match"] for c in candidates] == [False] * len(candidates)
    narrowed = twice.reconcile(
        {"q": {"query": "Braga", "type": CITY, "properties": [{"pid": "country", "v": "PT"}]}}
    )
    assert narrowed["q"]["result"][0]["id"] == ID + "city/braga"
    assert narrowed["q"]["result"][0]["match"] is True


def test_types(service):
    answer = reconcile(
        service,
        {
            "compact": {"query": "Valladolid", "type": "rivm:City"},
            "subclass": {"query": "Valladolid", "type": RIVM + "MichelinSite"},
            "any": {"query": "Valladolid", "type": [CITY, RIVM + "MichelinSite"], "limit": 10},
            "all": {
                "query": "Valladolid",
                "type": [CITY, RIVM + "MichelinSite"],
                "type_strict": "all",
            },
            "should": {
                "query": "Michelin Valladolid plant",
                "type": CITY,
                "type_strict": "should",
            },
            "unknown": {"query": "Valladolid", "type": RIVM + "Town"},
            "one known": {"query": "Valladolid", "type": [RIVM + "Town", CITY]},
        },
    )
    ids = {key: [c["id"] for c in value["result"]] for key, value in answer.items()}
    assert ids["compact"] == [ID + "city/valladolid"]
    assert ids["subclass"] == [ID + "site/michelin-valladolid"]
    assert ids["any"] == [ID + "city/valladolid", ID + "site/michelin-valladolid"]
    assert ids["all"] == []
    assert ids["unknown"] == []
    assert ids["one known"] == [ID + "city/valladolid"]
    # "should" prefers the type without leaving the others out: the plant, exactly named but of
    # another type, is still a candidate, and not matched on its own.
    should = answer["should"]["result"]
    plant = next(c for c in should if c["id"] == ID + "site/michelin-valladolid")
    assert plant["match"] is False and plant["score"] == 80


def test_limit(service):
    answer = reconcile(service, {"q": {"query": "Clermont-Ferrand", "limit": 2}})
    assert len(answer["q"]["result"]) == 2
    assert reconcile(service, {"q": {"query": "Clermont-Ferrand", "limit": 0}})["q"]["result"] == []


# ---- bad input


@pytest.mark.parametrize(
    "text", ["", "   ", "!!!", "«—»", '"', "*", "NEAR(a b)", "a AND b", "x:y", "^", "(("]
)
def test_queries_with_no_words_or_with_fts5_syntax_are_just_text(service, text):
    answer = reconcile(service, {"q": {"query": text}})
    assert all(c["id"].startswith(ID) for c in answer["q"]["result"])


def test_a_query_of_properties_only_has_no_candidates(service):
    answer = reconcile(service, {"q": {"properties": [{"pid": "country", "v": "FR"}]}})
    assert answer == {"q": {"result": []}}


@pytest.mark.parametrize(
    ("batch", "message", "status"),
    [
        ({f"q{i}": {"query": "Braga"} for i in range(500)}, f"at most {MAX_BATCH}", 413),
        (["Braga"], "JSON object", 400),
        ({"q": "Braga"}, "must be an object", 400),
        ({"q": {"query": "x" * 2000}}, "at most 500", 400),
        ({"q": {"query": 42}}, "'query' must be text", 400),
        ({"q": {"query": "Braga", "type": 7}}, "'type'", 400),
        ({"q": {"query": "Braga", "limit": -1}}, "'limit'", 400),
        ({"q": {"query": "Braga", "limit": "five"}}, "'limit'", 400),
        ({"q": {"query": "Braga", "type_strict": "maybe"}}, "type_strict", 400),
        ({"q": {"query": "Braga", "colour": "red"}}, "unknown fields: colour", 400),
        ({"q": {"query": "Braga", "properties": [{"pid": "altitude", "v": 1}]}}, "altitude", 400),
        ({"q": {"query": "Braga", "properties": [{"pid": "country"}]}}, "'pid' and 'v'", 400),
        (
            {"q": {"query": "Braga", "properties": [{"pid": "country", "v": [[1]]}]}},
            "property value",
            400,
        ),
        (
            {"q": {"query": "Braga", "properties": [{"pid": "<x> ?s ?p ?o", "v": "1"}]}},
            "unknown property",
            400,
        ),
    ],
)
def test_bad_batches_are_clear_errors(service, batch, message, status):
    with pytest.raises(SearchError, match=message) as raised:
        service.reconcile(batch)
    assert raised.value.status == status


# ---- suggest


def test_suggest_entities_completes_a_prefix(service):
    answer = service.suggest_entities("vall")
    valid("suggest-entities-response.json", answer)
    best = answer["result"][0]
    assert best["id"] == ID + "city/valladolid"
    assert best["name"] == "Valladolid"
    assert best["notable"] == [{"id": CITY, "name": "City"}]
    assert best["description"] == "Spain"
    typed = service.suggest_entities("quer", types=[RIVM + "MichelinSite"], lang="fr")
    valid("suggest-entities-response.json", typed)
    assert {e["id"] for e in typed["result"]} == {
        ID + "site/michelin-queretaro-plant",
        ID + "site/michelin-queretaro-offices",
    }
    page = service.suggest_entities("michelin", cursor=3, limit=2)["result"]
    assert [e["id"] for e in page] == [
        e["id"] for e in service.suggest_entities("michelin", limit=5)["result"][3:5]
    ]


def test_suggest_types(service):
    answer = service.suggest_types("cit")
    valid("suggest-types-response.json", answer)
    assert answer["result"][0] == {"id": CITY, "name": "City"}
    french = service.suggest_types("vil", lang="fr")
    valid("suggest-types-response.json", french)
    assert {"id": CITY, "name": "Ville"} in french["result"]
    assert {"id": RIVM + "Conference", "name": "Conference (Rencontres)"} in service.suggest_types(
        "rencon"
    )["result"]
    assert service.suggest_types("zzz")["result"] == []


def test_suggest_properties(service):
    answer = service.suggest_properties("coun")
    valid("suggest-properties-response.json", answer)
    assert answer["result"][0] == {"id": "country", "name": "country"}
    assert {"id": "coordinates", "name": "coordinates (latitude,longitude)"} in (
        service.suggest_properties("coord")["result"]
    )
    assert service.suggest_properties("pay", lang="fr")["result"][0] == {
        "id": "country",
        "name": "pays",
    }
    every = service.suggest_properties("", limit=100)["result"]
    assert {p["id"] for p in every} >= {"country", "geonamesId", RIVM + "hostCity"}


# ---- data extension


def test_proposed_properties_for_cities(service):
    answer = service.propose_properties(CITY)
    valid("data-extension-property-proposal.json", answer)
    ids = [p["id"] for p in answer["properties"]]
    wanted = ["country", "coordinates", "latitude", "longitude", "geonamesId", "wikidataId"]
    assert ids[:6] == wanted
    assert {"sites", "memberships", "events"} <= set(ids)
    people = [p["id"] for p in service.propose_properties(RIVM + "Person")["properties"]]
    assert "memberships" in people and "country" not in people
    limited = service.propose_properties(CITY, limit=3)
    valid("data-extension-property-proposal.json", limited)
    assert [p["id"] for p in limited["properties"]] == wanted[:3]
    with pytest.raises(SearchError, match="unknown type"):
        service.propose_properties(RIVM + "Town")


def test_extend_cities_with_the_graphs_values(service):
    query = {
        "ids": [ID + "city/queretaro", ID + "city/clermont-ferrand", ID + "city/atlantis"],
        "properties": [
            {"id": p}
            for p in (
                "country",
                "coordinates",
                "latitude",
                "longitude",
                "geonamesId",
                "wikidataId",
                "sites",
                "memberships",
                "events",
            )
        ],
    }
    valid("data-extension-query.json", query)
    answer = service.extend(query)
    valid("data-extension-response.json", answer)
    meta = {m["id"]: m for m in answer["meta"]}
    assert meta["country"] == {
        "id": "country",
        "name": "country",
        "type": {"id": RIVM + "Country", "name": "Country"},
    }
    queretaro = answer["rows"][ID + "city/queretaro"]
    assert queretaro["country"] == [{"id": ID + "country/mx", "name": "Mexico"}]
    assert queretaro["coordinates"] == [{"str": "20.63,-100.38"}]  # geometry:queretaro
    assert queretaro["latitude"] == [{"float": 20.63}]
    assert queretaro["longitude"] == [{"float": -100.38}]
    assert queretaro["geonamesId"] == [{"str": "3991164"}]
    assert queretaro["wikidataId"] == []  # none in the data
    assert {v["id"] for v in queretaro["sites"]} == {
        ID + "site/michelin-queretaro-plant",
        ID + "site/michelin-queretaro-offices",
    }
    assert {
        "id": ID + "membership/queretaro-member",
        "name": ("Santiago de Querétaro, member of the INMC"),
    } in queretaro["memberships"]
    assert {v["id"] for v in queretaro["events"]} >= {
        ID + "conference/2019-vitoria-gasteiz",
        ID + "event/2022-03-general-assembly",
    }
    clermont = answer["rows"][ID + "city/clermont-ferrand"]
    assert clermont["wikidataId"] == [{"str": "Q42168"}]
    assert {"id": ID + "site/michelin-ladoux", "name": "Michelin Ladoux technology centre"} in (
        clermont["sites"]
    )  # rivm:nearCity
    assert answer["rows"][ID + "city/atlantis"] == {p["id"]: [] for p in query["properties"]}


def test_extend_in_french_and_with_an_ontology_property(service):
    answer = service.extend(
        {
            "ids": [ID + "city/cuneo"],
            "properties": [{"id": "country"}, {"id": RIVM + "subdivisionCode"}],
        },
        lang="fr",
    )
    valid("data-extension-response.json", answer)
    assert answer["rows"][ID + "city/cuneo"] == {
        "country": [{"id": ID + "country/it", "name": "Italie"}],
        RIVM + "subdivisionCode": [{"str": "IT-21"}],
    }
    assert answer["meta"][0]["name"] == "pays"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ids": "x", "properties": []}, "'ids' and 'properties'"),
        ({"ids": [1], "properties": []}, "list of strings"),
        ({"ids": [], "properties": [{"name": "country"}]}, "needs an 'id'"),
        ({"ids": [], "properties": [{"id": "altitude"}]}, "unknown property"),
        ({"ids": ["a"] * 501, "properties": [{"id": "country"}]}, "at most 500 ids"),
    ],
)
def test_bad_extension_queries_are_clear_errors(service, query, message):
    with pytest.raises(SearchError, match=message):
        service.extend(query)


def test_preview(service):
    hit = service.preview(ID + "city/queretaro", lang="es")
    assert (hit.label, hit.kind.label, hit.summary) == ("Santiago de Querétaro", "Ciudad", "México")
    assert service.preview(ID + "city/atlantis") is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.suggest_entities(None), "text"),
        (lambda s: s.suggest_entities("x" * 2000), "at most 500"),
        (lambda s: s.suggest_entities("vall", types=[RIVM + "Town"]), "unknown type"),
        (lambda s: s.suggest_entities("vall", cursor=-1), "offset"),
        (lambda s: s.suggest_types("ci", cursor=-1), "cursor must be 0 or more"),
        (lambda s: s.suggest_types(7), "prefix must be text"),
        (lambda s: s.suggest_properties("co", limit="many"), "limit must be a whole number"),
        (lambda s: s.propose_properties(CITY, limit="many"), "limit must be a whole number"),
        (lambda s: s.propose_properties([CITY]), "type id"),
        (lambda s: s.manifest(BASE, lang="???"), "language tag"),
    ],
)
def test_bad_suggest_and_proposal_input_is_a_clear_error(service, call, message):
    with pytest.raises(SearchError, match=message) as raised:
        call(service)
    assert raised.value.status == 400


def test_ids_never_reach_the_query_text(service):
    """An id is looked up in the index; one it does not hold only gets empty values."""
    hostile = ID + "city/cuneo> } ?s ?p ?o { <x"
    answer = service.extend(
        {"ids": [hostile, ID + "city/cuneo"], "properties": [{"id": "country"}]}
    )
    assert answer["rows"][hostile] == {"country": []}
    assert answer["rows"][ID + "city/cuneo"]["country"][0]["id"] == ID + "country/it"


@pytest.mark.virtuoso
def test_virtuoso_answers_the_same(virtuoso, service):
    """Reconciliation, proposals and extension read the store at request time: Virtuoso answers
    their triple patterns and VALUES as Oxigraph does."""
    from rivm_graph.stores.remote import SparqlStore

    remote = Reconciler(SparqlStore(virtuoso.query_url, timeout=30.0))
    batch = {
        f"q{i}": {"query": text, "type": CITY, "properties": [{"pid": "country", "v": "ES"}]}
        for i, (text, _, _) in enumerate(COLUMN)
    }
    assert remote.reconcile(batch) == service.reconcile(batch)
    for kind in (CITY, RIVM + "Person", RIVM + "Event"):
        assert remote.propose_properties(kind) == service.propose_properties(kind)
    query = {
        "ids": [ID + "city/" + slug for _, slug, _ in COLUMN],
        "properties": [{"id": p["id"]} for p in service.propose_properties(CITY)["properties"]],
    }
    assert remote.extend(query) == service.extend(query)
