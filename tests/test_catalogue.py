"""The query catalogue: closed-shape valid, every query parses and meets its own bounds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import Graph

from rivm_graph.endpoint.catalogue import find_query, load_catalogue, read_query_file

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted((ROOT / "queries").glob("*.ttl"))
REQUIRED = [
    "cities-by-country",
    "conference-timeline",
    "queretaro-declaration-signatories",
    "co-presidents",
    "executive-committee",
    "michelin-sites-by-city",
    "sites-closing-or-closed",
    "themes-by-event",
    "conflicting-figures",
    "partner-cities-without-michelin-site",
    "city-participation",
    "oldest-sites",
    "people-and-roles",
    "sources-of-an-entity",
    "entities-without-source",
]


def _conforms(paths: list[Path]) -> tuple[bool, str]:
    data = Graph()
    for path in paths:
        data.parse(path)
    shapes = Graph().parse(ROOT / "shapes" / "catalogue.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, advanced=True)
    return conforms, text


def test_every_required_competency_question_is_in_the_catalogue(catalogue):
    missing = [slug for slug in REQUIRED if find_query(catalogue, slug) is None]
    assert not missing


def test_catalogue_has_data_quality_checks(catalogue):
    assert sum(q.is_quality_check for q in catalogue) >= 3


def test_catalogue_conforms_to_its_closed_shape():
    conforms, text = _conforms(QUERY_FILES)
    assert conforms, text


def test_a_misspelt_property_breaks_the_closed_shape(tmp_path):
    broken = tmp_path / "cities-by-country.ttl"
    shutil.copy(ROOT / "queries" / "cities-by-country.ttl", broken)
    broken.write_text(broken.read_text().replace("rdfs:comment", "rdfs:coment", 1))
    conforms, text = _conforms([broken])
    assert not conforms
    assert "coment" in text


def test_a_default_view_outside_the_four_breaks_the_closed_shape(tmp_path):
    broken = tmp_path / "cities-map.ttl"
    shutil.copy(ROOT / "queries" / "cities-map.ttl", broken)
    text = broken.read_text()
    assert 'rivmq:defaultView "map"' in text
    broken.write_text(text.replace('rivmq:defaultView "map"', 'rivmq:defaultView "pie"'))
    conforms, report = _conforms([broken])
    assert not conforms
    assert "defaultView" in report


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_parses_and_meets_its_bounds(path: Path, store):
    query = read_query_file(path)
    assert query.titles.get("en") and query.titles.get("fr"), "title in en and fr"
    assert query.descriptions.get("en"), "description in en"
    try:
        pyoxigraph.Store().query(query.text)
    except SyntaxError as error:
        pytest.fail(f"{path.name}: {error}")
    result = store.query(query.text)
    if query.kind == "ask":
        assert query.expected_boolean is not None, "an ASK query states its expected answer"
        assert result.boolean is query.expected_boolean
        return
    rows = len(result)
    if query.min_rows is not None:
        assert rows >= query.min_rows, f"{rows} rows, expected at least {query.min_rows}"
    if query.max_rows is not None:
        assert rows <= query.max_rows, f"{rows} rows, expected at most {query.max_rows}: " + str(
            result.rows[:5]
        )


def test_loader_reads_titles_bounds_and_kind():
    queries = {q.slug: q for q in load_catalogue(ROOT)}
    quality = queries["entities-without-source"]
    assert quality.max_rows == 0 and quality.is_quality_check
    assert quality.kind == "select"
    assert quality.title("fr") != quality.title("en")
