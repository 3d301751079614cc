"""What the graph says it knows, and how sure it is (issue 17), checked on the loaded store.

Expected values are read by a person from the fact base (facts/rivm-facts.md, line numbers in
the comments) and its sources, never from the code under test.
"""

from __future__ import annotations

from pathlib import Path

from rivm_graph.endpoint.catalogue import find_query, load_catalogue
from rivm_graph.rdf.namespaces import sparql_prologue

ROOT = Path(__file__).resolve().parent.parent


def select(store, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def slugs(rows: list[dict], var: str) -> set[str]:
    return {str(r[var]).rsplit("/", 1)[-1] for r in rows}


# ---- 1. Nothing beyond the sources


def test_no_job_title_carries_a_year(store):
    rows = select(
        store,
        """SELECT ?person ?title WHERE {
             ?person schema:jobTitle ?title .
             FILTER(REGEX(STR(?title), "(^|[^0-9])(1[89]|2[01])[0-9][0-9]([^0-9]|$)"))
           }""",
    )
    assert rows == []


def test_urtaran_is_attested_as_mayor_in_the_years_the_sources_give_not_a_term(store):
    # facts 84, 96, 202: 2019 conference, March 2022 declaration, February 2023 announcement
    rows = select(
        store,
        """SELECT ?when WHERE {
             ?m org:member person:gorka-urtaran ; org:organization city:vitoria-gasteiz ;
                org:role role:mayor ; rivm:attestedIn ?when ; dct:source ?s .
             FILTER NOT EXISTS { ?m schema:startDate ?start }
             FILTER NOT EXISTS { ?m schema:endDate ?end }
           }""",
    )
    assert {str(r["when"])[:4] for r in rows} == {"2019", "2022", "2023"}


def test_every_person_with_a_dated_title_before_has_a_dated_post(store):
    """Those whose titles held years (Roberts, Nava, Letz, Serale, Galli, Palacios Kuri…)."""
    rows = select(
        store,
        """SELECT DISTINCT ?person WHERE {
             ?m org:member ?person ; rivm:attestedIn ?when ; dct:source ?s .
             ?person a rivm:Person .
           }""",
    )
    assert {
        "gorka-urtaran",
        "luis-bernardo-nava-guerrero",
        "terence-roberts",
        "emanuel-letz",
        "luca-serale",
        "massimiliano-galli",
        "tania-palacios-kuri",
        "jean-dominique-senard",
        "bernard-delmas",
    } <= slugs(rows, "person")


def test_posts_outside_the_network_are_dated_as_their_sources_give(store):
    """The titles of González, Urkullu, Evette and Miller held years too; a source dates each post
    (facts l.84, 96; sources/S-canadiancor.txt: mayor of Toronto 2003-2010, chair of C40
    2008-2010, C40's managing director of international diplomacy in February 2022)."""
    rows = select(
        store,
        """SELECT ?person ?start ?end ?when WHERE {
             ?m org:member ?person ; org:organization ?o ; dct:source ?s .
             VALUES ?person { person:ramiro-gonzalez person:inigo-urkullu person:pamela-evette
                              person:david-miller }
             OPTIONAL { ?m schema:startDate ?start } OPTIONAL { ?m schema:endDate ?end }
             OPTIONAL { ?m rivm:attestedIn ?when }
           }""",
    )
    found = {
        (
            str(r["person"]).rsplit("/", 1)[-1],
            str(r.get("start") or ""),
            str(r.get("end") or ""),
            str(r.get("when") or ""),
        )
        for r in rows
    }
    assert found == {
        ("ramiro-gonzalez", "", "", "2019-03"),
        ("inigo-urkullu", "", "", "2019-03"),
        ("pamela-evette", "", "", "2023-02"),
        ("david-miller", "", "", "2022-02"),
        ("david-miller", "2008", "2010", ""),
        ("david-miller", "2003", "2010", ""),
    }


def test_signatories_attending_the_march_2022_assembly_is_flagged_as_an_inference(store):
    # facts 201-208: the 13 signed; who attended the Assembly is not stated (Braga: facts 94)
    rows = select(
        store,
        """SELECT ?city ?confidence WHERE {
             ?p rivm:inEvent event:2022-03-general-assembly ; rivm:participant ?city .
             declaration:queretaro-2022 rivm:signatory ?city .
             OPTIONAL { ?p rivm:confidence ?confidence }
           }""",
    )
    assert len(rows) == 13
    by_city = {str(r["city"]).rsplit("/", 1)[-1]: str(r.get("confidence") or "") for r in rows}
    assert by_city.pop("braga").endswith("MediumConfidence")
    assert all(c.endswith("LowConfidence") for c in by_city.values()), by_city


# ---- 2. Flag, don't drop


def test_inferred_co_presidencies_are_in_flagged_low(store):
    # facts l.187-188: Urtaran 2017-19 and Nava 2019-22, "inferred from the rule", low
    rows = select(
        store,
        """SELECT ?person WHERE {
             ?m org:member ?person ; org:role role:co-president ;
                rivm:confidence rivm:LowConfidence ; rivm:evidence ?why ; dct:source ?s .
             FILTER(CONTAINS(STR(?why), "Inferred from the rule"))
           }""",
    )
    assert slugs(rows, "person") == {"gorka-urtaran", "luis-bernardo-nava-guerrero"}


def test_the_seeds_executive_committee_structure_is_kept_unconfirmed(store):
    # facts l.192 and the seed: 2 co-presidents, 2 vice-presidents, 4 other member cities
    rows = select(
        store,
        """SELECT ?q ?value WHERE {
             ?f rivm:about organization:rivm-executive-committee ; rivm:quantity ?q ;
                rivm:value ?value ; rivm:confidence rivm:Unconfirmed ;
                dct:source source:seed-presentation .
           }""",
    )
    assert {(str(r["q"]).rsplit("/", 1)[-1], int(r["value"])) for r in rows} == {
        ("co-presidents", 2),
        ("vice-presidents", 2),
        ("other-member-cities", 4),
    }


def test_the_seeds_agenda_for_anderson_is_four_unconfirmed_claims(store):
    # facts l.240: new cities, climate neutrality, circular economy, interns' network
    rows = select(
        store,
        """SELECT ?theme WHERE {
             ?c a rivm:Claim ; rdf:subject conference:2024-anderson ; rdf:predicate dct:subject ;
                rdf:object ?theme ; rivm:confidence rivm:Unconfirmed ;
                dct:source source:seed-presentation .
           }""",
    )
    assert slugs(rows, "theme") == {
        "network-enlargement",
        "climate-neutrality",
        "circular-economy",
        "interns-network",
    }
    asserted = select(store, "SELECT ?t WHERE { conference:2024-anderson dct:subject ?t }")
    assert not slugs(asserted, "t") & {"network-enlargement", "interns-network"}


def test_unconfirmed_michelin_sites_are_in_flagged_and_unsourced(store):
    # facts l.157-159, 162-163, 480
    rows = select(
        store,
        """SELECT ?city WHERE {
             ?site rivm:operatedBy organization:michelin ; rivm:locatedIn|rivm:nearCity ?city ;
                   rivm:confidence rivm:Unconfirmed .
             FILTER NOT EXISTS { ?site dct:source ?s }
           }""",
    )
    assert {"shanghai", "bangkok", "phra-pradaeng", "nyiregyhaza", "zalau"} <= slugs(rows, "city")


def test_identifiers_recalled_from_memory_stay_out(store):
    # facts l.285-315: unconfirmed QIDs (Valladolid Q8356, Shanghai Q8686, Bangkok Q1861 ...);
    # l.483: only Clermont-Ferrand, Vitoria-Gasteiz, Braga and Oviedo's were confirmed in a source
    confirmed = {"Q42168", "Q14318", "Q83247", "Q14317"}
    rows = select(store, "SELECT ?q WHERE { ?c rivm:wikidataId ?q }")
    assert {str(r["q"]) for r in rows} <= confirmed
    rows = select(
        store,
        """SELECT ?w WHERE { ?c owl:sameAs ?w
                              FILTER(STRSTARTS(STR(?w), "http://www.wikidata.org/entity/")) }""",
    )
    assert {str(r["w"]).rsplit("/", 1)[-1] for r in rows} <= confirmed


# ---- 3. Data instead of comments


def figure_values(store, about: str, quantity: str) -> set[tuple[str, str]]:
    rows = select(
        store,
        f"""SELECT ?value ?source WHERE {{
              ?f a rivm:ReportedFigure ; rivm:about {about} ; rivm:quantity quantity:{quantity} ;
                 rivm:value ?value ; dct:source ?source .
            }}""",
    )
    return {(str(r["value"]), str(r["source"]).rsplit("/", 1)[-1]) for r in rows}


def test_vitoria_gasteiz_awards_are_resources_with_their_years_beside_their_sources(store):
    # facts l.129: European Green Capital 2012; Global Green City ("this same year", 2019)
    rows = select(store, "SELECT ?award WHERE { ?award schema:recipient city:vitoria-gasteiz }")
    assert {
        "european-green-capital-2012-vitoria-gasteiz",
        "global-green-city-vitoria-gasteiz",
    } <= slugs(rows, "award")
    years = figure_values(store, "project:global-green-city-vitoria-gasteiz", "award-year")
    assert years == {("2019", "eleconomista-urtaran"), ("2019", "seed-presentation")}


def test_the_seeds_wishes_of_peace_sit_beside_the_condemnation_vote(store):
    # facts l.218-219
    rows = select(
        store,
        """SELECT ?d ?confidence ?source WHERE {
             ?d a rivm:Declaration ; rivm:confidence ?confidence ; dct:source ?source ;
                rdfs:seeAlso ?other .
             ?other rdfs:seeAlso ?d .
           }""",
    )
    found = {
        (str(r["d"]).rsplit("/", 1)[-1], str(r["confidence"]).rsplit("#", 1)[-1]) for r in rows
    }
    assert found == {
        ("ukraine-condemnation-2022", "MediumConfidence"),
        ("peace-and-solidarity-wishes-2022", "Unconfirmed"),
    }


def test_odesa_took_part_in_an_undated_online_conference(store):
    # facts l.164
    rows = select(
        store,
        """SELECT ?text WHERE {
             ?p rivm:participant city:odesa ; rivm:inEvent ?e ; dct:source source:vedomosti-odesa .
             ?e a rivm:OnlineConference ; rivm:dateText ?text .
             FILTER NOT EXISTS { ?e schema:startDate ?d }
           }""",
    )
    assert len(rows) == 1 and "2022 or later" in str(rows[0]["text"])


def test_bridgewater_award_and_2017_delegations_and_bizerte_marrakech(store):
    # facts l.111, 170, 176
    rows = select(
        store,
        "SELECT ?c WHERE { conference:2017-clermont-ferrand rivm:delegationFrom ?c }",
    )
    assert {"ru", "ga", "rs", "by", "pl"} <= slugs(rows, "c")
    rows = select(
        store,
        """SELECT ?city WHERE { ?t a rivm:Twinning ; rivm:partner ?city , city:clermont-ferrand ;
                                 dct:source source:france3-salford . }""",
    )
    assert {"bizerte", "marrakech"} <= slugs(rows, "city")
    rows = select(
        store,
        """SELECT ?a WHERE { ?a schema:recipient city:bridgewater ;
                              dct:source source:bridgewater-news }""",
    )
    assert len(rows) == 1


def test_montreal_movin_on_2018_and_kremenchuk_as_supplier(store):
    # facts l.83, 145, 147 (the 2017-2019 range of l.147 is in no source: only 2018 is stated)
    rows = select(
        store,
        """SELECT ?start WHERE { event:2018-05-montreal-meeting rivm:partOfEvent ?s .
             ?s rivm:hostCity city:montreal ; schema:organizer organization:michelin ;
                schema:startDate ?start . }""",
    )
    assert [str(r["start"]) for r in rows] == ["2018"]
    assert select(store, "SELECT ?o WHERE { city:kremenchuk rivm:suppliesTo ?o }")


def test_disagreeing_dates_are_alternative_sourced_values(store):
    # facts l.83, 230, 258, 166
    assert figure_values(store, "event:2018-05-montreal-meeting", "start-date") == {
        ("2018-05", "clermontinfos-16279"),
        ("2018-06", "asaimasahiko"),
    }
    assert {v for v, _ in figure_values(store, "conference:2024-anderson", "start-date")} == {
        "2024-04-15",
        "2024-04-16",
    }
    assert {v for v, _ in figure_values(store, "conference:2024-anderson", "end-date")} == {
        "2024-04-18",
        "2024-04-19",
    }
    assert ("2026-10-05", "veranews-cuneo") in figure_values(
        store, "conference:2026-cuneo", "start-date"
    )
    assert figure_values(store, "site:michelin-lasarte-oria", "start-date") == {
        ("1934", "diariomotor"),
        ("1962", "autonocion"),
    }


def test_vitoria_plant_is_reported_open_and_the_2022_format_claim_is_flagged(store):
    # facts l.129 (status open), l.94 and 474 (seed "restricted" vs sources "hybrid")
    rows = select(
        store,
        "SELECT ?st WHERE { site:michelin-vitoria-gasteiz rivm:statusReport/rivm:status ?st }",
    )
    assert [str(r["st"]).rsplit("#", 1)[-1] for r in rows] == ["Open"]
    rows = select(
        store,
        """SELECT ?mode ?claimed WHERE {
             conference:2022-queretaro schema:eventAttendanceMode ?mode .
             ?c rdf:subject conference:2022-queretaro ; rdf:predicate schema:eventAttendanceMode ;
                rdf:object ?claimed ; rivm:confidence rivm:Unconfirmed .
           }""",
    )
    assert len(rows) == 1
    assert str(rows[0]["mode"]).endswith("MixedEventAttendanceMode")
    assert "restricted" in str(rows[0]["claimed"])


# ---- 4. Say what is not known


def test_a_sourced_no_site_is_told_apart_from_a_city_whose_sites_are_unknown(store):
    # facts l.135, 138, 139, 145 (a source gives their place without a site) vs l.144, 148
    query = find_query(load_catalogue(ROOT), "partner-cities-without-michelin-site")
    rows = store.query(query.text).rows
    known = {str(r["city"]).rsplit("/", 1)[-1]: str(r["knowledge"]) for r in rows}
    for city in ("norman", "braga", "regensburg", "kremenchuk"):
        assert known[city].startswith("no Michelin site"), city
    for city in ("greer", "guarulhos"):
        assert known[city].startswith("not known"), city
    described = str(query.descriptions["en"])
    # it called every such city a partner or twin city "by design", Greer and Guarulhos included
    assert "by design" not in described and "Greer" in described


def test_undated_figures_get_the_reference_date_their_source_allows(store):
    # cf-rivm c. 2024, homburg1 c. 2023, inmc-about pre-Nov 2017, the seed's dated history
    rows = select(
        store,
        """SELECT ?key ?approximately WHERE {
             ?f a rivm:ReportedFigure ; dct:source/rivm:sourceKey ?key .
             FILTER NOT EXISTS { ?f rivm:referenceDate ?d }
             OPTIONAL { ?f rivm:dateText ?approximately }
           }""",
    )
    # two sources give only a range of years (sources/S-innolid.txt "c. 2018-2019",
    # S-aucoeurduchr.txt "c. 2019-2021"): one year would be invented, so their figures carry
    # the range as text, and nothing is left with no date at all
    assert {(str(r["key"]), str(r.get("approximately") or "")[:9]) for r in rows} == {
        ("S-innolid", "2018–2019"),
        ("S-aucoeurduchr", "2019–2021"),
    }


def test_a_figure_dated_approximately_sorts_into_the_time_series(store):
    # facts l.59-60: 48 member cities in 2018 (S-7jours-2018), 48 cities in March 2019 (S-ideva);
    # S-innolid's page is of c. 2018-2019, so its figures come between them
    rows = run(store, "network-size-over-time")
    keys = [str(r["sourceKey"]) for r in rows]
    innolid = [i for i, k in enumerate(keys) if k == "S-innolid"]
    assert len(innolid) == 4
    assert max(keys.index("S-7jours-2018"), keys.index("S-akatone")) < min(innolid)
    assert max(innolid) < keys.index("S-ideva")


#: Catalogue queries that count or list sources or checks rather than state facts.
NOT_FACT_LISTS = {
    "events-by-year",
    "figures-by-source",
    "figures-with-several-sources",
    "sources-of-an-entity",
    "launch-year-claims",
}


def test_every_catalogue_query_that_lists_facts_shows_their_confidence(store):
    catalogue = load_catalogue(ROOT)
    missing = []
    for query in catalogue:
        if query.kind != "select" or query.is_quality_check or query.slug in NOT_FACT_LISTS:
            continue
        variables = {str(v).lstrip("?") for v in store.query(query.text).variables}
        if not variables & {"confidence", "flaggedParticipations", "flaggedFigures", "types"}:
            missing.append(query.slug)
    assert not missing


def test_speakers_of_the_unconfirmed_2021_conference_come_out_unconfirmed(store):
    query = find_query(load_catalogue(ROOT), "speakers-by-event")
    rows = store.query(query.text).rows
    miller = [r for r in rows if str(r["person"]).endswith("/david-miller")]
    assert miller and all(str(r["confidence"]).endswith("#Unconfirmed") for r in miller)


# ---- Competency questions (the catalogue's answers, checked against the fact base)


def run(store, slug: str) -> list[dict]:
    query = find_query(load_catalogue(ROOT), slug)
    assert query is not None, slug
    return store.query(query.text).rows


def test_when_cities_joined_says_joined_or_first_attested(store):
    rows = {str(r["city"]).rsplit("/", 1)[-1]: r for r in run(store, "cities-joining-over-time")}
    # facts l.88: Regensburg's council decided on 17 December 2019; l.87 Homburg 2019; l.81 Braga
    assert (str(rows["regensburg"]["date"]), str(rows["regensburg"]["dateKind"])) == (
        "2019-12-17",
        "joined",
    )
    assert str(rows["homburg"]["date"]) == "2019" and str(rows["braga"]["date"]) == "2017"
    # facts l.97/101: Greer appears in February 2023 and no source says when it joined
    assert (str(rows["greer"]["date"]), str(rows["greer"]["dateKind"])) == (
        "2023-02-18",
        "first attested",
    )


def test_attendance_is_one_row_per_conference_and_count(store):
    rows = run(store, "attendance-per-conference")
    keys = [(str(r["conference"]), str(r["quantity"])) for r in rows]
    assert len(keys) == len(set(keys))
    cities_2017 = next(
        r
        for r in rows
        if str(r["conference"]).endswith("2017-clermont-ferrand")
        and str(r["quantity"]).endswith("/cities")
    )
    # facts l.56-58: 34 (pre-event), 40, 44 (the seed, unconfirmed)
    assert (int(cities_2017["lowest"]), int(cities_2017["highest"])) == (34, 44)
    assert int(cities_2017["flaggedFigures"]) >= 1


def test_most_active_cities_count_hosting(store):
    rows = run(store, "most-active-cities")
    first = rows[0]
    assert str(first["city"]).endswith("/clermont-ferrand")
    hosts = {str(r["city"]).rsplit("/", 1)[-1]: int(r["hosted"]) for r in rows}
    assert hosts["cuneo"] >= 2 and hosts["anderson"] >= 1  # facts l.100-102, l.96-99


def test_co_presidents_over_time_include_the_flagged_inferences(store):
    rows = run(store, "co-presidents")
    by_holder = {str(r["holder"]).rsplit("/", 1)[-1]: str(r["confidence"]) for r in rows}
    assert by_holder["gorka-urtaran"].endswith("LowConfidence")
    assert by_holder["luis-bernardo-nava-guerrero"].endswith("LowConfidence")
    assert by_holder["terence-roberts"].endswith("HighConfidence")
    starts = [str(r.get("startDate") or "") for r in rows]
    assert starts == sorted(starts)


def test_signatories_with_a_plant_closing(store):
    rows = run(store, "signatories-with-plant-closing")
    # facts l.130, 140, 141: Querétaro closing end 2025, Karlsruhe closing, Homburg partly
    assert {str(r["city"]).rsplit("/", 1)[-1] for r in rows} == {
        "queretaro",
        "karlsruhe",
        "homburg",
    }
