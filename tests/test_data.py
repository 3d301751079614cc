"""Facts of the fact base that the graph must state, checked against the loaded store.

Expected values come from the fact base in facts/ (read by a person), never from the code under
test.
"""

from __future__ import annotations

from pathlib import Path

from rivm_graph.rdf.namespaces import sparql_prologue

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"


def select(store, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def test_every_source_file_of_the_fact_base_is_a_source_resource(store):
    keys = {p.stem for p in (FACTS / "sources").glob("*.txt")}
    rows = select(store, "SELECT ?key WHERE { ?s a rivm:Source ; rivm:sourceKey ?key }")
    assert {str(r["key"]) for r in rows} == keys


def test_the_2017_conference_keeps_34_40_and_44_cities_each_with_its_source(store):
    rows = select(
        store,
        """SELECT ?value ?source WHERE {
             ?f a rivm:ReportedFigure ; rivm:about conference:2017-clermont-ferrand ;
                rivm:quantity quantity:cities ; rivm:value ?value ; dct:source ?source .
           }""",
    )
    by_value = {}
    for r in rows:
        by_value.setdefault(int(r["value"]), set()).add(str(r["source"]).rsplit("/", 1)[-1])
    assert {34, 40, 44} <= set(by_value)
    assert "clermontinfos-14455" in by_value[34]
    assert "seed-presentation" in by_value[44]
    assert {"diplomatie-2017", "agence-c3m"} & by_value[40]


def test_queretaro_declaration_has_the_13_signatory_cities(store):
    rows = select(store, "SELECT ?city WHERE { declaration:queretaro-2022 rivm:signatory ?city }")
    slugs = {str(r["city"]).rsplit("/", 1)[-1] for r in rows}
    assert slugs == {
        "queretaro",
        "clermont-ferrand",
        "vitoria-gasteiz",
        "valladolid",
        "aranda-de-duero",
        "norman",
        "anderson",
        "county-of-kings",
        "braga",
        "cuneo",
        "regensburg",
        "karlsruhe",
        "homburg",
    }


def test_resende_plant_is_in_itatiaia_and_maebashi_is_linked_to_the_ota_site(store):
    rows = select(
        store,
        "SELECT ?site WHERE { ?site rivm:locatedIn city:itatiaia ; rivm:nearCity city:resende }",
    )
    assert rows
    rows = select(
        store, "SELECT ?site WHERE { ?site a rivm:ResearchCentre ; rivm:nearCity city:maebashi }"
    )
    assert rows


def test_launch_year_claims_are_kept_side_by_side(store):
    rows = select(
        store,
        "SELECT DISTINCT ?year WHERE { ?f rivm:quantity quantity:launch-year ; rivm:value ?year }",
    )
    assert {str(r["year"]) for r in rows} >= {"2014", "2016", "2017"}


def test_only_confirmed_wikidata_items_are_linked(store):
    rows = select(store, "SELECT ?qid WHERE { ?city rivm:wikidataId ?qid }")
    assert {str(r["qid"]) for r in rows} == {"Q42168", "Q14318", "Q83247", "Q14317"}


def test_unconfirmed_coordinates_are_flagged_not_hidden(store):
    rows = select(
        store,
        """SELECT ?city WHERE { ?city geo:hasGeometry ?g .
             ?g rivm:confidence rivm:Unconfirmed ; wgs:lat ?lat }""",
    )
    slugs = {str(r["city"]).rsplit("/", 1)[-1] for r in rows}
    assert {"cuneo", "alessandria", "homburg", "bad-kreuznach", "magog"} <= slugs
