"""What the graph says it knows, and how sure it is (issue 17), checked on the loaded store.

Expected values are read by a person from the fact base (facts/rivm-facts.md, line numbers in
the comments) and its sources, never from the code under test.
"""

from __future__ import annotations

from rivm_graph.namespaces import sparql_prologue


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
    # facts l.285-315: unconfirmed QIDs (Valladolid Q8356, Shanghai Q8686, Bangkok Q1861 ...)
    rows = select(store, "SELECT ?q WHERE { ?c rivm:wikidataId ?q }")
    assert not {str(r["q"]) for r in rows} & {"Q8356", "Q2978", "Q1040", "Q340", "Q8686", "Q1861"}
